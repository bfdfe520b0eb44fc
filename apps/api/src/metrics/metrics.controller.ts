/**
 * GET /metrics: Prometheus text exposition, behind a token: `Authorization: Bearer <METRICS_TOKEN>`
 * (what Prometheus's `authorization.credentials` sends), or an admin's token or session. Without
 * either: 401. A scraper on the same host can use METRICS_PORT instead (loopback, no token).
 */
import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { IdentifyIfSignedIn, Public, type AuthenticatedRequest } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Problem } from '../http/problem';
import { EngineMetrics } from './metrics';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** True when `header` is `Bearer <token>` for this token (compared in constant time). */
export function carriesToken(header: string | undefined, token: string): boolean {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: EngineMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @Public()
  @IdentifyIfSignedIn()
  @ApiBearerAuth()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics (process, HTTP, commands, projection lag)',
    description: 'Needs `Authorization: Bearer <METRICS_TOKEN>` or an admin token; 401 otherwise.',
  })
  async scrape(@Req() req: AuthenticatedRequest): Promise<string> {
    const token = this.config.hardening.metricsToken;
    const allowed =
      (token !== undefined && carriesToken(req.headers.authorization, token)) ||
      (req.principal?.roles.includes('admin') ?? false);
    if (!allowed)
      throw Problem.unauthorized(
        'GET /metrics needs Authorization: Bearer <METRICS_TOKEN> or an admin token',
      );
    return this.metrics.registry.metrics();
  }
}

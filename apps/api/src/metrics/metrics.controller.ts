/** GET /metrics: Prometheus text exposition. No token: scrape it from inside the network only. */
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { EngineMetrics } from './metrics';

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: EngineMetrics) {}

  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (process, HTTP, commands, projection lag)' })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

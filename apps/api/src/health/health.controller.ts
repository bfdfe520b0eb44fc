/** GET /health: is the engine up, can it reach its stores. No token needed. */
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../http/http-types';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { Public } from '../auth/auth.decorators';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { HealthRegistry } from './health.registry';

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, { status: 'ok' | 'failed'; detail?: string; [key: string]: unknown }>;
}

export const HEALTH_CONTRIBUTORS = Symbol('HEALTH_CONTRIBUTORS');
export type HealthContributor = () => Promise<
  Record<string, { status: 'ok' | 'failed'; detail?: string; [key: string]: unknown }>
>;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registry: HealthRegistry,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({
    summary: 'Liveness and store reachability (with projection lag when projections run here)',
  })
  async health(@Res({ passthrough: true }) res: HttpReply): Promise<HealthReport> {
    const checks: HealthReport['checks'] = {};
    await Promise.all([
      this.pool.query('SELECT 1').then(
        () => (checks.database = { status: 'ok' }),
        (e: unknown) =>
          (checks.database = { status: 'failed', detail: e instanceof Error ? e.message : String(e) }),
      ),
      this.store.headPosition().then(
        (head) => (checks.eventStore = { status: 'ok', headPosition: head }),
        (e: unknown) =>
          (checks.eventStore = { status: 'failed', detail: e instanceof Error ? e.message : String(e) }),
      ),
      ...this.registry.all().map((c) =>
        c().then(
          (more) => Object.assign(checks, more),
          (e: unknown) =>
            (checks.contributor = { status: 'failed', detail: e instanceof Error ? e.message : String(e) }),
        ),
      ),
    ]);
    const ok = Object.values(checks).every((c) => c.status === 'ok');
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'degraded', checks };
  }
}

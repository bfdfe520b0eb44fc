/**
 * GET /health: is the engine up, can it reach its stores. No token needed; an anonymous caller gets
 * each check's status only — error text, positions and quarantine counts go to admin and
 * supervisor tokens (or sessions), so the endpoint tells an outsider nothing about the internals.
 * 200 `ok`: every check ok. 200 `degraded`: the engine serves, but a check needs attention (a read
 * model skipped events it could not apply: see its `quarantined` count). 503 `down`: a check failed
 * (database or event store unreachable, a projection failing or more than 10,000 events behind).
 */
import { Controller, Get, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../http/http-types';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { IdentifyIfSignedIn, Public, type AuthenticatedRequest } from '../auth/auth.decorators';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { HealthRegistry, type HealthCheck } from './health.registry';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, HealthCheck>;
}

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
  @IdentifyIfSignedIn()
  @ApiOperation({
    summary: 'Liveness and store reachability, projection lag and quarantined events',
    description:
      '200 `ok`; 200 `degraded` when a read model has quarantined events (it skipped events it could not ' +
      'apply; see `checks["projection:<name>"].quarantined` and GET /admin/projections); 503 `down` when a ' +
      'check failed (database or event store unreachable, a projection failing or too far behind). ' +
      'Without an admin or supervisor token each check shows its `status` only (no error text or details).',
  })
  async health(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<HealthReport> {
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
    const statuses = Object.values(checks).map((c) => c.status);
    const status: HealthReport['status'] = statuses.includes('failed')
      ? 'down'
      : statuses.includes('degraded')
        ? 'degraded'
        : 'ok';
    res.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    const operator = req.principal?.roles.some((r) => r === 'admin' || r === 'supervisor') ?? false;
    if (operator) return { status, checks };
    return {
      status,
      checks: Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, { status: c.status }])),
    };
  }
}

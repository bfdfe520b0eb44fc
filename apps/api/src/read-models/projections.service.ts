/**
 * Runs the control, statistics, reminder-feed, journal, ССТУ and applicant-index projections in this process (when
 * RUN_PROJECTIONS is on): one advisory-locked, checkpointed runner per projection; other instances stand
 * by. Exposes lag and quarantined events on /metrics and /health, and `minPosition` waits for read-model
 * queries.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import {
  classifyFailure,
  CONTROL_PROJECTION,
  ControlProjection,
  JournalProjection,
  ProjectionRunner,
  RebuildInProgressError,
  shortErrorMessage,
  SstuProjection,
  STATISTICS_PROJECTION,
  StatisticsProjection,
  type ProjectionStatus,
  type QuarantinedEvent,
  type RebuildResult,
  type RetryResult,
} from '@appeal-ledger/projections';
import { ReminderFeedProjection } from '@appeal-ledger/reminders';
import { ApplicantIndexProjection } from '../applicant-matching/applicant-index.projection';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health.registry';
import { DATABASE_URL, PG_POOL } from '../infrastructure/infrastructure.module';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import { EngineMetrics } from '../metrics/metrics';
import { ok, type Outcome } from '../shared/outcome';

/** Lag above this many events marks the projection's /health check failed. */
const UNHEALTHY_LAG = 10_000;
/** Quarantined events listed per projection by GET /admin/projections (the count is always exact). */
const LISTED_QUARANTINE = 100;

/** GET /admin/projections: one projection as this instance sees it. */
export interface ProjectionOverview extends ProjectionStatus {
  lag: number;
  /** events this read model could not apply and skipped (all instances see the same) */
  quarantinedCount: number;
  /** the first of them in position order */
  quarantined: QuarantinedEvent[];
}

/**
 * Why a rebuild or retry was refused: no such projection (404), a rebuild of it is already running
 * (409), the database failed transiently (503, try again). Only a bug is thrown (500).
 */
export type ProjectionRefusal =
  | { ok: false; reason: 'unknown_projection'; message: string }
  | { ok: false; reason: 'rebuild_in_progress'; message: string }
  | { ok: false; reason: 'unavailable'; message: string };

@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly runner: ProjectionRunner;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(PG_POOL) pool: Pool,
    @Inject(DATABASE_URL) databaseUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    metrics: EngineMetrics,
    health: HealthRegistry,
    applicantIndex: ApplicantIndexProjection,
  ) {
    this.runner = new ProjectionRunner({
      store,
      pool,
      connection: { connectionString: databaseUrl, keepAlive: true },
      batchSize: config.projectionBatchSize,
      catchUpBatchSize: config.projectionCatchUpBatchSize,
      projections: [
        new ControlProjection({ timeZone: config.timeZone }),
        new StatisticsProjection({ timeZone: config.timeZone }),
        new ReminderFeedProjection(),
        new JournalProjection({ timeZone: config.timeZone }),
        new SstuProjection({ timeZone: config.timeZone }),
        applicantIndex,
      ],
      logger: log,
    });
    const runner = this.runner;
    new Gauge({
      name: 'appeal_ledger_projection_lag_events',
      help: 'Events in the store not yet applied to each read model',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
      async collect() {
        for (const [name, lag] of Object.entries(await runner.lags())) this.set({ projection: name }, lag);
      },
    });
    new Gauge({
      name: 'appeal_ledger_projection_active',
      help: '1 when this instance is the active runner of the projection, 0 on standby',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
      collect() {
        for (const s of runner.status()) this.set({ projection: s.name }, s.role === 'active' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'appeal_ledger_projection_quarantined_events',
      help: 'Events a read model could not apply and skipped (in its quarantine; POST /admin/projections/{name}/retry)',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
      async collect() {
        for (const [name, count] of Object.entries(await runner.quarantineCounts()))
          this.set({ projection: name }, count);
      },
    });
    // failed (503): too far behind, or the runner keeps failing; degraded (200): events quarantined
    health.add(async () => {
      const [lags, quarantined] = await Promise.all([runner.lags(), runner.quarantineCounts()]);
      const statuses = new Map(runner.status().map((s) => [s.name, s]));
      return Object.fromEntries(
        Object.entries(lags).map(([name, lag]) => {
          const status = statuses.get(name);
          const count = quarantined[name] ?? 0;
          const failed = lag > UNHEALTHY_LAG || Boolean(status?.lastError);
          return [
            `projection:${name}`,
            {
              status: failed ? 'failed' : count > 0 ? 'degraded' : 'ok',
              lag,
              quarantined: count,
              role: status?.role ?? 'stopped',
              ...(status?.lastError
                ? { detail: status.lastError }
                : count > 0
                  ? { detail: `${count} event(s) quarantined: GET /admin/projections` }
                  : {}),
            },
          ];
        }),
      );
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.ensureSchemas();
    await this.runner.start({ project: this.config.runProjections });
    if (!this.config.runProjections)
      this.log.info('RUN_PROJECTIONS=false: read models are served, not written, here');
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }

  /** Waits (≤ 5 s) until the named projections have applied `minPosition`; answers from what is there otherwise. */
  async awaitPosition(minPosition: number | undefined, names: string[]): Promise<void> {
    if (minPosition === undefined) return;
    await Promise.all(names.map((name) => this.runner.waitForPosition(name, minPosition, 5000)));
  }

  status(): ProjectionStatus[] {
    return this.runner.status();
  }

  async overview(): Promise<ProjectionOverview[]> {
    const [lags, counts] = await Promise.all([this.runner.lags(), this.runner.quarantineCounts()]);
    return Promise.all(
      this.runner.status().map(async (s) => {
        const quarantinedCount = counts[s.name] ?? 0;
        return {
          ...s,
          lag: lags[s.name] ?? 0,
          quarantinedCount,
          quarantined: quarantinedCount > 0 ? await this.runner.quarantine(s.name, LISTED_QUARANTINE) : [],
        };
      }),
    );
  }

  rebuild(name: string): Promise<Outcome<RebuildResult, ProjectionRefusal>> {
    return this.operate(name, () => this.runner.rebuild(name));
  }

  retry(name: string): Promise<Outcome<RetryResult, ProjectionRefusal>> {
    return this.operate(name, () => this.runner.retry(name));
  }

  /** Runs an operation on projection `name`: a refusal for an unknown name, a concurrent rebuild, a database failure. */
  private async operate<T>(name: string, work: () => Promise<T>): Promise<Outcome<T, ProjectionRefusal>> {
    if (!this.runner.projectionNames.includes(name)) {
      return {
        ok: false,
        reason: 'unknown_projection',
        message: `unknown projection "${name}"; known: ${this.runner.projectionNames.join(', ')}`,
      };
    }
    try {
      return ok(await work());
    } catch (error) {
      if (error instanceof RebuildInProgressError)
        return { ok: false, reason: 'rebuild_in_progress', message: error.message };
      if (classifyFailure(error) === 'transient')
        return { ok: false, reason: 'unavailable', message: shortErrorMessage(error) };
      throw error;
    }
  }
}

export { CONTROL_PROJECTION, STATISTICS_PROJECTION };

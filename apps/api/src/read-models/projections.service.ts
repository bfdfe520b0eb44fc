/**
 * Runs the control, statistics, reminder-feed and journal projections in this process (when RUN_PROJECTIONS is on): one
 * advisory-locked, checkpointed runner per projection; other instances stand by. Exposes lag on
 * /metrics and /health, and `minPosition` waits for read-model queries.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import {
  CONTROL_PROJECTION,
  ControlProjection,
  JournalProjection,
  ProjectionRunner,
  STATISTICS_PROJECTION,
  StatisticsProjection,
  type ProjectionStatus,
  type RebuildResult,
} from '@appeal-ledger/projections';
import { ReminderFeedProjection } from '@appeal-ledger/reminders';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { HealthRegistry } from '../health/health.registry';
import { Problem } from '../http/problem';
import { DATABASE_URL, PG_POOL } from '../infrastructure/infrastructure.module';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import { EngineMetrics } from '../metrics/metrics';

/** Lag above this many events marks /health degraded. */
const UNHEALTHY_LAG = 10_000;

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
  ) {
    this.runner = new ProjectionRunner({
      store,
      pool,
      connection: { connectionString: databaseUrl, keepAlive: true },
      batchSize: config.projectionBatchSize,
      projections: [
        new ControlProjection({ timeZone: config.timeZone }),
        new StatisticsProjection({ timeZone: config.timeZone }),
        new ReminderFeedProjection(),
        new JournalProjection({ timeZone: config.timeZone }),
      ],
      logger: {
        info: (message, context) => log.info(context ?? {}, message),
        warn: (message, context) => log.warn(context ?? {}, message),
        error: (message, context) => log.error(context ?? {}, message),
      },
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
    health.add(async () => {
      const lags = await runner.lags();
      const statuses = new Map(runner.status().map((s) => [s.name, s]));
      return Object.fromEntries(
        Object.entries(lags).map(([name, lag]) => {
          const status = statuses.get(name);
          return [
            `projection:${name}`,
            {
              status: lag > UNHEALTHY_LAG || status?.lastError ? 'failed' : 'ok',
              lag,
              role: status?.role ?? 'stopped',
              ...(status?.lastError ? { detail: status.lastError } : {}),
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

  async rebuild(name: string): Promise<RebuildResult> {
    if (!this.runner.projectionNames.includes(name)) {
      throw Problem.notFound(
        `unknown projection "${name}"; known: ${this.runner.projectionNames.join(', ')}`,
      );
    }
    return this.runner.rebuild(name);
  }
}

export { CONTROL_PROJECTION, STATISTICS_PROJECTION };

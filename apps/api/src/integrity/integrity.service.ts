/**
 * Tamper evidence in the engine: runs the verifier for GET /admin/integrity (one run at a time;
 * callers wait a bounded time for it) and, where projections run, signs an event-store checkpoint
 * every EVENT_STORE_CHECKPOINT_MINUTES. PostgreSQL event store only (docs/event-store.md).
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  EVENT_STORE,
  PostgresEventStore,
  verifyEventStore,
  writeCheckpoint,
  type CheckpointSummary,
  type EventStore,
  type IntegrityKey,
  type IntegrityReport,
} from '@appeal-ledger/event-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PG_POOL } from '../infrastructure/infrastructure.module';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import { loadIntegrityKey } from './integrity-key';

export type IntegrityStatus =
  | { status: 'done'; report: IntegrityReport }
  | { status: 'running'; startedAt: string; checkedEvents: number; last: IntegrityReport | null };

/** How long GET /admin/integrity waits for a verification before answering 202 "running". */
export const INTEGRITY_WAIT_MS = 10_000;

@Injectable()
export class IntegrityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly key: IntegrityKey | undefined;
  private running:
    { promise: Promise<IntegrityReport>; startedAt: string; progress: { checkedEvents: number } } | undefined;
  private last: IntegrityReport | null = null;
  private timer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.key = this.supported
      ? loadIntegrityKey({ dataDir: config.dataDir, integrityKey: config.integrityKey })
      : undefined;
  }

  /** Hash chains and checkpoints exist in the PostgreSQL event store only. */
  get supported(): boolean {
    return this.store instanceof PostgresEventStore;
  }

  onApplicationBootstrap(): void {
    const minutes = this.config.integrityCheckpointMinutes;
    if (!this.supported || !this.config.runProjections || minutes === 0) return;
    this.timer = setInterval(() => {
      this.checkpointing ??= this.checkpoint()
        .then(
          (c) => this.log.info({ checkpoint: c }, 'event store checkpoint signed'),
          (error: unknown) =>
            this.log.error(
              { reason: error instanceof Error ? error.message : String(error) },
              'event store checkpoint refused or failed',
            ),
        )
        .finally(() => (this.checkpointing = undefined));
    }, minutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checkpointing;
    await this.running?.promise.catch(() => undefined);
  }

  checkpoint(): Promise<CheckpointSummary> {
    if (!this.key) throw new Error('integrity checks need the PostgreSQL event store');
    return writeCheckpoint(this.pool, this.key);
  }

  /** Starts a verification unless one runs, and waits for it at most `waitMs`. */
  async verify(waitMs = INTEGRITY_WAIT_MS): Promise<IntegrityStatus> {
    if (!this.running) {
      const progress = { checkedEvents: 0 };
      const promise = verifyEventStore(this.pool, {
        key: this.key,
        onProgress: (n) => (progress.checkedEvents = n),
      })
        .then((report) => {
          this.last = report;
          if (!report.ok)
            this.log.error({ problems: report.problems.slice(0, 5) }, 'event store integrity check failed');
          return report;
        })
        .finally(() => (this.running = undefined));
      this.running = { startedAt: new Date().toISOString(), progress, promise };
    }
    const run = this.running;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)),
    );
    try {
      const report = await Promise.race([run.promise, timeout]);
      if (report) return { status: 'done', report };
      return {
        status: 'running',
        startedAt: run.startedAt,
        checkedEvents: run.progress.checkedEvents,
        last: this.last,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

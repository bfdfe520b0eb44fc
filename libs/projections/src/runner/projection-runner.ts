/**
 * Runs projections: per projection one checkpointed consumer (consumer/checkpointed-consumer.ts)
 * whose checkpoint is committed with the read-model change (exactly-once effect), one active across
 * processes, the others on standby. This file is the registry and what the engine asks of it:
 * status, checkpoints and lag, waits for a position (`minPosition` reads), the quarantine, and
 * the admin actions — retry (projection-retry.ts) and rebuild-and-swap (projection-rebuild.ts).
 * An event a projection cannot apply (a data error, see shared/event-failure.ts) is quarantined
 * and skipped in the same transaction as the checkpoint (projection-batch.ts), so one bad event
 * never stops a read model.
 */
import type { ClientConfig } from 'pg';
import { CheckpointedConsumer, type ConsumerRole } from '../consumer/checkpointed-consumer';
import { consoleWarnings, type EngineLogger } from '../consumer/logger';
import { openSession } from '../consumer/session';
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { READ_MODEL_APPLICATION_NAME, type EventStore } from '../shared/event-store';
import { ProjectionProgress } from './projection-progress';
import { countQuarantine, listQuarantine, type QuarantinedEvent } from './projection-quarantine';
import { rebuildProjections, type RebuildDeps, type RebuildResult } from './projection-rebuild';
import { retryQuarantined, type RetryResult } from './projection-retry';
import { ensureProjectionSchemas, lockNames, readCommittedCheckpoint } from './projection-schema';
import { ProjectionTarget } from './projection-target';
import { SharedReplay } from '../consumer/shared-replay';

export interface ProjectionRunnerOptions {
  store: EventStore;
  projections: readonly Projection[];
  /** for reads: checkpoints, lag, waits (a pg Pool) */
  pool: SqlExecutor;
  /** opens the dedicated sessions: one per projection (lock holder and writer), one LISTEN, one per rebuild */
  connection: ClientConfig;
  /** events per page read (default 5000): catch-up, rebuild (one transaction per page); live batches at most */
  batchSize?: number;
  /**
   * Events per catch-up transaction at most (default 10,000, at least `batchSize`): a projection
   * behind the store applies its pages gathered, so an appeal whose events span several pages has
   * its rows written once per batch instead of once per page (docs/benchmarks.md, session 18).
   */
  catchUpBatchSize?: number;
  /**
   * The projections that read leanly catch up from one read of `$all` (a `SharedReplay`: each page read
   * once for all of them, the first at most a few pages ahead of the slowest); default true, false:
   * each reads its own
   */
  sharedCatchUp?: boolean;
  /** pause before retrying after an error (default 1000 ms) */
  retryDelayMs?: number;
  /**
   * Live: after an event arrives, keep collecting for up to this long before committing the batch
   * (default 20 ms). Under load one transaction then carries dozens of events instead of a few,
   * for at most this much extra lag; `minPosition` reads wait for it.
   */
  liveBatchWindowMs?: number;
  /** rebuild replays into UNLOGGED tables and logs them once before the swap (default true) */
  unloggedRebuild?: boolean;
  /**
   * A rebuild replays the projections that fold per stream (`foldsPerStream`) in stream order up to
   * the head it finds, then on in position order (default true; false: position order throughout, as
   * for the others and for stores without `readAllByStream`)
   */
  rebuildInStreamOrder?: boolean;
  /**
   * An empty read model (checkpoint 0) facing more events than this is built by a rebuild (bare
   * tables, indexes at the end: about twice as fast) instead of a catch-up (default 50,000; 0: never)
   */
  rebuildFromScratchAbove?: number;
  /** default: warnings and errors on the console */
  logger?: EngineLogger;
  /** told when this instance's runner of a projection becomes active, stands by or stops */
  onRoleChange?: (projection: string, role: ConsumerRole) => void;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  /** active: this instance holds the projection's lock and writes it; standby: it waits for the lock */
  role: ConsumerRole;
  /** last position this instance committed (null when it has not been active) */
  position: number | null;
  rebuilding: boolean;
  lastError: string | null;
}

export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';
  constructor(projection: string, known: readonly string[]) {
    super(`unknown projection "${projection}"; known: ${known.join(', ')}`);
  }
}

interface Registered {
  projection: Projection;
  consumer: CheckpointedConsumer;
}

export class ProjectionRunner {
  private readonly registered = new Map<string, Registered>();
  private readonly progress: ProjectionProgress;
  private readonly rebuilding = new Set<string>();
  private readonly logger: EngineLogger;
  private readonly rebuildDeps: RebuildDeps;
  private stopped = false;
  /** the lean catch-ups' one read of `$all` (null: each reads its own) */
  private readonly sharedReplay: SharedReplay | null;
  private readonly batchSize: number;
  private readonly catchUpBatchSize: number;

  /** the dedicated sessions' settings: named as read models' (the readers' boundary does not wait for them) */
  private readonly connection: ClientConfig;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.connection = { ...options.connection, application_name: READ_MODEL_APPLICATION_NAME };
    this.batchSize = options.batchSize ?? 5000;
    const batchSize = this.batchSize;
    this.catchUpBatchSize = Math.max(batchSize, options.catchUpBatchSize ?? 10_000);
    // the first replay may be two catch-up transactions' pages ahead of the slowest (4 by default)
    const pagesPerTransaction = Math.ceil(this.catchUpBatchSize / batchSize);
    this.sharedReplay =
      options.sharedCatchUp === false
        ? null
        : new SharedReplay(options.store, { batchSize, fields: 'fold', aheadPages: 2 * pagesPerTransaction });
    this.logger = options.logger ?? consoleWarnings;
    for (const projection of options.projections) {
      if (!/^[a-z][a-z0-9_]*$/.test(projection.name))
        throw new Error(`projection name "${projection.name}" must match [a-z][a-z0-9_]*`);
      if (this.registered.has(projection.name))
        throw new Error(`projection "${projection.name}" is registered twice`);
      this.registered.set(projection.name, { projection, consumer: this.consumerOf(projection) });
    }
    this.progress = new ProjectionProgress(this.connection, options.pool, this.logger);
    this.rebuildDeps = {
      store: options.store,
      connection: this.connection,
      batchSize,
      unlogged: options.unloggedRebuild ?? true,
      streamOrder: options.rebuildInStreamOrder ?? true,
      logger: this.logger,
      progress: this.progress,
      stopping: () => this.stopped,
    };
  }

  private consumerOf(projection: Projection): CheckpointedConsumer {
    const { name } = projection;
    const target = new ProjectionTarget(projection, {
      store: this.options.store,
      logger: this.logger,
      rebuildFromScratchAbove: this.options.rebuildFromScratchAbove ?? 50_000,
      rebuild: (n) => this.rebuild(n),
    });
    const shared = this.sharedReplay;
    return new CheckpointedConsumer({
      name,
      lockName: lockNames.runner(name),
      store: this.options.store,
      connection: this.connection,
      target,
      // the projections that read leanly catch up from one read of $all (docs/projections.md)
      ...(target.fields === 'fold' && shared ? { replay: (after: number) => shared.pages(after) } : {}),
      batchSize: this.batchSize,
      catchUpBatchSize: this.catchUpBatchSize,
      liveBatchWindowMs: this.options.liveBatchWindowMs ?? 20,
      retryDelayMs: this.options.retryDelayMs ?? 1000,
      logger: this.logger,
      logContext: { projection: name },
      label: 'projection runner',
      onRoleChange: (role) => this.options.onRoleChange?.(name, role),
      onCommitted: (position) => this.progress.reached(name, position),
    });
  }

  get projectionNames(): string[] {
    return [...this.registered.keys()];
  }

  /**
   * Creates missing read-model schemas and starts listening for progress; with `project` (default
   * true) also starts a runner per projection, active or on standby for its lock.
   */
  async start(options: { project?: boolean } = {}): Promise<void> {
    this.stopped = false;
    await this.ensureSchemas();
    await this.progress.start();
    if (options.project ?? true) for (const { consumer } of this.registered.values()) consumer.start();
  }

  /** Stops the runners (an active one finishes its batch; the lock is released), the listener and rebuilds. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.registered.values()].map(({ consumer }) => consumer.stop()));
    await this.progress.stop();
  }

  /** Makes the live schemas exist (idempotent, safe from many instances at once). */
  async ensureSchemas(): Promise<void> {
    const client = await openSession(this.connection, () => undefined);
    try {
      await ensureProjectionSchemas(
        client,
        [...this.registered.values()].map((r) => r.projection),
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  status(): ProjectionStatus[] {
    return [...this.registered.values()].map(({ projection, consumer }) => ({
      name: projection.name,
      version: projection.version,
      role: consumer.role,
      position: consumer.position,
      rebuilding: this.rebuilding.has(projection.name),
      lastError: consumer.lastError,
    }));
  }

  /** The projection's committed checkpoint, whichever instance wrote it. */
  async checkpoint(name: string): Promise<number> {
    this.projection(name);
    const checkpoint = await readCommittedCheckpoint(this.options.pool, liveSchema(name));
    return checkpoint?.position ?? 0;
  }

  /** Events not yet projected: store head position − checkpoint. */
  async lag(name: string): Promise<number> {
    const [head, checkpoint] = await Promise.all([this.options.store.headPosition(), this.checkpoint(name)]);
    return Math.max(0, head - checkpoint);
  }

  async lags(): Promise<Record<string, number>> {
    const head = await this.options.store.headPosition();
    const entries = await Promise.all(
      this.projectionNames.map(
        async (name) => [name, Math.max(0, head - (await this.checkpoint(name)))] as const,
      ),
    );
    return Object.fromEntries(entries);
  }

  /**
   * True once the projection has committed `position` (woken by its commits, no polling), false
   * after `timeoutMs`. Needs start() (the listener), on any instance.
   */
  waitForPosition(name: string, position: number, timeoutMs = 5000): Promise<boolean> {
    this.projection(name);
    return this.progress.waitForPosition(name, position, timeoutMs);
  }

  /** waitForPosition for every projection (e.g. a read joining several read models). */
  async waitForAll(position: number, timeoutMs = 5000): Promise<boolean> {
    const reached = await Promise.all(
      this.projectionNames.map((name) => this.progress.waitForPosition(name, position, timeoutMs)),
    );
    return reached.every(Boolean);
  }

  /** The projection's quarantined events (live schema), in position order, at most `limit`. */
  quarantine(name: string, limit = 100): Promise<QuarantinedEvent[]> {
    this.projection(name);
    return listQuarantine(this.options.pool, name, { limit });
  }

  /** Quarantined events per projection (live schemas, whichever instance wrote them). */
  quarantineCounts(): Promise<Record<string, number>> {
    return countQuarantine(this.options.pool, this.projectionNames);
  }

  /** Applies the projection's quarantined events again (projection-retry.ts). */
  retry(name: string): Promise<RetryResult> {
    return retryQuarantined(
      { store: this.options.store, connection: this.connection, logger: this.logger },
      this.projection(name),
    );
  }

  /** Rebuilds the projection into shadow tables and swaps them in (projection-rebuild.ts). */
  async rebuild(name: string): Promise<RebuildResult> {
    const [result] = await this.rebuildAll([name]);
    if (!result) throw new Error(`rebuild of "${name}" gave no result`);
    return result;
  }

  /**
   * Rebuilds several projections from one replay of `$all` (each page read once, applied to every
   * shadow schema side by side; those that fold per stream from one replay in stream order up to a
   * head first), then swaps each in, in the order given (projection-rebuild.ts).
   * RebuildInProgressError when any of them is being rebuilt: then none is.
   */
  async rebuildAll(names: readonly string[]): Promise<RebuildResult[]> {
    const projections = names.map((name) => this.projection(name));
    if (new Set(names).size !== names.length)
      throw new Error(`a projection is named twice: ${names.join(', ')}`);
    const locked: string[] = [];
    try {
      return await rebuildProjections(this.rebuildDeps, projections, () => {
        for (const name of names) {
          locked.push(name);
          this.rebuilding.add(name);
        }
      });
    } finally {
      for (const name of locked) this.rebuilding.delete(name);
    }
  }

  private projection(name: string): Projection {
    const registered = this.registered.get(name);
    if (!registered) throw new UnknownProjectionError(name, this.projectionNames);
    return registered.projection;
  }
}

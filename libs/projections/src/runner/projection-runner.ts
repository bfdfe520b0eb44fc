/**
 * Runs projections: per projection one catch-up subscription whose checkpoint is committed with the
 * read-model change (exactly-once effect), one active runner across processes (a session advisory
 * lock; the others wait on it), rebuild into shadow tables with an atomic swap, lag and
 * wait-for-position for `minPosition` reads. An event a projection cannot apply (a data error, see
 * shared/event-failure.ts) is quarantined and skipped in the same transaction as the checkpoint, so
 * one bad event never stops a read model; `retry` applies the quarantined events again.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import type { AllSubscription, EventStore, RecordedEvent } from '../shared/event-store';
import { classifyFailure, shortErrorMessage } from '../shared/event-failure';
import { qualified } from '../shared/sql-batch';
import { ProjectionProgress } from './projection-progress';
import {
  countQuarantine,
  listQuarantine,
  QUARANTINE_TABLE,
  quarantineEvent,
  type QuarantinedEvent,
} from './projection-quarantine';
import {
  CHECKPOINT_TABLE,
  createProjectionSchema,
  ensureProjectionSchemas,
  lockNames,
  PROGRESS_CHANNEL,
  readCheckpoint,
  rebuildSchema,
  retiredSchema,
  RUNNER_TABLES,
} from './projection-schema';

export interface ProjectionLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  projections: readonly Projection[];
  /** for reads: checkpoints, lag, waits (a pg Pool) */
  pool: SqlExecutor;
  /** opens the dedicated sessions: one per projection (lock holder and writer), one LISTEN, one per rebuild */
  connection: ClientConfig;
  /** events per transaction at most (default 5000): catch-up and rebuild pages; live batches are what has arrived */
  batchSize?: number;
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
   * An empty read model (checkpoint 0) facing more events than this is built by a rebuild (bare
   * tables, indexes at the end: about twice as fast) instead of a catch-up (default 50,000; 0: never)
   */
  rebuildFromScratchAbove?: number;
  logger?: ProjectionLogger;
  /** told when this instance's runner of a projection becomes active, stands by or stops */
  onRoleChange?: (projection: string, role: ProjectionRole) => void;
}

export type ProjectionRole = 'stopped' | 'standby' | 'active';

export interface ProjectionStatus {
  name: string;
  version: number;
  /** active: this instance holds the projection's lock and writes it; standby: it waits for the lock */
  role: ProjectionRole;
  /** last position this instance committed (null when it has not been active) */
  position: number | null;
  rebuilding: boolean;
  lastError: string | null;
}

export interface RebuildResult {
  name: string;
  version: number;
  /** checkpoint of the swapped-in tables */
  position: number;
  /** events replayed */
  events: number;
  /** events the rebuilt read model could not apply: in its quarantine, skipped */
  quarantined: number;
  durationMs: number;
}

/** What POST /admin/projections/{name}/retry did. */
export interface RetryResult {
  name: string;
  /** quarantined events tried again */
  retried: number;
  /** applied now and removed from the quarantine */
  applied: number;
  /** failing still (attempts + 1, error updated), kept */
  stillFailing: number;
  /** no longer in the store at their position: removed from the quarantine */
  gone: number;
  /** what is left in the quarantine */
  remaining: QuarantinedEvent[];
}

export class UnknownProjectionError extends Error {
  override readonly name = 'UnknownProjectionError';
  constructor(projection: string, known: readonly string[]) {
    super(`unknown projection "${projection}"; known: ${known.join(', ')}`);
  }
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor(projection: string) {
    super(`projection "${projection}" is already being rebuilt (by this or another instance)`);
  }
}

/** The checkpoint is not where this writer left it: a rebuild was swapped in. Restart from it. */
class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`checkpoint moved from ${expected} to ${actual}`);
  }
}

const silentLogger: ProjectionLogger = {
  info: () => undefined,
  warn: (message, context) => console.warn(message, context ?? ''),
  error: (message, context) => console.error(message, context ?? ''),
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const IDLE = Symbol('idle');
/** Resolves after pending I/O callbacks: events already buffered by the subscription arrive first. */
const afterPendingIo = (): Promise<typeof IDLE> =>
  new Promise((resolve) => setImmediate(() => resolve(IDLE)));
const after = (ms: number): Promise<typeof IDLE> =>
  ms <= 0 ? afterPendingIo() : new Promise((resolve) => setTimeout(() => resolve(IDLE), ms));

/** What a batch did: where the checkpoint is now, and the events it had to quarantine. */
interface BatchOutcome {
  position: number;
  quarantined: QuarantinedEvent[];
}

/**
 * Applies `events` inside the caller's transaction, all at once under a savepoint. When that fails
 * for anything but a transient reason, the savepoint is rolled back and the events are bisected:
 * each half is applied under its own savepoint, and a failing half split again, down to single
 * events. An event failing on its own with a data error is quarantined (same transaction) and
 * skipped, so the others of the batch are not lost; one poison event in a batch of n costs about
 * 2·log2(n) attempts. Transient and fault errors are thrown: the caller rolls back and retries
 * from the checkpoint.
 */
async function applyEvents(
  client: Client,
  projection: Projection,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<QuarantinedEvent[]> {
  const quarantined: QuarantinedEvent[] = [];
  const apply = async (slice: readonly RecordedEvent[]): Promise<void> => {
    const [single] = slice;
    if (!single) return;
    await client.query('SAVEPOINT projection_apply');
    try {
      await projection.handle(slice, client, schema);
      await client.query('RELEASE SAVEPOINT projection_apply');
      return;
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'transient' || (slice.length === 1 && kind !== 'data')) throw error;
      // a dead session cannot roll back: then the failure was not the event's
      await rollbackTo(client, 'projection_apply', error);
      if (slice.length === 1) {
        const message = shortErrorMessage(error);
        await quarantineEvent(client, projection.name, schema, single, message);
        const now = new Date().toISOString();
        quarantined.push({
          projection: projection.name,
          position: single.position,
          streamId: single.streamId,
          eventId: single.id,
          type: single.type,
          error: message,
          quarantinedAt: now,
          lastFailedAt: now,
          attempts: 1,
        });
        return;
      }
    }
    const middle = Math.ceil(slice.length / 2);
    await apply(slice.slice(0, middle));
    await apply(slice.slice(middle));
  };
  await apply(events);
  return quarantined;
}

async function rollbackTo(client: Client, savepoint: string, cause: unknown): Promise<void> {
  try {
    await client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    await client.query(`RELEASE SAVEPOINT ${savepoint}`);
  } catch {
    throw cause;
  }
}

/**
 * One transaction (unless the caller holds one): verify the checkpoint is still `expected`, apply the
 * events after it (quarantining those that cannot be applied), move the checkpoint to the last
 * event's position.
 */
async function applyBatch(
  client: Client,
  projection: Projection,
  schema: string,
  expected: number,
  events: readonly RecordedEvent[],
  options: { ownTransaction: boolean; notify: boolean; logger: ProjectionLogger },
): Promise<BatchOutcome> {
  const last = events[events.length - 1];
  if (!last) return { position: expected, quarantined: [] };
  const checkpointTable = qualified(schema, CHECKPOINT_TABLE);
  if (options.ownTransaction) await client.query('BEGIN');
  try {
    // the row lock also fences a concurrent swap, which locks this table before renaming schemas
    const found = await client.query<{ version: number; position: string }>(
      `SELECT version, position::text AS position FROM ${checkpointTable} FOR UPDATE`,
    );
    const row = found.rows[0];
    if (!row) throw new Error(`${checkpointTable} has no row`);
    if (row.version !== projection.version) {
      throw new Error(
        `${schema} holds version ${row.version} of projection "${projection.name}"; this instance runs version ${projection.version}`,
      );
    }
    if (Number(row.position) !== expected) throw new CheckpointMovedError(expected, Number(row.position));
    const quarantined = await applyEvents(
      client,
      projection,
      schema,
      events.filter((e) => e.position > expected),
    );
    await client.query(`UPDATE ${checkpointTable} SET position = $1, updated_at = now()`, [last.position]);
    if (options.notify)
      await client.query('SELECT pg_notify($1, $2)', [
        PROGRESS_CHANNEL,
        `${projection.name}:${last.position}`,
      ]);
    if (options.ownTransaction) await client.query('COMMIT');
    for (const q of quarantined) {
      options.logger.error(
        'projection cannot apply an event: quarantined, the read model goes on without it',
        {
          projection: q.projection,
          schema,
          position: q.position,
          streamId: q.streamId,
          eventId: q.eventId,
          type: q.type,
          error: q.error,
        },
      );
    }
    return { position: last.position, quarantined };
  } catch (error) {
    if (options.ownTransaction) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function openSession(config: ClientConfig, onError: (error: Error) => void): Promise<Client> {
  const client = new Client(config);
  // a dead connection also fails the query in flight; this keeps the process from crashing on it
  client.on('error', onError);
  await client.connect();
  return client;
}

interface WorkerDeps {
  store: EventStore;
  connection: ClientConfig;
  batchSize: number;
  retryDelayMs: number;
  liveBatchWindowMs: number;
  logger: ProjectionLogger;
  progress: ProjectionProgress;
  rebuildFromScratchAbove: number;
  rebuild(name: string): Promise<RebuildResult>;
  onRoleChange(name: string, role: ProjectionRole): void;
}

/** The loop of one projection in this process: stand by for the lock, then project until stopped. */
class ProjectionWorker {
  private currentRole: ProjectionRole = 'stopped';
  position: number | null = null;
  lastError: string | null = null;
  private client: Client | null = null;
  private subscription: AllSubscription | null = null;
  private stopping = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    readonly projection: Projection,
    private readonly deps: WorkerDeps,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.subscription?.stop().catch(() => undefined);
    // a standby session is blocked in pg_advisory_lock: closing it is the way out
    if (this.role === 'standby') await this.client?.end().catch(() => undefined);
    await this.running;
  }

  get role(): ProjectionRole {
    return this.currentRole;
  }

  private set role(role: ProjectionRole) {
    if (role === this.currentRole) return;
    this.currentRole = role;
    this.deps.onRoleChange(this.name, role);
  }

  private get name(): string {
    return this.projection.name;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let client: Client | null = null;
      try {
        client = await openSession(this.deps.connection, (error) => {
          this.lastError = describe(error);
        });
        this.client = client;
        this.role = 'standby';
        if (this.stopping) break;
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockNames.runner(this.name)]);
        if (this.stopping) break;
        this.role = 'active';
        this.deps.logger.info('projection runner active', { projection: this.name });
        await this.project(client);
      } catch (error) {
        if (!this.stopping) {
          this.lastError = describe(error);
          this.deps.logger.error('projection runner failed; retrying', {
            projection: this.name,
            error: this.lastError,
          });
          await this.pause(this.deps.retryDelayMs);
        }
      } finally {
        this.role = 'standby';
        this.client = null;
        // ending the session releases the advisory lock
        await client?.end().catch(() => undefined);
      }
    }
    this.role = 'stopped';
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async project(client: Client): Promise<void> {
    const schema = liveSchema(this.name);
    await ensureProjectionSchemas(client, [this.projection]);
    let checkpoint = await readCheckpoint(client, schema);
    if (checkpoint && checkpoint.version < this.projection.version) {
      this.deps.logger.info('projection version changed; rebuilding', {
        projection: this.name,
        from: checkpoint.version,
        to: this.projection.version,
      });
      await this.deps.rebuild(this.name);
      checkpoint = await readCheckpoint(client, schema);
    } else if (checkpoint?.position === 0 && this.deps.rebuildFromScratchAbove > 0) {
      const head = await this.deps.store.headPosition();
      if (head > this.deps.rebuildFromScratchAbove) {
        this.deps.logger.info('empty read model, long store: building it by a rebuild', {
          projection: this.name,
          head,
        });
        await this.deps.rebuild(this.name);
        checkpoint = await readCheckpoint(client, schema);
      }
    }
    if (!checkpoint) throw new Error(`${schema} has no checkpoint`);
    if (checkpoint.version !== this.projection.version) {
      throw new Error(
        `${schema} holds version ${checkpoint.version}; this instance runs version ${this.projection.version} and will not write it`,
      );
    }
    let position = checkpoint.position;
    this.position = position;
    while (!this.stopping) {
      try {
        position = await this.catchUp(client, schema, position);
        if (!this.stopping) position = await this.follow(client, schema, position);
        return;
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
        this.deps.logger.info('projection checkpoint moved (rebuild swapped in); continuing from it', {
          projection: this.name,
          position: error.actual,
        });
        position = error.actual;
        this.committed(position);
      }
    }
  }

  private committed(position: number): void {
    this.position = position;
    this.lastError = null;
    this.deps.progress.reached(this.name, position);
  }

  /** Reads pages of `$all` (the next one fetched while this one is applied) until the end. */
  private async catchUp(client: Client, schema: string, from: number): Promise<number> {
    const { store, batchSize } = this.deps;
    let position = from;
    let next = store.readAll({ after: position, maxCount: batchSize });
    for (;;) {
      const page = await next;
      const last = page[page.length - 1];
      if (!last || this.stopping) return position;
      const full = page.length >= batchSize;
      if (full) {
        next = store.readAll({ after: last.position, maxCount: batchSize });
        void next.catch(() => undefined); // awaited on the next turn; not unhandled if we leave first
      }
      ({ position } = await applyBatch(client, this.projection, schema, position, page, {
        ownTransaction: true,
        notify: true,
        logger: this.deps.logger,
      }));
      this.committed(position);
      if (!full) return position;
    }
  }

  /** Live: one transaction per burst of events already delivered, up to the batch size. */
  private async follow(client: Client, schema: string, from: number): Promise<number> {
    let position = from;
    const subscription = this.deps.store.subscribeToAll({ after: position });
    this.subscription = subscription;
    const events = subscription[Symbol.asyncIterator]();
    let pending = events.next();
    try {
      while (!this.stopping) {
        const first = await pending;
        if (first.done) return position;
        const batch: RecordedEvent[] = [first.value];
        pending = events.next();
        const closesAt = Date.now() + this.deps.liveBatchWindowMs;
        while (batch.length < this.deps.batchSize) {
          const next = await Promise.race([pending, after(closesAt - Date.now())]);
          if (next === IDLE || next.done) break;
          batch.push(next.value);
          pending = events.next();
        }
        ({ position } = await applyBatch(client, this.projection, schema, position, batch, {
          ownTransaction: true,
          notify: true,
          logger: this.deps.logger,
        }));
        this.committed(position);
      }
      return position;
    } finally {
      this.subscription = null;
      void pending.catch(() => undefined);
      await subscription.stop().catch(() => undefined);
    }
  }
}

export class ProjectionRunner {
  private readonly options: Required<ProjectionRunnerOptions>;
  private readonly workers = new Map<string, ProjectionWorker>();
  private readonly progress: ProjectionProgress;
  private readonly rebuilding = new Set<string>();
  private stopped = false;

  constructor(options: ProjectionRunnerOptions) {
    this.options = {
      ...options,
      batchSize: options.batchSize ?? 5000,
      retryDelayMs: options.retryDelayMs ?? 1000,
      liveBatchWindowMs: options.liveBatchWindowMs ?? 20,
      unloggedRebuild: options.unloggedRebuild ?? true,
      rebuildFromScratchAbove: options.rebuildFromScratchAbove ?? 50_000,
      logger: options.logger ?? silentLogger,
      onRoleChange: options.onRoleChange ?? (() => undefined),
    };
    const names = new Set<string>();
    for (const projection of options.projections) {
      if (!/^[a-z][a-z0-9_]*$/.test(projection.name))
        throw new Error(`projection name "${projection.name}" must match [a-z][a-z0-9_]*`);
      if (names.has(projection.name)) throw new Error(`projection "${projection.name}" is registered twice`);
      names.add(projection.name);
    }
    this.progress = new ProjectionProgress(this.options.connection, this.options.pool, this.options.logger);
    for (const projection of options.projections) {
      this.workers.set(
        projection.name,
        new ProjectionWorker(projection, {
          store: this.options.store,
          connection: this.options.connection,
          batchSize: this.options.batchSize,
          retryDelayMs: this.options.retryDelayMs,
          liveBatchWindowMs: this.options.liveBatchWindowMs,
          logger: this.options.logger,
          progress: this.progress,
          rebuildFromScratchAbove: this.options.rebuildFromScratchAbove,
          rebuild: (name) => this.rebuild(name),
          onRoleChange: (name, role) => this.options.onRoleChange(name, role),
        }),
      );
    }
  }

  get projectionNames(): string[] {
    return [...this.workers.keys()];
  }

  /**
   * Creates missing read-model schemas and starts listening for progress; with `project` (default
   * true) also starts a runner per projection, active or on standby for its lock.
   */
  async start(options: { project?: boolean } = {}): Promise<void> {
    this.stopped = false;
    await this.ensureSchemas();
    await this.progress.start();
    if (options.project ?? true) for (const worker of this.workers.values()) worker.start();
  }

  /** Stops the runners (an active one finishes its batch; the lock is released), the listener and rebuilds. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    await this.progress.stop();
  }

  /** Makes the live schemas exist (idempotent, safe from many instances at once). */
  async ensureSchemas(): Promise<void> {
    const client = await openSession(this.options.connection, () => undefined);
    try {
      await ensureProjectionSchemas(
        client,
        [...this.workers.values()].map((w) => w.projection),
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  status(): ProjectionStatus[] {
    return [...this.workers.values()].map((w) => ({
      name: w.projection.name,
      version: w.projection.version,
      role: w.role,
      position: w.position,
      rebuilding: this.rebuilding.has(w.projection.name),
      lastError: w.lastError,
    }));
  }

  /** The projection's committed checkpoint, whichever instance wrote it. */
  async checkpoint(name: string): Promise<number> {
    this.projection(name);
    const checkpoint = await readCheckpoint(this.options.pool, liveSchema(name));
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

  /**
   * Applies the projection's quarantined events again (after a fix of the code or the data), in
   * position order, each under its own savepoint, in one transaction holding the live checkpoint's
   * row lock (so the live writer, on any instance, waits for it and a rebuild's swap comes after).
   * Those that apply now leave the quarantine; those that still fail with a data error stay, with
   * attempts + 1 and the new error. A transient error rolls the whole retry back and is thrown.
   * The events apply late — after later events of the same stream — which is what every read model
   * here tolerates; a rebuild applies them in order instead.
   */
  async retry(name: string): Promise<RetryResult> {
    const projection = this.projection(name);
    const schema = liveSchema(name);
    const { logger, store } = this.options;
    const client = await openSession(this.options.connection, () => undefined);
    let applied = 0;
    let stillFailing = 0;
    let gone = 0;
    let retried = 0;
    try {
      await client.query('BEGIN');
      try {
        const checkpoint = await readCheckpoint(client, schema, true);
        if (!checkpoint) throw new Error(`${schema} has no checkpoint`);
        if (checkpoint.version !== projection.version)
          throw new Error(
            `${schema} holds version ${checkpoint.version}; this instance runs version ${projection.version} and will not write it`,
          );
        const entries = await listQuarantine(client, name, { forUpdate: true });
        const table = qualified(schema, QUARANTINE_TABLE);
        for (const entry of entries) {
          retried += 1;
          const [event] = await store.readAll(
            entry.position > 0 ? { after: entry.position - 1, maxCount: 1 } : { maxCount: 1 },
          );
          if (!event || event.position !== entry.position || event.id !== entry.eventId) {
            await client.query(`DELETE FROM ${table} WHERE position = $1`, [entry.position]);
            gone += 1;
            continue;
          }
          await client.query('SAVEPOINT projection_retry');
          try {
            await projection.handle([event], client, schema);
            await client.query('RELEASE SAVEPOINT projection_retry');
            await client.query(`DELETE FROM ${table} WHERE position = $1`, [entry.position]);
            applied += 1;
          } catch (error) {
            if (classifyFailure(error) !== 'data') throw error;
            await rollbackTo(client, 'projection_retry', error);
            await quarantineEvent(client, name, schema, event, shortErrorMessage(error));
            stillFailing += 1;
          }
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      const remaining = await listQuarantine(client, name, { limit: 100 });
      logger.info('projection quarantine retried', {
        projection: name,
        retried,
        applied,
        stillFailing,
        gone,
      });
      return { name, retried, applied, stillFailing, gone, remaining };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * Replays `$all` from position 0 into `rm_<name>__rebuild`, indexes it, catches up with the live
   * checkpoint while briefly holding off the live writer, and renames the schemas in one
   * transaction. Readers see the old tables until that commit and the new ones after; a crash at
   * any point leaves one or the other. Only one rebuild per projection at a time (advisory lock).
   */
  async rebuild(name: string): Promise<RebuildResult> {
    const projection = this.projection(name);
    const client = await openSession(this.options.connection, () => undefined);
    try {
      const locked = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [lockNames.rebuild(name)],
      );
      if (!locked.rows[0]?.ok) throw new RebuildInProgressError(name);
      this.rebuilding.add(name);
      return await this.rebuildOn(client, projection);
    } finally {
      this.rebuilding.delete(name);
      await client.end().catch(() => undefined);
    }
  }

  private projection(name: string): Projection {
    const worker = this.workers.get(name);
    if (!worker) throw new UnknownProjectionError(name, this.projectionNames);
    return worker.projection;
  }

  private async rebuildOn(client: Client, projection: Projection): Promise<RebuildResult> {
    const started = performance.now();
    const { logger, unloggedRebuild } = this.options;
    const live = liveSchema(projection.name);
    const shadow = rebuildSchema(projection.name);
    const retired = retiredSchema(projection.name);
    logger.info('projection rebuild started', { projection: projection.name });

    await client.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
    await client.query('BEGIN');
    try {
      await createProjectionSchema(client, projection, shadow, { indexes: false, unlogged: unloggedRebuild });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }

    let events = 0;
    let quarantined = 0;
    const replay = async (from: number): Promise<number> => {
      let position = from;
      let next = this.options.store.readAll({ after: position, maxCount: this.options.batchSize });
      for (;;) {
        if (this.stopped) throw new Error(`rebuild of "${projection.name}" stopped: the runner is stopping`);
        const page = await next;
        const last = page[page.length - 1];
        if (!last) return position;
        next = this.options.store.readAll({ after: last.position, maxCount: this.options.batchSize });
        void next.catch(() => undefined);
        ({ position } = await applyBatch(client, projection, shadow, position, page, {
          ownTransaction: true,
          notify: false,
          logger,
        }));
        events += page.length;
      }
    };
    let position = await replay(0);
    if (unloggedRebuild) {
      for (const table of [...projection.tables, ...RUNNER_TABLES])
        await client.query(`ALTER TABLE ${qualified(shadow, table)} SET LOGGED`);
    }
    for (const ddl of projection.createIndexes(shadow)) await client.query(ddl);
    position = await replay(position);

    await client.query('BEGIN');
    try {
      const liveExists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
        qualified(live, CHECKPOINT_TABLE),
      ]);
      if (liveExists.rows[0]?.t) {
        // waits for the live writer's batch in flight and holds off the next one until the swap commits
        await client.query(`LOCK TABLE ${qualified(live, CHECKPOINT_TABLE)} IN ACCESS EXCLUSIVE MODE`);
        const locked = await readCheckpoint(client, live);
        const livePosition = locked?.position ?? 0;
        while (position < livePosition) {
          const page = await this.options.store.readAll({
            after: position,
            maxCount: this.options.batchSize,
          });
          if (page.length === 0)
            throw new Error(
              `the store ends at ${position} but the live checkpoint of "${projection.name}" is ${livePosition}`,
            );
          ({ position } = await applyBatch(client, projection, shadow, position, page, {
            ownTransaction: false,
            notify: false,
            logger,
          }));
          events += page.length;
        }
        await client.query(`ALTER SCHEMA ${live} RENAME TO ${retired}`);
      }
      const counted = await client.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${qualified(shadow, QUARANTINE_TABLE)}`,
      );
      quarantined = Number(counted.rows[0]?.n ?? 0);
      await client.query(`ALTER SCHEMA ${shadow} RENAME TO ${live}`);
      await client.query('SELECT pg_notify($1, $2)', [PROGRESS_CHANNEL, `${projection.name}:${position}`]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    // readers still on the old tables finish first (DROP waits for their locks)
    await client.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
    this.progress.reached(projection.name, position);
    const result: RebuildResult = {
      name: projection.name,
      version: projection.version,
      position,
      events,
      quarantined,
      durationMs: Math.round(performance.now() - started),
    };
    logger.info('projection rebuilt and swapped in', { ...result });
    return result;
  }
}

/**
 * The one engine of single-active, checkpointed consumers of `$all`: the projections (one per read
 * model) and the reminder deliveries (webhook, e-mail outbox) run on it, each with its own target.
 *
 * - One active instance across processes: each instance opens a dedicated session and blocks in a
 *   session advisory lock (`standby`); the holder is `active`. When its session ends (stop, crash,
 *   lost connection), PostgreSQL releases the lock and a standby takes over from the checkpoint;
 *   an instance that loses its session stops at once (its live subscription is ended, its target's
 *   signal aborted), so it neither claims to be active nor delivers anything beside the new one.
 * - Catch-up, then live: pages of `$all` (replay.ts) after the stored checkpoint, then a live
 *   subscription whose bursts are applied a batch at a time.
 * - The target applies events and moves the checkpoint by the one rule of checkpoint.ts; when the
 *   checkpoint moved under it (a rebuild swapped in), the consumer rereads it and goes on from the
 *   stored position. Any other failure ends the session (so the lock goes to whoever
 *   is ready) and, after `retryDelayMs`, the consumer stands by again.
 */
import type { Client, ClientConfig } from 'pg';
import type { AllFilter, AllSubscription, EventStore, RecordedEvent } from '../shared/event-store';
import { shortErrorMessage } from '../shared/event-failure';
import { CheckpointMovedError } from './checkpoint';
import { consoleWarnings, type EngineLogger } from './logger';
import { replayPages } from './replay';
import { openSession } from './session';

/** active: holds the lock and writes; standby: waits for the lock; stopped: not started. */
export type ConsumerRole = 'stopped' | 'standby' | 'active';

export interface ApplyContext {
  /** aborted when the consumer stops: a long delivery gives up (its event is not acknowledged) */
  signal: AbortSignal;
  /** reports a checkpoint committed inside a batch (wakes waiters before the batch ends) */
  committed(position: number): void;
  /** reports a failure the target handles itself (retrying in place): shown as `lastError` */
  failing(message: string): void;
}

/** What one kind of consumer does with events; the engine does the rest. */
export interface ConsumerTarget {
  /**
   * What of each event `apply` reads: 'fold' (its id, stream, revision, position, type and data only)
   * lets the catch-up read `$all` leanly — metadata and recordedAt are then placeholders. Default 'all'.
   */
  readonly fields?: 'all' | 'fold';
  /**
   * On the freshly locked session, before any event: makes the target ready (schemas, checkpoint
   * row, a rebuild…) and returns the stored checkpoint, the position to continue after.
   */
  open(session: Client): Promise<number>;
  /** After CheckpointMovedError: the stored checkpoint to go on from (checked as `open` would). */
  reread(session: Client): Promise<number>;
  /**
   * Applies `events` (ascending positions; any at or before `from` are to be ignored) and moves
   * the checkpoint from `from` by the checkpoint rule (CheckpointMovedError when it is not there).
   * Returns the checkpoint committed last (`from` when nothing was).
   */
  apply(
    session: Client,
    from: number,
    events: readonly RecordedEvent[],
    context: ApplyContext,
  ): Promise<number>;
}

export interface CheckpointedConsumerOptions {
  /** stable name, for status and logs */
  name: string;
  /** the session advisory lock (hashed by PostgreSQL's hashtextextended) that makes one instance active */
  lockName: string;
  store: EventStore;
  /** opens the consumer's dedicated session: lock holder and writer */
  connection: ClientConfig;
  target: ConsumerTarget;
  /** only these events (default all) */
  filter?: AllFilter;
  /** events per page read in the catch-up and per live batch at most (default 5000) */
  batchSize?: number;
  /**
   * Events per catch-up transaction at most (default `batchSize`): the pages read while catching up
   * are gathered up to this many before they are applied, each in one transaction — fewer
   * transactions, and a row touched by several of them written once instead of once per page.
   * Held in memory, with the page read ahead.
   */
  catchUpBatchSize?: number;
  /**
   * The catch-up's pages after a position (default: `replayPages` of `store` with `batchSize`, `filter`
   * and the target's `fields`) — e.g. a `SharedReplay` that several consumers read one read of `$all` from.
   */
  replay?: (after: number) => AsyncIterable<readonly RecordedEvent[]>;
  /**
   * Live: after an event arrives, keep collecting for up to this long before applying the batch
   * (default 20 ms; 0: only what has already arrived). Under load one transaction then carries
   * dozens of events instead of a few, for at most this much extra lag.
   */
  liveBatchWindowMs?: number;
  /** pause after a failure before standing by again (default 1000 ms) */
  retryDelayMs?: number;
  logger?: EngineLogger;
  /** names this consumer in log lines, e.g. `{ projection: 'control' }` (default `{ consumer: name }`) */
  logContext?: Record<string, unknown>;
  /** what log lines call it, e.g. 'projection runner' (default 'consumer') */
  label?: string;
  onRoleChange?(role: ConsumerRole): void;
  /** told of every checkpoint this instance commits (and of the one it starts from) */
  onCommitted?(position: number): void;
}

const IDLE = Symbol('idle');
/** Resolves after pending I/O callbacks: events already buffered by the subscription arrive first. */
const afterPendingIo = (): Promise<typeof IDLE> =>
  new Promise((resolve) => setImmediate(() => resolve(IDLE)));
const after = (ms: number): Promise<typeof IDLE> =>
  ms <= 0 ? afterPendingIo() : new Promise((resolve) => setTimeout(() => resolve(IDLE), ms));

interface Waiter {
  position: number;
  done(reached: boolean): void;
}

export class CheckpointedConsumer {
  /** the last checkpoint this instance committed or started from (null until it has been active) */
  position: number | null = null;
  /** the last failure, until the next commit */
  lastError: string | null = null;
  private currentRole: ConsumerRole = 'stopped';
  private session: Client | null = null;
  private subscription: AllSubscription | null = null;
  private stopping = false;
  private running: Promise<void> | null = null;
  private abort = new AbortController();
  private wake: (() => void) | null = null;
  private readonly waiters = new Set<Waiter>();
  private readonly batchSize: number;
  private readonly catchUpBatchSize: number;
  private readonly liveBatchWindowMs: number;
  private readonly retryDelayMs: number;
  private readonly logger: EngineLogger;
  private readonly logContext: Record<string, unknown>;
  private readonly label: string;

  constructor(private readonly options: CheckpointedConsumerOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? 5000);
    this.catchUpBatchSize = Math.max(this.batchSize, options.catchUpBatchSize ?? this.batchSize);
    this.liveBatchWindowMs = options.liveBatchWindowMs ?? 20;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger ?? consoleWarnings;
    this.logContext = options.logContext ?? { consumer: options.name };
    this.label = options.label ?? 'consumer';
  }

  get name(): string {
    return this.options.name;
  }

  get role(): ConsumerRole {
    return this.currentRole;
  }

  private set role(role: ConsumerRole) {
    if (role === this.currentRole) return;
    this.currentRole = role;
    this.options.onRoleChange?.(role);
  }

  /** Stands by (from now) for the lock, then consumes until stopped. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.role = 'standby';
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /**
   * Stops: an active consumer finishes (or, through the abort signal, gives up) the batch in
   * flight and releases the lock; a standby one stops waiting for it. Pending waits resolve false.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.subscription?.stop().catch(() => undefined);
    // a standby session is blocked in pg_advisory_lock: closing it is the way out
    if (this.role === 'standby') await this.session?.end().catch(() => undefined);
    await this.running;
    for (const waiter of this.waiters) waiter.done(false);
  }

  /** True once this instance has committed (or started from) `position`, false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position !== null && this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        done: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.done(false), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let session: Client | null = null;
      const lost = new AbortController();
      try {
        session = await openSession(this.options.connection, (error) => {
          this.lastError = shortErrorMessage(error);
          lost.abort(error);
          void this.subscription?.stop().catch(() => undefined);
        });
        this.session = session;
        this.role = 'standby';
        if (this.stopping) break;
        await session.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [this.options.lockName]);
        if (this.stopping) break;
        this.role = 'active';
        this.logger.info(this.logContext, `${this.label} active`);
        await this.consume(session, lost.signal);
      } catch (error) {
        if (!this.stopping) {
          // the short message only: a pg error's detail and context can hold fragments of the event
          this.lastError = shortErrorMessage(error);
          this.logger.error(
            { ...this.logContext, error: this.lastError },
            `${this.label} failed; restarting from its checkpoint`,
          );
          await this.pause(this.retryDelayMs);
        }
      } finally {
        this.role = 'standby';
        this.session = null;
        // ending the session releases the advisory lock
        await session?.end().catch(() => undefined);
      }
    }
    this.role = 'stopped';
  }

  private async consume(session: Client, lost: AbortSignal): Promise<void> {
    let position = await this.options.target.open(session);
    this.reached(position);
    const context = this.context(lost);
    while (!this.stopping) {
      try {
        position = await this.catchUp(session, position, context);
        if (!this.stopping) await this.follow(session, position, context);
        // the live subscription ends when the session is lost: a failure, not an end
        if (lost.aborted && !this.stopping) throw lost.reason;
        return;
      } catch (error) {
        if (!(error instanceof CheckpointMovedError) || this.stopping) throw error;
        position = await this.options.target.reread(session);
        this.logger.info(
          { ...this.logContext, from: error.expected, position },
          `${this.label} checkpoint moved (a rebuild swapped in?); continuing from it`,
        );
        this.reached(position);
      }
    }
  }

  private context(lost: AbortSignal): ApplyContext {
    return {
      signal: AbortSignal.any([this.abort.signal, lost]),
      committed: (position) => this.committed(position),
      failing: (message) => {
        this.lastError = message;
      },
    };
  }

  /**
   * Pages of `$all` after `from` (the next one read while one is applied), gathered up to the
   * catch-up batch size and applied a batch per transaction, until the replay ends.
   */
  private async catchUp(session: Client, from: number, context: ApplyContext): Promise<number> {
    let position = from;
    let gathered: (readonly RecordedEvent[])[] = [];
    let count = 0;
    const applyGathered = async (): Promise<void> => {
      const batch = gathered.length === 1 ? gathered[0] : gathered.flat();
      gathered = [];
      count = 0;
      if (!batch || batch.length === 0) return;
      position = await this.options.target.apply(session, position, batch, context);
      this.committed(position);
    };
    const pages =
      this.options.replay?.(position) ??
      replayPages(this.options.store, {
        after: position,
        batchSize: this.batchSize,
        filter: this.options.filter,
        fields: this.options.target.fields,
      });
    for await (const page of pages) {
      if (this.stopping || context.signal.aborted) return position;
      gathered.push(page);
      count += page.length;
      if (count >= this.catchUpBatchSize) await applyGathered();
    }
    if (!this.stopping && !context.signal.aborted) await applyGathered();
    return position;
  }

  /** Live: one batch per burst of events already delivered, up to the batch size. */
  private async follow(session: Client, from: number, context: ApplyContext): Promise<void> {
    let position = from;
    const subscription = this.options.store.subscribeToAll(
      this.options.filter ? { after: position, filter: this.options.filter } : { after: position },
    );
    this.subscription = subscription;
    const events = subscription[Symbol.asyncIterator]();
    let pending = events.next();
    try {
      while (!this.stopping && !context.signal.aborted) {
        const first = await pending;
        if (first.done) return;
        const batch: RecordedEvent[] = [first.value];
        pending = events.next();
        const closesAt = Date.now() + this.liveBatchWindowMs;
        while (batch.length < this.batchSize) {
          const next = await Promise.race([pending, after(closesAt - Date.now())]);
          if (next === IDLE || next.done) break;
          batch.push(next.value);
          pending = events.next();
        }
        position = await this.options.target.apply(session, position, batch, context);
        this.committed(position);
      }
    } finally {
      this.subscription = null;
      void pending.catch(() => undefined);
      await subscription.stop().catch(() => undefined);
    }
  }

  private committed(position: number): void {
    this.lastError = null;
    this.reached(position);
  }

  private reached(position: number): void {
    if (this.position === position) return;
    this.position = position;
    this.options.onCommitted?.(position);
    for (const waiter of this.waiters) if (position >= waiter.position) waiter.done(true);
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
}

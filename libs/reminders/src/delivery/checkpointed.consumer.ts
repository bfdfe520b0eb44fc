/**
 * A checkpointed, single-active consumer of `$all` for side effects (webhook, e-mail outbox): one
 * event at a time in position order, the checkpoint moved only after the handler succeeded, so
 * delivery is at-least-once and never reordered across restarts. One instance delivers (a session
 * advisory lock; the others stand by on it and take over when its session ends).
 *
 * An event the handler cannot process because of the event itself (a data error: SQLSTATE class
 * 22/23/54 or an exception of the handler's code, see classifyFailure) is tried `poisonAfterAttempts`
 * times in a row; then it is recorded in `reminder_delivery_quarantine` with the checkpoint moving
 * past it (one transaction), logged as an error, and delivery goes on. Transient failures (database,
 * network) are retried for ever, as before: they never quarantine anything.
 */
import { Client, type ClientConfig } from 'pg';
import type { EventStore, RecordedEvent } from '@appeal-ledger/event-store';
import { classifyFailure, shortErrorMessage } from '@appeal-ledger/projections';

export interface ConsumerLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

export interface CheckpointedConsumerOptions {
  /** stable name: the checkpoint row and the lock */
  name: string;
  store: EventStore;
  /** the consumer's own session: lock holder and checkpoint writer */
  connection: ClientConfig;
  eventTypes: readonly string[];
  /**
   * Delivers one event; resolves once it is acknowledged. It may retry inside as long as it likes
   * (and should give up when `signal` aborts). A rejection with a data error (see classifyFailure)
   * is tried again in place, up to `poisonAfterAttempts` in all, then quarantined; any other
   * rejection restarts from the checkpoint after `retryDelayMs`.
   */
  handle(event: RecordedEvent, signal: AbortSignal): Promise<void>;
  /** pause after a failure before starting again (default 1000 ms) */
  retryDelayMs?: number;
  /** data failures in a row on one event before it is quarantined and skipped (default 5) */
  poisonAfterAttempts?: number;
  logger?: ConsumerLogger;
}

export type ConsumerRole = 'stopped' | 'standby' | 'active';

export const CHECKPOINT_TABLE = 'reminder_delivery_checkpoints';
export const QUARANTINE_TABLE = 'reminder_delivery_quarantine';

/** An event a consumer skipped: where it is and why (never its data). */
export interface QuarantinedDelivery {
  consumer: string;
  position: number;
  streamId: string;
  eventId: string;
  type: string;
  error: string;
  attempts: number;
  quarantinedAt: string;
}

/** Quarantined events per consumer (0 for those with none). */
export async function countConsumerQuarantine(
  db: { query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> },
  consumers: readonly string[],
): Promise<Record<string, number>> {
  const { rows } = await db.query(
    `SELECT consumer, count(*)::text AS n FROM ${QUARANTINE_TABLE} WHERE consumer = ANY($1) GROUP BY consumer`,
    [[...consumers]],
  );
  const counts: Record<string, number> = Object.fromEntries(consumers.map((c) => [c, 0]));
  for (const row of rows) counts[String(row.consumer)] = Number(row.n);
  return counts;
}

/** The events `consumer` quarantined, in position order. */
export async function readConsumerQuarantine(
  db: { query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> },
  consumer: string,
): Promise<QuarantinedDelivery[]> {
  const { rows } = await db.query(
    `SELECT consumer, position::text AS position, stream_id, event_id, event_type, error, attempts, quarantined_at
       FROM ${QUARANTINE_TABLE} WHERE consumer = $1 ORDER BY position`,
    [consumer],
  );
  return rows.map((r) => ({
    consumer: String(r.consumer),
    position: Number(r.position),
    streamId: String(r.stream_id),
    eventId: String(r.event_id),
    type: String(r.event_type),
    error: String(r.error),
    attempts: Number(r.attempts),
    quarantinedAt: (r.quarantined_at as Date).toISOString(),
  }));
}

/** The checkpoint of `consumer` (0 before its first delivery). */
export async function readConsumerCheckpoint(
  db: { query(text: string, values?: unknown[]): Promise<{ rows: { position: string }[] }> },
  consumer: string,
): Promise<number> {
  const { rows } = await db.query(
    `SELECT position::text AS position FROM ${CHECKPOINT_TABLE} WHERE consumer = $1`,
    [consumer],
  );
  return rows[0] ? Number(rows[0].position) : 0;
}

class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class CheckpointedConsumer {
  role: ConsumerRole = 'stopped';
  /** the last position this instance delivered (null until it has been active) */
  position: number | null = null;
  lastError: string | null = null;
  private stopping = false;
  private running: Promise<void> | null = null;
  private client: Client | null = null;
  private abort = new AbortController();
  private readonly waiters = new Set<{ position: number; done: (reached: boolean) => void }>();
  private wakePause: (() => void) | null = null;

  constructor(private readonly options: CheckpointedConsumerOptions) {}

  get name(): string {
    return this.options.name;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.role = 'standby';
    this.abort = new AbortController();
    this.running = this.loop().finally(() => {
      this.running = null;
      this.role = 'stopped';
    });
  }

  /** Stops delivering: an attempt in flight is aborted (it will be delivered again: at-least-once). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wakePause?.();
    // a standby session is blocked in pg_advisory_lock: ending it is the way out
    await this.client?.end().catch(() => undefined);
    await this.running;
    for (const waiter of this.waiters) waiter.done(false);
  }

  /** True once this instance has delivered up to `position`, false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position !== null && this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        done: (reached: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private async loop(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopping) {
      const client = new Client(this.options.connection);
      // a dead session also fails the query in flight; this keeps the process from crashing on it
      client.on('error', (error) => (this.lastError = describe(error)));
      this.client = client;
      try {
        await client.connect();
        if (this.stopping) break;
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
          `appeal-ledger:reminder-delivery:${this.name}`,
        ]);
        if (this.stopping) break;
        this.role = 'active';
        logger?.info({ consumer: this.name }, 'reminder delivery active');
        await this.consume(client);
      } catch (error) {
        if (!this.stopping) {
          this.lastError = shortErrorMessage(error);
          // the short message only: a pg error's detail and context can hold fragments of the event
          logger?.warn(
            { consumer: this.name, error: this.lastError },
            'reminder delivery failed; restarting from its checkpoint',
          );
          await this.pause(this.options.retryDelayMs ?? 1000);
        }
      } finally {
        this.role = 'standby';
        this.client = null;
        await client.end().catch(() => undefined);
      }
    }
  }

  private async consume(client: Client): Promise<void> {
    await client.query(
      `INSERT INTO ${CHECKPOINT_TABLE} (consumer, position) VALUES ($1, 0) ON CONFLICT (consumer) DO NOTHING`,
      [this.name],
    );
    let position = await readConsumerCheckpoint(client, this.name);
    this.reached(position);
    const subscription = this.options.store.subscribeToAll({
      after: position,
      filter: { eventTypes: [...this.options.eventTypes] },
    });
    const stopSubscription = (): void => void subscription.stop();
    this.abort.signal.addEventListener('abort', stopSubscription);
    try {
      for await (const event of subscription) {
        if (this.stopping) return;
        const poison = await this.deliver(event);
        if (this.stopping) return; // aborted mid-delivery: not acknowledged, delivered again later
        if (poison) await this.quarantine(client, event, poison, position);
        else await this.moveCheckpoint(client, event.position, position);
        position = event.position;
        this.reached(position);
      }
    } finally {
      this.abort.signal.removeEventListener('abort', stopSubscription);
      await subscription.stop().catch(() => undefined);
    }
  }

  /**
   * Runs the handler; a data failure is tried again (after the retry delay) up to
   * `poisonAfterAttempts` times in all, then returned: the event is poison. Anything else is thrown.
   */
  private async deliver(event: RecordedEvent): Promise<{ error: string; attempts: number } | null> {
    const attempts = Math.max(1, this.options.poisonAfterAttempts ?? 5);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handle(event, this.abort.signal);
        return null;
      } catch (error) {
        if (this.stopping || classifyFailure(error) !== 'data') throw error;
        const message = shortErrorMessage(error);
        if (attempt >= attempts) return { error: message, attempts: attempt };
        this.lastError = message;
        this.options.logger?.warn(
          { consumer: this.name, position: event.position, attempt, error: message },
          'reminder delivery cannot handle this event; trying it again',
        );
        await this.pause(this.options.retryDelayMs ?? 1000);
        if (this.stopping) throw error;
      }
    }
  }

  /** Fenced on the previous value: if anything else moved it, this instance is not the writer. */
  private async moveCheckpoint(client: Client, to: number, from: number): Promise<void> {
    const moved = await client.query(
      `UPDATE ${CHECKPOINT_TABLE} SET position = $2, updated_at = now() WHERE consumer = $1 AND position = $3`,
      [this.name, to, from],
    );
    if (moved.rowCount !== 1)
      throw new CheckpointMovedError(`checkpoint of ${this.name} is no longer ${from}`);
  }

  /** Records the event in the quarantine and moves the checkpoint past it, in one transaction. */
  private async quarantine(
    client: Client,
    event: RecordedEvent,
    poison: { error: string; attempts: number },
    from: number,
  ): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(
        `INSERT INTO ${QUARANTINE_TABLE} (consumer, position, stream_id, event_id, event_type, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (consumer, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts`,
        [this.name, event.position, event.streamId, event.id, event.type, poison.error, poison.attempts],
      );
      await this.moveCheckpoint(client, event.position, from);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.lastError = null;
    this.options.logger?.error(
      {
        consumer: this.name,
        position: event.position,
        streamId: event.streamId,
        eventId: event.id,
        type: event.type,
        attempts: poison.attempts,
        error: poison.error,
      },
      'reminder delivery cannot handle this event: quarantined and skipped',
    );
  }

  private reached(position: number): void {
    this.position = position;
    for (const waiter of this.waiters) if (position >= waiter.position) waiter.done(true);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakePause = done;
    });
  }
}

/**
 * A delivery of reminder events for side effects (webhook, e-mail outbox): a checkpointed consumer
 * of the engine in `@appeal-ledger/projections` (one active instance, the others on standby;
 * catch-up by pages, then live) whose target hands the events to `handle` one at a time in position
 * order and moves the checkpoint only after the handler succeeded, so delivery is at-least-once and
 * never reordered across restarts.
 *
 * An event the handler cannot process because of the event itself (a data error: SQLSTATE class
 * 22/23/54 or an exception of the handler's code, see classifyFailure) is tried `poisonAfterAttempts`
 * times in a row; then it is recorded in `reminder_delivery_quarantine` with the checkpoint moving
 * past it (one transaction), logged as an error, and delivery goes on. Transient failures (database,
 * network) are retried for ever, as before: they never quarantine anything.
 */
import type { Client, ClientConfig } from 'pg';
import type { EventStore, RecordedEvent } from '@appeal-ledger/event-store';
import {
  CheckpointedConsumer,
  CheckpointRow,
  classifyFailure,
  consoleWarnings,
  expectCheckpoint,
  shortErrorMessage,
  type ApplyContext,
  type ConsumerTarget,
  type EngineLogger,
  type SqlExecutor,
} from '@appeal-ledger/projections';

export interface DeliveryConsumerOptions {
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
   * rejection restarts from the checkpoint after `retryDelayMs`. Resolving with `'passed'` says the
   * event needed nothing (no side effect): its checkpoint move is left to the next event's, or to
   * the batch's end — one UPDATE for a run of such events instead of one each.
   */
  handle(event: RecordedEvent, signal: AbortSignal): Promise<void | 'passed'>;
  /**
   * Optional: told every batch's events still to be delivered (after the checkpoint), before the
   * first of them goes to `handle`, so the handler can read what they need in one query instead of
   * one per event. A rejection is a failure of the batch: it restarts from the checkpoint after
   * `retryDelayMs` (and `prepare` is told the events again).
   */
  prepare?(events: readonly RecordedEvent[], signal: AbortSignal): Promise<void>;
  /** pause after a failure before starting again (default 1000 ms) */
  retryDelayMs?: number;
  /** data failures in a row on one event before it is quarantined and skipped (default 5) */
  poisonAfterAttempts?: number;
  /** events per catch-up page (default 1000) */
  batchSize?: number;
  /** default: warnings and errors on the console */
  logger?: EngineLogger;
}

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
  db: SqlExecutor,
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
  db: SqlExecutor,
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

const checkpointOf = (consumer: string): CheckpointRow =>
  new CheckpointRow(CHECKPOINT_TABLE, { column: 'consumer', value: consumer });

/** The checkpoint of `consumer` (0 before its first delivery). */
export async function readConsumerCheckpoint(db: SqlExecutor, consumer: string): Promise<number> {
  return (await checkpointOf(consumer).read(db)) ?? 0;
}

/**
 * The engine's target for a delivery: one event at a time, checkpoint (or quarantine) after each
 * one the handler acted on.
 */
class DeliveryTarget implements ConsumerTarget {
  private readonly checkpoint: CheckpointRow;
  private readonly logger: EngineLogger;

  constructor(private readonly options: DeliveryConsumerOptions) {
    this.checkpoint = checkpointOf(options.name);
    this.logger = options.logger ?? consoleWarnings;
  }

  async open(session: Client): Promise<number> {
    await session.query(
      `INSERT INTO ${CHECKPOINT_TABLE} (consumer, position) VALUES ($1, 0) ON CONFLICT (consumer) DO NOTHING`,
      [this.options.name],
    );
    return (await this.checkpoint.read(session)) ?? 0;
  }

  reread(session: Client): Promise<number> {
    return this.open(session);
  }

  /**
   * The checkpoint is read once per batch (the rule: nothing is delivered past a moved checkpoint),
   * then each acknowledged event moves it by a fenced update, which fails if anything else moved it
   * meanwhile (docs/reminders.md). Events the handler passed by (`'passed'`) are not moved one by
   * one: the next acknowledged event's move, or one at the batch's end, carries them.
   */
  async apply(
    session: Client,
    from: number,
    events: readonly RecordedEvent[],
    context: ApplyContext,
  ): Promise<number> {
    let stored = from; // the checkpoint as moved last
    let position = from; // the last event handled
    const fresh = events.filter((e) => e.position > from);
    if (fresh.length === 0) return from;
    expectCheckpoint(from, await this.checkpoint.read(session));
    await this.options.prepare?.(fresh, context.signal);
    if (context.signal.aborted) return stored;
    for (const event of fresh) {
      const outcome = await this.deliver(event, context);
      if (context.signal.aborted) return stored; // stopped mid-delivery: not acknowledged, delivered again later
      position = event.position;
      if (outcome === 'passed') continue;
      if (outcome) await this.quarantine(session, event, outcome, stored);
      else await this.checkpoint.move(session, stored, position);
      stored = position;
      context.committed(stored);
    }
    if (position > stored) {
      await this.checkpoint.move(session, stored, position);
      stored = position;
    }
    return stored;
  }

  /**
   * Runs the handler; a data failure is tried again (after the retry delay) up to
   * `poisonAfterAttempts` times in all, then returned: the event is poison. Anything else is thrown.
   * `'passed'`: the handler had nothing to do for it.
   */
  private async deliver(
    event: RecordedEvent,
    context: ApplyContext,
  ): Promise<{ error: string; attempts: number } | 'passed' | null> {
    const { signal } = context;
    const attempts = Math.max(1, this.options.poisonAfterAttempts ?? 5);
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.options.handle(event, signal)) === 'passed' ? 'passed' : null;
      } catch (error) {
        if (signal.aborted || classifyFailure(error) !== 'data') throw error;
        const message = shortErrorMessage(error);
        if (attempt >= attempts) return { error: message, attempts: attempt };
        context.failing(message);
        this.logger.warn(
          { consumer: this.options.name, position: event.position, attempt, error: message },
          'reminder delivery cannot handle this event; trying it again',
        );
        await pause(this.options.retryDelayMs ?? 1000, signal);
        if (signal.aborted) throw error;
      }
    }
  }

  /** Records the event in the quarantine and moves the checkpoint past it, in one transaction. */
  private async quarantine(
    session: Client,
    event: RecordedEvent,
    poison: { error: string; attempts: number },
    from: number,
  ): Promise<void> {
    await session.query('BEGIN');
    try {
      await session.query(
        `INSERT INTO ${QUARANTINE_TABLE} (consumer, position, stream_id, event_id, event_type, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (consumer, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts`,
        [
          this.options.name,
          event.position,
          event.streamId,
          event.id,
          event.type,
          poison.error,
          poison.attempts,
        ],
      );
      await this.checkpoint.move(session, from, event.position);
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.logger.error(
      {
        consumer: this.options.name,
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
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** A reminder delivery: the engine's checkpointed consumer with a delivery target. */
export class DeliveryConsumer extends CheckpointedConsumer {
  constructor(options: DeliveryConsumerOptions) {
    super({
      name: options.name,
      lockName: `appeal-ledger:reminder-delivery:${options.name}`,
      store: options.store,
      connection: options.connection,
      target: new DeliveryTarget(options),
      filter: { eventTypes: [...options.eventTypes] },
      batchSize: options.batchSize ?? 1000,
      // a delivery takes each event as it comes: no window to fill a batch
      liveBatchWindowMs: 0,
      retryDelayMs: options.retryDelayMs,
      logger: options.logger,
      logContext: { consumer: options.name },
      label: 'reminder delivery',
    });
  }
}

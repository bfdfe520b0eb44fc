/**
 * Group commit of appends (docs/event-store.md, "Group commit of appends"). An append made while
 * `maxInFlight` statements are already appending waits in a queue; when a statement ends, the next
 * takes up to `maxSize` queued appends (in arrival order, at most one per stream: a second one of a
 * stream waits for the next batch) and sends them as ONE statement, `append_events_batch()` — one
 * round trip, one transaction, one WAL flush. A lone append (nothing queued) goes at once through
 * append_events(), so there is no added latency at low load and no timer.
 *
 * Every caller is answered after the commit of the statement that wrote its events, with what
 * append_events() would have answered it alone. If the batch statement raises (a unique violation
 * from a concurrent append elsewhere, text PostgreSQL refuses inside jsonb, a lost connection), its
 * transaction is rolled back and each member is appended alone through append_events(): only the
 * guilty member fails, with the error it gets without batching.
 */
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { appendOutcome, expectedCode, type AppendRow, type Queryable } from './postgres-event-store.adapter';

export interface AppendBatchOptions {
  /** most appends in one statement (≥ 2) */
  maxSize: number;
  /** statements appending at once (≥ 1); appends beyond them queue and are batched */
  maxInFlight: number;
}

export const DEFAULT_APPEND_BATCH: AppendBatchOptions = { maxSize: 64, maxInFlight: 2 };

/** What the batcher has done (for tests and benchmarks). */
export interface AppendBatchStats {
  /** statements sent: single append_events() calls and batches */
  statements: number;
  /** append_events_batch() calls */
  batches: number;
  /** appends answered by a batch */
  batched: number;
  /** batches that raised and were appended one member at a time */
  fallbacks: number;
}

type Written = AppendResult & { written: boolean };

interface Pending {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  resolve(result: Written): void;
  reject(error: unknown): void;
}

interface BatchRow extends AppendRow {
  member: number;
  tx_id: string | null;
}

const BATCH_SQL = `SELECT member, outcome, stream_revision, last_position, conflicting_event_id, tx_id
  FROM append_events_batch($1, $2, $3, $4, $5, $6, $7) ORDER BY member`;

export class AppendBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  readonly stats: AppendBatchStats = { statements: 0, batches: 0, batched: 0, fallbacks: 0 };

  /**
   * @param alone appends one stream's events through append_events() (the path without batching)
   * @param written told the last position of every statement that wrote (one wake-up per batch)
   */
  constructor(
    private readonly pool: Queryable,
    private readonly alone: (
      streamId: string,
      events: readonly NewEvent[],
      expected: ExpectedRevision,
    ) => Promise<Written>,
    private readonly written: (position: number) => void,
    private readonly options: AppendBatchOptions = DEFAULT_APPEND_BATCH,
  ) {
    if (!Number.isSafeInteger(options.maxSize) || options.maxSize < 2)
      throw new Error(`append batch maxSize must be an integer >= 2, got ${options.maxSize}`);
    if (!Number.isSafeInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new Error(`append batch maxInFlight must be an integer >= 1, got ${options.maxInFlight}`);
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<Written> {
    return new Promise<Written>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const members = this.take();
      this.inFlight += 1;
      void this.send(members).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Up to maxSize queued appends in arrival order, one per stream; the rest stay queued in order. */
  private take(): Pending[] {
    const { members, rest } = takeOnePerStream(this.queue, this.options.maxSize, (p) => p.streamId);
    this.queue = rest;
    return members;
  }

  private async send(members: Pending[]): Promise<void> {
    this.stats.statements += 1;
    if (members.length === 1) {
      await this.one(members[0]);
      return;
    }
    let rows: BatchRow[];
    try {
      rows = await this.batch(members);
    } catch {
      // Nothing of the batch was written (or, after a lost connection, maybe all of it: each member
      // then meets its own events as a retry). Each member alone, in arrival order (an id in two
      // members is then the first one's): only the guilty one fails.
      this.stats.fallbacks += 1;
      for (const m of members) await this.one(m);
      return;
    }
    this.stats.batches += 1;
    this.stats.batched += members.length;
    const answers: Array<() => void> = [];
    let last = 0;
    members.forEach((m, i) => {
      try {
        const result = appendOutcome(rows[i], m.streamId, m.expected, m.events);
        if (result.written) last = Math.max(last, result.position);
        answers.push(() => m.resolve(result));
      } catch (error) {
        answers.push(() => m.reject(error));
      }
    });
    if (last > 0) this.written(last);
    for (const answer of answers) answer();
  }

  private async one(m: Pending): Promise<void> {
    try {
      const result = await this.alone(m.streamId, m.events, m.expected);
      if (result.written) this.written(result.position);
      m.resolve(result);
    } catch (error) {
      m.reject(error);
    }
  }

  private async batch(members: Pending[]): Promise<BatchRow[]> {
    const ids: string[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    for (const m of members) {
      for (const e of m.events) {
        ids.push(e.id);
        types.push(e.type);
        data.push(JSON.stringify(e.data));
        metadata.push(JSON.stringify(e.metadata));
      }
    }
    const { rows } = await this.pool.query<BatchRow>({
      name: 'event_store_append_batch',
      text: BATCH_SQL,
      values: [
        members.map((m) => m.streamId),
        members.map((m) => expectedCode(m.expected)),
        members.map((m) => m.events.length),
        ids,
        types,
        data,
        metadata,
      ],
    });
    if (rows.length !== members.length)
      throw new Error(`append_events_batch answered ${rows.length} rows for ${members.length} appends`);
    return rows;
  }
}

/**
 * A group commit's next statement: up to `maxSize` of `queue` in arrival order, at most one per
 * stream (a second one of a stream waits for a later statement, so a batch never holds two writes
 * expecting the same revision); `rest` keeps the others in arrival order.
 */
export function takeOnePerStream<T>(
  queue: readonly T[],
  maxSize: number,
  streamOf: (item: T) => string,
): { members: T[]; rest: T[] } {
  if (queue.length === 1) return { members: [queue[0]], rest: [] };
  const streams = new Set<string>();
  const members: T[] = [];
  const rest: T[] = [];
  for (const item of queue) {
    const stream = streamOf(item);
    if (members.length < maxSize && !streams.has(stream)) {
      streams.add(stream);
      members.push(item);
    } else rest.push(item);
  }
  return { members, rest };
}

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
 * guilty member fails, with the error it gets without batching. The queue is GroupCommitQueue
 * (concurrency/group-commit-queue.ts); this file gives it its statements.
 */
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import {
  GroupCommitQueue,
  type BatchAnswer,
  type GroupCommitOptions,
  type GroupCommitStats,
} from '../concurrency/group-commit-queue';
import { appendOutcome, expectedCode, type AppendRow, type Queryable } from './postgres-event-store.adapter';
import { jsonTextsLiteral } from './json-texts-literal';

export type AppendBatchOptions = GroupCommitOptions;

export const DEFAULT_APPEND_BATCH: AppendBatchOptions = { maxSize: 64, maxInFlight: 2 };

/**
 * What the batcher has done (for tests and benchmarks): `statements` single append_events() calls
 * and batches, `batches` append_events_batch() calls, `batched` appends answered by a batch,
 * `fallbacks` batches that raised and were appended one member at a time.
 */
export type AppendBatchStats = GroupCommitStats;

type Written = AppendResult & { written: boolean };

interface Pending {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

interface BatchRow extends AppendRow {
  member: number;
  tx_id: string | null;
}

const BATCH_SQL = `SELECT member, outcome, stream_revision, last_position, conflicting_event_id, tx_id
  FROM append_events_batch($1, $2, $3, $4, $5, $6, $7) ORDER BY member`;

export class AppendBatcher {
  private readonly queue: GroupCommitQueue<Pending, Written>;

  /**
   * @param alone appends one stream's events through append_events() (the path without batching)
   * @param written told the last position of every statement that wrote (one wake-up per batch)
   */
  constructor(
    private readonly pool: Queryable,
    alone: (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision) => Promise<Written>,
    written: (position: number) => void,
    options: AppendBatchOptions = DEFAULT_APPEND_BATCH,
  ) {
    this.queue = new GroupCommitQueue<Pending, Written>(
      'append batch',
      {
        streamOf: (m) => m.streamId,
        alone: async (m) => {
          const result = await alone(m.streamId, m.events, m.expected);
          if (result.written) written(result.position);
          return result;
        },
        batch: async (members) => {
          const rows = await this.batch(members);
          const answers: BatchAnswer<Written>[] = [];
          let last = 0;
          members.forEach((m, i) => {
            try {
              const result = appendOutcome(rows[i], m.streamId, m.expected, m.events);
              if (result.written) last = Math.max(last, result.position);
              answers.push({ ok: true, value: result });
            } catch (error) {
              answers.push({ ok: false, error });
            }
          });
          if (last > 0) written(last);
          return answers;
        },
      },
      options,
    );
  }

  get stats(): AppendBatchStats {
    return this.queue.stats;
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<Written> {
    return this.queue.submit({ streamId, events, expected });
  }

  private async batch(members: readonly Pending[]): Promise<BatchRow[]> {
    const ids: string[] = [];
    const types: string[] = [];
    const data: unknown[] = [];
    const metadata: unknown[] = [];
    for (const m of members) {
      for (const e of m.events) {
        ids.push(e.id);
        types.push(e.type);
        data.push(e.data);
        metadata.push(e.metadata);
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
        jsonTextsLiteral(data),
        jsonTextsLiteral(metadata),
      ],
    });
    if (rows.length !== members.length)
      throw new Error(`append_events_batch answered ${rows.length} rows for ${members.length} appends`);
    return rows;
  }
}

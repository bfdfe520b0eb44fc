/**
 * Group commit of registrations (docs/decisions/0010-group-commit-registrations-landed.md). Every
 * registration of a year takes the year's lock, so registrations of one year commit one at a time,
 * one WAL flush each, each waiting on the others' commits. Here a registration made while
 * `maxInFlight` statements are already registering waits in a queue; when a statement ends, the next
 * takes up to `maxSize` queued registrations (in arrival order, at most one per stream: a second one
 * of a stream waits for the next batch) and sends them as ONE statement, `register_appeals_batch()` —
 * the year's lock taken once, numbers in arrival order, one append of every new stream, the keys and
 * the counter stored once, one COMMIT. A lone registration (nothing queued) goes at once through
 * `register_appeal()`, so there is no added latency at low load and no timer.
 *
 * Every caller is answered after the commit of the statement that wrote its registration, with its
 * own sequence, revision and position. If the batch raises — a member not plainly fine (its stream
 * exists, its event is already stored, its id is stored elsewhere: SQLSTATE AL001), or anything else
 * (a unique violation from a concurrent append, a lost connection) — nothing of it is written, and
 * each member is registered alone through `register_appeal()`, in arrival order: every member is
 * answered as it is without batching, and only the guilty one fails.
 */
import {
  GroupCommitQueue,
  jsonTextsLiteral,
  type AppendRow,
  type GroupCommitOptions,
  type GroupCommitStats,
  type NewEvent,
  type Queryable,
} from '@appeal-ledger/event-store';
import type { NumberTemplate } from '@appeal-ledger/appeal';

export type RegistrationBatchOptions = GroupCommitOptions;

/** One registration as the statement takes it: the first event is built with a placeholder number. */
export interface RegistrationRequest {
  year: number;
  number: NumberTemplate;
  streamId: string;
  event: NewEvent;
  appealId: string;
  keySubjects: readonly string[];
  wrappedKeys: readonly string[];
}

/** register_appeal()'s answer for one registration. */
export type RegistrationRow = AppendRow & { sequence: number | null };

/**
 * What the batcher has done (for tests and benchmarks): `statements` single register_appeal() calls
 * and batches, `batches` register_appeals_batch() calls that committed, `batched` registrations
 * answered by a batch, `fallbacks` batches that raised and were registered one member at a time.
 */
export type RegistrationBatchStats = GroupCommitStats;

interface BatchRow extends RegistrationRow {
  member: number;
}

const BATCH_SQL = `SELECT member, outcome, stream_revision, last_position, conflicting_event_id, sequence
  FROM register_appeals_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ORDER BY member`;

/** SQLSTATE of a batch with a member that is not plainly fine (registration-counter.ts, migration 3). */
export const BATCH_NOT_PLAINLY_FINE = 'AL001';

export class RegistrationBatcher {
  private readonly queue: GroupCommitQueue<RegistrationRequest, RegistrationRow>;

  /**
   * @param alone registers one through register_appeal() (the path without batching); raises as it does
   */
  constructor(
    private readonly pool: Queryable,
    alone: (request: RegistrationRequest) => Promise<RegistrationRow>,
    options: RegistrationBatchOptions,
  ) {
    this.queue = new GroupCommitQueue<RegistrationRequest, RegistrationRow>(
      'registration batch',
      {
        streamOf: (request) => request.streamId,
        alone,
        // after a lost connection maybe all of a raising batch was written: each member, registered
        // alone next, then meets its own event as a retry and takes no second number
        batch: async (requests) =>
          (await this.batch(requests)).map((row) => ({ ok: true as const, value: row })),
      },
      options,
    );
  }

  get stats(): RegistrationBatchStats {
    return this.queue.stats;
  }

  register(request: RegistrationRequest): Promise<RegistrationRow> {
    return this.queue.submit(request);
  }

  private async batch(requests: readonly RegistrationRequest[]): Promise<BatchRow[]> {
    const { rows } = await this.pool.query<BatchRow>({
      name: 'register_appeals_batch_v1',
      text: BATCH_SQL,
      values: [
        requests.map((r) => r.year),
        requests.map((r) => r.number.parts.length),
        requests.flatMap((r) => r.number.parts),
        requests.flatMap((r) => r.number.widths),
        requests.map((r) => r.streamId),
        requests.map((r) => r.event.id),
        requests.map((r) => r.event.type),
        jsonTextsLiteral(requests.map((r) => r.event.data)),
        jsonTextsLiteral(requests.map((r) => r.event.metadata)),
        requests.map((r) => r.appealId),
        requests.map((r) => r.keySubjects.length),
        requests.flatMap((r) => r.keySubjects),
        requests.flatMap((r) => r.wrappedKeys),
      ],
    });
    if (
      rows.length !== requests.length ||
      rows.some((row, i) => row.member !== i + 1 || row.outcome !== 'ok')
    )
      throw new Error(
        `register_appeals_batch answered ${rows.length} rows for ${requests.length} registrations`,
      );
    return rows;
  }
}

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
import { takeOnePerStream, type AppendRow, type NewEvent, type Queryable } from '@appeal-ledger/event-store';
import type { NumberTemplate } from '@appeal-ledger/appeal';

export interface RegistrationBatchOptions {
  /** most registrations in one statement (≥ 2) */
  maxSize: number;
  /** statements registering at once (≥ 1); registrations beyond them queue and are batched */
  maxInFlight: number;
}

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

/** What the batcher has done (for tests and benchmarks). */
export interface RegistrationBatchStats {
  /** statements sent: single register_appeal() calls and batches */
  statements: number;
  /** register_appeals_batch() calls that committed */
  batches: number;
  /** registrations answered by a batch */
  batched: number;
  /** batches that raised and were registered one member at a time */
  fallbacks: number;
}

interface Pending {
  request: RegistrationRequest;
  resolve(row: RegistrationRow): void;
  reject(error: unknown): void;
}

interface BatchRow extends RegistrationRow {
  member: number;
}

const BATCH_SQL = `SELECT member, outcome, stream_revision, last_position, conflicting_event_id, sequence
  FROM register_appeals_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ORDER BY member`;

/** SQLSTATE of a batch with a member that is not plainly fine (registration-counter.ts, migration 3). */
export const BATCH_NOT_PLAINLY_FINE = 'AL001';

export class RegistrationBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  readonly stats: RegistrationBatchStats = { statements: 0, batches: 0, batched: 0, fallbacks: 0 };

  /**
   * @param alone registers one through register_appeal() (the path without batching); raises as it does
   */
  constructor(
    private readonly pool: Queryable,
    private readonly alone: (request: RegistrationRequest) => Promise<RegistrationRow>,
    private readonly options: RegistrationBatchOptions,
  ) {
    if (!Number.isSafeInteger(options.maxSize) || options.maxSize < 2)
      throw new Error(`registration batch maxSize must be an integer >= 2, got ${options.maxSize}`);
    if (!Number.isSafeInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new Error(`registration batch maxInFlight must be an integer >= 1, got ${options.maxInFlight}`);
  }

  register(request: RegistrationRequest): Promise<RegistrationRow> {
    return new Promise<RegistrationRow>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
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

  /** Up to maxSize queued registrations in arrival order, one per stream; the rest stay queued in order. */
  private take(): Pending[] {
    const { members, rest } = takeOnePerStream(this.queue, this.options.maxSize, (p) => p.request.streamId);
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
      // then meets its own event as a retry and takes no second number). Each member alone, in
      // arrival order: every one is answered as without batching.
      this.stats.fallbacks += 1;
      for (const m of members) await this.one(m);
      return;
    }
    this.stats.batches += 1;
    this.stats.batched += members.length;
    members.forEach((m, i) => m.resolve(rows[i]));
  }

  private async one(m: Pending): Promise<void> {
    try {
      m.resolve(await this.alone(m.request));
    } catch (error) {
      m.reject(error);
    }
  }

  private async batch(members: Pending[]): Promise<BatchRow[]> {
    const requests = members.map((m) => m.request);
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
        requests.map((r) => JSON.stringify(r.event.data)),
        requests.map((r) => JSON.stringify(r.event.metadata)),
        requests.map((r) => r.appealId),
        requests.map((r) => r.keySubjects.length),
        requests.flatMap((r) => r.keySubjects),
        requests.flatMap((r) => r.wrappedKeys),
      ],
    });
    if (rows.length !== members.length || rows.some((row, i) => row.member !== i + 1 || row.outcome !== 'ok'))
      throw new Error(
        `register_appeals_batch answered ${rows.length} rows for ${members.length} registrations`,
      );
    return rows;
  }
}

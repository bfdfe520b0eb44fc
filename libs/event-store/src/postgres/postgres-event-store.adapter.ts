/**
 * The EventStore port over PostgreSQL (`pg`). One round trip per append (`append_events()`), and
 * concurrent appends share one statement and one commit (`append_events_batch()`, append-batcher.ts);
 * readers of `$all` never skip an event (see docs/event-store.md); live subscriptions poll, woken
 * by LISTEN/NOTIFY.
 */
import { Client, Pool, type ClientConfig, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type {
  AllFilter,
  AllSubscription,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllByStreamOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { isLeanRead, METADATA_NOT_READ, RECORDED_AT_NOT_READ } from '../event-store.port';
import { UUID_PATTERN } from '../deterministic-event-id.util';
import { runMigrations, type AppliedMigration } from './migrations.runner';
import { EVENT_STORE_MIGRATIONS_TABLE, eventStoreMigrations } from './migrations/event-store.migrations';
import { toEventStoreError } from './pg-error.mapper';
import { PostgresAllSubscription, type EventPage } from './postgres-all.subscription';
import { SharedTail } from './shared-tail';
import { jsonTextsLiteral } from './json-texts-literal';
import {
  AppendBatcher,
  DEFAULT_APPEND_BATCH,
  type AppendBatchOptions,
  type AppendBatchStats,
} from './append-batcher';
import { PostgresNotificationListener } from './postgres-notification.listener';

/** Channel of the wake-ups; the payload is the last appended position. */
export const EVENTS_NOTIFY_CHANNEL = 'appeal_ledger_events';
/** The session that sends the wake-ups; it never appends (the readers' boundary relies on that). */
export const NOTIFIER_APPLICATION_NAME = 'appeal-ledger-notifier';
/**
 * The sessions that write read models (projections' live batches, rebuilds, retries); they never
 * append events, so the readers' boundary does not wait for their transactions (migration 7): a
 * read model's transaction held up (a lock, a slow statement) holds back no other reader.
 */
export const READ_MODEL_APPLICATION_NAME = 'appeal-ledger-read-model';

export interface PostgresEventStoreOptions {
  /** pool size when the adapter creates its pool from a connection string; default 20 */
  poolSize?: number;
  /** live subscriptions poll this often without a notification; default 500 ms */
  pollIntervalMs?: number;
  /** events per catch-up read of a subscription; default 500 */
  pageSize?: number;
  /** connection of the LISTEN client; default: the pool's settings */
  listenConnection?: string | ClientConfig;
  /** told about LISTEN connection failures (it reconnects by itself) */
  onListenerError?: (error: unknown) => void;
  /**
   * Group commit of concurrent appends (append-batcher.ts): `false` sends every append alone;
   * default on, up to 64 appends per statement, 2 statements appending at once.
   */
  appendBatch?: Partial<AppendBatchOptions> | false;
}

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
  recorded_at: Date;
}

/** A lean read's row, in FOLD_COLUMNS' order (read as arrays: no object built per row). */
type FoldEventRow = [
  position: string,
  stream_id: string,
  revision: string,
  event_id: string,
  type: string,
  data: JsonObject,
];

export interface AppendRow {
  outcome: 'ok' | 'retry' | 'wrong_revision' | 'duplicate';
  stream_revision: string | null;
  last_position: string | null;
  conflicting_event_id: string | null;
}

/** A pool or one of its clients (inside a transaction). */
export interface Queryable {
  query<R extends QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>>;
}

const EXPECTED_CODE = { no_stream: -1, any: -2, stream_exists: -3 } as const;
/** append_events()'s code of an expected revision. */
export const expectedCode = (expected: ExpectedRevision): number =>
  typeof expected === 'number' ? expected : EXPECTED_CODE[expected];

/**
 * The result of an append_events() row (also for a function that appends through it, e.g. the
 * registration's): written, a retry of stored ids, or the store's error.
 */
export function appendOutcome(
  row: AppendRow,
  streamId: string,
  expected: ExpectedRevision,
  events: readonly NewEvent[],
): AppendResult & { written: boolean } {
  const result = { nextExpectedRevision: Number(row.stream_revision), position: Number(row.last_position) };
  switch (row.outcome) {
    case 'ok':
      return { ...result, written: true };
    case 'retry':
      return { ...result, written: false };
    case 'wrong_revision':
      throw new WrongExpectedRevisionError(streamId, expected, Number(row.stream_revision));
    case 'duplicate':
      throw new DuplicateEventIdError(streamId, row.conflicting_event_id ?? events[0].id);
  }
}

/** The store's error for a failed append_events() call. */
export function appendFailure(error: unknown, streamId: string, events: readonly NewEvent[]): unknown {
  // The id was appended to another stream concurrently (the in-function check could not see it yet).
  const pgError = error as { code?: string; constraint?: string; detail?: string };
  if (pgError.code === '23505' && pgError.constraint === 'events_event_id_key') {
    const id = /\(event_id\)=\(([^)]+)\)/.exec(pgError.detail ?? '')?.[1] ?? events[0].id;
    return new DuplicateEventIdError(streamId, id);
  }
  return toEventStoreError(error, `appending to ${streamId}`);
}

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';
/** what a lean read (`fields: 'fold'`) selects */
const FOLD_COLUMNS = 'position, stream_id, revision, event_id, type, data';

/**
 * The no-skip rule: `$all` readers return only events of transactions older than the oldest one
 * still in flight. append_events() hands out positions in transaction-id order, so that set is
 * always a gap-free prefix of `$all` (a later commit cannot land below what was read). The
 * Marten/Emmett technique; a scalar subquery so it is computed once, from the statement's snapshot.
 * The boundary skips transactions seen running in other databases of the cluster (migration 3).
 *
 * `position <= $n` (the highest head this adapter has answered: a gap-free prefix once visible stays
 * visible) keeps every read at or past what was answered before, when the boundary steps back for a
 * moment — it counts as running a transaction that ended between its snapshot and its look at
 * pg_stat_activity (safe: it cannot tell that transaction's database any more) — so a reader never
 * sees fewer events than a head it was told.
 */
const VISIBLE_TO_READERS = '(position <= $5 OR tx_id < (SELECT events_visible_boundary()))';
const MATCHES_FILTER =
  '($3::text[] IS NULL OR stream_id LIKE ANY ($3::text[])) AND ($4::text[] IS NULL OR type = ANY ($4::text[]))';
const HEAD = `SELECT greatest($1::bigint, coalesce((SELECT position FROM events WHERE position > $1 AND tx_id < (SELECT events_visible_boundary()) ORDER BY position DESC LIMIT 1), 0)) AS head`;

const SQL = {
  append:
    'SELECT outcome, stream_revision, last_position, conflicting_event_id FROM append_events($1, $2, $3, $4, $5, $6)',
  // One round trip: the page, and whether the stream exists at all (an empty page is not "not found").
  readStreamForwards: `SELECT s.found, p.* FROM (SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = $1) AS found) s
    LEFT JOIN LATERAL (SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3) p ON true
    ORDER BY p.revision`,
  readStreamBackwards: `SELECT s.found, p.* FROM (SELECT EXISTS (SELECT 1 FROM events WHERE stream_id = $1) AS found) s
    LEFT JOIN LATERAL (SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3) p ON true
    ORDER BY p.revision DESC`,
  readStreams: `SELECT ${COLUMNS} FROM events WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id, revision`,
  // one index range per stream, from its revision on
  readStreamsFrom: `SELECT e.* FROM unnest($1::text[], $2::bigint[]) AS s(stream_id, from_revision)
    JOIN LATERAL (SELECT ${COLUMNS} FROM events WHERE stream_id = s.stream_id AND revision >= s.from_revision ORDER BY revision) e ON true
    ORDER BY e.stream_id, e.revision`,
  // by the unique index on event_id
  readEvent: `SELECT ${COLUMNS} FROM events WHERE event_id = $1 AND stream_id = $2`,
  readAllForwards: `SELECT ${COLUMNS} FROM events WHERE position > $1 AND ${VISIBLE_TO_READERS} AND ${MATCHES_FILTER} ORDER BY position LIMIT $2`,
  readAllBackwards: `SELECT ${COLUMNS} FROM events WHERE position > $1 AND ${VISIBLE_TO_READERS} AND ${MATCHES_FILTER} ORDER BY position DESC LIMIT $2`,
  // the lean reads (fields: 'fold'): neither metadata nor recorded_at is sent or parsed
  readAllForwardsFold: `SELECT ${FOLD_COLUMNS} FROM events WHERE position > $1 AND ${VISIBLE_TO_READERS} AND ${MATCHES_FILTER} ORDER BY position LIMIT $2`,
  readAllBackwardsFold: `SELECT ${FOLD_COLUMNS} FROM events WHERE position > $1 AND ${VISIBLE_TO_READERS} AND ${MATCHES_FILTER} ORDER BY position DESC LIMIT $2`,
  // keyset pages on the unique (stream_id, revision) index; every position ≤ $1 (a head answered
  // before) is committed and visible, so no boundary is needed
  readAllByStreamFirst: `SELECT ${COLUMNS} FROM events WHERE position <= $1 ORDER BY stream_id, revision LIMIT $2`,
  readAllByStreamAfter: `SELECT ${COLUMNS} FROM events WHERE (stream_id, revision) > ($3, $4) AND position <= $1
    ORDER BY stream_id, revision LIMIT $2`,
  // the lean read (fields: 'fold'): neither metadata nor recorded_at is sent or parsed
  readAllByStreamFoldFirst: `SELECT ${FOLD_COLUMNS} FROM events WHERE position <= $1 ORDER BY stream_id, revision LIMIT $2`,
  readAllByStreamFoldAfter: `SELECT ${FOLD_COLUMNS} FROM events WHERE (stream_id, revision) > ($3, $4) AND position <= $1
    ORDER BY stream_id, revision LIMIT $2`,
  head: HEAD,
  // One statement, one snapshot: the page and the head it was read against.
  // The boundary is computed once for both (it reads pg_stat_activity when transactions are in flight).
  readPage: `WITH b AS MATERIALIZED (SELECT events_visible_boundary() AS x),
             page AS (SELECT ${COLUMNS} FROM events WHERE position > $1 AND (position <= $5 OR tx_id < (SELECT x FROM b)) AND ${MATCHES_FILTER} ORDER BY position LIMIT $2)
             SELECT h.head, page.* FROM (SELECT greatest($5::bigint, coalesce((SELECT position FROM events WHERE position > $5 AND tx_id < (SELECT x FROM b) ORDER BY position DESC LIMIT 1), 0)) AS head) h
             LEFT JOIN page ON true ORDER BY page.position`,
} as const;

export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly listener: PostgresNotificationListener;
  private readonly notifier: CommitNotifier;
  private readonly subscriptions = new Set<PostgresAllSubscription>();
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private closed = false;
  /** the highest head answered by headPosition() */
  private visibleHead = 0;
  /** the live subscriptions' shared window on the newest events (one read per wake-up for all) */
  private readonly tail: SharedTail;
  /** group commit of concurrent appends; undefined when switched off */
  private readonly batcher: AppendBatcher | undefined;

  /**
   * @param pool the app's pool (left open by close()), or a connection string (the adapter then
   *   owns its pool and close() ends it)
   */
  constructor(pool: Pool | string, options: PostgresEventStoreOptions = {}) {
    if (typeof pool === 'string') {
      this.pool = new Pool({
        connectionString: pool,
        max: options.poolSize ?? 20,
        keepAlive: true,
        connectionTimeoutMillis: 10_000,
      });
      // An idle client's failure must not crash the process; the next query reports it.
      this.pool.on('error', () => undefined);
      this.ownsPool = true;
    } else {
      this.pool = pool;
      this.ownsPool = false;
    }
    const listenConfig =
      typeof options.listenConnection === 'string'
        ? { connectionString: options.listenConnection }
        : (options.listenConnection ?? { ...this.pool.options, keepAlive: true });
    this.listener = new PostgresNotificationListener(
      listenConfig,
      EVENTS_NOTIFY_CHANNEL,
      options.onListenerError,
    );
    this.notifier = new CommitNotifier(
      { ...listenConfig, application_name: NOTIFIER_APPLICATION_NAME },
      EVENTS_NOTIFY_CHANNEL,
    );
    this.pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 500, 'pollIntervalMs');
    this.pageSize = positiveInteger(options.pageSize ?? 500, 'pageSize');
    this.tail = new SharedTail((after, limit, filter) => this.readPage(after, limit, filter), this.pageSize);
    this.batcher =
      options.appendBatch === false
        ? undefined
        : new AppendBatcher(
            this.pool,
            (streamId, events, expected) => this.appendWith(this.pool, streamId, events, expected),
            (position) => this.appended(position),
            { ...DEFAULT_APPEND_BATCH, ...options.appendBatch },
          );
  }

  /** What group commit has done so far (undefined when it is off). */
  appendBatchStats(): AppendBatchStats | undefined {
    return this.batcher ? { ...this.batcher.stats } : undefined;
  }

  /** Creates or updates the event store's schema (idempotent; safe when several processes start at once). */
  async migrate(): Promise<AppliedMigration[]> {
    this.assertOpen();
    try {
      return await runMigrations(this.pool, {
        table: EVENT_STORE_MIGRATIONS_TABLE,
        migrations: eventStoreMigrations,
      });
    } catch (error) {
      throw toEventStoreError(error, 'migrating the event store schema');
    }
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events, expected);
    if (this.batcher) {
      // the batcher wakes subscribers once per statement that wrote
      const { written: _written, ...batched } = await this.batcher.append(streamId, events, expected);
      return batched;
    }
    const { written, ...result } = await this.appendWith(this.pool, streamId, events, expected);
    if (written) this.notifier.notify(result.position);
    return result;
  }

  /**
   * Appends inside the caller's transaction on `client` (a session of this store's database that has
   * run BEGIN), so other rows can commit or roll back with the events. The append must be the
   * transaction's first write (append_events() takes the transaction id with the positions; see
   * docs/event-store.md). `written` is false for a retry (every id already stored: nothing written).
   * After COMMIT, call `appended(position)` to wake subscribers.
   */
  async appendInTransaction(
    client: Queryable,
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult & { written: boolean }> {
    this.assertOpen();
    validateAppend(streamId, events, expected);
    return this.appendWith(client, streamId, events, expected);
  }

  /** Wakes subscribers after the caller committed an appendInTransaction(). */
  appended(position: number): void {
    if (!this.closed) this.notifier.notify(position);
  }

  private async appendWith(
    client: Queryable,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult & { written: boolean }> {
    let row: AppendRow;
    try {
      const result = await client.query<AppendRow>({
        name: 'event_store_append',
        text: SQL.append,
        values: [
          streamId,
          expectedCode(expected),
          events.map((e) => e.id),
          events.map((e) => e.type),
          jsonTextsLiteral(events.map((e) => e.data)),
          jsonTextsLiteral(events.map((e) => e.metadata)),
        ],
      });
      row = result.rows[0];
    } catch (error) {
      throw appendFailure(error, streamId, events);
    }
    return appendOutcome(row, streamId, expected, events);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    nonNegativeInteger(from, 'fromRevision');
    const maxCount = options.maxCount === undefined ? null : nonNegativeInteger(options.maxCount, 'maxCount');
    try {
      const { rows } = await this.pool.query<EventRow & { found: boolean }>({
        name: backwards ? 'event_store_read_stream_backwards_v2' : 'event_store_read_stream_forwards_v2',
        text: backwards ? SQL.readStreamBackwards : SQL.readStreamForwards,
        values: [streamId, from, maxCount],
      });
      if (!rows[0]?.found) throw new StreamNotFoundError(streamId);
      return rows.filter((r) => r.event_id !== null).map(toRecordedEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw error;
      throw toEventStoreError(error, `reading stream ${streamId}`);
    }
  }

  async readEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    // event_id is a uuid column: anything else is no id of a stored event
    if (!UUID_PATTERN.test(eventId)) return undefined;
    try {
      const { rows } = await this.pool.query<EventRow>({
        name: 'event_store_read_event_v1',
        text: SQL.readEvent,
        values: [eventId, streamId],
      });
      return rows[0] ? toRecordedEvent(rows[0]) : undefined;
    } catch (error) {
      throw toEventStoreError(error, `reading event ${eventId} of stream ${streamId}`);
    }
  }

  /** Every event of several streams in one read (missing streams are simply absent from the map). */
  async readStreams(streamIds: string[], fromRevisions?: number[]): Promise<Map<string, RecordedEvent[]>> {
    this.assertOpen();
    const out = new Map<string, RecordedEvent[]>();
    if (streamIds.length === 0) return out;
    if (fromRevisions && fromRevisions.length !== streamIds.length)
      throw new RangeError(`readStreams: ${fromRevisions.length} revisions for ${streamIds.length} streams`);
    fromRevisions?.forEach((r) => nonNegativeInteger(r, 'fromRevision'));
    try {
      const { rows } = await this.pool.query<EventRow>(
        fromRevisions
          ? {
              name: 'event_store_read_streams_from_v1',
              text: SQL.readStreamsFrom,
              values: [streamIds, fromRevisions],
            }
          : { text: SQL.readStreams, values: [streamIds] },
      );
      for (const row of rows) {
        const list = out.get(row.stream_id) ?? [];
        list.push(toRecordedEvent(row));
        out.set(row.stream_id, list);
      }
      return out;
    } catch (error) {
      throw toEventStoreError(error, `reading ${streamIds.length} streams`);
    }
  }

  readRecent(
    after: number,
    before: number,
    filter?: AllFilter,
    maxCount?: number,
  ): Promise<RecordedEvent[] | undefined> {
    this.assertOpen();
    return this.tail.recent(after, before, filter, maxCount);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const after = nonNegativeInteger(options.after ?? 0, 'after');
    const maxCount = options.maxCount === undefined ? null : nonNegativeInteger(options.maxCount, 'maxCount');
    const lean = isLeanRead(options.fields);
    try {
      if (lean) {
        const { rows } = await this.pool.query<FoldEventRow>({
          name: backwards
            ? 'event_store_read_all_backwards_fold_v2'
            : 'event_store_read_all_forwards_fold_v2',
          text: backwards ? SQL.readAllBackwardsFold : SQL.readAllForwardsFold,
          values: [after, maxCount, ...filterValues(options.filter), this.visibleHead],
          rowMode: 'array',
        });
        return rows.map(toFoldEvent);
      }
      const { rows } = await this.pool.query<EventRow>({
        name: backwards ? 'event_store_read_all_backwards_v2' : 'event_store_read_all_forwards_v2',
        text: backwards ? SQL.readAllBackwards : SQL.readAllForwards,
        values: [after, maxCount, ...filterValues(options.filter), this.visibleHead],
      });
      return rows.map(toRecordedEvent);
    } catch (error) {
      throw toEventStoreError(error, 'reading $all');
    }
  }

  async readAllByStream(options: ReadAllByStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const upTo = nonNegativeInteger(options.upTo, 'upTo');
    const maxCount = nonNegativeInteger(options.maxCount, 'maxCount');
    const { after } = options;
    if (after) nonNegativeInteger(after.revision, 'after.revision');
    const lean = isLeanRead(options.fields);
    try {
      if (lean) {
        const { rows } = await this.pool.query<FoldEventRow>(
          after
            ? {
                name: 'event_store_read_all_by_stream_fold_after_v1',
                text: SQL.readAllByStreamFoldAfter,
                values: [upTo, maxCount, after.streamId, after.revision],
                rowMode: 'array',
              }
            : {
                name: 'event_store_read_all_by_stream_fold_v1',
                text: SQL.readAllByStreamFoldFirst,
                values: [upTo, maxCount],
                rowMode: 'array',
              },
        );
        return rows.map(toFoldEvent);
      }
      const { rows } = await this.pool.query<EventRow>(
        after
          ? {
              name: 'event_store_read_all_by_stream_after_v1',
              text: SQL.readAllByStreamAfter,
              values: [upTo, maxCount, after.streamId, after.revision],
            }
          : {
              name: 'event_store_read_all_by_stream_v1',
              text: SQL.readAllByStreamFirst,
              values: [upTo, maxCount],
            },
      );
      return rows.map(toRecordedEvent);
    } catch (error) {
      throw toEventStoreError(error, 'reading $all in stream order');
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<{ head: string }>({
        name: 'event_store_head_v2',
        text: SQL.head,
        values: [this.visibleHead],
      });
      // The boundary can step back for a moment (a transaction of another database ends between the
      // snapshot and the activity view: it is then counted as in flight, which is safe). A prefix once
      // visible stays visible, so the head this store has answered never goes back.
      this.visibleHead = Math.max(this.visibleHead, Number(rows[0].head));
      return this.visibleHead;
    } catch (error) {
      throw toEventStoreError(error, 'reading the head position');
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = new PostgresAllSubscription(
      {
        readPage: (after, limit, filter) => this.tail.readPage(after, limit, filter),
        listen: (wake) =>
          this.listener.add((payload) => {
            this.tail.woken();
            wake(payload);
          }),
      },
      {
        after: nonNegativeInteger(options.after ?? 0, 'after'),
        filter: options.filter,
        pageSize: this.pageSize,
        pollIntervalMs: this.pollIntervalMs,
      },
      (stopped) => this.subscriptions.delete(stopped),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Stops every subscription and the LISTEN client; ends the pool only if the adapter created it. */
  async close(): Promise<void> {
    if (this.closed) return;
    // stop() marks a subscription stopped at once, before it is refused a read as "closed".
    const stopping = [...this.subscriptions].map((s) => s.stop());
    this.closed = true;
    await Promise.all(stopping);
    await this.listener.close();
    await this.notifier.close();
    if (this.ownsPool) await this.pool.end();
  }

  private async readPage(after: number, limit: number, filter: AllFilter | undefined): Promise<EventPage> {
    this.assertOpen();
    try {
      const { rows } = await this.pool.query<{ head: string } & Partial<EventRow>>({
        name: 'event_store_read_page_v2',
        text: SQL.readPage,
        values: [after, limit, ...filterValues(filter), this.visibleHead],
      });
      const events = rows
        .filter(
          (row): row is { head: string } & EventRow => row.position !== undefined && row.position !== null,
        )
        .map(toRecordedEvent);
      const head = Number(rows[0].head);
      this.visibleHead = Math.max(this.visibleHead, head);
      return { events, head };
    } catch (error) {
      throw toEventStoreError(error, 'reading $all for a subscription');
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
  }
}

/**
 * Wakes subscribers (in every process) after appends commit. Not inside append_events(): see the
 * note there. Coalesced: one NOTIFY in flight, carrying the latest position. Best effort: a lost
 * wake-up costs at most one poll interval.
 */
class CommitNotifier {
  private latest = 0;
  private sent = 0;
  private flushing: Promise<void> | undefined;
  private client: Client | undefined;
  private closed = false;

  /**
   * Its own session, named NOTIFIER_APPLICATION_NAME: NOTIFY takes a transaction id, and readers must
   * not wait for this session's transactions as if they could hold events (see migration 3).
   */
  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
  ) {}

  notify(position: number): void {
    if (this.closed) return;
    this.latest = Math.max(this.latest, position);
    this.flushing ??= this.flush();
  }

  async close(): Promise<void> {
    await this.flushing;
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async session(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client(this.config);
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async flush(): Promise<void> {
    try {
      while (this.sent < this.latest && !this.closed) {
        const position = this.latest;
        const client = await this.session();
        await client.query({
          name: 'event_store_notify',
          text: 'SELECT pg_notify($1, $2)',
          values: [this.channel, String(position)],
        });
        this.sent = position;
      }
    } catch {
      // Subscribers fall back to polling; the next append notifies again (on a new session).
      const broken = this.client;
      this.client = undefined;
      void broken?.end().catch(() => undefined);
    } finally {
      this.flushing = undefined;
    }
  }
}

function validateAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId === '')
    throw new Error('stream id must be a non-empty string');
  if (events.length === 0) throw new Error(`nothing to append to ${streamId}: pass one or more events`);
  if (typeof expected === 'number') nonNegativeInteger(expected, 'expected revision');
  else if (!(expected in EXPECTED_CODE)) {
    throw new Error(
      `expected revision "${String(expected)}" is not allowed; allowed: no_stream, any, stream_exists, a revision >= 0`,
    );
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID_PATTERN.test(event.id)) throw new Error(`event id "${event.id}" (${event.type}) is not a UUID`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new DuplicateEventIdError(streamId, event.id);
    ids.add(id);
  }
}

function filterValues(filter: AllFilter | undefined): [string[] | null, string[] | null] {
  const prefixes = filter?.streamPrefixes?.length
    ? filter.streamPrefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`)
    : null;
  const types = filter?.eventTypes?.length ? filter.eventTypes : null;
  return [prefixes, types];
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    type: row.type,
    revision: Number(row.revision),
    position: Number(row.position),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

/** An event of a lean read: the port's placeholders for what was not read. */
function toFoldEvent([position, streamId, revision, id, type, data]: FoldEventRow): RecordedEvent {
  return {
    id,
    streamId,
    type,
    revision: Number(revision),
    position: Number(position),
    data,
    metadata: METADATA_NOT_READ,
    recordedAt: RECORDED_AT_NOT_READ,
  };
}

function nonNegativeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${what} must be an integer >= 0, got ${value}`);
  return value;
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${what} must be an integer >= 1, got ${value}`);
  return value;
}

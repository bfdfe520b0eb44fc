/**
 * The event store port: what the engine needs from any store of events (PostgreSQL, EventStoreDB).
 * Every adapter passes the one contract suite in `testing/event-store.contract.ts`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Expected revision of a stream when appending:
 * - `no_stream`: the stream must not exist yet;
 * - `any`: no check;
 * - `stream_exists`: the stream must exist (any revision);
 * - a number: the revision of the stream's last event (revisions are contiguous from 0).
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

/** Metadata every engine event carries; adapters store it unchanged (extra keys allowed). */
export interface EventMetadata extends JsonObject {
  /** business time of the fact (ISO instant or date), set by the command */
  occurredAt: string;
  actor: { id: string; name: string };
  commandId: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
}

export interface NewEvent {
  /** deterministic UUID: a retried append with the same ids writes nothing new */
  id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  type: string;
  /** position inside the stream, contiguous from 0 */
  revision: number;
  /** global position in `$all`, strictly increasing in read order */
  position: number;
  data: JsonObject;
  metadata: EventMetadata;
  /** when the store recorded it */
  recordedAt: Date;
}

export interface AppendResult {
  /** revision of the stream's last event after the append */
  nextExpectedRevision: number;
  /** global position of the last appended event */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** inclusive; forwards default 0, backwards default the end */
  fromRevision?: number;
  maxCount?: number;
}

export interface AllFilter {
  /** only streams whose id starts with one of these */
  streamPrefixes?: string[];
  /** only these event types */
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** exclusive: events with position > after; default: from the start */
  after?: number;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
  filter?: AllFilter;
  /**
   * `'all'` (default): every field of each event. `'fold'`: the lean read of a replay whose folds
   * read of an event only its id, stream, revision, position, type and data (a projection's
   * catch-up): every event's `metadata` is `METADATA_NOT_READ` and its `recordedAt`
   * `RECORDED_AT_NOT_READ`, as for `readAllByStream`.
   */
  fields?: 'all' | 'fold';
}

export interface ReadAllByStreamOptions {
  /** the events with position ≤ upTo only: a head this store answered (headPosition), so all are committed */
  upTo: number;
  /** exclusive: the events after this one in (stream id, revision) order; default from the first stream */
  after?: { streamId: string; revision: number };
  maxCount: number;
  /**
   * `'all'` (default): every field of each event. `'fold'`: the lean read of a rebuild whose folds
   * read of an event only its id, stream, revision, position, type and data — the store neither
   * reads nor parses the rest: every event's `metadata` is the placeholder `METADATA_NOT_READ` and
   * its `recordedAt` is `RECORDED_AT_NOT_READ` (the epoch). Ask for it only on behalf of code that
   * never looks at either (libs/projections: projections with `foldsFromDataAlone`).
   */
  fields?: 'all' | 'fold';
}

/**
 * The `metadata` of every event of a lean read (`fields: 'fold'`): not the event's, which was not
 * read. Frozen; `notRead: true` marks it for anyone who logs it.
 */
export const METADATA_NOT_READ: EventMetadata = Object.freeze({
  occurredAt: '1970-01-01T00:00:00.000Z',
  actor: Object.freeze({ id: 'metadata-not-read', name: 'metadata not read' }),
  commandId: 'metadata-not-read',
  correlationId: 'metadata-not-read',
  causationId: 'metadata-not-read',
  schemaVersion: 0,
  notRead: true,
});

/**
 * The `recordedAt` of every event of a lean read (`fields: 'fold'`): the epoch, not when the store
 * recorded it. One instance shared by all those events: never mutate it.
 */
export const RECORDED_AT_NOT_READ: Date = new Date(0);

/** Whether a read's `fields` asks for the lean read; anything but 'all', 'fold' or nothing is refused. */
export function isLeanRead(fields: 'all' | 'fold' | undefined): boolean {
  if (fields !== undefined && fields !== 'all' && fields !== 'fold')
    throw new Error(`fields must be 'all' or 'fold', got ${String(fields)}`);
  return fields === 'fold';
}

export interface SubscribeToAllOptions {
  /** exclusive: deliver events with position > after; default: from the start */
  after?: number;
  filter?: AllFilter;
}

/**
 * A catch-up then live subscription to `$all`. Iterate it with `for await`; the next event is read
 * only when the consumer asks for it (back-pressure). `stop()` ends the iteration.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  stop(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically. Throws WrongExpectedRevisionError when the expectation fails.
   * If every event id is already stored in this stream (a retry), nothing is written and the
   * original result is returned, whatever the expected revision.
   */
  append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;

  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * The event with this id in this stream, or undefined when the stream holds none (a missing stream
   * included) — without reading the stream when the id is not in it.
   */
  readEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined>;

  /**
   * Optional: every event of several streams at once (a batch warm-up of caches), or — with
   * `fromRevisions`, one per stream — the events from that revision on (a batch catch-up of cached
   * folds). Streams without such events are absent from the map. Adapters without it are read
   * stream by stream.
   */
  readStreams?(streamIds: string[], fromRevisions?: number[]): Promise<Map<string, RecordedEvent[]>>;

  /**
   * Optional: the events after `after` and before `before` matching `filter` (at most `maxCount`),
   * answered from the store's memory of the newest events (refreshed by one read shared with the
   * live subscriptions when it ends short of the range) — undefined when it cannot hold all of them
   * (read `$all` then). The same events as `readAll` would give for that range.
   */
  readRecent?(
    after: number,
    before: number,
    filter?: AllFilter,
    maxCount?: number,
  ): Promise<RecordedEvent[] | undefined>;

  /** Reads `$all` in position order. Never returns an event past one that may still commit. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * Optional: the events of `$all` up to `upTo` in stream order — by stream id (the store's own order
   * of ids), each stream's events by revision — at most `maxCount` after `after` (keyset pages). For
   * a rebuild that folds each stream whole (libs/projections, `foldsPerStream`); adapters without it
   * are rebuilt in position order. `fields: 'fold'` leaves out metadata and recordedAt (placeholders).
   */
  readAllByStream?(options: ReadAllByStreamOptions): Promise<RecordedEvent[]>;

  /** Position of the last event readers may see (0 when empty). */
  headPosition(): Promise<number>;

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  close(): Promise<void>;
}

/** DI token for the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

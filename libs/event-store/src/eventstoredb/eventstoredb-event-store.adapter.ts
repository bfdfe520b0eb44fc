/**
 * The EventStore port on EventStoreDB / KurrentDB through `@eventstore/db-client` (gRPC). Selected when
 * `EVENTSTORE_URL` is set; the connection string (single node or cluster gossip seeds) is passed to the
 * client unchanged. Read models stay in PostgreSQL.
 */
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  isLeanRead,
  METADATA_NOT_READ,
  RECORDED_AT_NOT_READ,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import {
  DEFAULT_RESUBSCRIBE,
  EventStoreDbAllSubscription,
  type ResubscribePolicy,
} from './eventstoredb-all-subscription.adapter';
import { mapEsdbError } from './eventstoredb-errors.mapper';
import { UUID_PATTERN } from '../deterministic-event-id.util';
import {
  CLAIM_EVENT_TYPE,
  CLAIM_STREAM_PREFIX,
  StreamScope,
  claimStreamOf,
  matchesFilter,
  toEsdbPosition,
  toPortPosition,
  toRecorded,
} from './eventstoredb-records.mapper';

export interface EventStoreDbOptions {
  /**
   * Prefix of every stream this store writes and reads (`<namespace><streamId>`), stripped on read. Keeps
   * several engines, or test runs, apart on one EventStoreDB. Default: none (every non-system stream).
   */
  namespace?: string;
  /** events per `$all` page when reads filter on the client side (default 512) */
  readPageSize?: number;
  /** how a dropped subscription is resumed (default 8 attempts, 100 ms doubling to 5 s) */
  resubscribe?: ResubscribePolicy;
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
        throw new Error(
          `expected revision "${String(expected)}" is not allowed; allowed: no_stream, any, stream_exists, a revision >= 0`,
        );
      }
      return BigInt(expected);
  }
}

function validateAppend(streamId: string, events: NewEvent[]): void {
  if (typeof streamId !== 'string' || streamId === '')
    throw new Error('stream id must be a non-empty string');
  if (streamId.startsWith(CLAIM_STREAM_PREFIX) || streamId.startsWith('$')) {
    throw new Error(
      `stream id "${streamId}" is reserved: ids starting with "$" or "${CLAIM_STREAM_PREFIX}" are not allowed`,
    );
  }
  if (events.length === 0) throw new Error(`nothing to append to ${streamId}: pass one or more events`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID_PATTERN.test(event.id)) throw new Error(`event id "${event.id}" (${event.type}) is not a UUID`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new DuplicateEventIdError(streamId, event.id);
    ids.add(id);
  }
}

function nonNegativeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${what} must be an integer >= 0, got ${value}`);
  return value;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly scope: StreamScope;
  private readonly pageSize: number;
  private readonly resubscribe: ResubscribePolicy;
  private readonly subscriptions = new Set<EventStoreDbAllSubscription>();
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions = {},
  ) {
    this.scope = new StreamScope(options.namespace ?? '');
    this.pageSize = options.readPageSize ?? 512;
    this.resubscribe = options.resubscribe ?? DEFAULT_RESUBSCRIBE;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events);
    const expectedRevision = toEsdbExpected(expected);
    try {
      return await this.appendChecked(streamId, events, expected, expectedRevision);
    } catch (error) {
      throw error instanceof DuplicateEventIdError || error instanceof WrongExpectedRevisionError
        ? error
        : mapEsdbError(error, { streamId, expected });
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    if (options.fromRevision !== undefined) nonNegativeInteger(options.fromRevision, 'fromRevision');
    if (options.maxCount !== undefined) nonNegativeInteger(options.maxCount, 'maxCount');
    if (options.maxCount === 0) {
      // nothing to read, but a missing stream is still an error
      await this.readStream(streamId, { ...options, maxCount: 1 });
      return [];
    }
    try {
      const resolved = await collect<ResolvedEvent>(
        this.client.readStream(this.scope.toEsdb(streamId), {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision:
            options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
          ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
        }),
      );
      return resolved.map((r) => this.toStreamRecord(r, streamId));
    } catch (error) {
      throw mapEsdbError(error, { streamId });
    }
  }

  /**
   * EventStoreDB has no index by event id, but every stored id has its claim (see `claim`): an id this
   * stream never claimed costs one read of one event. A claimed one is looked for from the stream's end
   * backwards, a page at a time (a command's events are usually among the latest).
   */
  async readEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined> {
    this.assertOpen();
    if ((await this.claimOwner(eventId)) !== streamId) return undefined;
    const page = 32;
    let fromRevision: number | undefined;
    for (;;) {
      let events: RecordedEvent[];
      try {
        events = await this.readStream(streamId, { direction: 'backwards', fromRevision, maxCount: page });
      } catch (error) {
        if (error instanceof StreamNotFoundError) return undefined;
        throw error;
      }
      const found = events.find((e) => e.id.toLowerCase() === eventId.toLowerCase());
      if (found) return found;
      const oldest = events[events.length - 1];
      if (events.length < page || !oldest || oldest.revision === 0) return undefined;
      fromRevision = oldest.revision - 1;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit =
      options.maxCount === undefined
        ? Number.POSITIVE_INFINITY
        : nonNegativeInteger(options.maxCount, 'maxCount');
    const after = options.after === undefined ? undefined : nonNegativeInteger(options.after, 'after');
    // the lean read: metadata and recordedAt come with every event here, so the placeholders are
    // only for the port's promise (the same events whichever store answers)
    const shaped = isLeanRead(options.fields)
      ? (record: RecordedEvent): RecordedEvent => ({
          ...record,
          metadata: METADATA_NOT_READ,
          recordedAt: RECORDED_AT_NOT_READ,
        })
      : (record: RecordedEvent): RecordedEvent => record;
    const out: RecordedEvent[] = [];
    if (limit <= 0) return out;
    try {
      if (options.direction === 'backwards') {
        for await (const record of this.scanBackwards()) {
          if (after !== undefined && record.position <= after) break;
          if (!matchesFilter(options.filter, record.streamId, record.type)) continue;
          out.push(shaped(record));
          if (out.length >= limit) break;
        }
        return out;
      }
      for await (const record of this.scanForwards(after)) {
        if (!matchesFilter(options.filter, record.streamId, record.type)) continue;
        out.push(shaped(record));
        if (out.length >= limit) break;
      }
      return out;
    } catch (error) {
      throw mapEsdbError(error);
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    try {
      // the newest event of this store; system events (stats, scavenges, users) can follow it
      for await (const record of this.scanBackwards()) return record.position;
      return 0;
    } catch (error) {
      throw mapEsdbError(error);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    if (options.after !== undefined) nonNegativeInteger(options.after, 'after');
    const subscription = new EventStoreDbAllSubscription(
      this.client,
      this.scope,
      options,
      this.resubscribe,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Stops every subscription and closes the client's streams. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
  }

  /** This store's `$all` events, oldest first, strictly after `after` (client-side scope filter, paged). */
  private async *scanForwards(after: number | undefined): AsyncGenerator<RecordedEvent> {
    // reads from a position include the event at it: skip it, the port's `after` is exclusive
    let from: bigint | undefined = after === undefined || after <= 0 ? undefined : BigInt(after);
    for (;;) {
      const page = await collect<AllStreamResolvedEvent>(
        this.client.readAll({
          fromPosition: from === undefined ? START : toEsdbPosition(Number(from)),
          maxCount: this.pageSize,
        }),
      );
      let last: bigint | undefined;
      for (const resolved of page) {
        const commit = resolved.event?.position.commit;
        if (commit === undefined || (from !== undefined && commit <= from)) continue;
        last = commit;
        const record = toRecorded(resolved, this.scope);
        if (record) yield record;
      }
      if (page.length < this.pageSize || last === undefined) return;
      from = last;
    }
  }

  /** This store's `$all` events, newest first. */
  private async *scanBackwards(): AsyncGenerator<RecordedEvent> {
    let before: bigint | undefined;
    for (;;) {
      const page = await collect<AllStreamResolvedEvent>(
        this.client.readAll({
          direction: BACKWARDS,
          // backwards reads from a position start with the event before it
          fromPosition: before === undefined ? END : toEsdbPosition(Number(before)),
          maxCount: this.pageSize,
        }),
      );
      for (const resolved of page) {
        const record = toRecorded(resolved, this.scope);
        if (record) yield record;
      }
      const oldest = page.at(-1)?.event?.position.commit;
      if (page.length < this.pageSize || oldest === undefined) return;
      before = oldest;
    }
  }

  private toStreamRecord(resolved: ResolvedEvent, streamId: string): RecordedEvent {
    const record = toRecorded(resolved, this.scope);
    if (!record) {
      const type = resolved.event?.type ?? '?';
      throw new TypeError(
        `stream ${streamId} holds event ${resolved.event?.id ?? '?'} (${type}) that is not a JSON object event`,
      );
    }
    return record;
  }

  /**
   * The port's id rules on a server that only checks ids at the expected revision: claims first (an id
   * used by another stream is a duplicate); ids this stream used before are a retry (the original
   * result, whatever the expectation) or a duplicate; only new ids reach the server's append.
   */
  private async appendChecked(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    expectedRevision: AppendExpectedRevision,
  ): Promise<AppendResult> {
    const claims = await Promise.all(events.map((e) => this.claim(streamId, e.id)));
    const foreign = claims.find((c) => c.owner !== streamId);
    if (foreign) throw new DuplicateEventIdError(streamId, foreign.eventId);
    const usedBefore = claims.some((c) => c.existed);
    if (usedBefore) {
      const earlier = await this.earlierAppend(streamId, events);
      if (earlier) return earlier;
    }
    try {
      // the port's deterministic ids are the server's event ids: a lost reply's retry is a no-op there too
      const result = await this.client.appendToStream(
        this.scope.toEsdb(streamId),
        events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { expectedRevision },
      );
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      if (result.position) return { nextExpectedRevision, position: toPortPosition(result.position) };
      // an idempotent write on servers that answer without a position: the original last event has it
      return { nextExpectedRevision, position: await this.positionOf(streamId, nextExpectedRevision) };
    } catch (error) {
      const mapped = mapEsdbError(error, { streamId, expected });
      if (mapped instanceof WrongExpectedRevisionError && usedBefore) {
        // the same append, racing this one, may have been written meanwhile
        const earlier = await this.earlierAppend(streamId, events);
        if (earlier) return earlier;
      }
      throw mapped;
    }
  }

  /**
   * Records that `streamId` uses `eventId` (EventStoreDB has no index by event id): the first claim
   * wins, by an append that expects no stream. A claim stays even if the append after it fails; a
   * retry then finds its own claim.
   */
  private async claim(
    streamId: string,
    eventId: string,
  ): Promise<{ eventId: string; owner: string; existed: boolean }> {
    const claimStream = this.scope.toEsdb(claimStreamOf(eventId));
    try {
      // a random claim id: a retried claim after a lost reply must read back as existing
      await this.client.appendToStream(
        claimStream,
        jsonEvent({ type: CLAIM_EVENT_TYPE, data: { streamId } }),
        {
          expectedRevision: NO_STREAM,
        },
      );
      return { eventId, owner: streamId, existed: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const [claimed] = await collect<ResolvedEvent>(this.client.readStream(claimStream, { maxCount: 1 }));
      const data = claimed?.event?.data;
      const owner =
        typeof data === 'object' && data !== null && 'streamId' in data ? String(data.streamId) : '';
      return { eventId, owner, existed: true };
    }
  }

  /** The stream that claimed `eventId`, or undefined when none did. */
  private async claimOwner(eventId: string): Promise<string | undefined> {
    const claimStream = this.scope.toEsdb(claimStreamOf(eventId));
    let claimed: ResolvedEvent | undefined;
    try {
      [claimed] = await collect<ResolvedEvent>(this.client.readStream(claimStream, { maxCount: 1 }));
    } catch (error) {
      const mapped = mapEsdbError(error, { streamId: claimStream });
      if (mapped instanceof StreamNotFoundError) return undefined;
      throw mapped;
    }
    const data = claimed?.event?.data;
    return typeof data === 'object' && data !== null && 'streamId' in data
      ? String(data.streamId)
      : undefined;
  }

  /**
   * Compares `events` with what the stream holds: all of their ids stored contiguously and in order is
   * a retry (its original result); none stored, undefined; anything else a DuplicateEventIdError.
   */
  private async earlierAppend(streamId: string, events: NewEvent[]): Promise<AppendResult | undefined> {
    let stored: RecordedEvent[];
    try {
      stored = await this.readStream(streamId);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    const byId = new Map(stored.map((e) => [e.id.toLowerCase(), e]));
    const found = events.map((e) => byId.get(e.id.toLowerCase()));
    const firstFound = found.findIndex((e) => e !== undefined);
    if (firstFound < 0) return undefined;
    const first = found[0];
    const retry =
      first !== undefined && found.every((e, i) => e !== undefined && e.revision === first.revision + i);
    if (!retry) throw new DuplicateEventIdError(streamId, events[firstFound].id);
    const last = found[found.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private async positionOf(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new StreamNotFoundError(streamId);
    return event.position;
  }
}

/** The store for an `esdb://` / `esdb+discover://` connection string, passed to the client unchanged. */
export function createEventStoreDbEventStore(url: string, options?: EventStoreDbOptions): EventStore {
  return new EventStoreDbEventStore(EventStoreDBClient.connectionString(url), options);
}

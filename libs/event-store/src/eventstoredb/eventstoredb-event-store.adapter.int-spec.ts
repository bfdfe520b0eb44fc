// What the EventStoreDB adapter adds over the shared contract: positions, system events, namespaces,
// error mapping, retries the server does not recognise, back-pressure, resubscription after a node
// restart, cluster connection strings and leader loss. Run against the stand-in (test double).
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type { EventMetadata, EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { startEsdbStandIn, startEsdbStandInCluster, type EsdbStandIn } from '../testing/esdb-standin';
import { EventStoreDbEventStore, createEventStoreDbEventStore } from './eventstoredb-event-store.adapter';

const FAST_RESUBSCRIBE = { attempts: 50, firstDelayMs: 10, maxDelayMs: 50 };

const metadata = (n: number): EventMetadata => ({
  occurredAt: '2026-11-28T10:00:00.000Z',
  actor: { id: 'u-1', name: 'Инспектор Петрова' },
  commandId: `cmd-${n}`,
  correlationId: 'corr-1',
  causationId: `cause-${n}`,
  schemaVersion: 1,
});

const newEvent = (type: string, n: number, data: NewEvent['data'] = { n }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(n),
});

const appealStream = (): string => `appeal-${randomUUID()}`;

/** Takes `count` events, then stops the subscription. */
async function take(
  store: EventStore,
  count: number,
  options: Parameters<EventStore['subscribeToAll']>[0] = {},
): Promise<RecordedEvent[]> {
  const subscription = store.subscribeToAll(options);
  const out: RecordedEvent[] = [];
  if (count > 0) {
    for await (const e of subscription) {
      out.push(e);
      if (out.length === count) break;
    }
  }
  await subscription.stop();
  return out;
}

describe('EventStoreDB adapter on the stand-in', () => {
  let standIn: EsdbStandIn;
  let store: EventStore;

  beforeEach(async () => {
    standIn = await startEsdbStandIn();
    store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(standIn.url), {
      resubscribe: FAST_RESUBSCRIBE,
    });
  });
  afterEach(async () => {
    await store.close();
    await standIn.stop();
  });

  it('uses commit positions as global positions and hides system events', async () => {
    const stream = appealStream();
    const result = await store.append(
      stream,
      [newEvent('AppealRegistered', 0), newEvent('ExecutorAssigned', 1)],
      'no_stream',
    );
    const all = await store.readAll();
    expect(all.map((e) => e.streamId)).toEqual([stream, stream]); // the seeded `$…` events are not ours
    const onServer = standIn.log.allRecords
      .filter((r) => r.streamId === stream)
      .map((r) => Number(r.position));
    expect(all.map((e) => e.position)).toEqual(onServer);
    expect(result).toEqual({ nextExpectedRevision: 1, position: onServer[1] });

    // headPosition skips system events written after ours (stats, scavenges…)
    const client = EventStoreDBClient.connectionString(standIn.url);
    await client.appendToStream('$stats-127.0.0.1:2113', jsonEvent({ type: '$statsCollected', data: {} }));
    await client.dispose();
    expect(await store.headPosition()).toBe(onServer[1]);
  });

  it('carries data and metadata unchanged (unicode, nesting, numbers)', async () => {
    const stream = appealStream();
    const data = {
      text: 'Жалоба на «ЖКХ» — срочно ✓',
      nested: { list: [1, 2.5, -3, null, true], empty: {} },
      big: 9007199254740991,
    };
    const event = {
      ...newEvent('AppealRegistered', 0, data),
      metadata: { ...metadata(0), extra: { 'x-y': ['z'] } },
    };
    await store.append(stream, [event], 'no_stream');
    const [read] = await store.readStream(stream);
    expect(read).toMatchObject({
      id: event.id,
      type: event.type,
      revision: 0,
      data,
      metadata: event.metadata,
    });
    expect(read.recordedAt).toBeInstanceOf(Date);
  });

  it('maps wrong expected revisions with the actual revision, and a missing stream', async () => {
    const stream = appealStream();
    await store.append(stream, [newEvent('A', 0), newEvent('B', 1)], 'no_stream');
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const wrong = await failure(store.append(stream, [newEvent('C', 2)], 0));
    expect(wrong).toBeInstanceOf(WrongExpectedRevisionError);
    expect(wrong).toMatchObject({ streamId: stream, expected: 0, actual: 1 });
    expect(await failure(store.append(appealStream(), [newEvent('C', 2)], 'stream_exists'))).toMatchObject({
      actual: -1,
    });
    expect(await failure(store.readStream(appealStream()))).toBeInstanceOf(StreamNotFoundError);
  });

  it('returns the original result for retries the server itself does not recognise', async () => {
    const stream = appealStream();
    const first = [newEvent('A', 0), newEvent('B', 1)];
    const original = await store.append(stream, first, 'no_stream');
    await store.append(stream, [newEvent('C', 2)], 1);
    // a stale exact expectation: the server answers WrongExpectedVersion, the adapter finds the retry
    await expect(store.append(stream, first, 5)).resolves.toEqual(original);
    await expect(store.append(stream, first, 'stream_exists')).resolves.toEqual(original);
    expect((await store.readStream(stream)).length).toBe(3);
  });

  it('fills in the position of an idempotent retry when the server answers without one (older servers)', async () => {
    const legacy = await startEsdbStandIn({ idempotentPosition: 'none' });
    const legacyStore = createEventStoreDbEventStore(legacy.url);
    try {
      const events = [newEvent('A', 0), newEvent('B', 1)];
      const original = await legacyStore.append(appealStream(), events, 'no_stream');
      const stream = (await legacyStore.readAll())[0].streamId;
      await expect(legacyStore.append(stream, events, 'no_stream')).resolves.toEqual(original);
    } finally {
      await legacyStore.close();
      await legacy.stop();
    }
  });

  it('maps UNAVAILABLE and DEADLINE_EXCEEDED to EventStoreUnavailableError; a retried lost reply is a no-op', async () => {
    const stream = appealStream();
    const events = [newEvent('A', 0)];
    standIn.injectFault({ method: 'append', code: status.UNAVAILABLE, afterWrite: true });
    await expect(store.append(stream, events, 'no_stream')).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    // the command layer retries with the same deterministic ids: nothing new is written
    await expect(store.append(stream, events, 'no_stream')).resolves.toMatchObject({
      nextExpectedRevision: 0,
    });
    expect(await store.readStream(stream)).toHaveLength(1);

    standIn.injectFault({ method: 'read', code: status.DEADLINE_EXCEEDED });
    await expect(store.readStream(stream)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await standIn.stop();
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append(stream, [newEvent('B', 1)], 0)).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    await standIn.restart();
  });

  it('subscribes with the filter split between server (stream prefixes) and client (event types)', async () => {
    const a = `appeal-${randomUUID()}`;
    await store.append(
      a,
      [newEvent('AppealRegistered', 0), newEvent('Noise', 1), newEvent('AppealClosed', 2)],
      'no_stream',
    );
    await store.append(`other-${randomUUID()}`, [newEvent('AppealRegistered', 0)], 'no_stream');
    const got = await take(store, 2, {
      filter: { streamPrefixes: ['appeal-'], eventTypes: ['AppealRegistered', 'AppealClosed'] },
    });
    expect(got.map((e) => [e.streamId, e.type])).toEqual([
      [a, 'AppealRegistered'],
      [a, 'AppealClosed'],
    ]);
    const onlyTypes = await take(store, 2, { filter: { eventTypes: ['AppealRegistered'] } });
    expect(onlyTypes.map((e) => e.streamId)).toEqual([a, expect.stringMatching(/^other-/)]);
    const after = await take(store, 1, { after: got[0].position, filter: { streamPrefixes: ['appeal-'] } });
    expect(after[0].type).toBe('Noise');
  });

  it('applies back-pressure: the server stops sending while the consumer does not ask', async () => {
    const stream = appealStream();
    const padding = 'x'.repeat(2048);
    for (let batch = 0; batch < 10; batch++) {
      await store.append(
        stream,
        Array.from({ length: 100 }, (_, i) => newEvent('Big', batch * 100 + i, { padding })),
        'any',
      );
    }
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const blocked = standIn.whenWriteBlocked();
    expect((await iterator.next()).value).toMatchObject({ revision: 0 });
    await blocked; // the server is waiting on HTTP/2 flow control, not buffering 1000 events
    let count = 1;
    while (count < 1000) {
      const next = await iterator.next();
      expect(next.value).toMatchObject({ revision: count });
      count += 1;
    }
    await subscription.stop();
    await expect(iterator.next()).resolves.toMatchObject({ done: true });
  });

  it('ends a waiting iteration on stop()', async () => {
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();
    await subscription.stop();
    await expect(pending).resolves.toMatchObject({ done: true });
  });

  it('resubscribes after the node restarts, from the last position seen: nothing lost, nothing twice', async () => {
    const stream = appealStream();
    await store.append(stream, [newEvent('A', 0), newEvent('B', 1)], 'no_stream');
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['appeal-'] } });
    const iterator = subscription[Symbol.asyncIterator]();
    const seen: RecordedEvent[] = [
      (await iterator.next()).value as RecordedEvent,
      (await iterator.next()).value as RecordedEvent,
    ];
    await standIn.stop();
    await standIn.restart();
    await store.append(stream, [newEvent('C', 2)], 1);
    seen.push((await iterator.next()).value as RecordedEvent);
    expect(seen.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    // the second subscription started after the last event the consumer had
    const resumedFrom = BigInt(standIn.allSubscriptionStarts.at(-1)!);
    expect(resumedFrom >= BigInt(seen[1].position)).toBe(true);
    await subscription.stop();
  });

  it('gives up resubscribing after the configured attempts with EventStoreUnavailableError', async () => {
    const impatient = new EventStoreDbEventStore(EventStoreDBClient.connectionString(standIn.url), {
      resubscribe: { attempts: 2, firstDelayMs: 1, maxDelayMs: 1 },
    });
    await impatient.append(appealStream(), [newEvent('A', 0)], 'no_stream');
    const subscription = impatient.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    await iterator.next();
    await standIn.stop();
    await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await impatient.close();
    await standIn.restart();
  });

  it('keeps namespaces apart on one server', async () => {
    const mine = createEventStoreDbEventStore(standIn.url, { namespace: 'tenant-a/' });
    const theirs = createEventStoreDbEventStore(standIn.url, { namespace: 'tenant-b/' });
    try {
      expect(await mine.headPosition()).toBe(0);
      const stream = appealStream();
      await mine.append(stream, [newEvent('A', 0)], 'no_stream');
      await theirs.append(stream, [newEvent('B', 0)], 'no_stream');
      expect((await mine.readStream(stream)).map((e) => e.type)).toEqual(['A']);
      expect((await mine.readAll()).map((e) => [e.streamId, e.type])).toEqual([[stream, 'A']]);
      expect((await take(theirs, 1))[0]).toMatchObject({ streamId: stream, type: 'B' });
      expect(standIn.log.streamRecords(`tenant-a/${stream}`)).toHaveLength(1);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});

describe('EventStoreDB adapter on a 3-node stand-in cluster', () => {
  it('takes the cluster connection string unchanged and survives a leader crash', async () => {
    const cluster = await startEsdbStandInCluster({ appendMethod: 'append' });
    const store = createEventStoreDbEventStore(cluster.url, { resubscribe: FAST_RESUBSCRIBE });
    try {
      const stream = appealStream();
      await store.append(stream, [newEvent('A', 0)], 'no_stream');
      const subscription = store.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ type: 'A' });

      await cluster.failLeader();
      const retried = [newEvent('B', 1)];
      // the in-flight or next call may fail; the command layer retries with the same ids
      const first = await store.append(stream, retried, 0).catch((e: unknown) => e);
      if (first instanceof Error) expect(first).toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append(stream, retried, 0)).resolves.toMatchObject({ nextExpectedRevision: 1 });
      // the subscription resubscribed through gossip to the new leader and goes on after A
      expect((await iterator.next()).value).toMatchObject({ type: 'B' });
      await subscription.stop();
    } finally {
      await store.close();
      await cluster.stop();
    }
  });
});

/**
 * Store-to-store copy on real stores: PostgreSQL → EventStoreDB (the stand-in) → a fresh PostgreSQL,
 * verified by count and content hash per stream; re-runs skip what was copied, an interrupted run
 * resumes, and a target holding other events is reported.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import type { EventMetadata, EventStore, NewEvent } from '../event-store.port';
import { createEventStoreDbEventStore } from '../eventstoredb';
import { PostgresEventStore } from '../postgres/postgres-event-store.adapter';
import { startEsdbStandIn, type EsdbStandIn } from '../testing/esdb-standin';
import { canonicalJson, copyEvents, digestStream } from './copy-events';

let db: TestDatabase;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await createTestDatabase('copy_events');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await db.drop();
});

/** A migrated PostgreSQL store in a schema of its own. */
async function postgresStore(): Promise<EventStore> {
  const schema = `copy_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new Pool({ connectionString: db.url, options: `-c search_path=${schema}`, max: 8 });
  const store = new PostgresEventStore(pool);
  await store.migrate();
  cleanups.push(async () => {
    await store.close();
    await pool.end();
  });
  return store;
}

async function eventStoreDb(): Promise<{ store: EventStore; standIn: EsdbStandIn }> {
  const standIn = await startEsdbStandIn();
  const store = createEventStoreDbEventStore(standIn.url);
  cleanups.push(async () => {
    await store.close();
    await standIn.stop();
  });
  return { store, standIn };
}

const metadata = (n: number): EventMetadata => ({
  occurredAt: `2026-11-${String(10 + (n % 18)).padStart(2, '0')}T09:00:00.000Z`,
  actor: { id: `user-${n % 3}`, name: 'Смирнова О. В.' },
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  schemaVersion: 1,
  ...(n % 4 === 0 ? { tenant: 'region-42' } : {}),
});

const event = (type: string, n: number): NewEvent => ({
  id: randomUUID(),
  type,
  data: { n, text: `Обращение № ${n}: «протечка крыши»`, nested: { z: 1, a: [n, null, true], share: n / 8 } },
  metadata: metadata(n),
});

/**
 * 12 appeal streams written interleaved, in appends of 1–3 events: 72 events. Returns once `$all`
 * shows every one of them: a reader's boundary may hold committed events back for a moment while an
 * older transaction (of another suite, on a busy server) is still in flight, and a copy that read
 * `$all` then would stop short.
 */
async function seed(store: EventStore): Promise<string[]> {
  const streams = Array.from({ length: 12 }, () => `appeal-${randomUUID()}`);
  const revisions = new Map<string, number>();
  let n = 0;
  for (let round = 0; round < 5; round++) {
    for (const [i, streamId] of streams.entries()) {
      const size = round === 0 ? 1 + (i % 3) : 1;
      const current = revisions.get(streamId);
      const events = Array.from({ length: size }, () =>
        event(round === 0 ? 'AppealRegistered' : `Step${round}`, n++),
      );
      const result = await store.append(streamId, events, current === undefined ? 'no_stream' : current);
      revisions.set(streamId, result.nextExpectedRevision);
    }
  }
  await untilVisible(store, n);
  return streams;
}

const SEEDED_EVENTS = 72;

async function untilVisible(store: EventStore, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await store.readAll()).length < count) {
    if (Date.now() > deadline) throw new Error(`$all did not show ${count} events within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Hundreds of round trips to two stores: seconds when idle, over a minute on a machine at load 30. */
const COPY_TEST_TIMEOUT_MS = 240_000;

const idsInOrder = async (store: EventStore): Promise<string[]> =>
  (await store.readAll()).map((e) => e.id.toLowerCase());

describe('copyEvents', () => {
  it(
    'copies PostgreSQL → EventStoreDB → a fresh PostgreSQL, preserving events, revisions and $all order',
    async () => {
      const source = await postgresStore();
      const streams = await seed(source);
      const total = SEEDED_EVENTS;
      const { store: esdb } = await eventStoreDb();

      const toEsdb = await copyEvents(source, esdb, { pageSize: 7, batchSize: 2 });
      expect(toEsdb).toMatchObject({
        streams: 12,
        eventsRead: total,
        eventsCopied: total,
        eventsSkipped: 0,
        conflicts: [],
      });
      expect(toEsdb.verification).toEqual({ streamsChecked: 12, mismatches: [] });

      const back = await postgresStore();
      const toPostgres = await copyEvents(esdb, back);
      expect(toPostgres).toMatchObject({
        eventsCopied: total,
        conflicts: [],
        verification: { mismatches: [] },
      });

      for (const streamId of streams) {
        const [a, b] = [await source.readStream(streamId), await back.readStream(streamId)];
        expect(
          b.map(({ id, type, revision, data, metadata }) => ({ id, type, revision, data, metadata })),
        ).toEqual(
          a.map(({ id, type, revision, data, metadata }) => ({ id, type, revision, data, metadata })),
        );
      }
      await untilVisible(back, total);
      expect(await idsInOrder(back)).toEqual(await idsInOrder(source));
    },
    COPY_TEST_TIMEOUT_MS,
  );

  it(
    're-runs as a no-op and resumes an interrupted copy',
    async () => {
      const source = await postgresStore();
      await seed(source);
      const total = SEEDED_EVENTS;
      const { store: esdb } = await eventStoreDb();

      // the target fails after 10 appends, as a copy cut short would
      let appends = 0;
      const flaky: EventStore = Object.assign(Object.create(esdb) as EventStore, {
        append: (...args: Parameters<EventStore['append']>) => {
          if (++appends > 10) return Promise.reject(new Error('connection lost'));
          return esdb.append(...args);
        },
      });
      await expect(copyEvents(source, flaky, { batchSize: 1 })).rejects.toThrow('connection lost');
      const partial = (await esdb.readAll()).length;
      expect(partial).toBe(10);

      const resumed = await copyEvents(source, esdb);
      expect(resumed).toMatchObject({
        eventsSkipped: partial,
        eventsCopied: total - partial,
        verification: { mismatches: [] },
      });
      const again = await copyEvents(source, esdb);
      expect(again).toMatchObject({
        eventsSkipped: total,
        eventsCopied: 0,
        verification: { mismatches: [] },
      });
      expect(await idsInOrder(esdb)).toEqual(await idsInOrder(source));
    },
    COPY_TEST_TIMEOUT_MS,
  );

  it(
    'reports a target stream that holds other events, and copies the rest',
    async () => {
      const source = await postgresStore();
      const streams = await seed(source);
      const target = await postgresStore();
      await target.append(streams[3], [event('SomethingElse', 999)], 'no_stream');

      const report = await copyEvents(source, target);
      expect(report.conflicts).toEqual([
        { streamId: streams[3], reason: 'the target holds another event at revision 0' },
      ]);
      expect(report.verification?.mismatches).toEqual([
        {
          streamId: streams[3],
          source: expect.objectContaining({ count: 5 }) as object,
          target: expect.objectContaining({ count: 1 }) as object,
        },
      ]);
      expect(report.verification?.streamsChecked).toBe(12);
    },
    COPY_TEST_TIMEOUT_MS,
  );

  it('hashes content canonically: key order and UUID case do not matter, content does', () => {
    expect(canonicalJson({ b: [1, { y: 2, x: null }], a: 'ж' })).toBe('{"a":"ж","b":[1,{"x":null,"y":2}]}');
    const base = {
      id: 'ABC',
      streamId: 's',
      type: 'T',
      revision: 0,
      position: 1,
      data: { a: 1, b: 2 },
      metadata: metadata(1),
      recordedAt: new Date(),
    };
    const same = { ...base, id: 'abc', position: 99, data: { b: 2, a: 1 }, recordedAt: new Date(0) };
    expect(digestStream([same])).toEqual(digestStream([base]));
    expect(digestStream([{ ...base, data: { a: 1, b: 3 } }]).sha256).not.toBe(digestStream([base]).sha256);
  });
});

/**
 * Group commit of appends on real PostgreSQL (append-batcher.ts, migration 6): appends made while
 * another is in flight go as one append_events_batch() statement (one transaction), every caller
 * gets append_events()'s own answer, a member that makes the statement raise fails alone, positions
 * stay gap-free in transaction-id order and the hash chain verifies.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, EventMetadata, ExpectedRevision, NewEvent } from '../event-store.port';
import { verifyEventStore } from './integrity/event-store-integrity';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.adapter';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('append_batch');
});

afterAll(async () => {
  await db.drop();
});

interface Fixture {
  store: PostgresEventStore;
  pool: Pool;
  teardown(): Promise<void>;
}

const fixtures: Fixture[] = [];

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.teardown()));
});

/** A migrated store in a schema of its own. */
async function fresh(options: PostgresEventStoreOptions = {}): Promise<Fixture> {
  const schema = `ab_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new Pool({ connectionString: db.url, options: `-c search_path=${schema}`, max: 16 });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 250, ...options });
  await store.migrate();
  const fixture = {
    store,
    pool,
    teardown: async () => {
      await store.close();
      await pool.end();
    },
  };
  fixtures.push(fixture);
  return fixture;
}

const metadata: EventMetadata = {
  occurredAt: '2026-12-03T10:00:00Z',
  actor: { id: 'u1', name: 'Тест' },
  commandId: 'c1',
  correlationId: 'c1',
  causationId: 'c1',
  schemaVersion: 1,
};

const event = (data: Record<string, string | number> = {}, id: string = randomUUID()): NewEvent => ({
  id,
  type: 'Happened',
  data,
  metadata,
});

type Settled = { ok: true; value: AppendResult } | { ok: false; error: unknown };

const settle = (p: Promise<AppendResult>): Promise<Settled> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * One append goes alone (nothing in flight); the appends made in the same tick queue behind it and,
 * with one statement in flight, go together as one batch when it ends.
 */
async function behindOne(
  store: PostgresEventStore,
  appends: Array<[string, NewEvent[], ExpectedRevision]>,
): Promise<Settled[]> {
  const first = store.append(`lead-${randomUUID()}`, [event()], 'no_stream');
  const rest = appends.map(([stream, events, expected]) => settle(store.append(stream, events, expected)));
  await first;
  return Promise.all(rest);
}

interface StoredRow {
  position: string;
  stream_id: string;
  revision: string;
  tx_id: string;
}

async function stored(pool: Pool): Promise<StoredRow[]> {
  const { rows } = await pool.query<StoredRow>(
    'SELECT position, stream_id, revision, tx_id::text AS tx_id FROM events ORDER BY position',
  );
  return rows;
}

/** Positions 1..n without a gap, and a later position never of an older transaction. */
function expectGapFreeInTransactionOrder(rows: StoredRow[]): void {
  expect(rows.map((r) => Number(r.position))).toEqual(rows.map((_, i) => i + 1));
  for (let i = 1; i < rows.length; i += 1)
    expect(BigInt(rows[i].tx_id) >= BigInt(rows[i - 1].tx_id)).toBe(true);
}

describe('group commit of appends (PostgreSQL)', () => {
  it('appends to many streams made while one is in flight go in one transaction, each answered', async () => {
    const { store, pool } = await fresh({ appendBatch: { maxInFlight: 1 } });
    const streams = Array.from({ length: 20 }, (_, i) => `s-${i}`);
    const results = await behindOne(
      store,
      streams.map((s, i) => [s, [event({ i }), event({ i })], 'no_stream']),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const rows = await stored(pool);
    const batched = rows.filter((r) => r.stream_id.startsWith('s-'));
    expect(batched).toHaveLength(40);
    // one statement, one transaction
    expect(new Set(batched.map((r) => r.tx_id)).size).toBe(1);
    expect(store.appendBatchStats()).toMatchObject({ statements: 2, batches: 1, batched: 20, fallbacks: 0 });
    // every caller gets its own stream's revision and last position
    results.forEach((r, i) => {
      const own = batched.filter((row) => row.stream_id === streams[i]);
      expect(r.ok && r.value).toEqual({ nextExpectedRevision: 1, position: Number(own[1].position) });
    });
    expectGapFreeInTransactionOrder(rows);
    expect(await verifyEventStore(pool)).toMatchObject({ ok: true, checkedEvents: 41, problems: [] });
  });

  it('without batching the same appends take a transaction each', async () => {
    const { store, pool } = await fresh({ appendBatch: false });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(`s-${i}`, [event()], 'no_stream')));
    expect(new Set((await stored(pool)).map((r) => r.tx_id)).size).toBe(10);
    expect(store.appendBatchStats()).toBeUndefined();
  });

  it('a wrong revision, a duplicate and a retry in a batch get their own answers; the others are written', async () => {
    const { store, pool } = await fresh({ appendBatch: { maxInFlight: 1 } });
    const retried = [event(), event()];
    await store.append('retried', retried, 'no_stream');
    const taken = event();
    await store.append('owner', [taken], 'no_stream');
    await store.append('behind', [event(), event(), event()], 'no_stream');
    const before = store.appendBatchStats();

    const [ok1, wrong, duplicate, retry, ok2, exists, noStream] = await behindOne(store, [
      ['fresh-1', [event()], 'no_stream'],
      ['behind', [event()], 1],
      ['thief', [event(), event({}, taken.id)], 'any'],
      ['retried', retried, 'no_stream'],
      ['behind-any', [event()], 'any'],
      ['missing', [event()], 'stream_exists'],
      ['owner', [event()], 'no_stream'],
    ]);
    expect(store.appendBatchStats()).toMatchObject({ batches: before!.batches + 1, fallbacks: 0 });
    expect(ok1).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(ok2).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(!wrong.ok && wrong.error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(!wrong.ok && wrong.error).toMatchObject({ actual: 2 });
    expect(!duplicate.ok && duplicate.error).toBeInstanceOf(DuplicateEventIdError);
    expect(!duplicate.ok && duplicate.error).toMatchObject({ eventId: taken.id });
    const original = (await store.readStream('retried')).at(-1)!;
    expect(retry).toEqual({ ok: true, value: { nextExpectedRevision: 1, position: original.position } });
    expect(!exists.ok && exists.error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(!noStream.ok && noStream.error).toMatchObject({ actual: 0 });
    // the two written members share one transaction; nothing of the refused ones was stored
    const rows = await stored(pool);
    const written = rows.filter((r) => r.stream_id === 'fresh-1' || r.stream_id === 'behind-any');
    expect(new Set(written.map((r) => r.tx_id)).size).toBe(1);
    expect(rows.filter((r) => r.stream_id === 'thief' || r.stream_id === 'missing')).toEqual([]);
    expect(rows.filter((r) => r.stream_id === 'behind')).toHaveLength(3);
    expectGapFreeInTransactionOrder(rows);
    expect(await verifyEventStore(pool)).toMatchObject({ ok: true, problems: [] });
  });

  it('a member whose text PostgreSQL refuses fails alone, with the error it gets without batching', async () => {
    const alone = await fresh({ appendBatch: false });
    const refusedAlone = await settle(alone.store.append('bad', [event({ text: 'a\u0000b' })], 'no_stream'));
    expect(refusedAlone.ok).toBe(false);

    const { store, pool } = await fresh({ appendBatch: { maxInFlight: 1 } });
    const results = await behindOne(store, [
      ['good-1', [event()], 'no_stream'],
      ['bad', [event({ text: 'a\u0000b' })], 'no_stream'],
      ['good-2', [event(), event()], 'no_stream'],
    ]);
    expect(store.appendBatchStats()).toMatchObject({ fallbacks: 1 });
    expect(results[0]).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(results[2]).toMatchObject({ ok: true, value: { nextExpectedRevision: 1 } });
    const refused = results[1];
    expect(refused.ok).toBe(false);
    if (!refused.ok && !refusedAlone.ok) {
      expect((refused.error as Error).constructor).toBe((refusedAlone.error as Error).constructor);
      expect((refused.error as Error).message).toBe((refusedAlone.error as Error).message);
    }
    const rows = await stored(pool);
    expect(rows.map((r) => r.stream_id).filter((s) => !s.startsWith('lead-'))).toEqual([
      'good-1',
      'good-2',
      'good-2',
    ]);
    expect(await verifyEventStore(pool)).toMatchObject({ ok: true, problems: [] });
  });

  it('one id in two members of a batch (a unique violation): the first is written, the second is a duplicate', async () => {
    const { store, pool } = await fresh({ appendBatch: { maxInFlight: 1 } });
    const shared = randomUUID();
    const results = await behindOne(store, [
      ['first', [event({}, shared)], 'no_stream'],
      ['other', [event()], 'no_stream'],
      ['second', [event({}, shared)], 'no_stream'],
    ]);
    expect(store.appendBatchStats()).toMatchObject({ fallbacks: 1 });
    expect(results[0].ok).toBe(true);
    expect(results[1].ok).toBe(true);
    expect(!results[2].ok && results[2].error).toBeInstanceOf(DuplicateEventIdError);
    expect((await stored(pool)).filter((r) => r.stream_id === 'second')).toEqual([]);
  });

  it('a second append to a stream already in the batch waits for the next batch', async () => {
    const { store, pool } = await fresh({ appendBatch: { maxInFlight: 1 } });
    const results = await behindOne(store, [
      ['x', [event()], 'no_stream'],
      ['y', [event()], 'no_stream'],
      ['x', [event()], 0],
      ['x', [event()], 'no_stream'],
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(!results[3].ok && results[3].error).toMatchObject({ actual: 1 });
    const rows = await stored(pool);
    const x = rows.filter((r) => r.stream_id === 'x');
    expect(x.map((r) => r.revision)).toEqual(['0', '1']);
    expect(x[0].tx_id).not.toBe(x[1].tx_id);
    expectGapFreeInTransactionOrder(rows);
  });

  it('several batches in flight: positions gap-free in transaction order, the chain verifies', async () => {
    const { store, pool } = await fresh({ appendBatch: { maxInFlight: 3, maxSize: 8 } });
    const streams = Array.from({ length: 12 }, (_, i) => `p-${i}`);
    await Promise.all(
      streams.map(async (s) => {
        for (let r = 0; r < 10; r += 1)
          await store.append(s, [event({ r }), event({ r })], r === 0 ? 'no_stream' : 2 * r - 1);
      }),
    );
    const rows = await stored(pool);
    expect(rows).toHaveLength(240);
    expectGapFreeInTransactionOrder(rows);
    expect(store.appendBatchStats()!.batches).toBeGreaterThan(0);
    expect(await verifyEventStore(pool)).toMatchObject({ ok: true, checkedEvents: 240, problems: [] });
  });

  it('append_events_batch() plans its lookups as index scans, on an empty and on a filled table', async () => {
    const { store, pool } = await fresh();
    const { rows } = await pool.query<{ config: string[] }>(
      "SELECT proconfig AS config FROM pg_proc WHERE proname = 'append_events_batch' AND pronamespace = current_schema()::regnamespace",
    );
    expect(rows[0].config).toEqual(
      expect.arrayContaining(['plan_cache_mode=force_generic_plan', 'enable_seqscan=off']),
    );
    const client = await pool.connect();
    const plans = async (): Promise<string> => {
      await client.query('BEGIN');
      try {
        for (const setting of rows[0].config) {
          const [name, value] = setting.split('=');
          await client.query('SELECT set_config($1, $2, true)', [name, value]);
        }
        const explain = async (sql: string): Promise<string> => {
          const res = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (GENERIC_PLAN) ${sql}`);
          return res.rows.map((r) => r['QUERY PLAN']).join('\n');
        };
        // the function's two lookups (its duplicate-id check and the streams' heads)
        const byId =
          await explain(`SELECT i.m, count(*) FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY AS i(id, m, ord)
          JOIN events e ON e.event_id = i.id GROUP BY i.m`);
        const heads =
          await explain(`SELECT h.revision FROM unnest($1::text[]) WITH ORDINALITY AS s(stream_id, m)
          LEFT JOIN LATERAL (SELECT e.revision, e.hash FROM events e WHERE e.stream_id = s.stream_id
                              ORDER BY e.revision DESC LIMIT 1) h ON true`);
        expect(byId).toMatch(/Nested Loop[\s\S]*Index (Only )?Scan using events_event_id_key/);
        expect(heads).toMatch(/Index (Only )?Scan Backward using events_stream_revision_key/);
        return `${byId}\n${heads}`;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    try {
      expect(await plans()).not.toMatch(/Seq Scan|Hash Join/);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.append(
            `appeal-${i}`,
            Array.from({ length: 50 }, () => event()),
            'no_stream',
          ),
        ),
      );
      await pool.query('ANALYZE events');
      expect(await plans()).not.toMatch(/Seq Scan|Hash Join/);
    } finally {
      client.release();
    }
  });

  /**
   * Rounds of appends made in one tick (so they batch), against a sequential model: per stream the
   * batcher keeps arrival order, and ids shared across streams are only ids stored in earlier rounds,
   * so every answer is the one appending the round's appends one after another would give.
   */
  it('answers as appending one at a time would (generated rounds of appends)', async () => {
    type Op = {
      stream: number;
      expect: 'right' | 'wrong' | 'any' | 'no_stream';
      ids: 'fresh' | 'retry' | 'steal';
      n: number;
    };
    const op = fc.record<Op>({
      stream: fc.integer({ min: 0, max: 5 }),
      expect: fc.constantFrom('right', 'wrong', 'any', 'no_stream'),
      ids: fc.constantFrom('fresh', 'fresh', 'retry', 'steal'),
      n: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        async (rounds) => {
          const { store, pool, teardown } = await fresh({ appendBatch: { maxInFlight: 1, maxSize: 4 } });
          try {
            // the model: stream → stored ids (in order) and their positions unknown; revisions only
            const model = new Map<string, string[]>();
            const owner = new Map<string, string>();
            const lastAppend = new Map<string, string[]>();
            const storedBefore: string[] = [];
            for (const round of rounds) {
              const planned = round.map((o): [string, NewEvent[], ExpectedRevision] => {
                const stream = `g-${o.stream}`;
                let ids: string[];
                if (o.ids === 'retry' && lastAppend.has(stream)) ids = lastAppend.get(stream)!;
                else if (o.ids === 'steal' && storedBefore.length > 0)
                  ids = [storedBefore[o.n % storedBefore.length]];
                else ids = Array.from({ length: o.n }, () => randomUUID());
                lastAppend.set(stream, ids);
                const revision = (model.get(stream)?.length ?? 0) - 1; // at planning time: may be stale within the round
                const expected: ExpectedRevision =
                  o.expect === 'right'
                    ? Math.max(revision, 0)
                    : o.expect === 'wrong'
                      ? revision + 5
                      : o.expect;
                return [stream, ids.map((id) => event({}, id)), expected];
              });
              // expected answers, appending one at a time in arrival order
              const expectedAnswers = planned.map(([stream, events, expected]) => {
                const ids = events.map((e) => e.id);
                const have = model.get(stream) ?? [];
                const foundHere = ids.filter((id) => owner.get(id) === stream);
                const foundAny = ids.filter((id) => owner.has(id));
                if (foundAny.length > 0) {
                  const start = have.indexOf(ids[0]);
                  const contiguous =
                    foundHere.length === ids.length &&
                    start >= 0 &&
                    ids.every((id, k) => have[start + k] === id);
                  return contiguous
                    ? { ok: true, revision: start + ids.length - 1 }
                    : { ok: false, kind: 'duplicate' };
                }
                const current = have.length - 1;
                const fits =
                  expected === 'any' ||
                  (expected === 'no_stream' && current === -1) ||
                  (expected === 'stream_exists' && current >= 0) ||
                  expected === current;
                if (!fits) return { ok: false, kind: 'wrong', actual: current };
                ids.forEach((id) => owner.set(id, stream));
                model.set(stream, [...have, ...ids]);
                return { ok: true, revision: current + ids.length };
              });
              const answers = await behindOne(store, planned);
              answers.forEach((a, i) => {
                const want = expectedAnswers[i];
                if (want.ok) expect(a.ok && a.value.nextExpectedRevision).toBe(want.revision);
                else if (want.kind === 'duplicate')
                  expect(!a.ok && a.error).toBeInstanceOf(DuplicateEventIdError);
                else expect(!a.ok && a.error).toMatchObject({ actual: want.actual });
              });
              storedBefore.splice(0, storedBefore.length, ...owner.keys());
            }
            const rows = await stored(pool);
            expectGapFreeInTransactionOrder(rows);
            for (const [stream, ids] of model) {
              const events = await store.readStream(stream);
              expect(events.map((e) => e.id)).toEqual(ids);
            }
            expect(await verifyEventStore(pool)).toMatchObject({ ok: true, problems: [] });
          } finally {
            const index = fixtures.findIndex((f) => f.store === store);
            if (index >= 0) fixtures.splice(index, 1);
            await teardown();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

/**
 * Tamper evidence on real PostgreSQL: events are edited, deleted, reordered and whole streams removed
 * directly in SQL (as the owner, with the immutability trigger switched off), and the verifier names
 * each; the chain of stores migrated from version 4 is backfilled; checkpoints refuse to sign over
 * tampering.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import type { NewEvent } from '../../event-store.port';
import { runMigrations } from '../migrations.runner';
import { EVENT_STORE_MIGRATIONS_TABLE, eventStoreMigrations } from '../migrations/event-store.migrations';
import { PostgresEventStore } from '../postgres-event-store.adapter';
import {
  CheckpointRefusedError,
  eventChainHash,
  integrityKey,
  verifyEventStore,
  writeCheckpoint,
  type IntegrityReport,
} from './event-store-integrity';

let db: TestDatabase;
const key = integrityKey(randomBytes(32));
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = await createTestDatabase('integrity');
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

afterAll(async () => {
  await db.drop();
});

interface Fixture {
  store: PostgresEventStore;
  pool: Pool;
  /** runs SQL with triggers off, as someone editing the table by hand would */
  tamper(sql: string, values?: unknown[]): Promise<void>;
  position(streamId: string, revision: number): Promise<number>;
}

async function fresh(options: { migrateTo?: number } = {}): Promise<Fixture> {
  const schema = `integrity_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const pool = new Pool({ connectionString: db.url, options: `-c search_path=${schema}`, max: 4 });
  await pool.query(`CREATE SCHEMA ${schema}`);
  const store = new PostgresEventStore(pool, { pollIntervalMs: 100 });
  if (options.migrateTo === undefined) await store.migrate();
  else
    await runMigrations(pool, {
      table: EVENT_STORE_MIGRATIONS_TABLE,
      migrations: eventStoreMigrations.filter((m) => m.version <= (options.migrateTo ?? 0)),
    });
  cleanups.push(async () => {
    await store.close();
    await pool.end();
  });
  return {
    store,
    pool,
    tamper: async (sql, values) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query(sql, values);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    position: async (streamId, revision) => {
      const { rows } = await pool.query<{ position: string }>(
        'SELECT position FROM events WHERE stream_id = $1 AND revision = $2',
        [streamId, revision],
      );
      return Number(rows[0].position);
    },
  };
}

function event(type: string, data: Record<string, unknown> = {}): NewEvent {
  const id = randomUUID();
  return {
    id,
    type,
    data: { ...data, n: Math.random() },
    metadata: {
      occurredAt: '2018-03-05',
      actor: { id: 'ivanova', name: 'Иванова А.А.' },
      commandId: id,
      correlationId: id,
      causationId: id,
      schemaVersion: 1,
    },
  };
}

/** Three appeals of five events each (one appended as a batch of two), interleaved in $all. */
async function lifecycles(store: PostgresEventStore): Promise<string[]> {
  const streams = ['appeal-a', 'appeal-b', 'appeal-c'];
  for (const s of streams)
    await store.append(s, [event('Registered', { text: 'нет отопления' })], 'no_stream');
  for (const s of streams) await store.append(s, [event('Assigned')], 0);
  for (const s of streams) await store.append(s, [event('InterimAnswer'), event('FinalAnswer')], 1);
  for (const s of streams) await store.append(s, [event('Closed')], 3);
  return streams;
}

/**
 * Signs once readers see every committed event: a checkpoint covers the readers' head, which stays
 * below transactions in flight elsewhere on the server (other suites' databases share it).
 */
async function signWhenSettled(t: Fixture): Promise<Awaited<ReturnType<typeof writeCheckpoint>>> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { rows } = await t.pool.query<{ settled: boolean }>(
      `SELECT coalesce((SELECT max(position) FROM events WHERE tx_id < events_visible_boundary()), 0)
             = coalesce((SELECT max(position) FROM events), 0) AS settled`,
    );
    if (rows[0].settled) {
      // the visible boundary can step back for a moment (a transaction of another database ending
      // between the snapshot and pg_stat_activity): sign again until the checkpoint covers every event
      const signed = await writeCheckpoint(t.pool, key);
      const { rows: head } = await t.pool.query<{ max: string | null }>(
        'SELECT max(position) AS max FROM events',
      );
      if (signed.position === Number(head[0].max ?? 0)) return signed;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('readers never caught up with the committed events');
}

function only(report: IntegrityReport): IntegrityReport['problems'][number] {
  expect(report.ok).toBe(false);
  expect(report.problems).toHaveLength(1);
  return report.problems[0];
}

describe('the hash chain', () => {
  it('verifies an untouched store, computing in Node the hashes the database stored', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    const report = await verifyEventStore(t.pool, { key, pageSize: 4 });
    expect(report).toMatchObject({ ok: true, checkedEvents: 15, checkedStreams: 3, problems: [] });
    // The chain links: revision 1's hash is computed from revision 0's.
    const { rows } = await t.pool.query<{
      revision: string;
      position: string;
      event_id: string;
      type: string;
      data: string;
      metadata: string;
      hash: Buffer;
    }>(
      "SELECT revision, position, event_id, type, data::text AS data, metadata::text AS metadata, hash FROM events WHERE stream_id = 'appeal-b' ORDER BY revision LIMIT 2",
    );
    const [first, second] = rows;
    const at = (r: typeof first) => ({
      streamId: 'appeal-b',
      revision: Number(r.revision),
      position: Number(r.position),
      id: r.event_id,
      type: r.type,
      data: r.data,
      metadata: r.metadata,
    });
    expect(eventChainHash(null, at(first)).equals(first.hash)).toBe(true);
    expect(eventChainHash(first.hash, at(second)).equals(second.hash)).toBe(true);
  });

  it('hashes the events of a store migrated from version 4, in stream order, so it verifies too', async () => {
    const t = await fresh({ migrateTo: 4 });
    await lifecycles(t.store);
    await t.store.migrate();
    const { rows } = await t.pool.query<{ unhashed: string }>(
      'SELECT count(*) FILTER (WHERE hash IS NULL) AS unhashed FROM events',
    );
    expect(rows[0].unhashed).toBe('0');
    await t.store.append('appeal-a', [event('Reopened')], 4);
    expect(await verifyEventStore(t.pool, { key })).toMatchObject({ ok: true, checkedEvents: 16 });
  });

  it('chains events appended before version 8 and after it alike: all verify, as one chain', async () => {
    const t = await fresh({ migrateTo: 7 });
    await lifecycles(t.store);
    await t.store.migrate();
    // after: alone, and concurrent appends to several streams (one append_events_batch() call)
    await t.store.append('appeal-a', [event('Reopened')], 4);
    await Promise.all([
      t.store.append('appeal-b', [event('Reopened'), event('Assigned')], 4),
      t.store.append('appeal-c', [event('Reopened')], 4),
      t.store.append('appeal-d', [event('Registered')], 'no_stream'),
    ]);
    expect(await verifyEventStore(t.pool, { key })).toMatchObject({ ok: true, checkedEvents: 20 });
    // the events hashed from version 8 on, each linked to its predecessor as the formula says
    const { rows } = await t.pool.query<{
      stream_id: string;
      revision: string;
      position: string;
      event_id: string;
      type: string;
      data: string;
      metadata: string;
      hash: Buffer;
      previous: Buffer | null;
    }>(
      `SELECT e.stream_id, e.revision, e.position, e.event_id, e.type, e.data::text AS data,
              e.metadata::text AS metadata, e.hash,
              (SELECT p.hash FROM events p WHERE p.stream_id = e.stream_id AND p.revision = e.revision - 1) AS previous
         FROM events e WHERE e.stream_id = 'appeal-d' OR e.revision >= 5 ORDER BY e.position`,
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      const computed = eventChainHash(r.previous, {
        streamId: r.stream_id,
        revision: Number(r.revision),
        position: Number(r.position),
        id: r.event_id,
        type: r.type,
        data: r.data,
        metadata: r.metadata,
      });
      expect(computed.equals(r.hash)).toBe(true);
    }
  });

  it('evaluates the chain formula inline from version 8, not as a call of its own per event', async () => {
    const t = await fresh({ migrateTo: 7 });
    const plan = async (): Promise<string> => {
      const { rows } = await t.pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (VERBOSE, COSTS OFF)
         SELECT event_chain_hash(hash, stream_id, revision, event_id, position, type, data, metadata) FROM events`,
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    expect(await plan()).toContain('event_chain_hash(');
    await t.store.migrate();
    const inlined = await plan();
    expect(inlined).not.toContain('event_chain_hash(');
    expect(inlined).toContain('sha256(');
  });

  it('names an event whose data was edited: stream, revision, position', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    const position = await t.position('appeal-b', 2);
    await t.tamper(
      `UPDATE events SET data = jsonb_set(data, '{text}', '"исправлено"') WHERE stream_id = 'appeal-b' AND revision = 2`,
    );
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'edited',
      streamId: 'appeal-b',
      revision: 2,
      position,
      message: expect.stringContaining('stream appeal-b revision 2') as string,
    });
  });

  it('names an edit even when the edited event was given a recomputed hash (the next link breaks)', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await t.tamper(`UPDATE events SET type = 'Withdrawn',
        hash = event_chain_hash((SELECT hash FROM events WHERE stream_id = 'appeal-c' AND revision = 0),
                                stream_id, revision, event_id, position, 'Withdrawn', data, metadata)
      WHERE stream_id = 'appeal-c' AND revision = 1`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'edited',
      streamId: 'appeal-c',
      revision: 2,
    });
  });

  it('names an event deleted from the middle of a stream', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await t.tamper(`DELETE FROM events WHERE stream_id = 'appeal-a' AND revision = 1`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'missing-event',
      streamId: 'appeal-a',
      revision: 2,
      message: expect.stringContaining('revision 1 is missing between revision 0') as string,
    });
  });

  it("names a stream's first event deleted", async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await t.tamper(`DELETE FROM events WHERE stream_id = 'appeal-c' AND revision = 0`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'missing-event',
      streamId: 'appeal-c',
      revision: 1,
    });
  });

  it('names two events of a stream whose revisions were swapped', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    const position = await t.position('appeal-b', 1);
    await t.tamper(`UPDATE events SET revision = 1000 WHERE stream_id = 'appeal-b' AND revision = 1;
                    UPDATE events SET revision = 1 WHERE stream_id = 'appeal-b' AND revision = 2;
                    UPDATE events SET revision = 2 WHERE stream_id = 'appeal-b' AND revision = 1000;`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'reordered',
      streamId: 'appeal-b',
      revision: 2,
      position,
    });
  });

  it('names two events whose positions in $all were swapped', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    const [p3, p4] = [await t.position('appeal-a', 3), await t.position('appeal-a', 4)];
    await t.tamper(`UPDATE events SET position = -position WHERE stream_id = 'appeal-a' AND revision IN (3, 4);
                    UPDATE events SET position = ${p3} WHERE stream_id = 'appeal-a' AND revision = 4;
                    UPDATE events SET position = ${p4} WHERE stream_id = 'appeal-a' AND revision = 3;`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'reordered',
      streamId: 'appeal-a',
      revision: 4,
      position: p3,
    });
  });

  it('lists everything it finds, in stream order', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await t.tamper(
      `UPDATE events SET metadata = jsonb_set(metadata, '{actor,id}', '"petrov"') WHERE stream_id = 'appeal-c' AND revision = 4`,
    );
    await t.tamper(`DELETE FROM events WHERE stream_id = 'appeal-a' AND revision = 3`);
    const report = await verifyEventStore(t.pool, { key });
    expect(report.problems.map((p) => [p.kind, p.streamId, p.revision])).toEqual([
      ['missing-event', 'appeal-a', 4],
      ['edited', 'appeal-c', 4],
    ]);
  });
});

describe('signed checkpoints', () => {
  it('without one, a deleted tail or stream cannot be seen; with one, each is named', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    const checkpoint = await signWhenSettled(t);
    expect(checkpoint).toMatchObject({ eventCount: 15, streamCount: 3 });
    // Appends after the checkpoint are fine, and so is a later checkpoint over them.
    await t.store.append('appeal-d', [event('Registered')], 'no_stream');
    await t.store.append('appeal-a', [event('Reopened')], 4);
    expect(await verifyEventStore(t.pool, { key })).toMatchObject({ ok: true, checkpoint });
    const second = await signWhenSettled(t);
    expect(second).toMatchObject({ eventCount: 17, streamCount: 4 });

    const tailPosition = await t.position('appeal-b', 4);
    await t.tamper(`DELETE FROM events WHERE stream_id = 'appeal-b' AND revision = 4`);
    await t.tamper(`DELETE FROM events WHERE stream_id = 'appeal-c'`);
    // Without the key the chains alone look whole: what a per-stream chain cannot show.
    expect(await verifyEventStore(t.pool)).toMatchObject({ ok: true, checkpoint: null });
    const report = await verifyEventStore(t.pool, { key });
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'tail-deleted',
        streamId: 'appeal-b',
        revision: 4,
        position: tailPosition,
        message: expect.stringContaining('revision 4 is deleted') as string,
      }),
      expect.objectContaining({ kind: 'stream-deleted', streamId: 'appeal-c', revision: 4 }),
      expect.objectContaining({
        kind: 'event-count',
        message: expect.stringContaining('counted 17') as string,
      }),
    ]);
    // Nor will a new checkpoint sign over it.
    await expect(writeCheckpoint(t.pool, key)).rejects.toThrow(CheckpointRefusedError);
  });

  it('names a stream rewritten consistently after the checkpoint (every hash recomputed)', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await signWhenSettled(t);
    // The head edited in place with its hash recomputed: the chain alone looks whole.
    await t.tamper(`UPDATE events SET data = '{"text": "иначе"}',
        hash = event_chain_hash((SELECT hash FROM events WHERE stream_id = 'appeal-a' AND revision = 3),
                                stream_id, revision, event_id, position, type, '{"text": "иначе"}', metadata)
      WHERE stream_id = 'appeal-a' AND revision = 4`);
    expect(await verifyEventStore(t.pool)).toMatchObject({ ok: true });
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'head-rewritten',
      streamId: 'appeal-a',
      revision: 4,
    });
    await expect(writeCheckpoint(t.pool, key)).rejects.toThrow(/appeal-a/);
  });

  it('names a tail deleted and appended again after the checkpoint', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await signWhenSettled(t);
    await t.tamper(`DELETE FROM events WHERE stream_id = 'appeal-c' AND revision = 4`);
    await t.store.append('appeal-c', [event('Withdrawn')], 3);
    expect(await verifyEventStore(t.pool)).toMatchObject({ ok: true });
    const report = await verifyEventStore(t.pool, { key });
    expect(report.problems.map((p) => [p.kind, p.streamId])).toEqual([
      ['tail-deleted', 'appeal-c'],
      ['event-count', undefined],
    ]);
  });

  it('names an altered checkpoint row or heads table; another key cannot check it', async () => {
    const t = await fresh();
    await lifecycles(t.store);
    await signWhenSettled(t);
    expect(await verifyEventStore(t.pool, { key: integrityKey(randomBytes(32)) })).toMatchObject({
      ok: true,
      checkpoint: null,
      checkpointNote: expect.stringContaining('signed with key') as string,
    });
    await t.tamper(`UPDATE event_store_stream_heads SET revision = 3 WHERE stream_id = 'appeal-b'`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'checkpoint',
      message: expect.stringContaining('stream heads it signed') as string,
    });
    await t.tamper(`UPDATE event_store_stream_heads SET revision = 4 WHERE stream_id = 'appeal-b'`);
    await t.tamper(`UPDATE event_store_checkpoints SET event_count = 14`);
    expect(only(await verifyEventStore(t.pool, { key }))).toMatchObject({
      kind: 'checkpoint',
      message: expect.stringContaining('signature does not verify') as string,
    });
  });
});

/**
 * append_stream_starts() (migration 6) on real PostgreSQL: the first events of several new streams in
 * one call get contiguous positions in input order, taken with the transaction id in one locked step
 * (so position order never contradicts transaction-id order, with single appends running
 * concurrently); each is hashed as the first link of its stream's chain (the integrity verifier
 * agrees); any stream that is not new (exists, a retry, an id stored elsewhere) makes the call write
 * nothing and answer every stream's outcome; it must be its transaction's first write.
 */
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { DuplicateEventIdError } from '../event-store.errors';
import type { NewEvent } from '../event-store.port';
import { verifyEventStore } from './integrity/event-store-integrity';
import { PostgresEventStore, type StreamStart } from './postgres-event-store.adapter';

let db: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('stream_starts');
  pool = new Pool({ connectionString: db.url, max: 12 });
  store = new PostgresEventStore(pool, { pollIntervalMs: 100 });
  await store.migrate();
});

afterAll(async () => {
  await store?.close();
  await pool?.end();
  await db?.drop();
});

function event(type = 'Registered', data: Record<string, unknown> = {}): NewEvent {
  const id = randomUUID();
  return {
    id,
    type,
    data: { text: 'нет отопления', n: Math.random(), ...data },
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

function starts(n: number): StreamStart[] {
  return Array.from({ length: n }, () => ({ streamId: `appeal-${randomUUID()}`, event: event() }));
}

async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Resolves once a session of this database other than `own` waits on a lock in append_stream_starts(). */
async function untilWaitingOnALock(own: PoolClient): Promise<void> {
  for (;;) {
    const { rows } = await own.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND wait_event_type = 'Lock' AND query LIKE '%append_stream_starts%'`,
    );
    if (Number(rows[0].n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function eventCount(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0].n);
}

describe('append_stream_starts()', () => {
  it('gives a batch contiguous positions in input order with one transaction id, in tx-id order with concurrent appends, and hashes that verify', async () => {
    const batches = Array.from({ length: 6 }, () => starts(20));
    const singles = Array.from({ length: 40 }, () => ({
      streamId: `appeal-${randomUUID()}`,
      event: event(),
    }));
    // Batches and single appends race for the positions.
    const [outcomes] = await Promise.all([
      Promise.all(
        batches.map((batch) => inTransaction((c) => store.appendStreamStartsInTransaction(c, batch))),
      ),
      Promise.all(singles.map((s) => store.append(s.streamId, [s.event], 'no_stream'))),
      Promise.all(
        singles.map((s) => store.append(s.streamId, [event('Assigned')], 0).catch(() => undefined)),
      ),
    ]);

    for (const [b, batch] of batches.entries()) {
      const answered = outcomes[b];
      expect(answered.map((o) => o.outcome)).toEqual(batch.map(() => 'ok'));
      const positions = answered.map((o) => (o.outcome === 'ok' ? o.position : NaN));
      expect(positions).toEqual(positions.map((_, i) => positions[0] + i));
      const { rows } = await pool.query<{
        stream_id: string;
        revision: string;
        position: string;
        tx: string;
      }>(
        'SELECT stream_id, revision, position, tx_id::text AS tx FROM events WHERE stream_id = ANY ($1) ORDER BY position',
        [batch.map((s) => s.streamId)],
      );
      expect(rows.map((r) => r.stream_id)).toEqual(batch.map((s) => s.streamId));
      expect(rows.map((r) => Number(r.revision))).toEqual(batch.map(() => 0));
      expect(rows.map((r) => Number(r.position))).toEqual(positions);
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    }

    // The readers' rule: a smaller position never belongs to a younger transaction.
    const { rows: inversions } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT tx_id::text::numeric AS tx, lag(tx_id::text::numeric) OVER (ORDER BY position) AS before FROM events
       ) o WHERE o.before > o.tx`,
    );
    expect(Number(inversions[0].n)).toBe(0);

    const report = await verifyEventStore(pool);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checkedEvents).toBe(await eventCount());

    // $all readers see each batch whole, in order.
    const all = await store.readAll({ maxCount: 10_000 });
    const first = batches[0].map((s) => s.streamId);
    expect(all.filter((e) => first.includes(e.streamId)).map((e) => e.streamId)).toEqual(first);
  });

  it('writes nothing and answers every stream when one is not new: exists, a retry, an id stored elsewhere', async () => {
    const existing = { streamId: `appeal-${randomUUID()}`, event: event() };
    const stored = await store.append(existing.streamId, [existing.event, event('Assigned')], 'no_stream');
    const fresh = starts(3);
    const before = await eventCount();

    const refused = await inTransaction(async (c) => {
      const answer = await store.appendStreamStartsInTransaction(c, [
        fresh[0],
        { streamId: existing.streamId, event: event() }, // the stream exists
        fresh[1],
      ]);
      // nothing written, no transaction id taken: the same transaction may still append
      const { rows } = await c.query<{ xid: string | null }>(
        'SELECT pg_current_xact_id_if_assigned()::text AS xid',
      );
      expect(rows[0].xid).toBeNull();
      return answer;
    });
    expect(refused).toEqual([
      { outcome: 'not_written' },
      { outcome: 'wrong_revision', actual: 1 },
      { outcome: 'not_written' },
    ]);
    expect(await eventCount()).toBe(before);

    const retried = await inTransaction((c) =>
      store.appendStreamStartsInTransaction(c, [
        fresh[2],
        { streamId: existing.streamId, event: existing.event },
      ]),
    );
    expect(retried[1]).toEqual({ outcome: 'retry', revision: 0, position: stored.position - 1 });
    expect(retried[0]).toEqual({ outcome: 'not_written' });

    const elsewhere = await inTransaction((c) =>
      store.appendStreamStartsInTransaction(c, [
        fresh[0],
        { streamId: `appeal-${randomUUID()}`, event: existing.event },
      ]),
    );
    expect(elsewhere).toEqual([
      { outcome: 'not_written' },
      { outcome: 'duplicate', eventId: existing.event.id },
    ]);
    expect(await eventCount()).toBe(before);
  });

  it('must be the first write of its transaction, and refuses the same stream or event id twice', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await expect(store.appendStreamStartsInTransaction(client, starts(2))).rejects.toThrow(
        /append_stream_starts must be the first write of its transaction/,
      );
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const [a, b] = starts(2);
    await expect(
      inTransaction((c) => store.appendStreamStartsInTransaction(c, [a, { ...b, streamId: a.streamId }])),
    ).rejects.toThrow(/the same stream twice/);
    await expect(
      pool.query(
        `SELECT * FROM append_stream_starts(ARRAY[$1, $1], ARRAY[gen_random_uuid(), gen_random_uuid()],
           ARRAY['A', 'B'], ARRAY['{}'::jsonb, '{}'::jsonb], ARRAY['{}'::jsonb, '{}'::jsonb])`,
        [a.streamId],
      ),
    ).rejects.toMatchObject({ code: '22023' });
  });

  it('maps an id appended to another stream concurrently to DuplicateEventIdError', async () => {
    // The in-function check cannot see an uncommitted row of another transaction; the unique index can.
    const shared = event();
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await store.appendInTransaction(holder, `appeal-${randomUUID()}`, [shared], 'no_stream');
      const racing = inTransaction((c) =>
        store.appendStreamStartsInTransaction(c, [
          ...starts(1),
          { streamId: `appeal-${randomUUID()}`, event: shared },
        ]),
      );
      await untilWaitingOnALock(holder);
      await holder.query('COMMIT');
      await expect(racing).rejects.toBeInstanceOf(DuplicateEventIdError);
    } finally {
      holder.release();
    }
  });
});

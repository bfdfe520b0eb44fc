/**
 * The PostgreSQL adapter on real PostgreSQL: the shared contract, then what is specific to it —
 * readers never skip an event held by an in-flight transaction, the LISTEN client's life cycle,
 * the schema migrations and error mapping.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  StreamNotFoundError,
} from '../event-store.errors';
import type { AllSubscription, EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';
import { describeEventStoreContract } from '../testing';
import { EVENT_STORE_MIGRATIONS_TABLE, eventStoreMigrations } from './migrations/event-store.migrations';
import { visibleBoundaryReadModelsMigration } from './migrations/0007-visible-boundary-read-models.migration';
import {
  EVENTS_NOTIFY_CHANNEL,
  PostgresEventStore,
  READ_MODEL_APPLICATION_NAME,
  type PostgresEventStoreOptions,
} from './postgres-event-store.adapter';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('event_store');
});

afterAll(async () => {
  await db.drop();
});

interface StoreInSchema {
  store: PostgresEventStore;
  pool: Pool;
  schema: string;
  /** a client on the same schema, for transactions the test holds open */
  connect(): Promise<Client>;
  teardown(): Promise<void>;
}

/** A migrated store in a schema of its own: cheap isolation for every test. */
async function storeInFreshSchema(options: PostgresEventStoreOptions = {}): Promise<StoreInSchema> {
  const schema = `es_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const searchPath = `-c search_path=${schema}`;
  await withClient(db.url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const pool = new Pool({ connectionString: db.url, options: searchPath, max: 16 });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 250, ...options });
  await store.migrate();
  const clients: Client[] = [];
  return {
    store,
    pool,
    schema,
    connect: async () => {
      const client = new Client({ connectionString: db.url, options: searchPath });
      await client.connect();
      clients.push(client);
      return client;
    },
    teardown: async () => {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await store.close();
      await pool.end();
    },
  };
}

describeEventStoreContract('PostgreSQL', storeInFreshSchema);

describe('PostgresEventStore on PostgreSQL', () => {
  let cleanup: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  async function fresh(options: PostgresEventStoreOptions = {}): Promise<StoreInSchema> {
    const store = await storeInFreshSchema(options);
    cleanup = () => store.teardown();
    return store;
  }

  describe('readers never skip an event held by an in-flight transaction', () => {
    it('hides a later commit until the earlier position commits, then delivers both in order', async () => {
      const t = await fresh({ pollIntervalMs: 50 });
      const { store } = t;
      const subscription = store.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();

      // Transaction A takes a position and stays open.
      const a = await t.connect();
      await a.query('BEGIN');
      const held = await appendInTransaction(a, 'appeal-held');
      // Transaction B takes a larger position and commits.
      const committed = await store.append('appeal-quick', [newEvent('Registered')], 'no_stream');
      expect(committed.position).toBeGreaterThan(held.position);

      // B is committed, yet $all readers must not return it: A could still land below it.
      expect(await store.readAll()).toEqual([]);
      expect(await store.headPosition()).toBe(0);
      // Stream reads are not held back: a command handler reads its own writes.
      expect((await store.readStream('appeal-quick')).map((e) => e.position)).toEqual([committed.position]);

      let delivered: RecordedEvent | undefined;
      const first = iterator.next().then((r) => (delivered = r.done ? undefined : r.value));
      // Absence cannot be awaited as a fact: give the subscription ten polls (and B's notification) to misbehave.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(delivered).toBeUndefined();

      await a.query('COMMIT');
      await first;
      const second = await iterator.next();
      expect([delivered?.position, second.done ? undefined : second.value.position]).toEqual([
        held.position,
        committed.position,
      ]);
      // Both committed; a short transaction of another suite may still hold $all back for a moment.
      await eventually(async () => {
        expect((await store.readAll()).map((e) => e.position)).toEqual([held.position, committed.position]);
        expect(await store.headPosition()).toBe(committed.position);
      });
      await subscription.stop();
    });

    it('never answer fewer events than a head they answered when the boundary steps back for a moment', async () => {
      const t = await fresh({ pollIntervalMs: 50 });
      const first = await t.store.append('appeal-first', [newEvent('Registered')], 'no_stream');
      await eventually(async () => expect(await t.store.headPosition()).toBe(first.position));
      // The boundary now holds everything back, as it does for a moment when it counts as running a
      // transaction of another database that ended between its snapshot and its look at pg_stat_activity.
      await t.pool.query(
        `CREATE OR REPLACE FUNCTION events_visible_boundary() RETURNS xid8 LANGUAGE sql STABLE AS $$ SELECT '1'::xid8 $$`,
      );
      const second = await t.store.append('appeal-second', [newEvent('Registered')], 'no_stream');
      const positions = (events: RecordedEvent[]): number[] => events.map((e) => e.position);

      expect(positions(await t.store.readAll())).toEqual([first.position]);
      expect(positions(await t.store.readAll({ fields: 'fold' }))).toEqual([first.position]);
      expect(positions(await t.store.readAll({ direction: 'backwards' }))).toEqual([first.position]);
      expect(await t.store.headPosition()).toBe(first.position);
      expect(positions(await take(t.store.subscribeToAll(), 1))).toEqual([first.position]);
      // the memory is the adapter's own: one that has answered nothing yet sees nothing
      const other = new PostgresEventStore(t.pool);
      expect(await other.readAll()).toEqual([]);
      await other.close();

      await t.pool.query(visibleBoundaryReadModelsMigration.sql);
      await eventually(async () =>
        expect(positions(await t.store.readAll())).toEqual([first.position, second.position]),
      );
      expect(await t.store.headPosition()).toBe(second.position);
    });

    it('append_events() refuses a transaction that already has an id: its positions could precede an older one', async () => {
      // Were it allowed: B takes id 100, A appends (id 101, position 10) and holds, B appends
      // (position 11) and commits; readers below A (101) would return 11 and later skip 10.
      const t = await fresh();
      const client = await t.connect();
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await expect(appendInTransaction(client, 'appeal-1')).rejects.toThrow(/first write of its transaction/);
      await client.query('ROLLBACK');
    });

    it('20 transactions committing in random order: readers only ever see a gap-free prefix', async () => {
      const t = await fresh({ pollIntervalMs: 50 });
      const { store } = t;
      const clients = await Promise.all(Array.from({ length: 20 }, () => t.connect()));
      const held: { client: Client; position: number }[] = [];
      for (const [i, client] of clients.entries()) {
        await client.query('BEGIN');
        held.push({ client, position: (await appendInTransaction(client, `appeal-${i}`)).position });
      }
      const positions = held.map((h) => h.position);
      expectStrictlyIncreasing(positions);
      const delivered = take(store.subscribeToAll(), held.length);

      const committed = new Set<number>();
      // the positions of the committed prefix: the most a reader may see now
      const committedPrefix = (): number[] => {
        const end = positions.findIndex((p) => !committed.has(p));
        return positions.slice(0, end < 0 ? positions.length : end);
      };
      for (const { client, position } of shuffled(held)) {
        await client.query('COMMIT');
        committed.add(position);
        const allowed = committedPrefix();
        // Never a gap, never past the committed prefix. A read may stop short of it for a moment
        // (the boundary counts as running a transaction of another database that ended between its
        // snapshot and its look at pg_stat_activity: safe), so each read is checked on its own.
        const visible = (await store.readAll()).map((e) => e.position);
        expect(visible).toEqual(allowed.slice(0, visible.length));
        const head = await store.headPosition();
        expect([0, ...allowed]).toContain(head);
      }
      // once everything has committed, readers see it all
      await eventually(async () => {
        expect((await store.readAll()).map((e) => e.position)).toEqual(positions);
        expect(await store.headPosition()).toBe(positions.at(-1));
      });
      expect((await delivered).map((e) => e.position)).toEqual(positions);
    });

    it('32 appenders committing out of order under load: a subscriber gets every event once, in order', async () => {
      const t = await fresh();
      const { store } = t;
      const clients = await Promise.all(Array.from({ length: 32 }, () => t.connect()));
      const appendsPerClient = 15;
      const total = clients.length * appendsPerClient;
      const delivered = take(store.subscribeToAll(), total);
      const prefixViolations: string[] = [];
      let writing = true;
      // A reader polling throughout: what it sees must always be a prefix of the final $all.
      const snapshots: number[][] = [];
      const watcher = (async () => {
        while (writing) snapshots.push((await store.readAll()).map((e) => e.position));
      })();

      await Promise.all(
        clients.map(async (client, c) => {
          for (let i = 0; i < appendsPerClient; i += 1) {
            await client.query('BEGIN');
            await appendInTransaction(client, `appeal-${c}-${i}`);
            // Hold the transaction for a moment so commits interleave out of position order.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 6));
            await client.query('COMMIT');
          }
        }),
      );
      writing = false;
      await watcher;

      // Every append committed; $all shows them all once no older transaction elsewhere is in flight.
      let all: number[] = [];
      await eventually(async () => {
        all = (await store.readAll()).map((e) => e.position);
        expect(all).toHaveLength(total);
      });
      for (const seen of snapshots) {
        if (seen.some((p, i) => p !== all[i])) prefixViolations.push(seen.join(','));
      }
      expect(prefixViolations).toEqual([]);
      expect(snapshots.length).toBeGreaterThan(3);
      expect((await delivered).map((e) => e.position)).toEqual(all);
    });
  });

  describe('live subscriptions', () => {
    it('use one LISTEN connection for all subscriptions, released after the last stops', async () => {
      const t = await fresh();
      const first = t.store.subscribeToAll();
      const second = t.store.subscribeToAll();
      const pendingFirst = first[Symbol.asyncIterator]().next();
      const pendingSecond = second[Symbol.asyncIterator]().next();
      await eventually(async () => expect(await listenerPids(t.pool)).toHaveLength(1));

      await first.stop();
      expect(await listenerPids(t.pool)).toHaveLength(1);
      await second.stop();
      expect(await listenerPids(t.pool)).toHaveLength(0);
      expect(await Promise.all([pendingFirst, pendingSecond])).toEqual([
        { done: true, value: undefined },
        { done: true, value: undefined },
      ]);
    });

    it('reconnect the LISTEN client when its connection is killed, and are woken by notifications again', async () => {
      // A poll interval far beyond the test's patience: only a notification can deliver in time.
      const t = await fresh({ pollIntervalMs: 600_000 });
      const subscription = t.store.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();
      const pending = iterator.next();
      await eventually(async () => expect(await listenerPids(t.pool)).toHaveLength(1));
      const [killed] = await listenerPids(t.pool);

      await t.pool.query('SELECT pg_terminate_backend($1)', [killed]);
      await eventually(async () =>
        expect((await listenerPids(t.pool)).filter((pid) => pid !== killed)).toHaveLength(1),
      );
      const result = await t.store.append('appeal-after-reconnect', [newEvent('Registered')], 'no_stream');

      const delivered = await pending;
      expect(delivered.done ? undefined : delivered.value.position).toBe(result.position);
      await subscription.stop();
    });

    it('deliver a notified event held back by a transaction that then ends without appending, long before the next poll', async () => {
      // A poll interval far beyond the test's patience: the notified event must be re-read on its own.
      const t = await fresh({ pollIntervalMs: 600_000 });
      const subscription = t.store.subscribeToAll();
      const pending = subscription[Symbol.asyncIterator]().next();
      await eventually(async () => expect(await listenerPids(t.pool)).toHaveLength(1));

      // Another session of this database holds an xid, as any writer's transaction does: readers of
      // $all stop before every event appended after it, and when it ends it notifies nobody.
      const holder = await t.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const result = await t.store.append('appeal-held-back', [newEvent('Registered')], 'no_stream');
      expect(await t.store.readAll()).toEqual([]);
      // The notification arrives and the subscriber reads while the event is still held back.
      const early = await Promise.race([
        pending.then(() => 'delivered'),
        new Promise((resolve) => setTimeout(() => resolve('held back'), 300)),
      ]);
      expect(early).toBe('held back');

      await holder.query('COMMIT');
      const delivered = await pending;
      expect(delivered.done ? undefined : delivered.value.position).toBe(result.position);
      await subscription.stop();
    });

    it('close() ends every subscription and then refuses calls', async () => {
      const t = await fresh();
      const subscription = t.store.subscribeToAll();
      const pending = subscription[Symbol.asyncIterator]().next();
      await t.store.close();

      expect(await pending).toEqual({ done: true, value: undefined });
      await expect(t.store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(t.store.append('appeal-1', [newEvent('Registered')], 'any')).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
      expect(await listenerPids(t.pool)).toHaveLength(0);
    });
  });

  describe('schema and errors', () => {
    it('migrate() is idempotent and safe when several processes start at once', async () => {
      const t = await fresh();
      expect(await t.store.migrate()).toEqual([]);

      // Four more "processes" on a new schema, all at once: each migration is applied exactly once.
      const racers = await Promise.all(
        Array.from({ length: 4 }, () => storeInFreshSchemaSharing(t.schema + '_b')),
      );
      try {
        const applied = await Promise.all(racers.map((r) => r.store.migrate()));
        const versions = eventStoreMigrations.map((m) => m.version);
        expect(applied.flat().map((m) => m.version)).toEqual(versions);
        const { rows } = await racers[0].pool.query<{ version: string }>(
          `SELECT version FROM ${EVENT_STORE_MIGRATIONS_TABLE} ORDER BY version`,
        );
        expect(rows.map((r) => Number(r.version))).toEqual(versions);
        expect(await racers[0].store.append('appeal-1', [newEvent('Registered')], 'no_stream')).toEqual({
          nextExpectedRevision: 0,
          position: 1,
        });
      } finally {
        await Promise.all(racers.map((r) => r.close()));
      }
    });

    it('append_events() plans its lookups once per session, as index scans even on an empty table', async () => {
      const t = await fresh();
      const { rows } = await t.pool.query<{ config: string[] }>(
        "SELECT proconfig AS config FROM pg_proc WHERE proname = 'append_events' AND pronamespace = $1::regnamespace",
        [t.schema],
      );
      expect(rows[0].config).toEqual(
        expect.arrayContaining(['plan_cache_mode=force_generic_plan', 'enable_seqscan=off']),
      );
      // The generic plans its two lookups get under the function's settings: made once per session,
      // possibly while the table is still empty and never analyzed (the first append after a start).
      const client = await t.connect();
      const plans = async (): Promise<string[]> => {
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
          return [
            await explain(
              'SELECT count(*) FROM unnest($1::uuid[]) WITH ORDINALITY AS i(id, ord) JOIN events e ON e.event_id = i.id',
            ),
            await explain(
              'SELECT e.revision FROM events e WHERE e.stream_id = $1 ORDER BY e.revision DESC LIMIT 1',
            ),
          ];
        } finally {
          await client.query('ROLLBACK');
        }
      };
      for (const when of ['empty', 'filled']) {
        if (when === 'filled') {
          for (let i = 0; i < 40; i++) {
            const events = Array.from({ length: 50 }, () => newEvent('Registered'));
            await t.store.append(`appeal-${i}`, events, 'no_stream');
          }
          await t.pool.query('ANALYZE events');
        }
        const [byId, byStream] = await plans();
        expect([when, byId]).toEqual([
          when,
          expect.stringMatching(/Nested Loop[\s\S]*Index (Only )?Scan using events_event_id_key/),
        ]);
        expect([when, byStream]).toEqual([
          when,
          expect.stringMatching(/Index (Only )?Scan Backward using events_stream_revision_key/),
        ]);
        expect([when, `${byId}\n${byStream}`]).not.toEqual([
          when,
          expect.stringMatching(/Seq Scan|Hash Join/),
        ]);
      }
    });

    it('maps a concurrent append of the same id to another stream to DuplicateEventIdError', async () => {
      const t = await fresh();
      const event = newEvent('Registered');
      const holder = await t.connect();
      await holder.query('BEGIN');
      await appendInTransaction(holder, 'appeal-first', event);

      // Neither append can see the other's row yet; the second waits on the unique index.
      const second = t.store.append('appeal-second', [event], 'no_stream');
      await eventually(async () => {
        const { rows } = await t.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        expect(rows[0].n).toBe(1);
      });
      await holder.query('COMMIT');

      const error = await second.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ streamId: 'appeal-second', eventId: event.id });
      await expect(t.store.readStream('appeal-second')).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('refuses to edit or delete stored events', async () => {
      const t = await fresh();
      await t.store.append('appeal-1', [newEvent('Registered')], 'no_stream');
      await expect(t.pool.query(`UPDATE events SET type = 'Forged'`)).rejects.toThrow(/append-only/);
      await expect(t.pool.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    });

    it('maps an unreachable server to EventStoreUnavailableError', async () => {
      const unreachable = new PostgresEventStore('postgres://postgres:postgres@127.0.0.1:1/nowhere', {
        poolSize: 1,
      });
      cleanup = () => unreachable.close();
      await expect(
        unreachable.append('appeal-1', [newEvent('Registered')], 'no_stream'),
      ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.readStream('appeal-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(unreachable.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });
  });
});

/** A store on an existing or new schema, without migrating it (for the migration race). */
async function storeInFreshSchemaSharing(
  schema: string,
): Promise<{ store: PostgresEventStore; pool: Pool; close(): Promise<void> }> {
  await withClient(db.url, (c) => c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)).catch(() => undefined);
  const pool = new Pool({ connectionString: db.url, options: `-c search_path=${schema}`, max: 2 });
  const store = new PostgresEventStore(pool);
  return {
    store,
    pool,
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

/** append_events() called directly, inside the caller's open transaction. */
async function appendInTransaction(
  client: Client,
  streamId: string,
  event = newEvent('Registered'),
): Promise<{ position: number }> {
  const { rows } = await client.query<{ outcome: string; last_position: string }>(
    'SELECT outcome, last_position FROM append_events($1, -2, $2, $3, $4, $5)',
    [streamId, [event.id], [event.type], [JSON.stringify(event.data)], [JSON.stringify(event.metadata)]],
  );
  expect(rows[0].outcome).toBe('ok');
  return { position: Number(rows[0].last_position) };
}

/** Sessions whose LISTEN has completed (idle after it: registered, so notifications reach them). */
async function listenerPids(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND query = $1 AND state = 'idle' AND pid <> pg_backend_pid()`,
    [`LISTEN "${EVENTS_NOTIFY_CHANNEL}"`],
  );
  return rows.map((r) => r.pid);
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Retries an assertion until it passes (a fact the server reaches on its own), up to 10 s. */
async function eventually(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function take(subscription: AllSubscription, count: number): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.stop(), 30_000);
  try {
    for await (const event of subscription) {
      received.push(event);
      if (received.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.stop();
  }
  return received;
}

function newEvent(type: string): NewEvent {
  const commandId = randomUUID();
  const metadata: EventMetadata = {
    occurredAt: '2026-11-27T09:30:00.000Z',
    actor: { id: 'user-1', name: 'Тестов Т. Т.' },
    commandId,
    correlationId: commandId,
    causationId: commandId,
    schemaVersion: 1,
  };
  return { id: randomUUID(), type, data: { note: 'проверка' }, metadata };
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function expectStrictlyIncreasing(values: number[]): void {
  values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
}

describe('PostgresEventStore readers and other databases on the same server', () => {
  it('are not held back by a transaction in flight in another database', async () => {
    const mine = await createTestDatabase('boundary_mine');
    const other = await createTestDatabase('boundary_other');
    const store = new PostgresEventStore(mine.url);
    const blocker = new Client({ connectionString: other.url });
    try {
      await store.migrate();
      await blocker.connect();
      // A write transaction elsewhere on the cluster, left open: it holds an xid older than our append.
      await blocker.query('BEGIN');
      await blocker.query('CREATE TABLE hold (x int)');
      await blocker.query('SELECT pg_current_xact_id()');
      const appended = await store.append('appeal-boundary', [newEvent('Registered')], 'no_stream');
      // Short transactions elsewhere may delay it for a moment; the blocker, held throughout, must not
      // (held back by it, the head would never move: the bound is generous for a busy machine).
      const deadline = Date.now() + 10_000;
      while ((await store.headPosition()) < appended.position && Date.now() < deadline) {
        await new Promise((r) => setImmediate(r));
      }
      expect(await store.headPosition()).toBe(appended.position);
      expect((await store.readAll()).map((e) => e.position)).toEqual([appended.position]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await store.close();
      await mine.drop();
      await other.drop();
    }
  });
});

describe("PostgresEventStore readers and the read models' sessions", () => {
  it("are held back by an appender's transaction in flight, not by a read model's", async () => {
    const db = await createTestDatabase('boundary_read_model');
    const store = new PostgresEventStore(db.url);
    const session = (application_name: string) => new Client({ connectionString: db.url, application_name });
    const readModel = session(READ_MODEL_APPLICATION_NAME);
    const other = session('appeal-ledger-engine');
    try {
      await store.migrate();
      await Promise.all([readModel.connect(), other.connect()]);
      await readModel.query('CREATE TABLE rm_hold (x int)');
      // Each holds an xid older than the appends below, as a read model's batch blocked after taking
      // its checkpoint row FOR UPDATE does.
      const hold = async (client: Client) => {
        await client.query('BEGIN');
        await client.query('INSERT INTO rm_hold VALUES (1)');
        await client.query('SELECT pg_current_xact_id()');
      };
      await hold(other);
      const first = await store.append('appeal-boundary-1', [newEvent('Registered')], 'no_stream');
      // any session not known never to append: readers wait (it might be an appender in flight)
      expect(await store.headPosition()).toBeLessThan(first.position);
      await other.query('ROLLBACK');
      await hold(readModel);
      const second = await store.append('appeal-boundary-2', [newEvent('Registered')], 'no_stream');
      // the read model's session never appends: readers do not wait for it (short transactions
      // elsewhere may delay the head for a moment; the held one must not)
      const deadline = Date.now() + 10_000;
      while ((await store.headPosition()) < second.position && Date.now() < deadline) {
        await new Promise((r) => setImmediate(r));
      }
      expect(await store.headPosition()).toBe(second.position);
      expect((await store.readAll()).map((e) => e.position)).toEqual([first.position, second.position]);
    } finally {
      await readModel.query('ROLLBACK').catch(() => undefined);
      await other.query('ROLLBACK').catch(() => undefined);
      await Promise.all([readModel.end(), other.end()]);
      await store.close();
      await db.drop();
    }
  });
});

describe('PostgresEventStore.readStreams', () => {
  it('reads several streams in one call, each in revision order; streams without events are absent', async () => {
    const db = await createTestDatabase('read_streams');
    const store = new PostgresEventStore(db.url);
    try {
      await store.migrate();
      await store.append('appeal-a', [newEvent('A0'), newEvent('A1')], 'no_stream');
      await store.append('appeal-b', [newEvent('B0')], 'no_stream');
      await store.append('appeal-a', [newEvent('A2')], 1);
      const streams = await store.readStreams(['appeal-a', 'appeal-b', 'appeal-missing']);
      expect([...streams.keys()].sort()).toEqual(['appeal-a', 'appeal-b']);
      expect(streams.get('appeal-a')?.map((e) => [e.type, e.revision])).toEqual([
        ['A0', 0],
        ['A1', 1],
        ['A2', 2],
      ]);
      expect(streams.get('appeal-a')).toEqual(await store.readStream('appeal-a'));
      expect((await store.readStreams([])).size).toBe(0);
      // from a revision per stream (a batch catch-up of cached folds): only the later events
      const later = await store.readStreams(['appeal-a', 'appeal-b', 'appeal-missing'], [2, 1, 0]);
      expect([...later.keys()]).toEqual(['appeal-a']);
      expect(later.get('appeal-a')?.map((e) => [e.type, e.revision])).toEqual([['A2', 2]]);
      await expect(store.readStreams(['appeal-a'], [0, 1])).rejects.toThrow(RangeError);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

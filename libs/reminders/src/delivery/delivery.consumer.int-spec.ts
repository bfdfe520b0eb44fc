import { randomUUID } from 'node:crypto';
import { registered, reminderIssued } from '@appeal-ledger/appeal/testing';
import {
  PostgresEventStore,
  runMigrations,
  type EventStore,
  type RecordedEvent,
} from '@appeal-ledger/event-store';
import { DatabaseError, Pool } from 'pg';
import { killLockHolder, untilWaitingOnLock } from '../../../../test/support/advisory-lock';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { appendAppealEvents } from '../testing';
import { AppealNumbers } from './appeal-numbers.lookup';
import {
  DeliveryConsumer,
  readConsumerCheckpoint,
  readConsumerQuarantine,
  type DeliveryConsumerOptions,
} from './delivery.consumer';
import { EmailOutbox } from './email-digest.delivery';
import { REMINDER_DELIVERY_MIGRATIONS, REMINDER_MIGRATIONS_TABLE } from './delivery.migrations';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('DeliveryConsumer on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const consumers: DeliveryConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('reminder_consumer');
    pool = new Pool({ connectionString: db.url, max: 4 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
    await store.migrate();
    await runMigrations(pool, { table: REMINDER_MIGRATIONS_TABLE, migrations: REMINDER_DELIVERY_MIGRATIONS });
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  /** Appeals with one reminder each; returns the reminder events' positions. */
  async function seedReminders(prefix: string, count: number): Promise<number[]> {
    const positions: number[] = [];
    for (let i = 0; i < count; i++) {
      const appealId = `${prefix}-${i}`;
      await appendAppealEvents(store, appealId, [registered({ appealId })]);
      const result = await appendAppealEvents(store, appealId, [
        reminderIssued({ reminderId: `${appealId}-r` }),
      ]);
      positions.push(result.position);
    }
    return positions;
  }

  /** One appeal with one reminder of this id; returns the reminder event's position. */
  async function seedReminder(appealId: string, reminderId: string): Promise<number> {
    await appendAppealEvents(store, appealId, [registered({ appealId })]);
    return (await appendAppealEvents(store, appealId, [reminderIssued({ reminderId })])).position;
  }

  function consumer(
    name: string,
    handle: (event: RecordedEvent, signal: AbortSignal) => Promise<void | 'passed'>,
    options: Partial<DeliveryConsumerOptions> & { applicationName?: string } = {},
  ): DeliveryConsumer {
    const { applicationName, ...rest } = options;
    const c = new DeliveryConsumer({
      name,
      store,
      connection: { connectionString: db.url, application_name: applicationName ?? 'delivery-test' },
      eventTypes: ['DeadlineReminderIssued'],
      handle,
      retryDelayMs: 10,
      poisonAfterAttempts: 3,
      logger: quiet,
      ...rest,
    });
    consumers.push(c);
    return c;
  }

  it('delivers in position order, restarts a failed delivery from its checkpoint, and keeps following', async () => {
    const positions = await seedReminders('order', 5);
    const delivered: number[] = [];
    let failures = 2;
    const c = consumer('order', async (event) => {
      if (event.position === positions[2] && failures > 0) {
        failures -= 1;
        throw new Error('receiver down');
      }
      delivered.push(event.position);
      return Promise.resolve();
    });
    c.start();
    expect(await c.waitForPosition(positions[4], 10_000)).toBe(true);
    expect(delivered).toEqual(positions);
    expect(await readConsumerCheckpoint(pool, 'order')).toBe(positions[4]);

    const later = await seedReminders('order-later', 2);
    expect(await c.waitForPosition(later[1], 10_000)).toBe(true);
    expect(delivered).toEqual([...positions, ...later]);
  });

  it('has one active instance; a standby takes over after the checkpoint, redelivering nothing acknowledged', async () => {
    const positions = await seedReminders('failover', 4);
    const seen: [string, number][] = [];
    const a = consumer('failover', (e) => Promise.resolve(void seen.push(['a', e.position])));
    a.start();
    expect(await a.waitForPosition(positions[3], 10_000)).toBe(true);
    const b = consumer('failover', (e) => Promise.resolve(void seen.push(['b', e.position])));
    b.start();
    const more = await seedReminders('failover-more', 1);
    expect(await a.waitForPosition(more[0], 10_000)).toBe(true);
    expect(b.role).toBe('standby');
    await a.stop();
    const last = await seedReminders('failover-last', 1);
    expect(await b.waitForPosition(last[0], 10_000)).toBe(true);
    // (a new consumer starts at 0: it also sees the reminders of the test before)
    const order = seen.map(([, p]) => p);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    expect(seen.filter(([who]) => who === 'b')).toEqual([['b', last[0]]]);
    expect(order).toEqual(expect.arrayContaining([...positions, more[0], last[0]]));
  });

  it('quarantines an event its handler cannot take (the outbox refuses a malformed reminder id) and goes on', async () => {
    const before = await store.headPosition();
    const good = [await seedReminder('poison-a', randomUUID())];
    const bad = await seedReminder('poison-b', 'not-a-uuid'); // reminder_id is a uuid column
    good.push(await seedReminder('poison-c', randomUUID()));
    const outbox = new EmailOutbox(pool, new AppealNumbers(store));
    const attempts = new Map<number, number>();
    const c = consumer('poison-outbox', async (event) => {
      attempts.set(event.position, (attempts.get(event.position) ?? 0) + 1);
      if (event.position > before) await outbox.handle(event);
    });
    c.start();
    expect(await c.waitForPosition(good[1], 10_000)).toBe(true);
    expect(await readConsumerCheckpoint(pool, 'poison-outbox')).toBe(good[1]);
    const queued = await pool.query<{ position: string }>(
      'SELECT position::text AS position FROM reminder_email_outbox WHERE position = ANY($1) ORDER BY position',
      [good],
    );
    expect(queued.rows.map((r) => Number(r.position))).toEqual(good);
    expect(attempts.get(bad)).toBe(3);
    expect(await readConsumerQuarantine(pool, 'poison-outbox')).toEqual([
      expect.objectContaining({
        consumer: 'poison-outbox',
        position: bad,
        type: 'DeadlineReminderIssued',
        attempts: 3,
        error: expect.stringMatching(/^SQLSTATE 22P02: /) as unknown,
      }),
    ]);
    expect((await readConsumerQuarantine(pool, 'poison-outbox'))[0]?.error).not.toContain('not-a-uuid');
    expect(c.lastError).toBeNull();
  });

  it('never quarantines a transient failure, however often it repeats', async () => {
    const target = await seedReminder('transient-a', randomUUID());
    const after = await seedReminder('transient-b', randomUUID());
    let failures = 0;
    const delivered: number[] = [];
    const c = consumer('transient', async (event) => {
      if (event.position === target && failures < 7) {
        failures += 1;
        const error = new DatabaseError('could not serialize access due to concurrent update', 0, 'error');
        error.code = '40001';
        throw error;
      }
      delivered.push(event.position);
      return Promise.resolve();
    });
    c.start();
    expect(await c.waitForPosition(after, 10_000)).toBe(true);
    expect(failures).toBe(7); // more than poisonAfterAttempts (3)
    expect(delivered).toEqual(expect.arrayContaining([target, after]));
    expect(await readConsumerQuarantine(pool, 'transient')).toEqual([]);
  });

  it('catches up in pages of its batch size, asking the store for reminder events only', async () => {
    // starts after everything seeded so far
    const before = await store.headPosition();
    await pool.query('INSERT INTO reminder_delivery_checkpoints (consumer, position) VALUES ($1, $2)', [
      'paging',
      before,
    ]);
    const positions = await seedReminders('paging', 5);
    const reads: { after: number | undefined; maxCount: number | undefined; types: string[] | undefined }[] =
      [];
    const counting: EventStore = {
      append: (...args) => store.append(...args),
      readStream: (...args) => store.readStream(...args),
      readEvent: (...args) => store.readEvent(...args),
      readAll: (options) => {
        reads.push({
          after: options?.after,
          maxCount: options?.maxCount,
          types: options?.filter?.eventTypes,
        });
        return store.readAll(options);
      },
      headPosition: () => store.headPosition(),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: () => Promise.resolve(),
    };
    const delivered: number[] = [];
    const c = consumer('paging', (e) => Promise.resolve(void delivered.push(e.position)), {
      store: counting,
      batchSize: 2,
    });
    c.start();
    expect(await c.waitForPosition(positions[4], 10_000)).toBe(true);
    expect(delivered).toEqual(positions);
    // pages of 2, 2 and 1 (the short one ends the catch-up)
    const types = ['DeadlineReminderIssued'];
    expect(reads).toEqual([
      { after: before, maxCount: 2, types },
      { after: positions[1], maxCount: 2, types },
      { after: positions[3], maxCount: 2, types },
    ]);
  });

  it('tells prepare each batch’s events still to deliver, before the first of them is handled', async () => {
    const before = await store.headPosition();
    await pool.query('INSERT INTO reminder_delivery_checkpoints (consumer, position) VALUES ($1, $2)', [
      'preparing',
      before,
    ]);
    const positions = await seedReminders('preparing', 5);
    const log: string[] = [];
    const c = consumer('preparing', (e) => Promise.resolve(void log.push(`handle ${e.position}`)), {
      batchSize: 2,
      prepare: (events) =>
        Promise.resolve(void log.push(`prepare ${events.map((e) => e.position).join(',')}`)),
    });
    c.start();
    expect(await c.waitForPosition(positions[4], 10_000)).toBe(true);
    const [p0, p1, p2, p3, p4] = positions;
    expect(log).toEqual([
      `prepare ${p0},${p1}`,
      `handle ${p0}`,
      `handle ${p1}`,
      `prepare ${p2},${p3}`,
      `handle ${p2}`,
      `handle ${p3}`,
      `prepare ${p4}`,
      `handle ${p4}`,
    ]);
  });

  it('a standby takes over when the active instance’s session dies; the dead one delivers nothing more', async () => {
    const first = await seedReminders('death', 1);
    const seen: [string, number][] = [];
    const a = consumer('death', (e) => Promise.resolve(void seen.push(['a', e.position])), {
      applicationName: 'delivery-a',
    });
    a.start();
    expect(await a.waitForPosition(first[0], 60_000)).toBe(true);
    const b = consumer('death', (e) => Promise.resolve(void seen.push(['b', e.position])), {
      applicationName: 'delivery-b',
    });
    b.start();
    expect(b.role).toBe('standby');
    // b queues on the lock first: otherwise a, reconnecting after its session dies, may win it back
    await untilWaitingOnLock(pool, 'appeal-ledger:reminder-delivery:death');

    expect(await killLockHolder(pool, 'appeal-ledger:reminder-delivery:death')).toBe(1);
    const later = await seedReminders('death-later', 2);
    expect(await b.waitForPosition(later[1], 60_000)).toBe(true);
    expect(seen.filter(([, p]) => p > first[0])).toEqual([
      ['b', later[0]],
      ['b', later[1]],
    ]);
    expect(a.role).not.toBe('active');
    expect(await readConsumerCheckpoint(pool, 'death')).toBe(later[1]);
  }, 180_000); // a new session, a lock hand-over and a catch-up: slow on a saturated machine

  it('detects a checkpoint moved under it (an operator skipping ahead) and goes on from there', async () => {
    const [p1] = await seedReminders('moved', 1);
    const delivered: number[] = [];
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let gated = false;
    const c = consumer('moved', async (e) => {
      if (e.position > p1 && !gated) {
        gated = true;
        entered();
        await gate;
      }
      delivered.push(e.position);
    });
    c.start();
    expect(await c.waitForPosition(p1, 10_000)).toBe(true);
    const [p2, p3, p4] = await seedReminders('moved-later', 3);
    await inHandler; // delivering p2
    await pool.query('UPDATE reminder_delivery_checkpoints SET position = $1 WHERE consumer = $2', [
      p3,
      'moved',
    ]);
    release();
    expect(await c.waitForPosition(p4, 10_000)).toBe(true);
    // p2 was under way (at-least-once: delivered); p3 is skipped as the checkpoint says; p4 follows
    expect(delivered.filter((p) => p >= p1)).toEqual([p1, p2, p4]);
    expect(await readConsumerCheckpoint(pool, 'moved')).toBe(p4);
    expect(c.lastError).toBeNull();
    expect(c.role).toBe('active');
  });

  it('moves the checkpoint once for a run of events its handler passed by', async () => {
    // every move of a checkpoint, recorded by a trigger
    await pool.query(`CREATE TABLE checkpoint_moves (consumer text NOT NULL, position bigint NOT NULL)`);
    await pool.query(`CREATE FUNCTION count_checkpoint_move() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO checkpoint_moves VALUES (NEW.consumer, NEW.position); RETURN NEW; END $$`);
    await pool.query(`CREATE TRIGGER count_checkpoint_move AFTER UPDATE ON reminder_delivery_checkpoints
      FOR EACH ROW EXECUTE FUNCTION count_checkpoint_move()`);
    const positions = await seedReminders('passing', 6);
    const seen: number[] = [];
    const acted: number[] = [];
    const handle = (event: RecordedEvent): Promise<void | 'passed'> => {
      seen.push(event.position);
      if (event.position !== positions[2]) return Promise.resolve('passed');
      acted.push(event.position);
      return Promise.resolve();
    };
    const c = consumer('passing', handle);
    c.start();
    expect(await c.waitForPosition(positions[5], 10_000)).toBe(true);
    expect(acted).toEqual([positions[2]]);
    expect(seen.filter((p) => p >= positions[0])).toEqual(positions);
    expect(await readConsumerCheckpoint(pool, 'passing')).toBe(positions[5]);
    // one page: the acted-on event's move carries the two passed before it, one move the three after
    const { rows } = await pool.query<{ position: string }>(
      `SELECT position::text AS position FROM checkpoint_moves WHERE consumer = 'passing'`,
    );
    expect(rows.map((r) => Number(r.position))).toEqual([positions[2], positions[5]]);

    // restarted: nothing below the checkpoint comes again, and live events are passed the same way
    await c.stop();
    seen.length = 0;
    const again = consumer('passing', handle);
    again.start();
    const later = await seedReminders('passing-later', 2);
    expect(await again.waitForPosition(later[1], 10_000)).toBe(true);
    expect(seen).toEqual(later);
    expect(await readConsumerCheckpoint(pool, 'passing')).toBe(later[1]);
  });
});

import { registered, reminderIssued } from '@appeal-ledger/appeal/testing';
import { PostgresEventStore, runMigrations, type RecordedEvent } from '@appeal-ledger/event-store';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { appendAppealEvents } from '../testing';
import { CheckpointedConsumer, readConsumerCheckpoint } from './checkpointed.consumer';
import { REMINDER_DELIVERY_MIGRATIONS, REMINDER_MIGRATIONS_TABLE } from './delivery.migrations';

describe('CheckpointedConsumer on PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const consumers: CheckpointedConsumer[] = [];

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

  function consumer(name: string, handle: (event: RecordedEvent) => Promise<void>): CheckpointedConsumer {
    const c = new CheckpointedConsumer({
      name,
      store,
      connection: { connectionString: db.url },
      eventTypes: ['DeadlineReminderIssued'],
      handle,
      retryDelayMs: 10,
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
});

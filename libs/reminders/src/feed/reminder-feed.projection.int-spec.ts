import { assigned, registered, reminderIssued } from '@appeal-ledger/appeal/testing';
import { METADATA_NOT_READ, RECORDED_AT_NOT_READ } from '@appeal-ledger/event-store';
import { Pool } from 'pg';
import { applyEvents, createReadModel, dumpTables, EventLog } from '../../../projections/src/testing';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { findReminders } from './reminder-feed.query';
import { ReminderFeedProjection } from './reminder-feed.projection';

const R1 = '11111111-1111-5111-8111-111111111111';
const R2 = '22222222-2222-5222-8222-222222222222';
const R3 = '33333333-3333-5333-8333-333333333333';

describe('reminder feed read model (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new ReminderFeedProjection();
  let schemas = 0;

  beforeAll(async () => {
    db = await createTestDatabase('reminder_feed');
    pool = new Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** Two appeals: one with an executor and two reminders, one unassigned with one. */
  function log(): EventLog {
    const events = new EventLog();
    events.append('a-1', registered({ appealId: 'a-1', number: 'П/1' }));
    events.append('a-2', registered({ appealId: 'a-2', number: 'Д/2' }));
    events.append('a-1', assigned());
    events.append(
      'a-1',
      reminderIssued({
        reminderId: R1,
        department: 'Отдел ЖКХ',
        executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      }),
    );
    events.append('a-2', reminderIssued({ reminderId: R2, kind: 'overdue', businessDate: '2018-04-02' }));
    events.append(
      'a-1',
      reminderIssued({
        reminderId: R3,
        kind: 'due_today',
        businessDate: '2018-03-30',
        department: 'Отдел ЖКХ',
        executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      }),
    );
    return events;
  }

  async function given(events: EventLog, batchSize?: number): Promise<string> {
    const schema = `feed_${++schemas}`;
    await createReadModel(pool, projection, schema);
    await applyEvents(pool, projection, events.events, { batchSize, schema });
    return schema;
  }

  it('keeps one row per reminder with its appeal number, in position order, and filters', async () => {
    const schema = await given(log());
    const all = await findReminders(pool, {}, schema);
    expect(all.map((r) => [r.id, r.number, r.kind, r.department, r.executor?.id ?? null])).toEqual([
      [R1, 'П/1', 'due_soon', 'Отдел ЖКХ', 'sidorov'],
      [R2, 'Д/2', 'overdue', null, null],
      [R3, 'П/1', 'due_today', 'Отдел ЖКХ', 'sidorov'],
    ]);
    expect(all[0]).toEqual({
      id: R1,
      appealId: 'a-1',
      number: 'П/1',
      kind: 'due_soon',
      dueDate: '2018-03-30',
      issuedAt: '2018-03-27T09:00:00+07:00',
      department: 'Отдел ЖКХ',
      executor: { id: 'sidorov', name: 'Сидоров С.С.' },
      position: 4,
      businessDate: '2018-03-27',
    });
    expect((await findReminders(pool, { since: 4 }, schema)).map((r) => r.id)).toEqual([R2, R3]);
    expect((await findReminders(pool, { department: 'Отдел ЖКХ' }, schema)).map((r) => r.id)).toEqual([
      R1,
      R3,
    ]);
    expect((await findReminders(pool, { appealId: 'a-2' }, schema)).map((r) => r.id)).toEqual([R2]);
    expect((await findReminders(pool, { executorId: 'sidorov', limit: 1 }, schema)).map((r) => r.id)).toEqual(
      [R1],
    );
  });

  it('yields the same tables whatever the batches, and ignores a redelivered batch', async () => {
    const events = log();
    const whole = await given(events);
    const oneByOne = await given(events, 1);
    await applyEvents(pool, projection, events.events.slice(3), { schema: oneByOne });
    expect(await dumpTables(pool, oneByOne, projection.tables)).toEqual(
      await dumpTables(pool, whole, projection.tables),
    );
  });

  it('folds from its events’ data alone: a lean read (no metadata, no recordedAt) gives the same tables', async () => {
    expect(projection.foldsFromDataAlone).toBe(true);
    const events = log();
    const full = await given(events);
    const leanSchema = `feed_${++schemas}`;
    await createReadModel(pool, projection, leanSchema);
    const lean = events.events.map((e) => ({
      ...e,
      metadata: METADATA_NOT_READ,
      recordedAt: RECORDED_AT_NOT_READ,
    }));
    await applyEvents(pool, projection, lean, { schema: leanSchema });
    const dump = await dumpTables(pool, leanSchema, projection.tables);
    expect(Object.values(dump).every((rows) => rows.length > 0)).toBe(true);
    expect(dump).toEqual(await dumpTables(pool, full, projection.tables));
  });
});

import { ProductionCalendar } from '@appeal-ledger/appeal';
import {
  assigned,
  extended,
  finalAnswered,
  forwarded,
  interimAnswered,
  reassigned,
  registered,
  reminderIssued,
  removedFromControl,
  returnedForRework,
  withdrawn,
} from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { appendUpToWeek50, appendWeek51, HOUSING, ROADS } from '../testing/control-scenario';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { findControlRows, type ControlRow } from './control-rows.query';
import { CONTROL_SCHEMA, ControlProjection } from './control.projection';

describe('control read model (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new ControlProjection({ timeZone: 'Asia/Novokuznetsk' });
  let schemaCount = 0;

  /** given(events) applied in batches of `batchSize` → then the five tables */
  async function given(log: EventLog, batchSize?: number): Promise<Record<string, unknown[]>> {
    schemaCount += 1;
    const schema = `rm_control_case${schemaCount}`;
    await createReadModel(pool, projection, schema);
    await applyEvents(pool, projection, log.events, { batchSize, schema });
    return dumpTables(pool, schema, projection.tables);
  }

  beforeAll(async () => {
    db = await createTestDatabase('control');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await createReadModel(pool, projection);
    const log = new EventLog();
    appendUpToWeek50(log);
    appendWeek51(log);
    await applyEvents(pool, projection, log.events, { batchSize: 7 });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('stores every event type: rows and histories', async () => {
    const log = new EventLog();
    log.append(
      'a',
      registered({ appealId: 'a' }), // 1
      assigned(), // 2
      reminderIssued(), // 3
      extended(), // 4
      interimAnswered(), // 5
      reassigned(), // 6
      finalAnswered(), // 7
      returnedForRework(), // 8
      finalAnswered({ sentAt: '2018-04-09T10:00:00+07:00', late: false, dueDate: '2018-04-10' }), // 9
      removedFromControl({ closedAt: '2018-04-10T10:00:00+07:00' }), // 10
    );
    log.append('f', registered({ appealId: 'f', number: 'Ф/1' }), forwarded()); // 11, 12
    log.append('w', registered({ appealId: 'w', number: 'W/1' }), withdrawn()); // 13, 14
    const tables = await given(log, 4);
    expect(tables.appeals).toEqual([
      expect.objectContaining({
        appeal_id: 'a',
        state: 'closed',
        department: 'Дорожный отдел',
        executor_id: 'sidorov',
        due_date: '2018-04-10',
        extended: true,
        on_control: false,
        off_control_on: '2018-04-10',
        interim_answers: 1,
        first_interim_on: '2018-03-15',
        resolution_seq: 2,
        resolution_kind: 'final',
        resolved_on: '2018-04-09',
        late: false,
        reminders_issued: 1,
        position: 10,
      }),
      expect.objectContaining({
        appeal_id: 'f',
        state: 'closed',
        on_control: false,
        off_control_on: '2018-03-02',
        resolution_kind: 'forwarded',
        position: 12,
      }),
      expect.objectContaining({
        appeal_id: 'w',
        state: 'closed',
        on_control: false,
        off_control_on: '2018-03-03',
        resolution_kind: null,
        position: 14,
      }),
    ]);
    expect(tables.due_dates).toEqual([
      { appeal_id: 'a', position: 1, effective_on: '2018-03-01', due_date: '2018-03-30' },
      { appeal_id: 'a', position: 4, effective_on: '2018-03-20', due_date: '2018-04-10' },
      { appeal_id: 'f', position: 11, effective_on: '2018-03-01', due_date: '2018-03-30' },
      { appeal_id: 'w', position: 13, effective_on: '2018-03-01', due_date: '2018-03-30' },
    ]);
    expect(tables.assignments).toEqual([
      {
        appeal_id: 'a',
        position: 2,
        effective_on: '2018-03-02',
        department: 'ЖКХ',
        executor_id: 'ivanova',
        executor_name: 'Иванова А.А.',
      },
      {
        appeal_id: 'a',
        position: 6,
        effective_on: '2018-03-05',
        department: 'Дорожный отдел',
        executor_id: 'sidorov',
        executor_name: 'Сидоров С.С.',
      },
    ]);
    expect(tables.resolutions).toEqual([
      {
        appeal_id: 'a',
        seq: 1,
        kind: 'final',
        sent_on: '2018-03-28',
        due_date: '2018-03-30',
        late: false,
        returned_on: '2018-03-29',
      },
      {
        appeal_id: 'a',
        seq: 2,
        kind: 'final',
        sent_on: '2018-04-09',
        due_date: '2018-04-10',
        late: false,
        returned_on: null,
      },
      {
        appeal_id: 'f',
        seq: 1,
        kind: 'forwarded',
        sent_on: '2018-03-02',
        due_date: '2018-03-30',
        late: false,
        returned_on: null,
      },
    ]);
    expect(tables.reminders).toEqual([
      {
        reminder_id: 'r-due-soon-2018-03-30',
        appeal_id: 'a',
        kind: 'due_soon',
        business_date: '2018-03-27',
        due_date: '2018-03-30',
      },
    ]);
  });

  it('gives the same tables however the events are batched', async () => {
    const log = new EventLog();
    appendUpToWeek50(log);
    appendWeek51(log);
    const all = await given(log);
    expect(await given(log, 1)).toEqual(all);
    expect(await given(log, 3)).toEqual(all);
  });

  describe('findControlRows', () => {
    const calendar = ProductionCalendar.shipped();
    const today = '2018-12-24';
    const ids = (rows: ControlRow[]): string[] => rows.map((r) => r.id);

    it('lists by due date with docs/api.md’s row shape', async () => {
      const page = await findControlRows(pool, { onControl: true }, { today, calendar });
      expect(ids(page.rows)).toEqual(['w3', 'w7', 'w2', 'w5', 'w6']);
      expect(page.rows[0]).toEqual({
        id: 'w3',
        number: 'Д/w3',
        state: 'assigned',
        department: HOUSING,
        executor: { id: 'ivanova', name: 'Иванова А.А.' },
        registeredAt: '2018-11-01',
        dueDate: '2018-12-21',
        daysLeft: -1, // Fri 21 → Mon 24 December: one working day passed
        overdue: true,
        interimAnswers: 0,
        extended: true,
        onControl: true,
        finalAnswerAt: null,
        forwardedAt: null,
        late: null,
        remindersIssued: 0,
        forwardedLate: false,
        withoutAnswerGround: null,
        registeredLate: false,
        reportBackBy: null,
        reportToSourcePending: false,
        reportToSourceOverdue: false,
        reportedToSourceAt: null,
        onFurtherControl: false,
        furtherControlUntil: null,
        measuresCompletedAt: null,
        coExecutors: [],
      });
      expect(page.nextCursor).toBeNull();
    });

    it('filters by state, department, executor, overdue, due date and control', async () => {
      const find = async (filters: Parameters<typeof findControlRows>[1]) =>
        ids((await findControlRows(pool, filters, { today, calendar })).rows);
      expect(await find({ overdue: true })).toEqual(['w3']);
      expect(await find({ overdue: false, onControl: true })).toEqual(['w7', 'w2', 'w5', 'w6']);
      expect(await find({ department: ROADS })).toEqual(['w9', 'w7', 'w2']);
      expect(await find({ executorId: 'ivanova' })).toEqual(['w4', 'w1', 'w3']);
      expect(await find({ state: 'interim_answered' })).toEqual(['w2']);
      expect(await find({ state: 'closed' })).toEqual(['w4', 'w1', 'w9', 'w8']);
      expect(await find({ onControl: false })).toEqual(['w4', 'w1', 'w9', 'w8']);
      expect(await find({ dueBefore: '2018-12-14' })).toEqual(['w4', 'w1']);
    });

    it('pages with an opaque cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await findControlRows(pool, { limit: 2, cursor }, { today, calendar });
        seen.push(...ids(page.rows));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(ids((await findControlRows(pool, { limit: 100 }, { today, calendar })).rows));
      expect(seen).toHaveLength(9);
      await expect(findControlRows(pool, { limit: 0 }, { today, calendar })).rejects.toThrow(/limit/);
      await expect(findControlRows(pool, { cursor: 'x' }, { today, calendar })).rejects.toThrow(/cursor/);
    });

    it('uses the indexes for the filters', async () => {
      await pool.query(`ANALYZE ${CONTROL_SCHEMA}.appeals`);
      const plan = await pool.query<{ 'QUERY PLAN': string }>(
        `SET enable_seqscan = off; EXPLAIN SELECT * FROM ${CONTROL_SCHEMA}.appeals a WHERE a.department = 'ЖКХ' ORDER BY a.due_date, a.appeal_id LIMIT 51`,
      );
      expect(JSON.stringify(plan)).toContain('appeals_department_due');
      const onControl = await pool.query<{ 'QUERY PLAN': string }>(
        `SET enable_seqscan = off; EXPLAIN SELECT * FROM ${CONTROL_SCHEMA}.appeals a WHERE a.department = 'ЖКХ' AND a.on_control ORDER BY a.due_date, a.appeal_id LIMIT 51`,
      );
      expect(JSON.stringify(onControl)).toContain('appeals_on_control_department_due');
    });
  });
});

import { IVANOVA, SIDOROV } from '@appeal-ledger/appeal/testing';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ControlProjection } from '../control/control.projection';
import { InvalidReportQueryError } from '../shared/errors';
import { appendUpToWeek50, appendWeek51, HOUSING, ROADS } from '../testing/control-scenario';
import { EventLog } from '../testing/event-log';
import { applyEvents, createReadModel } from '../testing/projection-harness';
import { weeklyControlReport, type WeeklyReport } from './weekly-report.query';

describe('weekly control report (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const projection = new ControlProjection({ timeZone: 'Asia/Novokuznetsk' });

  beforeAll(async () => {
    db = await createTestDatabase('weekly');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await createReadModel(pool, projection);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const ref = (
    id: string,
    department: string | null,
    executor: { id: string; name: string } | null,
    dueDate: string,
  ) => ({
    id,
    number: `Д/${id}`,
    department,
    executor,
    dueDate,
  });

  const week50: WeeklyReport = {
    week: '2018-W50',
    from: '2018-12-10',
    to: '2018-12-16',
    onControl: 5,
    registered: 1,
    registeredLate: 0,
    finalAnswers: 2,
    removedFromControl: 2,
    remindersIssued: 2,
    forwarded: { total: 0, late: 0 },
    leftWithoutAnswer: {
      total: 0,
      byGround: {
        anonymous: 0,
        obscene: 0,
        unreadable: 0,
        unclear_essence: 0,
        state_secret: 0,
        answer_published: 0,
        court_decision: 0,
        correspondence_terminated: 0,
      },
    },
    overdue: [{ ...ref('w1', HOUSING, IVANOVA, '2018-12-12'), daysOverdue: 4 }],
    dueNextWeek: [ref('w2', ROADS, SIDOROV, '2018-12-20')],
    awaitingFinalAfterInterim: [ref('w2', ROADS, SIDOROV, '2018-12-20')],
    onFurtherControl: [],
    reportedToSource: { total: 0, late: 0 },
    reportBackOverdue: 0,
    coExecuted: 0,
    byDepartment: [
      { department: ROADS, onControl: 1, answeredOnTime: 0, answeredLate: 0, overdue: 0 },
      { department: HOUSING, onControl: 3, answeredOnTime: 1, answeredLate: 1, overdue: 1 },
      { department: null, onControl: 1, answeredOnTime: 0, answeredLate: 0, overdue: 0 },
    ],
  };

  it('as of the end of 2018-W50, from business dates', async () => {
    const log = new EventLog();
    appendUpToWeek50(log);
    await applyEvents(pool, projection, log.events, { batchSize: 5 });
    expect(await weeklyControlReport(pool, '2018-W50')).toEqual(week50);

    // later facts: rework of an answer sent in the week, an extension, a reassignment, a removal …
    const before = log.events.length;
    appendWeek51(log);
    await applyEvents(pool, projection, log.events.slice(before), { batchSize: 3 });
    // … do not change what the week looked like at its end
    expect(await weeklyControlReport(pool, '2018-W50')).toEqual(week50);

    // and are what the next week shows
    expect(await weeklyControlReport(pool, '2018-W51')).toEqual({
      week: '2018-W51',
      from: '2018-12-17',
      to: '2018-12-23',
      onControl: 5,
      registered: 1,
      registeredLate: 0,
      finalAnswers: 1,
      removedFromControl: 1,
      remindersIssued: 1,
      forwarded: { total: 0, late: 0 },
      leftWithoutAnswer: week50.leftWithoutAnswer,
      // the answer returned for rework is no longer in force; its due date (21st) has passed
      overdue: [{ ...ref('w3', HOUSING, IVANOVA, '2018-12-21'), daysOverdue: 2 }],
      dueNextWeek: [ref('w7', ROADS, SIDOROV, '2018-12-28')],
      awaitingFinalAfterInterim: [ref('w2', ROADS, SIDOROV, '2019-01-10')],
      onFurtherControl: [],
      reportedToSource: { total: 0, late: 0 },
      reportBackOverdue: 0,
      coExecuted: 0,
      byDepartment: [
        { department: ROADS, onControl: 2, answeredOnTime: 0, answeredLate: 0, overdue: 0 },
        { department: HOUSING, onControl: 1, answeredOnTime: 0, answeredLate: 1, overdue: 1 },
        { department: null, onControl: 2, answeredOnTime: 0, answeredLate: 0, overdue: 0 },
      ],
    });
  });

  it('rejects a malformed or non-existent week', async () => {
    await expect(weeklyControlReport(pool, '2018-50')).rejects.toThrow(InvalidReportQueryError);
    await expect(weeklyControlReport(pool, '2018-W53')).rejects.toThrow(/52 ISO weeks/);
  });
});

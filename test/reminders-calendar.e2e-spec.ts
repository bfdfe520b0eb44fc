/**
 * Reminders on the production calendar (issue 4): an engine ticking once a day through spring 2018
 * issues each reminder on the right working day around the March and May holidays and the working
 * Saturdays of 28 April and 9 June, in the administration's time zone.
 */
import { ProductionCalendar, addDays, compareDates } from '@appeal-ledger/appeal';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { committedHead } from '../libs/reminders/src/testing';
import { actors, history, ManualClock, registered, registration } from './support/appeals';
import { startTestEngine, type TestEngine } from './support/test-engine';

/** registeredAt → [kind, business date] in issue order (REMINDER_DAYS_BEFORE = 3). */
const CASES: Record<string, { dueDate: string; issued: [string, string][] }> = {
  // nominal 8 March (holiday) → due Wed 7 March; 8–11 March off → overdue Mon 12 March
  '2018-02-06': {
    dueDate: '2018-03-07',
    issued: [
      ['due_soon', '2018-03-02'],
      ['due_today', '2018-03-07'],
      ['overdue', '2018-03-12'],
    ],
  },
  // due Thu 3 May: three working days back are Sat 28 April (working), Fri 27, Thu 26
  '2018-04-03': {
    dueDate: '2018-05-03',
    issued: [
      ['due_soon', '2018-04-26'],
      ['due_today', '2018-05-03'],
      ['overdue', '2018-05-04'],
    ],
  },
  // nominal 9 May (holiday) → due Tue 8 May; back: 7, 4, 3 May; overdue Thu 10 May
  '2018-04-09': {
    dueDate: '2018-05-08',
    issued: [
      ['due_soon', '2018-05-03'],
      ['due_today', '2018-05-08'],
      ['overdue', '2018-05-10'],
    ],
  },
  // nominal Sat 9 June, a working Saturday: due that day; 10–12 June off → overdue Wed 13 June
  '2018-05-10': {
    dueDate: '2018-06-09',
    issued: [
      ['due_soon', '2018-06-06'],
      ['due_today', '2018-06-09'],
      ['overdue', '2018-06-13'],
    ],
  },
};

describe('reminders across holidays and working Saturdays', () => {
  const clock = new ManualClock(new Date('2018-06-20T10:00:00+07:00'));
  let t: TestEngine;
  let db: Pool;

  beforeAll(async () => {
    t = await startTestEngine({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    db = new Pool({ connectionString: t.database.url, max: 2 });
  });

  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  it('issues every reminder on its working day, and none on a day off', async () => {
    const a = actors(t);
    const appeals = new Map<string, string>();
    for (const registeredAt of Object.keys(CASES)) {
      const appeal = await registered(
        t,
        a.registrar,
        registration({ receivedAt: registeredAt, registeredAt }),
      );
      expect(appeal.dueDate).toBe(CASES[registeredAt].dueDate);
      appeals.set(appeal.id, registeredAt);
    }
    const runtime = t.engine.app.get(ReminderRuntime);
    const calendar = ProductionCalendar.shipped();
    const issuedOn: Record<string, string[]> = {};
    // 00:30 each night in Novokuznetsk (UTC+7), i.e. 17:30 UTC the evening before
    for (let day = '2018-02-26'; compareDates(day, '2018-06-15') <= 0; day = addDays(day, 1)) {
      clock.set(`${addDays(day, -1)}T17:30:00Z`);
      const pass = await runtime.runPass({ minPosition: await committedHead(db) });
      expect(pass.businessDate).toBe(day);
      if (pass.issued.length > 0) issuedOn[day] = pass.issued.map((r) => r.kind);
    }
    expect(Object.keys(issuedOn).every((day) => calendar.isWorkingDay(day))).toBe(true);

    for (const [id, registeredAt] of appeals) {
      const trail = (await history(t, a.supervisor, id)).body.filter(
        (e) => e.type === 'DeadlineReminderIssued',
      );
      expect({ registeredAt, issued: trail.map((e) => [e.data.kind, e.data.businessDate]) }).toEqual({
        registeredAt,
        issued: CASES[registeredAt].issued,
      });
    }
  });
});

/**
 * Reminders of the report owed to the sending body (`source.reportBackBy`, issue 14) with the real
 * reminder runtime: an engine ticking once a night through April–May 2018 issues `report_back_soon`
 * on the 3rd working day before the date asked for and `report_back_overdue` on the first working
 * day after it — also to an appeal already answered — until the report is recorded; the term's
 * reminders go on as before, and an appeal without the request gets none of the new kinds.
 */
import { addDays, compareDates } from '@appeal-ledger/appeal';
import type { Reminder } from '@appeal-ledger/reminders';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { committedHead } from '../libs/reminders/src/testing';
import {
  actors,
  assignBody,
  command,
  done,
  finalAnswerBody,
  history,
  HOUSING,
  ManualClock,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const FROM_REGION = {
  type: 'regional_administration',
  name: 'Администрация Кемеровской области',
  reference: '01-25/1234',
  date: '2018-03-02',
  reportBackBy: '2018-05-03', // Thu; 29 April – 2 May are days off, Sat 28 April a working day
} as const;

describe('report-back reminders with the reminder runtime', () => {
  const clock = new ManualClock(new Date('2018-03-30T10:00:00+07:00'));
  let t: TestEngine;
  let db: Pool;
  let who: Actors;
  /** answered 28 March, never reports: soon, then overdue */
  let answered: AppealSummary;
  /** answered, reports on 27 April after the soon reminder: no overdue */
  let reporting: AppealSummary;
  /** not answered, due the same day as its report: both kinds of reminder */
  let open: AppealSummary;
  /** answered, no request for the result: nothing */
  let direct: AppealSummary;

  beforeAll(async () => {
    t = await startTestEngine({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    db = new Pool({ connectionString: t.database.url, max: 2 });
    who = actors(t);
    const answer = async (appeal: AppealSummary): Promise<AppealSummary> => {
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      return done(
        command(
          t,
          who.executor('sidorov'),
          appeal.id,
          'final-answer',
          finalAnswerBody([HOUSING], '2018-03-28'),
        ),
      );
    };
    answered = await answer(await registered(t, who.registrar, registration({ source: FROM_REGION })));
    reporting = await answer(await registered(t, who.registrar, registration({ source: FROM_REGION })));
    direct = await answer(await registered(t, who.registrar, registration()));
    open = await registered(
      t,
      who.registrar,
      registration({ source: FROM_REGION, receivedAt: '2018-04-03', registeredAt: '2018-04-03' }),
    );
    expect(open.dueDate).toBe('2018-05-03');
  });

  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  const remindersOf = async (id: string): Promise<[string, string, string][]> =>
    (await history(t, who.supervisor, id)).body
      .filter((e) => e.type === 'DeadlineReminderIssued')
      .map((e) => [String(e.data.kind), String(e.data.dueDate), String(e.data.businessDate)]);

  it('issues report_back_soon and report_back_overdue on working days until the report is recorded', async () => {
    const runtime = t.engine.app.get(ReminderRuntime);
    for (let day = '2018-04-02'; compareDates(day, '2018-05-15') <= 0; day = addDays(day, 1)) {
      clock.set(`${addDays(day, -1)}T17:30:00Z`); // 00:30 in Novokuznetsk
      const pass = await runtime.runPass({ minPosition: await committedHead(db) });
      expect(pass.businessDate).toBe(day);
      if (day === '2018-04-27') {
        const reported = await http<AppealSummary>(
          t.url,
          'POST',
          `/appeals/${reporting.id}/report-to-source`,
          {
            token: who.controller,
            body: { sentAt: '2018-04-27', reference: 'исх. 01-12/77' },
          },
        );
        expect(reported.status).toBe(200);
      }
    }

    expect(await remindersOf(answered.id)).toEqual([
      ['report_back_soon', '2018-05-03', '2018-04-26'],
      ['report_back_overdue', '2018-05-03', '2018-05-04'],
    ]);
    expect(await remindersOf(reporting.id)).toEqual([['report_back_soon', '2018-05-03', '2018-04-26']]);
    // the term's reminders and the report's, each on its own date, the same day
    expect(await remindersOf(open.id)).toEqual(
      expect.arrayContaining([
        ['due_soon', '2018-05-03', '2018-04-26'],
        ['report_back_soon', '2018-05-03', '2018-04-26'],
        ['due_today', '2018-05-03', '2018-05-03'],
        ['overdue', '2018-05-03', '2018-05-04'],
        ['report_back_overdue', '2018-05-03', '2018-05-04'],
      ]),
    );
    expect(await remindersOf(open.id)).toHaveLength(5);
    expect(await remindersOf(direct.id)).toEqual([]);
  });

  it('delivers them like every reminder: GET /reminders with the date asked for as dueDate', async () => {
    const res = await http<Reminder[]>(t.url, 'GET', `/reminders?appealId=${answered.id}`, {
      token: who.controller,
    });
    expect(res.status).toBe(200);
    expect(res.body.map((r) => [r.kind, r.dueDate, r.number])).toEqual([
      ['report_back_soon', '2018-05-03', answered.number],
      ['report_back_overdue', '2018-05-03', answered.number],
    ]);
  });

  it('/control shows the date asked for and whether it was reported', async () => {
    const res = await http<{ rows: Record<string, unknown>[] }>(t.url, 'GET', '/control?limit=100', {
      token: who.controller,
    });
    expect(res.status).toBe(200);
    const row = (id: string) => res.body.rows.find((r) => r.id === id || r.appealId === id);
    expect(row(answered.id)).toMatchObject({
      reportBackBy: '2018-05-03',
      reportToSourcePending: true,
      reportedToSourceAt: null,
    });
    expect(row(reporting.id)).toMatchObject({
      reportBackBy: '2018-05-03',
      reportToSourcePending: false,
      reportedToSourceAt: '2018-04-27',
    });
    expect(row(direct.id)).toMatchObject({ reportBackBy: null, reportToSourcePending: false });
  });
});

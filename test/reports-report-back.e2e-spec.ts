/**
 * The reports count the report to the sending body (`source.reportBackBy`, issue 14) over HTTP: the
 * monthly/quarterly/annual summaries `reportedToSource { total, late }` and `reportBackOverdue` (still
 * owed past the date at `asOf`), the weekly report the reports sent during the week and those still
 * owed past their date at its end — a department's weekly report its own; CSV carries the lines.
 */
import {
  actors,
  assignBody,
  command,
  done,
  finalAnswerBody,
  HOUSING,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const asking = (reportBackBy: string) =>
  registration({
    source: { type: 'regional_administration', name: 'Администрация Кемеровской области', reportBackBy },
  });

interface Figure {
  current: number;
  previous: number;
}

describe('reports: the report to the sending body', () => {
  let t: TestEngine;
  let who: Actors;
  let last = 0;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    const answered = async (body: ReturnType<typeof registration>): Promise<AppealSummary> => {
      const appeal = await registered(t, who.registrar, body);
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      return done(
        command(
          t,
          who.executor('sidorov'),
          appeal.id,
          'final-answer',
          finalAnswerBody([HOUSING], '2018-03-27'),
        ),
      );
    };
    const report = async (appeal: AppealSummary, sentAt: string): Promise<void> => {
      const res = await http<AppealSummary>(t.url, 'POST', `/appeals/${appeal.id}/report-to-source`, {
        token: who.controller,
        body: { sentAt, reference: 'исх. 01-12/9' },
      });
      expect(res.status).toBe(200);
      last = Math.max(last, res.body.position);
    };
    // registered 6 March 2018 (week 2018-W10), answered 27 March; week 2018-W13 is 26 March – 1 April
    await report(await answered(asking('2018-04-02')), '2018-03-30'); // on time
    await report(await answered(asking('2018-03-29')), '2018-03-30'); // late
    const owed = await answered(asking('2018-03-28')); // never reported: overdue
    const later = await answered(asking('2018-06-30')); // owed, its date not yet passed
    const direct = await answered(registration()); // nobody asked
    last = Math.max(last, owed.position, later.position, direct.position);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('the monthly, quarterly and annual summaries count reported, reported late and still owed past the date', async () => {
    for (const path of [
      '/reports/monthly?year=2018&month=3',
      '/reports/quarterly?year=2018&quarter=1',
      '/reports/annual?year=2018',
    ]) {
      const res = await http<{
        appeals: {
          total: Figure;
          reportedToSource: { total: Figure; late: Figure };
          reportBackOverdue: Figure;
        };
      }>(t.url, 'GET', `${path}&asOf=2018-04-10&minPosition=${last}`, { token: who.supervisor });
      expect(res.status).toBe(200);
      expect(res.body.appeals.total.current).toBe(5);
      expect(res.body.appeals.reportedToSource).toMatchObject({
        total: { current: 2, previous: 0 },
        late: { current: 1, previous: 0 },
      });
      expect(res.body.appeals.reportBackOverdue).toMatchObject({ current: 1, previous: 0 });
    }
    // judged at asOf: before 28 March nothing was owed past its date
    const early = await http<{ appeals: { reportBackOverdue: Figure } }>(
      t.url,
      'GET',
      `/reports/monthly?year=2018&month=3&asOf=2018-03-28&minPosition=${last}`,
      { token: who.supervisor },
    );
    expect(early.body.appeals.reportBackOverdue.current).toBe(0);
  });

  it('the weekly report counts the reports sent in the week and those owed past their date at its end', async () => {
    const weekly = async (week: string, token = who.supervisor) => {
      const res = await http<{
        reportedToSource: { total: number; late: number };
        reportBackOverdue: number;
      }>(t.url, 'GET', `/reports/weekly?week=${week}&minPosition=${last}`, { token });
      expect(res.status).toBe(200);
      return { reportedToSource: res.body.reportedToSource, reportBackOverdue: res.body.reportBackOverdue };
    };
    expect(await weekly('2018-W13')).toEqual({
      reportedToSource: { total: 2, late: 1 },
      reportBackOverdue: 1,
    });
    // the week before: nothing sent, nothing past its date yet (28 March is in W13)
    expect(await weekly('2018-W12')).toEqual({
      reportedToSource: { total: 0, late: 0 },
      reportBackOverdue: 0,
    });
    // a department's report: its own appeals (all are «Отдел ЖКХ»'s here), another department's nothing
    const own = t.token('kuz-zhkh', ['controller'], { name: 'Кузнецова', department: 'Отдел ЖКХ' });
    const other = t.token('kuz-edu', ['controller'], { name: 'Петрова', department: 'Отдел образования' });
    expect(await weekly('2018-W13', own)).toEqual({
      reportedToSource: { total: 2, late: 1 },
      reportBackOverdue: 1,
    });
    expect(await weekly('2018-W13', other)).toEqual({
      reportedToSource: { total: 0, late: 0 },
      reportBackOverdue: 0,
    });
  });

  it('the documents carry the lines', async () => {
    const csv = await fetch(`${t.url}/reports/weekly?week=2018-W13&format=csv&minPosition=${last}`, {
      headers: { authorization: `Bearer ${who.supervisor}` },
    });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain('Доложено о результатах направившему органу');
    expect(text).toContain('Срок доклада направившему органу истёк, не доложено');
  });
});

/**
 * The read models over HTTP: GET /control (rows, filters, paging), the summary and weekly reports in
 * every format, minPosition, and the errors of each endpoint. "Today" is fixed by a manual clock so
 * days left and overdue are exact.
 */
import ExcelJS from 'exceljs';
import { http, startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  expectValidation,
  finalAnswerBody,
  HOUSING,
  ManualClock,
  registered,
  registration,
  ROADS,
  SOCIAL,
  type Actors,
  type AppealSummary,
} from './support/appeals';

interface ControlRow {
  id: string;
  number: string;
  state: string;
  department: string | null;
  executor: { id: string; name: string } | null;
  registeredAt: string;
  dueDate: string;
  daysLeft: number;
  overdue: boolean;
  interimAnswers: number;
}
interface ControlPage {
  rows: ControlRow[];
  nextCursor: string | null;
}
interface Comparison {
  current: number;
  previous: number;
  change: number;
  changePercent: number | null;
}

describe('read models over HTTP', () => {
  // 2018-04-10 (Tuesday) 10:00 in Asia/Novokuznetsk.
  const clock = new ManualClock(new Date('2018-04-10T03:00:00Z'));
  let t: TestEngine;
  let who: Actors;
  let last = 0;
  const ids: Record<string, AppealSummary> = {};

  const track = (s: AppealSummary): AppealSummary => {
    last = Math.max(last, s.position);
    return s;
  };

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
    const reg = who.registrar;
    const ctl = who.controller;
    // 2017: two appeals (one written, one electronic)
    track(await registered(t, reg, registration({ receivedAt: '2017-05-02', registeredAt: '2017-05-03' })));
    track(
      await registered(
        t,
        reg,
        registration({
          receivedAt: '2017-06-01',
          registeredAt: '2017-06-01',
          channel: 'electronic',
          applicants: [{ name: 'Смирнов', email: 's@example.org' }],
        }),
      ),
    );
    // 2018: five appeals
    ids.onTime = track(
      await registered(t, reg, registration({ registeredAt: '2018-03-06', receivedAt: '2018-03-05' })),
    );
    ids.late = track(
      await registered(
        t,
        reg,
        registration({ registeredAt: '2018-02-01', receivedAt: '2018-02-01', questions: [{ code: ROADS }] }),
      ),
    );
    ids.overdue = track(
      await registered(
        t,
        reg,
        registration({
          registeredAt: '2018-03-01',
          receivedAt: '2018-03-01',
          channel: 'electronic',
          source: { type: 'presidential_administration', reference: 'А26-01-123', date: '2018-02-27' },
          applicants: [{ name: 'Козлов К.К.', email: 'k@example.org' }],
          questions: [{ code: SOCIAL }],
        }),
      ),
    );
    ids.interim = track(
      await registered(
        t,
        reg,
        registration({ registeredAt: '2018-03-20', receivedAt: '2018-03-19', channel: 'phone' }),
      ),
    );
    ids.fresh = track(
      await registered(
        t,
        reg,
        registration({
          registeredAt: '2018-04-09',
          receivedAt: '2018-04-09',
          channel: 'personal_reception',
          reception: { officialRole: 'head', officialName: 'Глава', onSite: true },
          questions: [{ code: HOUSING }, { code: ROADS }],
        }),
      ),
    );
    const ex = who.executor('sidorov');
    for (const key of ['onTime', 'late', 'overdue', 'interim']) {
      track(
        await done(
          command(
            t,
            ctl,
            ids[key].id,
            'assignment',
            assignBody(undefined, key === 'late' ? 'Отдел дорог' : 'Отдел ЖКХ', '2018-03-21'),
          ),
        ),
      );
    }
    track(
      await done(
        command(t, ex, ids.onTime.id, 'final-answer', finalAnswerBody([HOUSING], '2018-03-28', 'supported')),
      ),
    );
    track(await done(command(t, ctl, ids.onTime.id, 'closure', { closedAt: '2018-03-29' })));
    // due 2018-03-02 (registered 02-01 + 29 days in February → 03-03, a Saturday → preceding working day)
    track(
      await done(
        command(t, ex, ids.late.id, 'final-answer', finalAnswerBody([ROADS], '2018-03-26', 'explained')),
      ),
    );
    track(
      await done(
        command(t, ex, ids.interim.id, 'interim-answers', { sentAt: '2018-04-02', summary: 'проверка' }),
      ),
    );
  });

  afterAll(async () => {
    await t.stop();
  });

  const control = (query: string, token = who.controller): Promise<HttpResult<ControlPage>> =>
    http<ControlPage>(t.url, 'GET', `/control?minPosition=${last}${query ? `&${query}` : ''}`, { token });

  describe('GET /control', () => {
    it('lists every appeal with its due date, working days left and overdue flag as of today', async () => {
      const res = await control('limit=500');
      expect(res.status).toBe(200);
      const byId = new Map(res.body.rows.map((r) => [r.id, r]));
      expect(byId.size).toBe(7);
      const overdue = byId.get(ids.overdue.id);
      expect(overdue).toMatchObject({
        state: 'assigned',
        dueDate: ids.overdue.dueDate,
        overdue: true,
        department: 'Отдел ЖКХ',
      });
      expect(overdue?.daysLeft).toBeLessThan(0);
      const interim = byId.get(ids.interim.id);
      expect(interim).toMatchObject({
        state: 'interim_answered',
        interimAnswers: 1,
        overdue: false,
        executor: { id: 'sidorov' },
      });
      // registered 2018-03-20 → due 2018-04-19; from Tue 2018-04-10: 11,12,13,16,17,18,19 = 7 working days
      expect(interim?.dueDate).toBe('2018-04-19');
      expect(interim?.daysLeft).toBe(7);
      expect(byId.get(ids.onTime.id)).toMatchObject({ state: 'closed', overdue: false });
    });

    it('filters by state, department, executor, overdue, due date and control', async () => {
      expect((await control('state=interim_answered')).body.rows.map((r) => r.id)).toEqual([ids.interim.id]);
      const roads = (await control('department=' + encodeURIComponent('Отдел дорог'))).body.rows;
      expect(roads.map((r) => r.id)).toEqual([ids.late.id]);
      const overdue = (await control('overdue=true')).body.rows.map((r) => r.id);
      expect(overdue).toContain(ids.overdue.id);
      expect(overdue).not.toContain(ids.interim.id);
      const mine = (await control('executorId=sidorov&onControl=true')).body.rows.map((r) => r.id).sort();
      expect(mine).toEqual([ids.late.id, ids.overdue.id, ids.interim.id].sort());
      const dueBefore = (await control('dueBefore=2018-04-01&onControl=true')).body.rows;
      expect(dueBefore.every((r) => r.dueDate < '2018-04-01')).toBe(true);
      const off = (await control('onControl=false')).body.rows.map((r) => r.id);
      expect(off).toEqual([ids.onTime.id]);
    });

    it('pages with an opaque cursor, without repeating or losing a row', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: HttpResult<ControlPage> = await control(
          `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.rows.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.rows.map((r) => r.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(new Set(seen).size).toBe(7);
      expect(seen).toHaveLength(7);
    });

    it('shows an executor only the appeals assigned to them', async () => {
      const other = await control('', who.executor('petrova'));
      expect(other.status).toBe(200);
      expect(other.body.rows).toEqual([]);
      const own = await control('', who.executor('sidorov'));
      expect(own.body.rows.length).toBe(4);
    });

    it('refuses bad filters (400), no token (401)', async () => {
      expectValidation(await control('state=lost'), 'state');
      expectValidation(await control('overdue=maybe'), 'overdue');
      expectValidation(await control('dueBefore=2018-02-30'), 'dueBefore');
      expectValidation(await control('limit=0'), 'limit');
      expectValidation(await control('minPosition=-1'), 'minPosition');
      expectProblem(await http(t.url, 'GET', '/control'), 401);
    });

    it('sees a command at once when asked with its position (minPosition)', async () => {
      const appeal = track(
        await registered(
          t,
          who.registrar,
          registration({ registeredAt: '2018-04-10', receivedAt: '2018-04-10' }),
        ),
      );
      const rows = (await control(`state=registered&limit=500`)).body.rows.map((r) => r.id);
      expect(rows).toContain(appeal.id);
      ids.latest = appeal;
    });
  });

  describe('GET /reports/annual|quarterly|monthly', () => {
    const annual = (
      query: string,
      headers: Record<string, string> = {},
    ): Promise<HttpResult<Record<string, unknown>>> =>
      http(t.url, 'GET', `/reports/annual?minPosition=${last}&${query}`, { token: who.supervisor, headers });

    it('counts appeals of the year against the previous one, by form, channel, source, with percent change', async () => {
      const res = await annual('year=2018&asOf=2018-04-10');
      expect(res.status).toBe(200);
      const body = res.body as {
        period: { from: string; to: string };
        comparedTo: { from: string; to: string };
        appeals: Record<string, Comparison | Record<string, Comparison>>;
        questions: {
          total: Comparison;
          bySection: Record<string, Comparison>;
          byResult: Record<string, Comparison>;
        };
        personalReception: { byOfficialRole: Record<string, { questions: Comparison; onSite: Comparison }> };
      };
      expect(body.period).toEqual({ from: '2018-01-01', to: '2018-12-31' });
      expect(body.comparedTo).toEqual({ from: '2017-01-01', to: '2017-12-31' });
      expect(body.appeals.total).toEqual({ current: 6, previous: 2, change: 4, changePercent: 200 });
      const byForm = body.appeals.byForm as Record<string, Comparison>;
      expect(byForm.written).toMatchObject({ current: 3, previous: 1 });
      expect(byForm.electronic).toMatchObject({ current: 1, previous: 1, changePercent: 0 });
      expect(byForm.oral).toMatchObject({ current: 2, previous: 0, changePercent: null });
      expect((body.appeals.byChannel as Record<string, Comparison>).phone.current).toBe(1);
      expect((body.appeals.bySource as Record<string, Comparison>).presidential_administration.current).toBe(
        1,
      );
      // late: answered after its due date (ids.late) + still unanswered past it (ids.overdue)
      expect((body.appeals.answeredLate as Comparison).current).toBe(2);
      expect(body.questions.total.current).toBe(7);
      expect(body.questions.bySection['0005'].current).toBe(4);
      expect(body.questions.byResult.supported.current).toBe(1);
      expect(body.personalReception.byOfficialRole.head).toMatchObject({
        questions: { current: 2 },
        onSite: { current: 2 },
      });
    });

    it('compares with another year on request, and quarterly/monthly use the same shape', async () => {
      const res = await annual('year=2018&compareTo=2016');
      expect((res.body as { comparedTo: { from: string } }).comparedTo.from).toBe('2016-01-01');
      const q = await http<{ period: { from: string; to: string }; appeals: { total: Comparison } }>(
        t.url,
        'GET',
        '/reports/quarterly?year=2018&quarter=1',
        { token: who.controller },
      );
      expect(q.status).toBe(200);
      expect(q.body.period).toEqual({ from: '2018-01-01', to: '2018-03-31' });
      expect(q.body.appeals.total.current).toBe(4);
      const m = await http<{ period: { from: string }; appeals: { total: Comparison } }>(
        t.url,
        'GET',
        '/reports/monthly?year=2018&month=4',
        { token: who.controller },
      );
      expect(m.body.period.from).toBe('2018-04-01');
      expect(m.body.appeals.total.current).toBe(2);
    });

    it('gives the same figures as CSV (Accept), XLSX and a printable HTML page with inline SVG charts', async () => {
      const csv = await annual('year=2018', { accept: 'text/csv' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const text = csv.body as unknown as string;
      expect(text).toContain('Поступило обращений, всего');
      expect(text).toMatch(/Поступило обращений, всего;6;2;/);

      const xlsx = await fetch(`${t.url}/reports/annual?year=2018&format=xlsx`, {
        headers: { authorization: `Bearer ${who.supervisor}` },
      });
      expect(xlsx.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const cells: unknown[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => cells.push(...(row.values as unknown[]))));
      expect(cells).toContain('Поступило обращений, всего');
      expect(cells).toContain(6);

      const html = await annual('year=2018&format=html');
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      const page = html.body as unknown as string;
      expect(page).toContain('<svg');
      expect(page).toMatch(/Справка/);
      expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href="?https?:/);
    });

    it('refuses bad parameters (400) and roles that may not read reports (403)', async () => {
      expectValidation(await annual(''), 'year');
      expectValidation(await annual('year=abc'), 'year');
      expectValidation(await annual('year=2018&format=pdf'), 'format');
      expectValidation(await annual('year=2018&asOf=2018-13-01'), 'asOf');
      expectValidation(
        await http(t.url, 'GET', '/reports/quarterly?year=2018&quarter=5', { token: who.controller }),
        'quarter',
      );
      expectValidation(
        await http(t.url, 'GET', '/reports/monthly?year=2018', { token: who.controller }),
        'month',
      );
      expectProblem(
        await http(t.url, 'GET', '/reports/annual?year=2018', { token: who.executor('sidorov') }),
        403,
      );
      expectProblem(await http(t.url, 'GET', '/reports/annual?year=2018'), 401);
    });
  });

  describe('GET /reports/weekly', () => {
    const weekly = (week: string, extra = ''): Promise<HttpResult<Record<string, unknown>>> =>
      http(t.url, 'GET', `/reports/weekly?week=${week}&minPosition=${last}${extra}`, {
        token: who.supervisor,
      });

    it('reports the week as of its end, from business dates', async () => {
      const res = await weekly('2018-W14');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ week: '2018-W14', from: '2018-04-02', to: '2018-04-08' });
      const overdue = res.body.overdue as { id: string; daysOverdue: number }[];
      expect(overdue.map((o) => o.id)).toContain(ids.overdue.id);
      const awaiting = res.body.awaitingFinalAfterInterim as { id: string }[];
      expect(awaiting.map((a) => a.id)).toEqual([ids.interim.id]);
    });

    it('regenerates a past week identically after later events', async () => {
      const before = await weekly('2018-W13');
      track(
        await done(
          command(
            t,
            who.executor('sidorov'),
            ids.overdue.id,
            'final-answer',
            finalAnswerBody([SOCIAL], '2018-04-10'),
          ),
        ),
      );
      const after = await weekly('2018-W13');
      expect(after.body).toEqual(before.body);
    });

    it('comes as HTML, XLSX and CSV too, and refuses a malformed week', async () => {
      const html = await weekly('2018-W14', '&format=html');
      expect(html.body as unknown as string).toContain('<table');
      const xlsx = await fetch(`${t.url}/reports/weekly?week=2018-W14&format=xlsx`, {
        headers: { authorization: `Bearer ${who.controller}` },
      });
      expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
      expect(
        Buffer.from(await xlsx.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
      const csv = await weekly('2018-W14', '&format=csv');
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expectValidation(await weekly('2018-50'), 'week');
      expectValidation(await weekly('2018-W54'), 'week');
    });
  });

  describe('operations', () => {
    it('exposes projection lag on /metrics and /health', async () => {
      const metrics = await http<string>(t.url, 'GET', '/metrics', { token: who.admin });
      expect(metrics.body).toMatch(/appeal_ledger_projection_lag_events\{projection="control"\} \d+/);
      const health = await http<{ checks: Record<string, { status: string; lag?: number }> }>(
        t.url,
        'GET',
        '/health',
        { token: who.supervisor },
      );
      expect(health.body.checks['projection:control']).toMatchObject({ status: 'ok' });
      expect(typeof health.body.checks['projection:statistics'].lag).toBe('number');
    });

    it('rebuilds a read model on request (admin) with the same rows', async () => {
      const before = await control('limit=500');
      const rebuilt = await http<{ name: string; events: number }>(
        t.url,
        'POST',
        '/admin/projections/control/rebuild',
        { token: who.admin },
      );
      expect(rebuilt.status).toBe(200);
      expect(rebuilt.body.events).toBeGreaterThan(0);
      const after = await control('limit=500');
      expect(after.body.rows).toEqual(before.body.rows);
      expectProblem(
        await http(t.url, 'POST', '/admin/projections/control/rebuild', { token: who.controller }),
        403,
      );
      expectProblem(
        await http(t.url, 'POST', '/admin/projections/nothing/rebuild', { token: who.admin }),
        404,
      );
    });
  });
});

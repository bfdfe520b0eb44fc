/**
 * The terms of 59-FZ over HTTP (issue 14, items 1, 2, 5, 6; docs/domain.md "Terms: calendar or working
 * days"): no extension after the term (art. 12 ч.2, 409 term-expired) and who decided it; a per-appeal
 * term only shorter than 30 days, with its norm (art. 12 ч.1, ч.1.1); registration after art. 8 ч.2's
 * three days flagged on the appeal, /control and the reports; electronic routes by receipt date
 * (art. 4 п.1 as amended by 547-FZ, in force 2025-03-30).
 */
import type { ControlPage } from '@appeal-ledger/projections';
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  expectProblem,
  expectValidation,
  EXTENSION_DECISION,
  finalAnswerBody,
  footprint,
  getAppeal,
  history,
  register,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

type Comparison = { current: number; previous: number };

describe('59-FZ terms over HTTP', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const extend = (id: string, body: Record<string, unknown>) =>
    command(t, who.controller, id, 'deadline-extensions', {
      ...EXTENSION_DECISION,
      days: 10,
      reason: 'запрошены документы',
      ...body,
    });

  describe('extension (art. 12 ч.2)', () => {
    // registered 2018-03-06 → due Thursday 2018-04-05
    it('on the due date is accepted and records who decided and when the applicant was notified', async () => {
      const appeal = await registered(t, who.registrar);
      const extended = await done(
        extend(appeal.id, {
          extendedAt: '2018-04-05T16:00:00+07:00',
          applicantNotifiedAt: '2018-04-05T17:00:00+07:00',
          decidedBy: { name: 'Иванов И.И.', position: 'глава района' },
        }),
      );
      // 2018-04-05 + 10 = 2018-04-15, a Sunday → Friday 13 April
      expect(extended).toMatchObject({ dueDate: '2018-04-13', extended: true, totalExtensionDays: 10 });
      const trail = (await history(t, who.supervisor, appeal.id)).body;
      expect(trail.find((e) => e.type === 'DeadlineExtended')?.data).toMatchObject({
        decidedBy: { name: 'Иванов И.И.', position: 'глава района' },
        applicantNotifiedAt: '2018-04-05T17:00:00+07:00',
        previousDueDate: '2018-04-05',
      });
    });

    it('the day after the due date is 409 term-expired, changes nothing, and the late answer stays late', async () => {
      const appeal = await registered(t, who.registrar);
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      const before = await footprint(t, appeal.id);
      const problem = expectProblem(await extend(appeal.id, { extendedAt: '2018-04-06' }), 409);
      expect(problem.type).toMatch(/term-expired$/);
      expect(problem).toMatchObject({ dueDate: '2018-04-05', on: '2018-04-06' });
      expect(await footprint(t, appeal.id)).toEqual(before);
      const answered = await done(
        command(
          t,
          who.executor(EXECUTOR.id),
          appeal.id,
          'final-answer',
          finalAnswerBody(undefined, '2018-04-10'),
        ),
      );
      expect(answered).toMatchObject({ dueDate: '2018-04-05', late: true, extended: false });
    });

    it('without decidedBy is 400 naming it, and changes nothing', async () => {
      const appeal = await registered(t, who.registrar);
      const before = await footprint(t, appeal.id);
      expectValidation(
        await command(t, who.controller, appeal.id, 'deadline-extensions', {
          days: 5,
          reason: 'документы',
          extendedAt: '2018-03-20',
        }),
        'decidedBy',
      );
      expectValidation(await extend(appeal.id, { decidedBy: { name: 'Иванов И.И.' } }), 'decidedBy.position');
      expect(await footprint(t, appeal.id)).toEqual(before);
    });
  });

  describe('term of consideration (art. 12 ч.1, ч.1.1)', () => {
    it('a 20-day term with its basis ends to the day', async () => {
      // registered 2018-03-06 + 20 = 2018-03-26, a Monday
      const appeal = await registered(
        t,
        who.registrar,
        registration({ termDays: 20, termBasis: '59-ФЗ ст. 12 ч. 1.1' }),
      );
      expect(appeal).toMatchObject({ dueDate: '2018-03-26', termDays: 20, termBasis: '59-ФЗ ст. 12 ч. 1.1' });
    });

    it.each([
      ['longer than 30 days', { termDays: 31, termBasis: 'закон области' }, 'termDays'],
      ['90 days (the old bound)', { termDays: 90, termBasis: 'закон области' }, 'termDays'],
      ['a term without its basis', { termDays: 20 }, 'termBasis'],
      ['a basis without a term', { termBasis: 'закон области' }, 'termBasis'],
    ])('%s is 400 naming %s', async (_case, extra, field) => {
      expectValidation(await register(t, who.registrar, { ...registration(), ...extra }), field);
    });
  });

  describe('registration term (art. 8 ч.2: 3 calendar days) and the reports', () => {
    // 2019: a year no other case here uses. Received Monday 2019-04-01: the third day is Thursday 4 April.
    let late: AppealSummary;
    let onTime: AppealSummary;
    beforeAll(async () => {
      late = await registered(
        t,
        who.registrar,
        registration({ receivedAt: '2019-04-01', registeredAt: '2019-04-05' }),
      );
      onTime = await registered(
        t,
        who.registrar,
        registration({ receivedAt: '2019-04-01', registeredAt: '2019-04-04' }),
      );
    });

    it('flags the appeal registered on the fourth day, not the one on the third', async () => {
      expect((await getAppeal(t, who.controller, late.id)).body).toMatchObject({ registeredLate: true });
      expect((await getAppeal(t, who.controller, onTime.id)).body).toMatchObject({ registeredLate: false });
    });

    it('shows and filters it on /control', async () => {
      const page = (filter: string) =>
        http<ControlPage>(t.url, 'GET', `/control?minPosition=${onTime.position}&limit=500${filter}`, {
          token: who.controller,
        });
      const all = await page('');
      expect(all.body.rows.find((r) => r.id === late.id)?.registeredLate).toBe(true);
      expect(all.body.rows.find((r) => r.id === onTime.id)?.registeredLate).toBe(false);
      const flagged = (await page('&registeredLate=true')).body.rows.map((r) => r.id);
      expect(flagged).toContain(late.id);
      expect(flagged).not.toContain(onTime.id);
      const notFlagged = (await page('&registeredLate=false')).body.rows.map((r) => r.id);
      expect(notFlagged).toContain(onTime.id);
      expect(notFlagged).not.toContain(late.id);
      expectProblem(await page('&registeredLate=maybe'), 400);
    });

    it('counts it in the monthly, quarterly and annual summaries and the weekly report', async () => {
      const summary = async (path: string) =>
        (
          await http<{ appeals: { total: Comparison; registeredLate: Comparison } }>(
            t.url,
            'GET',
            `/reports/${path}&minPosition=${onTime.position}`,
            { token: who.supervisor },
          )
        ).body.appeals;
      for (const path of ['monthly?year=2019&month=4', 'quarterly?year=2019&quarter=2', 'annual?year=2019']) {
        const appeals = await summary(path);
        expect({ path, total: appeals.total.current, late: appeals.registeredLate }).toEqual({
          path,
          total: 2,
          late: expect.objectContaining({ current: 1, previous: 0 }) as unknown,
        });
      }
      // 2019-04-04 and 2019-04-05 are in ISO week 14
      const weekly = await http<{ registered: number; registeredLate: number }>(
        t.url,
        'GET',
        `/reports/weekly?week=2019-W14&minPosition=${onTime.position}`,
        { token: who.supervisor },
      );
      expect(weekly.body).toMatchObject({ registered: 2, registeredLate: 1 });
      const csv = await fetch(`${t.url}/reports/weekly?week=2019-W14&format=csv`, {
        headers: { authorization: `Bearer ${who.supervisor}` },
      });
      expect(await csv.text()).toMatch(/позже 3 дней[^\n]*;\s*"?1/);
    });
  });

  describe('electronic routes by receipt date (art. 4 п.1, 547-FZ)', () => {
    const electronic = (receivedAt: string, electronicRoute: string) =>
      registration({ channel: 'electronic', receivedAt, registeredAt: receivedAt, electronicRoute });

    it('refuses an e-mail received on 30 March 2025 or later, accepts one received before', async () => {
      expectValidation(
        await register(t, who.registrar, electronic('2025-03-31', 'email')),
        'electronicRoute',
      );
      const before = await register(t, who.registrar, electronic('2025-03-28', 'email'));
      expect(before.status).toBe(201);
      expect(before.body).toMatchObject({ channel: 'electronic', electronicRoute: 'email' });
    });

    it('counts the Gosuslugi route in the summary, with the label of the dates', async () => {
      const epgu = await registered(t, who.registrar, electronic('2025-04-01', 'epgu'));
      const report = await http<{ appeals: { byElectronicRoute: Record<string, Comparison> } }>(
        t.url,
        'GET',
        `/reports/monthly?year=2025&month=4&minPosition=${epgu.position}`,
        { token: who.supervisor },
      );
      expect(report.body.appeals.byElectronicRoute.epgu).toMatchObject({ current: 1 });
      const csv = await fetch(`${t.url}/reports/monthly?year=2025&month=4&format=csv`, {
        headers: { authorization: `Bearer ${who.supervisor}` },
      });
      const text = await csv.text();
      // April 2025 against April 2024: the electronic line spans the change of the law
      expect(text).toContain('Электронная почта (до 29.03.2025), ЕПГУ (ПОС)');
      expect(text).toContain('через ЕПГУ (платформа обратной связи)');
    });

    it('refuses a route on a written appeal', async () => {
      expectValidation(
        await register(t, who.registrar, { ...registration(), electronicRoute: 'epgu' }),
        'electronicRoute',
      );
    });
  });
});

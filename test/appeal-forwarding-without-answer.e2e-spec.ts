/**
 * 59-FZ art. 8 ч.3 and art. 11 over HTTP (docs/api.md "Forwarding by competence", "Without answer";
 * docs/domain.md "Forwarding, anonymous appeals and appeals left without answer"): forwarding per
 * question within 7 days of registration (later ones recorded and flagged `forwardedLate`),
 * anonymous appeals off control unless they report an offence, leaving an appeal without an answer
 * on the merits by ground, and the counts in the monthly summary and the weekly report.
 */
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  expectValidation,
  finalAnswerBody,
  footprint,
  getAppeal,
  history,
  HOUSING,
  ManualClock,
  registered,
  registration,
  ROADS,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

interface Forwarding {
  to: string;
  sentAt: string;
  questionCodes: string[];
  forwardedLate?: boolean;
  applicantNotifiedAt?: string;
}
type Summary = AppealSummary & {
  reportsOffence: boolean;
  forwardings: Forwarding[];
  forwardedLate: boolean;
  withoutAnswerGround: string | null;
  closedReason: string | null;
};
interface Comparison {
  current: number;
}

describe('forwarding per question, anonymous appeals and appeals left without answer over HTTP', () => {
  let t: TestEngine;
  let who: Actors;
  let last = 0;
  const clock = new ManualClock(new Date('2018-04-10T03:00:00Z'));

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  const seen = <T extends { position: number }>(s: T): T => {
    last = Math.max(last, s.position);
    return s;
  };
  // Registered Tuesday 6 March 2018: the 7-day term of art. 8 ч.3 ends Tuesday 13 March (a working day).
  const twoQuestions = (overrides = {}) =>
    registration({ questions: [{ code: HOUSING }, { code: ROADS }], ...overrides });
  const register = async (body = twoQuestions()): Promise<Summary> =>
    seen((await registered(t, who.registrar, body)) as Summary);
  const forward = (appealId: string, body: unknown, token = who.registrar): Promise<HttpResult<Summary>> =>
    command(t, token, appealId, 'forwarding', body) as Promise<HttpResult<Summary>>;
  const withoutAnswer = (
    appealId: string,
    body: unknown,
    token = who.registrar,
  ): Promise<HttpResult<Summary>> =>
    http<Summary>(t.url, 'POST', `/appeals/${appealId}/without-answer`, { token, body });
  const unchanged = async (appealId: string, act: () => Promise<void>): Promise<void> => {
    const before = await footprint(t, appealId);
    await act();
    expect(await footprint(t, appealId)).toEqual(before);
  };
  const ANONYMOUS = [{ phone: '+7 900 000-00-09' }];
  const notice = (sentAt: string) => ({ sentAt, text: 'Сообщаем, что суть обращения определить невозможно' });

  describe('forwarding by competence (art. 8 ч.3)', () => {
    it('given two questions, when one is forwarded within 7 days, then it is forwarded, the other kept, and the appeal stays on control', async () => {
      const appeal = await register();
      const res = await forward(appeal.id, {
        to: 'Управление Росреестра',
        sentAt: '2018-03-13',
        questionCodes: [ROADS],
        applicantNotifiedAt: '2018-03-13',
      });
      expect(res.status).toBe(200);
      seen(res.body);
      expect(res.body).toMatchObject({ state: 'registered', onControl: true, forwardedLate: false });
      expect(res.body.questions.map((q) => [q.code, q.result])).toEqual([
        [HOUSING, 'in_work'],
        [ROADS, 'forwarded'],
      ]);
      expect(res.body.forwardings).toEqual([
        {
          to: 'Управление Росреестра',
          sentAt: expect.stringMatching(/^2018-03-13T/) as unknown,
          questionCodes: [ROADS],
          forwardedLate: false,
          applicantNotifiedAt: expect.stringMatching(/^2018-03-13T/) as unknown,
        },
      ]);

      // the kept question is answered; the forwarded one keeps its result
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      const answered = await done(
        command(t, who.executor('sidorov'), appeal.id, 'final-answer', finalAnswerBody([HOUSING])),
      );
      seen(answered);
      expect(answered.questions.map((q) => q.result)).toEqual(['explained', 'forwarded']);
    });

    it('given a forwarding on the 8th day, then it is recorded, flagged forwardedLate, and forwarding the rest closes the appeal', async () => {
      const appeal = await register();
      const late = seen(
        (await done(forward(appeal.id, { to: 'Прокуратура района', sentAt: '2018-03-14' }))) as Summary,
      );
      expect(late).toMatchObject({
        state: 'closed',
        onControl: false,
        forwardedLate: true,
        closedReason: 'forwarded',
      });
      expect(late.forwardings[0]).toMatchObject({ questionCodes: [HOUSING, ROADS], forwardedLate: true });
      const board = await http<{ rows: { id: string; forwardedLate: boolean }[] }>(
        t.url,
        'GET',
        `/control?minPosition=${last}&forwardedLate=true&limit=500`,
        { token: who.controller },
      );
      expect(board.body.rows.map((r) => [r.id, r.forwardedLate])).toEqual([[appeal.id, true]]);
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body.at(-1)).toMatchObject({
        type: 'AppealForwardedByCompetence',
        data: { forwardDueDate: '2018-03-13', forwardedLate: true },
      });
    });

    it('refuses unknown or already forwarded questions (400) and forwarding a closed appeal (409), changing nothing', async () => {
      const appeal = await register();
      await unchanged(appeal.id, async () => {
        expectValidation(
          await forward(appeal.id, {
            to: 'МВД',
            sentAt: '2018-03-07',
            questionCodes: ['0001.0001.0001.0001'],
          }),
          'questionCodes[0]',
        );
        expectValidation(await forward(appeal.id, { to: 'МВД', questionCodes: [] }), 'questionCodes');
      });
      seen(await done(forward(appeal.id, { to: 'МВД', sentAt: '2018-03-07', questionCodes: [HOUSING] })));
      await unchanged(appeal.id, async () => {
        expectValidation(
          await forward(appeal.id, { to: 'МВД', sentAt: '2018-03-07', questionCodes: [HOUSING] }),
          'questionCodes[0]',
        );
      });
      seen(await done(forward(appeal.id, { to: 'МВД', sentAt: '2018-03-07' })));
      await unchanged(appeal.id, async () => {
        expectProblem(await forward(appeal.id, { to: 'МВД', sentAt: '2018-03-07' }), 409);
      });
    });
  });

  describe('anonymous appeals (art. 11 ч.1)', () => {
    it('given no surname or no address, then the appeal is registered and counted but not on control', async () => {
      const appeal = await register(registration({ applicants: ANONYMOUS }));
      expect(appeal).toMatchObject({
        anonymous: true,
        onControl: false,
        reportsOffence: false,
        state: 'registered',
      });
      const board = await http<{ rows: { id: string }[] }>(
        t.url,
        'GET',
        `/control?minPosition=${last}&onControl=true&limit=500`,
        { token: who.controller },
      );
      expect(board.status).toBe(200);
      expect(board.body.rows.map((r) => r.id)).not.toContain(appeal.id);
    });

    it('given one reporting an offence, then it is on control with a 7-day term for its forwarding', async () => {
      const appeal = await register(registration({ applicants: ANONYMOUS, reportsOffence: true } as never));
      expect(appeal).toMatchObject({
        anonymous: true,
        onControl: true,
        reportsOffence: true,
        dueDate: '2018-03-13',
      });
      // it cannot be left without answer as anonymous: it must be forwarded
      await unchanged(appeal.id, async () => {
        expectValidation(
          await withoutAnswer(appeal.id, { ground: 'anonymous', decidedAt: '2018-03-07' }),
          'ground',
        );
      });
      const sent = seen(
        (await done(forward(appeal.id, { to: 'ОМВД района', sentAt: '2018-03-12' }))) as Summary,
      );
      expect(sent).toMatchObject({ state: 'closed', onControl: false, forwardedLate: false });
    });
  });

  describe('POST /appeals/{id}/without-answer (art. 11)', () => {
    it('given an anonymous appeal, when left without answer as anonymous, then closed and its questions left_without_answer', async () => {
      const appeal = await register(registration({ applicants: ANONYMOUS }));
      const res = await withoutAnswer(appeal.id, { ground: 'anonymous', decidedAt: '2018-03-06' });
      expect(res.status).toBe(200);
      seen(res.body);
      expect(res.body).toMatchObject({
        state: 'closed',
        onControl: false,
        withoutAnswerGround: 'anonymous',
        closedReason: 'left_without_answer',
      });
      expect(res.body.questions.map((q) => q.result)).toEqual(['left_without_answer']);
    });

    it('given unclear essence, when the notice goes on the 8th day, then it is recorded with noticeLate; the controller may record it too', async () => {
      const appeal = await register();
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      const res = await withoutAnswer(
        appeal.id,
        { ground: 'unclear_essence', decidedAt: '2018-03-12', notice: notice('2018-03-14') },
        who.controller,
      );
      expect(res.status).toBe(200);
      seen(res.body);
      expect(res.body.questions.map((q) => q.result)).toEqual(['left_without_answer', 'left_without_answer']);
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body.at(-1)).toMatchObject({
        type: 'AppealLeftWithoutAnswer',
        data: { ground: 'unclear_essence', noticeDueDate: '2018-03-13', noticeLate: true },
      });
    });

    it('court_decision: returned with an explanation; answer_published needs the link', async () => {
      const returned = await register();
      seen(
        await done(
          withoutAnswer(returned.id, {
            ground: 'court_decision',
            decidedAt: '2018-03-07',
            notice: notice('2018-03-07'),
          }),
        ),
      );
      const published = await register();
      await unchanged(published.id, async () => {
        expectValidation(
          await withoutAnswer(published.id, { ground: 'answer_published', notice: notice('2018-03-07') }),
          'link',
        );
      });
      seen(
        await done(
          withoutAnswer(published.id, {
            ground: 'answer_published',
            decidedAt: '2018-03-07',
            notice: notice('2018-03-07'),
            link: 'https://adm.example.ru/faq/12',
          }),
        ),
      );
    });

    it('refuses a missing notice, an unknown ground (400), an executor (403) and an answered appeal (409), changing nothing', async () => {
      const appeal = await register();
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      await unchanged(appeal.id, async () => {
        expectValidation(
          await withoutAnswer(appeal.id, { ground: 'unreadable', decidedAt: '2018-03-07' }),
          'notice',
        );
        expectValidation(await withoutAnswer(appeal.id, { ground: 'boring' }), 'ground');
        expectProblem(await withoutAnswer(appeal.id, { ground: 'obscene' }, who.executor('sidorov')), 403);
      });
      seen(
        await done(
          command(t, who.executor('sidorov'), appeal.id, 'final-answer', finalAnswerBody([HOUSING, ROADS])),
        ),
      );
      await unchanged(appeal.id, async () => {
        const problem = expectProblem(await withoutAnswer(appeal.id, { ground: 'obscene' }), 409);
        expect(problem.detail).toMatch(/leave without an answer on the merits/);
      });
    });
  });

  describe('reports', () => {
    it('counts forwarded (late among them) and left without answer by ground in the monthly summary and the weekly report', async () => {
      const current = await getAppeal(t, who.supervisor, (await register()).id);
      seen(current.body);
      const monthly = await http<{
        appeals: {
          forwarded: { total: Comparison; late: Comparison };
          leftWithoutAnswer: { total: Comparison; byGround: Record<string, Comparison> };
          anonymous: Comparison;
        };
      }>(t.url, 'GET', `/reports/monthly?year=2018&month=3&asOf=2018-04-10&minPosition=${last}`, {
        token: who.supervisor,
      });
      expect(monthly.status).toBe(200);
      const a = monthly.body.appeals;
      // forwarded: the part-forwarded appeal, the late one, the refused-then-forwarded one, the offence one
      expect([a.forwarded.total.current, a.forwarded.late.current]).toEqual([4, 1]);
      expect(a.leftWithoutAnswer.total.current).toBe(4);
      expect(
        Object.fromEntries(Object.entries(a.leftWithoutAnswer.byGround).map(([g, c]) => [g, c.current])),
      ).toEqual({
        anonymous: 1,
        obscene: 0,
        unreadable: 0,
        unclear_essence: 1,
        state_secret: 0,
        answer_published: 1,
        court_decision: 1,
        correspondence_terminated: 0,
      });
      expect(a.anonymous.current).toBe(3);

      // ISO week 11 of 2018: 12–18 March
      const weekly = await http<{
        forwarded: { total: number; late: number };
        leftWithoutAnswer: { total: number; byGround: Record<string, number> };
      }>(t.url, 'GET', `/reports/weekly?week=2018-W11&minPosition=${last}`, { token: who.supervisor });
      expect(weekly.status).toBe(200);
      expect(weekly.body.forwarded).toEqual({ total: 3, late: 1 });
      expect(weekly.body.leftWithoutAnswer).toMatchObject({ total: 1, byGround: { unclear_essence: 1 } });
    });
  });
});

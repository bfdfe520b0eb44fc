/**
 * Issue 14 over HTTP: the answer document (59-FZ art. 10 ч.4), the report of the result to the body
 * that sent the appeal (`source.reportBackBy`), further control of an answered appeal until the
 * measures are taken. Refusals are problem+json that change nothing (docs/api.md, docs/domain.md).
 */
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  expectProblem,
  expectValidation,
  finalAnswerBody,
  footprint,
  getAppeal,
  history,
  ManualClock,
  register,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

interface Extra {
  source: Record<string, string>;
  finalAnswerDocument: unknown;
  sourceReport: {
    reportBackBy: string;
    sentAt: string | null;
    reference: string | null;
    late: boolean | null;
  } | null;
  furtherControl: { until: string; reason: string; completedAt: string | null } | null;
  position: number;
}
type Summary = AppealSummary & Extra;
interface ControlRowBody {
  id: string;
  reportBackBy: string | null;
  reportToSourcePending: boolean;
  reportToSourceOverdue: boolean;
  reportedToSourceAt: string | null;
  onFurtherControl: boolean;
  furtherControlUntil: string | null;
}

const DOCUMENT = {
  outgoingNumber: '01-12/777',
  outgoingDate: '2018-03-28',
  signedBy: { name: 'Кузнецов К.К.', position: 'глава района' },
  delivery: 'post',
};
const FROM_PRESIDENT = {
  type: 'presidential_administration',
  name: 'Администрация Президента РФ',
  reference: 'А26-02-1234',
  reportBackBy: '2018-04-02',
};

describe('answer document, report to the sending body, further control over HTTP', () => {
  let t: TestEngine;
  let who: Actors;
  const clock = new ManualClock(new Date('2018-04-03T03:00:00Z'));

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  const post = (token: string, appealId: string, path: string, body: unknown): Promise<HttpResult<Summary>> =>
    http<Summary>(t.url, 'POST', `/appeals/${appealId}/${path}`, { token, body });
  const read = async (appealId: string): Promise<Summary> =>
    (await getAppeal(t, who.supervisor, appealId)).body as Summary;
  const controlRow = async (appealId: string, position: number): Promise<ControlRowBody | undefined> => {
    const res = await http<{ rows: ControlRowBody[] }>(
      t.url,
      'GET',
      `/control?minPosition=${position}&limit=500`,
      {
        token: who.supervisor,
      },
    );
    expect(res.status).toBe(200);
    return res.body.rows.find((r) => r.id === appealId);
  };
  const unchanged = async (appealId: string, act: () => Promise<void>): Promise<void> => {
    const before = await footprint(t, appealId);
    await act();
    expect(await footprint(t, appealId)).toEqual(before);
  };
  const answered = async (body = registration(), answer: unknown = finalAnswerBody()): Promise<Summary> => {
    const appeal = await registered(t, who.registrar, body);
    await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
    return (await done(command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', answer))) as Summary;
  };

  describe('answer document (art. 10 ч.4)', () => {
    it('given a final answer with its outgoing document, then the summary and the history show it', async () => {
      const appeal = await answered(registration(), { ...finalAnswerBody(), ...DOCUMENT });
      expect(appeal.finalAnswerDocument).toEqual(DOCUMENT);
      expect((await read(appeal.id)).finalAnswerDocument).toEqual(DOCUMENT);
      const trail = await history(t, who.supervisor, appeal.id);
      const final = trail.body.find((e) => e.type === 'FinalAnswerSent');
      expect(final?.data).toMatchObject(DOCUMENT);
    });

    it('given an interim answer with its document, then the history shows it', async () => {
      const appeal = await registered(t, who.registrar);
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      const doc = { ...DOCUMENT, outgoingDate: '2018-03-20', delivery: 'epgu' };
      await done(
        command(t, who.executor(EXECUTOR.id), appeal.id, 'interim-answers', {
          sentAt: '2018-03-20',
          summary: 'ведётся проверка',
          ...doc,
        }),
      );
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body.find((e) => e.type === 'InterimAnswerSent')?.data).toMatchObject(doc);
    });

    it('given an answer without a document, then it is accepted and shows none', async () => {
      const appeal = await answered();
      expect(appeal.finalAnswerDocument).toBeNull();
    });

    it('given a partial document or an unknown delivery, then 400 naming the fields and nothing changes', async () => {
      const appeal = await registered(t, who.registrar);
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', {
            ...finalAnswerBody(),
            outgoingNumber: '01-12/777',
          }),
          'outgoingDate',
          'signedBy',
          'delivery',
        );
        expectValidation(
          await command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', {
            ...finalAnswerBody(),
            ...DOCUMENT,
            delivery: 'fax',
          }),
          'delivery',
        );
        expectValidation(
          await command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', {
            ...finalAnswerBody(),
            ...DOCUMENT,
            outgoingDate: '2018-03-29',
          }),
          'outgoingDate',
        );
      });
    });
  });

  describe('report to the sending body (source.reportBackBy)', () => {
    it('given an appeal from the Presidential Administration with a request for its result, then /control shows the report owed, closure is refused (409) until it is reported, and a second report is refused (409)', async () => {
      const appeal = await answered(registration({ source: FROM_PRESIDENT }));
      expect(appeal.source).toEqual(FROM_PRESIDENT);
      expect(appeal.sourceReport).toEqual({
        reportBackBy: '2018-04-02',
        sentAt: null,
        reference: null,
        late: null,
      });
      // today is 2018-04-03 (the clock): the date asked for has passed
      expect(await controlRow(appeal.id, appeal.position)).toMatchObject({
        reportBackBy: '2018-04-02',
        reportToSourcePending: true,
        reportToSourceOverdue: true,
        reportedToSourceAt: null,
      });
      const pending = await http<{ rows: { id: string }[] }>(
        t.url,
        'GET',
        '/control?reportToSourcePending=true&limit=500',
        { token: who.supervisor },
      );
      expect(pending.body.rows.map((r) => r.id)).toEqual([appeal.id]);

      await unchanged(appeal.id, async () => {
        const refused = expectProblem(
          await command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-30' }),
          409,
        );
        expect(refused.detail).toMatch(/asked for the result by 2018-04-02/);
      });

      const reported = await post(who.registrar, appeal.id, 'report-to-source', {
        sentAt: '2018-03-30',
        reference: 'исх. 01-12/345',
      });
      expect(reported.status).toBe(200);
      expect(reported.body.sourceReport).toEqual({
        reportBackBy: '2018-04-02',
        sentAt: expect.stringMatching(/^2018-03-30T/) as unknown,
        reference: 'исх. 01-12/345',
        late: false,
      });
      expect(await controlRow(appeal.id, reported.body.position)).toMatchObject({
        reportToSourcePending: false,
        reportToSourceOverdue: false,
        reportedToSourceAt: '2018-03-30',
      });

      await unchanged(appeal.id, async () => {
        expectProblem(
          await post(who.registrar, appeal.id, 'report-to-source', { reference: 'ещё раз' }),
          409,
        );
      });
      await done(command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-31' }));
    });

    it('given a report after the date asked for, then it is recorded as late', async () => {
      const appeal = await registered(t, who.registrar, registration({ source: FROM_PRESIDENT }));
      const reported = await done(
        post(who.controller, appeal.id, 'report-to-source', { sentAt: '2018-04-03', reference: '01-12/400' }),
      );
      expect((reported as Summary).sourceReport?.late).toBe(true);
    });

    it('given an appeal without a request for its result, then report-to-source is 409 and nothing changes', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        const problem = expectProblem(
          await post(who.controller, appeal.id, 'report-to-source', { reference: '01-12/1' }),
          409,
        );
        expect(problem.type).toMatch(/report-back-not-requested/);
      });
    });

    it('given reportBackBy on a direct appeal, or before registration, then 400', async () => {
      expectValidation(
        await register(
          t,
          who.registrar,
          registration({ source: { type: 'direct', reportBackBy: '2018-04-02' } }),
        ),
        'source.reportBackBy',
      );
      expectValidation(
        await register(
          t,
          who.registrar,
          registration({ source: { ...FROM_PRESIDENT, reportBackBy: '2018-03-01' } }),
        ),
        'source.reportBackBy',
      );
    });

    it('given a blank reference or an executor, then 400 / 403 and nothing changes', async () => {
      const appeal = await registered(t, who.registrar, registration({ source: FROM_PRESIDENT }));
      await unchanged(appeal.id, async () => {
        expectValidation(
          await post(who.controller, appeal.id, 'report-to-source', { reference: '' }),
          'reference',
        );
        expectProblem(
          await post(who.executor(EXECUTOR.id), appeal.id, 'report-to-source', { reference: 'x' }),
          403,
        );
      });
    });
  });

  describe('further control until the measures are taken', () => {
    it('given an answered appeal put on further control, then it stays on control (closure 409) and on /control and in the weekly report until measures-completed', async () => {
      const appeal = await answered();
      const set = await post(who.controller, appeal.id, 'further-control', {
        until: '2018-06-30',
        reason: 'ремонт запланирован на II квартал',
        setAt: '2018-03-29',
      });
      expect(set.status).toBe(200);
      expect(set.body.furtherControl).toEqual({
        until: '2018-06-30',
        reason: 'ремонт запланирован на II квартал',
        completedAt: null,
      });
      expect(set.body.onControl).toBe(true);
      expect(await controlRow(appeal.id, set.body.position)).toMatchObject({
        onFurtherControl: true,
        furtherControlUntil: '2018-06-30',
      });
      const filtered = await http<{ rows: { id: string; onFurtherControl: boolean }[] }>(
        t.url,
        'GET',
        '/control?onFurtherControl=true&limit=500',
        { token: who.supervisor },
      );
      expect(filtered.body.rows.map((r) => r.id)).toContain(appeal.id);
      expect(filtered.body.rows.every((r) => r.onFurtherControl)).toBe(true);
      expectValidation(
        await http(t.url, 'GET', '/control?onFurtherControl=maybe', { token: who.supervisor }),
        'onFurtherControl',
      );
      const weekly = await http<{ onFurtherControl: { id: string; furtherControlUntil: string }[] }>(
        t.url,
        'GET',
        `/reports/weekly?week=2018-W13&minPosition=${set.body.position}`,
        { token: who.supervisor },
      );
      expect(weekly.status).toBe(200);
      expect(weekly.body.onFurtherControl).toContainEqual(
        expect.objectContaining({ id: appeal.id, furtherControlUntil: '2018-06-30' }),
      );

      await unchanged(appeal.id, async () => {
        expectProblem(
          await command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-30' }),
          409,
        );
        expectProblem(
          await post(who.controller, appeal.id, 'further-control', {
            until: '2018-07-31',
            reason: 'ещё раз',
          }),
          409,
        );
      });

      const completed = await post(who.controller, appeal.id, 'measures-completed', {
        completedAt: '2018-04-02',
      });
      expect(completed.status).toBe(200);
      expect(completed.body.furtherControl?.completedAt).toMatch(/^2018-04-02T/);
      expect(await controlRow(appeal.id, completed.body.position)).toMatchObject({ onFurtherControl: false });
      await unchanged(appeal.id, async () => {
        expectProblem(await post(who.controller, appeal.id, 'measures-completed', {}), 409);
      });
      await done(command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-04-02' }));
    });

    it('given an appeal not yet answered, then further-control and measures-completed are 409 and nothing changes', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectProblem(
          await post(who.controller, appeal.id, 'further-control', { until: '2018-06-30', reason: 'меры' }),
          409,
        );
        expectProblem(await post(who.controller, appeal.id, 'measures-completed', {}), 409);
      });
    });

    it('given a malformed or too early until, a blank reason, or an executor, then 400 / 403 and nothing changes', async () => {
      const appeal = await answered();
      await unchanged(appeal.id, async () => {
        expectValidation(
          await post(who.controller, appeal.id, 'further-control', { until: '30.06.2018', reason: 'меры' }),
          'until',
        );
        expectValidation(
          await post(who.controller, appeal.id, 'further-control', {
            until: '2018-03-28',
            reason: 'меры',
            setAt: '2018-03-29',
          }),
          'until',
        );
        expectValidation(
          await post(who.controller, appeal.id, 'further-control', { until: '2018-06-30', reason: '' }),
          'reason',
        );
        expectProblem(
          await post(who.executor(EXECUTOR.id), appeal.id, 'further-control', {
            until: '2018-06-30',
            reason: 'м',
          }),
          403,
        );
      });
    });
  });

  it('the monthly summary counts appeals put on further control', async () => {
    const appeal = await answered();
    const set = await done(
      post(who.controller, appeal.id, 'further-control', {
        until: '2018-06-30',
        reason: 'меры',
        setAt: '2018-03-29',
      }),
    );
    const res = await http<{ appeals: { onFurtherControl: { current: number } } }>(
      t.url,
      'GET',
      `/reports/monthly?year=2018&month=3&minPosition=${(set as Summary).position}`,
      { token: who.supervisor },
    );
    expect(res.status).toBe(200);
    expect(res.body.appeals.onFurtherControl.current).toBeGreaterThanOrEqual(2);
  });
});

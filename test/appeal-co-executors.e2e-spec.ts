/**
 * Issue 14 over HTTP: the head's resolution with co-executors (POST /appeals/{id}/resolution) and a
 * co-executor's part (POST /appeals/{id}/contributions): the responsible executor is assigned by the
 * resolution and answers; co-executors read the appeal and send their parts; their reminders; the
 * /control row and the reports. Refusals are problem+json that change nothing.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Reminder } from '@appeal-ledger/reminders';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
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
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

interface CoExecutorBody {
  id: string;
  name: string;
  department: string;
  dueDate: string | null;
  contributedAt: string | null;
  contributions: number;
}
type Summary = AppealSummary & {
  position: number;
  resolution?: { author: unknown; responsible: { id: string; department: string } };
  coExecutors?: CoExecutorBody[];
};
interface ControlRowBody {
  id: string;
  executor: { id: string } | null;
  coExecutors: { id: string; dueDate: string; contributed: boolean; contributedAt: string | null }[];
}
interface Comparison {
  current: number;
}

// The default registration: registered Tue 6 March 2018, due Thu 5 April.
const RESPONSIBLE = { id: EXECUTOR.id, name: EXECUTOR.name, department: 'Отдел ЖКХ' };
const ROADS = { id: 'petrov', name: 'Петров П.П.', department: 'Дорожный отдел' };
const LAWYER = { id: 'lebedeva', name: 'Лебедева Л.Л.', department: 'Правовой отдел' };
const resolutionBody = (over: Record<string, unknown> = {}) => ({
  author: { name: 'Кузнецов К.К.', position: 'глава района' },
  text: 'Сидорову — подготовить ответ; Петрову — сведения о ремонте дороги; Лебедевой — правовая оценка',
  decidedAt: '2018-03-07',
  responsible: RESPONSIBLE,
  coExecutors: [{ ...ROADS, dueDate: '2018-04-03' }, LAWYER],
  internalDueDate: '2018-04-02',
  ...over,
});

describe('the resolution with co-executors over HTTP', () => {
  // Mon 2 April 2018, 10:00 in Novokuznetsk: ROADS's part (due 3 April) is due soon
  const clock = new ManualClock(new Date('2018-04-02T10:00:00+07:00'));
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    // a tick only at start: the passes under test are run by hand
    t = await startTestEngine({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  const post = (token: string | undefined, appealId: string, path: string, body: unknown) =>
    http<Summary>(t.url, 'POST', `/appeals/${appealId}/${path}`, { token, body });
  const resolve = (appealId: string, body: unknown = resolutionBody(), token = who.controller) =>
    post(token, appealId, 'resolution', body);
  const contribute = (
    appealId: string,
    token: string,
    body: unknown = { text: 'ремонт в плане на май', sentAt: '2018-03-20' },
  ) => post(token, appealId, 'contributions', body);
  const unchanged = async (appealId: string, act: () => Promise<void>): Promise<void> => {
    const before = await footprint(t, appealId);
    await act();
    expect(await footprint(t, appealId)).toEqual(before);
  };
  const resolved = async (): Promise<Summary> => {
    const appeal = await registered(t, who.registrar, registration());
    const res = await resolve(appeal.id);
    expect(res.status).toBe(200);
    return res.body;
  };
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

  describe('the resolution', () => {
    it('assigns the responsible executor, records the co-executors, and the history says so', async () => {
      const appeal = await resolved();
      expect(appeal.state).toBe('assigned');
      expect(appeal.executor).toEqual({ id: RESPONSIBLE.id, name: RESPONSIBLE.name });
      expect(appeal.department).toBe(RESPONSIBLE.department);
      expect(appeal.resolution).toMatchObject({ responsible: RESPONSIBLE, internalDueDate: '2018-04-02' });
      expect(appeal.coExecutors).toEqual([
        { ...ROADS, dueDate: '2018-04-03', contributedAt: null, contributions: 0 },
        { ...LAWYER, dueDate: null, contributedAt: null, contributions: 0 },
      ]);
      const trail = (await history(t, who.supervisor, appeal.id)).body.map((e) => e.type);
      expect(trail).toEqual(['AppealRegistered', 'ExecutorAssigned', 'ResolutionRecorded']);
      // the /control row lists the co-executors and whether each sent their part
      expect((await controlRow(appeal.id, appeal.position))?.coExecutors).toEqual([
        { ...ROADS, dueDate: '2018-04-03', contributed: false, contributedAt: null },
        { ...LAWYER, dueDate: '2018-04-05', contributed: false, contributedAt: null },
      ]);
    });

    it('the same resolution again records nothing; naming another responsible executor reassigns', async () => {
      const appeal = await resolved();
      await unchanged(appeal.id, async () => {
        expect((await resolve(appeal.id)).status).toBe(200);
      });
      const again = await resolve(
        appeal.id,
        resolutionBody({ responsible: { id: 'orlova', name: 'Орлова О.О.', department: 'Отдел ЖКХ' } }),
      );
      expect(again.status).toBe(200);
      expect(again.body.executor?.id).toBe('orlova');
    });

    it('400 naming each field, nothing stored: duplicates, the responsible among co-executors, terms, sizes', async () => {
      const appeal = await registered(t, who.registrar, registration());
      await unchanged(appeal.id, async () => {
        expectValidation(
          await resolve(
            appeal.id,
            resolutionBody({
              coExecutors: [ROADS, ROADS, RESPONSIBLE, { ...LAWYER, dueDate: '2018-04-06' }],
              internalDueDate: '2018-03-01',
            }),
          ),
          'coExecutors[1].id',
          'coExecutors[2].id',
          'coExecutors[3].dueDate',
          'internalDueDate',
        );
        expectValidation(
          await resolve(appeal.id, resolutionBody({ coExecutors: [{ ...ROADS, dueDate: '2018-03-06' }] })),
          'coExecutors[0].dueDate',
        );
        const many = Array.from({ length: 21 }, (_, i) => ({
          id: `u${i}`,
          name: `Сотрудник ${i}`,
          department: 'ЖКХ',
        }));
        expectValidation(await resolve(appeal.id, resolutionBody({ coExecutors: many })), 'coExecutors');
        expectValidation(await resolve(appeal.id, resolutionBody({ decidedAt: '1999-12-31' })), 'decidedAt');
        expectValidation(await resolve(appeal.id, resolutionBody({ author: undefined })), 'author');
        expectValidation(
          await resolve(appeal.id, resolutionBody({ responsible: { id: 'x' } })),
          'responsible',
        );
      });
    });

    it('401 without a token, 403 for an executor, 404 for an unknown appeal', async () => {
      const appeal = await registered(t, who.registrar, registration());
      await unchanged(appeal.id, async () => {
        expectProblem(await post(undefined, appeal.id, 'resolution', resolutionBody()), 401);
        expectProblem(await resolve(appeal.id, resolutionBody(), who.executor(EXECUTOR.id)), 403);
        const ownDepartment = t.token('zhkh-head', ['controller'], { department: 'Отдел образования' });
        expectProblem(await resolve(appeal.id, resolutionBody(), ownDepartment), 403);
      });
      expectProblem(await resolve('00000000-0000-4000-8000-000000000000'), 404);
    });

    it('409 once the appeal is answered or closed', async () => {
      const appeal = await resolved();
      await done(command(t, who.executor(RESPONSIBLE.id), appeal.id, 'final-answer', finalAnswerBody()));
      await unchanged(appeal.id, async () => {
        const problem = expectProblem(await resolve(appeal.id), 409);
        expect(problem).toMatchObject({ state: 'final_answered' });
      });
      const withdrawn = await registered(t, who.registrar, registration());
      await done(post(who.registrar, withdrawn.id, 'withdrawal', { withdrawnAt: '2018-03-10' }));
      await unchanged(withdrawn.id, async () => {
        expectProblem(await resolve(withdrawn.id), 409);
      });
    });
  });

  describe('free text', () => {
    it("the resolution's text and the part's are personal data: sealed in the store, opened in the history", async () => {
      const marker = randomBytes(4).toString('hex');
      const appeal = await registered(t, who.registrar, registration());
      await done(resolve(appeal.id, resolutionBody({ text: `Резолюция-Маркер-${marker}` })));
      await done(
        contribute(appeal.id, who.executor(ROADS.id), {
          text: `Доклад-Маркер-${marker}`,
          sentAt: '2018-03-20',
        }),
      );
      const read = await getAppeal(t, who.supervisor, appeal.id);
      expect(JSON.stringify(read.body)).not.toContain(marker);
      const trail = (await history(t, who.supervisor, appeal.id)).body;
      expect(trail.find((e) => e.type === 'ResolutionRecorded')?.data).toMatchObject({
        text: `Резолюция-Маркер-${marker}`,
      });
      expect(trail.find((e) => e.type === 'ContributionRecorded')?.data).toMatchObject({
        text: `Доклад-Маркер-${marker}`,
      });
      // the PostgreSQL store's table (the EventStoreDB project keeps events elsewhere)
      if (process.env.E2E_EVENT_STORE === 'esdb') return;
      const db = new Client({ connectionString: t.database.url });
      await db.connect();
      try {
        const rows = await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM events e WHERE e::text LIKE $1',
          [`%${marker}%`],
        );
        expect(Number(rows.rows[0].n)).toBe(0);
      } finally {
        await db.end();
      }
    });
  });

  describe('access of co-executors', () => {
    it('a co-executor reads the appeal, an unrelated executor does not; a co-executor does not answer', async () => {
      const appeal = await resolved();
      expect((await getAppeal(t, who.executor(ROADS.id), appeal.id)).status).toBe(200);
      expect((await getAppeal(t, who.executor(RESPONSIBLE.id), appeal.id)).status).toBe(200);
      expectProblem(await getAppeal(t, who.executor('stranger'), appeal.id), 403);
      await unchanged(appeal.id, async () => {
        expectProblem(
          await command(t, who.executor(ROADS.id), appeal.id, 'final-answer', finalAnswerBody()),
          403,
        );
      });
    });
  });

  describe("a co-executor's part", () => {
    it('is recorded for the co-executor; the responsible executor then answers', async () => {
      const appeal = await resolved();
      const sent = await contribute(appeal.id, who.executor(ROADS.id));
      expect(sent.status).toBe(200);
      expect(sent.body.coExecutors?.[0]).toMatchObject({ id: ROADS.id, contributions: 1 });
      expect(sent.body.coExecutors?.[0]?.contributedAt).toMatch(/^2018-03-20/);
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body.at(-1)).toMatchObject({
        type: 'ContributionRecorded',
        data: { coExecutor: ROADS, dueDate: '2018-04-03', late: false },
      });
      expect((await controlRow(appeal.id, sent.body.position))?.coExecutors[0]).toMatchObject({
        id: ROADS.id,
        contributed: true,
        contributedAt: '2018-03-20',
      });
      // the admin records one for a co-executor
      expect(
        (await contribute(appeal.id, who.admin, { text: 'правовая оценка', coExecutorId: LAWYER.id })).status,
      ).toBe(200);
      await done(command(t, who.executor(RESPONSIBLE.id), appeal.id, 'final-answer', finalAnswerBody()));
    });

    it('400 for an empty text or a date before the resolution; 401; 403 for others; 404', async () => {
      const appeal = await resolved();
      await unchanged(appeal.id, async () => {
        expectValidation(await contribute(appeal.id, who.executor(ROADS.id), { text: '' }), 'text');
        expectValidation(
          await contribute(appeal.id, who.executor(ROADS.id), { text: 'x', sentAt: '2018-03-06' }),
          'sentAt',
        );
        expectValidation(
          await contribute(appeal.id, who.admin, { text: 'x', coExecutorId: 'stranger' }),
          'coExecutorId',
        );
        expectProblem(await post(undefined, appeal.id, 'contributions', { text: 'x' }), 401);
        // an unrelated executor, the responsible executor, a controller, a co-executor for another
        expectProblem(await contribute(appeal.id, who.executor('stranger')), 403);
        expectProblem(await contribute(appeal.id, who.executor(RESPONSIBLE.id)), 403);
        expectProblem(await contribute(appeal.id, who.controller), 403);
        expectProblem(
          await contribute(appeal.id, who.executor(ROADS.id), { text: 'x', coExecutorId: LAWYER.id }),
          403,
        );
        expectProblem(await contribute(appeal.id, who.supervisor), 403);
      });
      expectProblem(
        await contribute('00000000-0000-4000-8000-000000000000', who.admin, {
          text: 'x',
          coExecutorId: ROADS.id,
        }),
        404,
      );
    });

    it('409 after the final answer, and when the resolution names no co-executors', async () => {
      const appeal = await resolved();
      await done(command(t, who.executor(RESPONSIBLE.id), appeal.id, 'final-answer', finalAnswerBody()));
      await unchanged(appeal.id, async () => {
        expect(expectProblem(await contribute(appeal.id, who.executor(ROADS.id)), 409)).toMatchObject({
          state: 'final_answered',
        });
      });
      const none = await registered(t, who.registrar, registration());
      await done(resolve(none.id, resolutionBody({ coExecutors: [] })));
      await unchanged(none.id, async () => {
        expect(
          expectProblem(await contribute(none.id, who.admin, { text: 'x', coExecutorId: ROADS.id }), 409),
        ).toMatchObject({
          conflict: 'no_co_executors',
        });
      });
      // an assignment alone names none either
      const assigned = await registered(t, who.registrar, registration());
      await done(command(t, who.controller, assigned.id, 'assignment', assignBody()));
      expectProblem(await contribute(assigned.id, who.admin, { text: 'x', coExecutorId: ROADS.id }), 409);
    });
  });

  describe('reminders of the parts', () => {
    it('a co-executor owing a part gets a reminder by its term until they send it; they read it', async () => {
      const owing = await resolved();
      const sent = await resolved();
      const last = await contribute(sent.id, who.executor(ROADS.id));
      expect(last.status).toBe(200);
      const runtime = t.engine.app.get(ReminderRuntime);
      const pass = await runtime.runPass({ minPosition: last.body.position });
      const mine = (id: string) => pass.issued.filter((r) => r.appealId === id);
      const owingTrail = (await history(t, who.supervisor, owing.id)).body.filter(
        (e) => e.type === 'DeadlineReminderIssued',
      );
      // ROADS's part is due 3 April: due soon on 2 April; the appeal's own (due 5 April) is due soon too
      expect(owingTrail.map((e) => e.data)).toContainEqual(
        expect.objectContaining({
          kind: 'due_soon',
          dueDate: '2018-04-03',
          department: ROADS.department,
          executor: { id: ROADS.id, name: ROADS.name },
          coExecutor: ROADS,
        }),
      );
      // LAWYER's part has no term of its own: the appeal's due date 5 April, due soon as well
      expect(
        owingTrail.filter((e) => (e.data as { coExecutor?: unknown }).coExecutor !== undefined),
      ).toHaveLength(2);
      // the part sent: no reminder for ROADS on that appeal (LAWYER still owes one)
      const sentTrail = (await history(t, who.supervisor, sent.id)).body.filter(
        (e) => e.type === 'DeadlineReminderIssued',
      );
      expect(sentTrail.map((e) => (e.data as { coExecutor?: { id: string } }).coExecutor?.id)).not.toContain(
        ROADS.id,
      );
      expect(mine(owing.id).length).toBeGreaterThanOrEqual(2);
      // once per kind and term: a second pass issues nothing new
      const again = await runtime.runPass();
      expect(again.issued.filter((r) => r.appealId === owing.id)).toEqual([]);
      // the co-executor reads their reminder (the feed, scoped to them); a stranger reads none of it
      const position = Math.max(...mine(owing.id).map((r) => r.position));
      const feed = await http<Reminder[]>(
        t.url,
        'GET',
        `/reminders?appealId=${owing.id}&minPosition=${position}`,
        {
          token: who.executor(ROADS.id),
        },
      );
      expect(feed.status).toBe(200);
      expect(feed.body.map((r) => r.coExecutor?.id)).toContain(ROADS.id);
      expect(feed.body.every((r) => r.executor?.id === ROADS.id)).toBe(true);
      const stranger = await http<Reminder[]>(
        t.url,
        'GET',
        `/reminders?appealId=${owing.id}&minPosition=${position}`,
        {
          token: who.executor('stranger'),
        },
      );
      expect(stranger.body).toEqual([]);
    });
  });

  describe('reports count the co-executed appeals', () => {
    it('the monthly summary and the weekly report gain one per appeal with a co-executor', async () => {
      const count = async (position: number) => {
        const monthly = await http<{ appeals: { coExecuted: Comparison } }>(
          t.url,
          'GET',
          `/reports/monthly?year=2018&month=3&minPosition=${position}`,
          { token: who.supervisor },
        );
        expect(monthly.status).toBe(200);
        const weekly = await http<{ coExecuted: number }>(
          t.url,
          'GET',
          `/reports/weekly?week=2018-W11&minPosition=${position}`,
          { token: who.supervisor },
        );
        expect(weekly.status).toBe(200);
        return { monthly: monthly.body.appeals.coExecuted.current, weekly: weekly.body.coExecuted };
      };
      const appeal = await registered(t, who.registrar, registration());
      const without = await registered(t, who.registrar, registration());
      const before = await count(without.position);
      // a resolution without co-executors counts nothing
      const none = await done(resolve(without.id, resolutionBody({ coExecutors: [] })));
      expect(await count((none as Summary).position)).toEqual(before);
      const withCo = await done(resolve(appeal.id));
      // a second resolution on the same appeal counts it once
      const again = await done(
        resolve(appeal.id, resolutionBody({ coExecutors: [LAWYER], decidedAt: '2018-03-08' })),
      );
      expect((withCo as Summary).position).toBeLessThan((again as Summary).position);
      expect(await count((again as Summary).position)).toEqual({
        monthly: before.monthly + 1,
        weekly: before.weekly + 1,
      });
    });
  });
});

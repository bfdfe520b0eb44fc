/**
 * The audit over HTTP (docs/api.md "Reads", docs/domain.md "Reports": the audit history): every event in order with business
 * time, recording time, actor and data; the appeal as of any moment; who sees the applicants.
 */
import {
  actors,
  command,
  done,
  EXECUTOR,
  expectProblem,
  getAppeal,
  history,
  HOUSING,
  registered,
  registration,
  ROADS,
  type Actors,
  type AppealSummary,
  type HistoryEntry,
  EXTENSION_DECISION,
} from './support/appeals';
import { startTestEngine, type TestEngine } from './support/test-engine';

/** The life of one appeal with business times far from the wall clock, so the two cannot be confused. */
const LIFE = {
  registeredAt: '2018-03-06',
  assignedAt: '2018-03-07T10:00:00+07:00',
  extendedAt: '2018-03-12T09:30:00+07:00',
  interimAt: '2018-03-15',
  finalAt: '2018-03-28T15:00:00+07:00',
  closedAt: '2018-03-29T11:00:00+07:00',
};

const APPLICANTS = [
  {
    name: 'Петров П.П.',
    address: 'п. Елань, ул. Садовая, 1',
    email: 'petrov@example.org',
    phone: '+7 900 000-00-01',
  },
  { name: 'Петрова М.И.', address: 'п. Елань, ул. Садовая, 1' },
];

describe('appeal history and asOf over HTTP', () => {
  let t: TestEngine;
  let who: Actors;
  let appeal: AppealSummary;
  let trail: HistoryEntry[];
  let startedAt: number;
  let finishedAt: number;
  const executorToken = () => t.token(EXECUTOR.id, ['executor'], { name: 'Сидоров С.С. (исполнитель)' });

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    startedAt = Date.now() - 1000;
    appeal = await registered(
      t,
      who.registrar,
      registration({
        applicants: APPLICANTS,
        questions: [{ code: HOUSING }, { code: ROADS }],
        registeredAt: LIFE.registeredAt,
      }),
    );
    await done(
      command(t, who.controller, appeal.id, 'assignment', {
        executor: EXECUTOR,
        department: 'Отдел ЖКХ',
        instructions: 'проверить и ответить',
        assignedAt: LIFE.assignedAt,
      }),
    );
    await done(
      command(t, who.controller, appeal.id, 'deadline-extensions', {
        ...EXTENSION_DECISION,
        days: 10,
        reason: 'запрос в РЭК',
        extendedAt: LIFE.extendedAt,
      }),
    );
    await done(
      command(t, executorToken(), appeal.id, 'interim-answers', {
        sentAt: LIFE.interimAt,
        summary: 'запрос направлен',
      }),
    );
    await done(
      command(t, executorToken(), appeal.id, 'final-answer', {
        sentAt: LIFE.finalAt,
        summary: 'дан ответ',
        results: [
          { questionCode: HOUSING, result: 'supported', measuresTaken: true },
          { questionCode: ROADS, result: 'explained' },
        ],
      }),
    );
    await done(command(t, who.controller, appeal.id, 'closure', { closedAt: LIFE.closedAt }));
    finishedAt = Date.now() + 1000;
    const res = await history(t, who.supervisor, appeal.id);
    expect(res.status).toBe(200);
    trail = res.body;
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('GET /appeals/{id}/history', () => {
    it('lists every event in order with contiguous revisions and increasing positions', () => {
      expect(trail.map((e) => e.type)).toEqual([
        'AppealRegistered',
        'ExecutorAssigned',
        'DeadlineExtended',
        'InterimAnswerSent',
        'FinalAnswerSent',
        'AppealRemovedFromControl',
      ]);
      expect(trail.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      for (let i = 1; i < trail.length; i++) expect(trail[i].position).toBeGreaterThan(trail[i - 1].position);
    });

    it('gives each event its business time (occurredAt) as sent, and its recording time (recordedAt) from the wall clock', () => {
      const business = [
        `${LIFE.registeredAt}T00:00:00+07:00`,
        LIFE.assignedAt,
        LIFE.extendedAt,
        `${LIFE.interimAt}T00:00:00+07:00`,
        LIFE.finalAt,
        LIFE.closedAt,
      ];
      expect(trail.map((e) => Date.parse(e.occurredAt))).toEqual(business.map((b) => Date.parse(b)));
      for (const e of trail) {
        const recorded = Date.parse(e.recordedAt);
        expect(recorded).toBeGreaterThanOrEqual(startedAt);
        expect(recorded).toBeLessThanOrEqual(finishedAt);
      }
      const recorded = trail.map((e) => Date.parse(e.recordedAt));
      expect(recorded).toEqual([...recorded].sort((a, b) => a - b));
    });

    it('names the actor of each event from the token that sent it', () => {
      expect(trail.map((e) => e.actor)).toEqual([
        { id: 'ivanova', name: 'Иванова А.А.' },
        { id: 'kuznetsova', name: 'Кузнецова Е.В.' },
        { id: 'kuznetsova', name: 'Кузнецова Е.В.' },
        { id: EXECUTOR.id, name: 'Сидоров С.С. (исполнитель)' },
        { id: EXECUTOR.id, name: 'Сидоров С.С. (исполнитель)' },
        { id: 'kuznetsova', name: 'Кузнецова Е.В.' },
      ]);
    });

    it('carries the data of each event, with the applicants decrypted', () => {
      const [registeredEvent, assigned, extended, interim, final] = trail;
      expect(registeredEvent.data).toMatchObject({
        appealId: appeal.id,
        number: appeal.number,
        registeredAt: LIFE.registeredAt,
        channel: 'written',
        collective: true,
        applicants: APPLICANTS.map((a) => expect.objectContaining(a) as unknown),
        questions: [expect.objectContaining({ code: HOUSING }), expect.objectContaining({ code: ROADS })],
      });
      expect(assigned.data).toMatchObject({
        executor: EXECUTOR,
        department: 'Отдел ЖКХ',
        instructions: 'проверить и ответить',
      });
      expect(extended.data).toMatchObject({
        decidedBy: EXTENSION_DECISION.decidedBy,
        days: 10,
        reason: 'запрос в РЭК',
      });
      expect(interim.data).toMatchObject({ summary: 'запрос направлен' });
      expect(final.data).toMatchObject({
        summary: 'дан ответ',
        results: [
          { questionCode: HOUSING, result: 'supported', measuresTaken: true },
          { questionCode: ROADS, result: 'explained' },
        ],
      });
    });

    it('is the same for supervisor, controller and admin, and refused (403) to registrar and executor', async () => {
      for (const token of [who.controller, who.admin]) {
        const res = await history(t, token, appeal.id);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(trail);
      }
      expectProblem(await history(t, who.registrar, appeal.id), 403);
      expectProblem(await history(t, executorToken(), appeal.id), 403);
    });
  });

  describe('GET /appeals/{id}?asOf=', () => {
    const at = async (asOf: string) => getAppeal(t, who.supervisor, appeal.id, asOf);

    it('given an instant before registration, then 404', async () => {
      expectProblem(await at('2018-03-05'), 404);
      expectProblem(await at('2018-03-05T23:59:59+07:00'), 404);
      // 2018-03-05T17:30Z is already 6 March 00:30 in Novokuznetsk: registered by then
      expect((await at('2018-03-05T17:30:00Z')).status).toBe(200);
    });

    it.each([
      ['2018-03-06', 'registered', 0],
      ['2018-03-07T09:59:59+07:00', 'registered', 0],
      ['2018-03-07T10:00:00+07:00', 'assigned', 1],
      ['2018-03-07T03:00:00Z', 'assigned', 1],
      ['2018-03-12', 'assigned', 2],
      ['2018-03-15', 'interim_answered', 3],
      ['2018-03-28T14:59:59+07:00', 'interim_answered', 3],
      ['2018-03-28', 'final_answered', 4],
      ['2018-03-29T10:59:00+07:00', 'final_answered', 4],
      ['2018-03-29T11:00:00+07:00', 'closed', 5],
      ['2019-01-01', 'closed', 5],
    ])('as of %s the appeal was %s (revision %i)', async (asOf, state, revision) => {
      const res = await at(asOf);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: appeal.id, number: appeal.number, state, revision });
      expect(res.body.position).toBe(trail[revision].position);
      expect(res.headers.get('etag')).toBe(`"${revision}"`);
    });

    it('shows the facts of that moment: executor, due date, question results, control', async () => {
      const registeredOnly = (await at('2018-03-06')).body;
      expect(registeredOnly).toMatchObject({
        executor: null,
        department: null,
        dueDate: '2018-04-05',
        extended: false,
        onControl: true,
      });
      expect(registeredOnly.questions.map((q) => q.result)).toEqual(['in_work', 'in_work']);

      const extended = (await at('2018-03-13')).body;
      // 2018-04-05 + 10 = 2018-04-15, a Sunday → Friday 13 April
      expect(extended).toMatchObject({
        executor: EXECUTOR,
        department: 'Отдел ЖКХ',
        dueDate: '2018-04-13',
        extended: true,
      });

      const answered = (await at('2018-03-28')).body;
      expect(answered.questions.map((q) => q.result)).toEqual(['supported', 'explained']);
      expect(answered.onControl).toBe(true);

      const closed = (await at('2018-03-30')).body;
      expect(closed.onControl).toBe(false);
      expect(closed).toEqual((await getAppeal(t, who.supervisor, appeal.id)).body);
    });
  });

  describe('who sees the applicants', () => {
    it.each([
      ['registrar', () => who.registrar],
      ['controller', () => who.controller],
      ['supervisor', () => who.supervisor],
      ['admin', () => who.admin],
      ['the assigned executor', () => executorToken()],
    ])('%s sees them decrypted', async (_who, token) => {
      const res = await getAppeal(t, token(), appeal.id);
      expect(res.status).toBe(200);
      expect(res.body.applicants).toEqual(APPLICANTS.map((a) => expect.objectContaining(a) as unknown));
    });

    it('another executor may not read the appeal at all, now or as of a date (docs/access.md)', async () => {
      const res = await getAppeal(t, who.executor('petrova'), appeal.id);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain(appeal.number);
      expect(JSON.stringify(res.body)).not.toContain('Петров П.П.');
      const past = await getAppeal(t, who.executor('petrova'), appeal.id, '2018-03-20');
      expect(past.status).toBe(403);
      expect(JSON.stringify(past.body)).not.toContain('Петров П.П.');
    });

    it('after reassignment, the former executor no longer sees them and the new one does', async () => {
      const other = await registered(t, who.registrar, registration({ applicants: APPLICANTS }));
      await done(
        command(t, who.controller, other.id, 'assignment', {
          executor: EXECUTOR,
          department: 'Отдел ЖКХ',
          assignedAt: '2018-03-07',
        }),
      );
      expect((await getAppeal(t, executorToken(), other.id)).body.applicants).toHaveLength(2);

      await done(
        command(t, who.controller, other.id, 'assignment', {
          executor: { id: 'petrova', name: 'Петрова О.И.' },
          department: 'Отдел ЖКХ',
          assignedAt: '2018-03-08',
        }),
      );

      // the former executor reads nothing — not even the days of their own assignment (finding 2)
      const former = await getAppeal(t, executorToken(), other.id);
      expect(former.status).toBe(403);
      expect(former.body).not.toHaveProperty('applicants');
      const formerPast = await getAppeal(t, executorToken(), other.id, '2018-03-07');
      expect(formerPast.status).toBe(403);
      expect(JSON.stringify(formerPast.body)).not.toContain('Петров П.П.');
      expect((await getAppeal(t, who.executor('petrova'), other.id)).body.applicants).toHaveLength(2);
      // the new one sees them also in the state before their assignment: visibility follows today's
      const before = await getAppeal(t, who.executor('petrova'), other.id, '2018-03-07');
      expect(before.body.executor?.id).toBe(EXECUTOR.id);
      expect(before.body.applicants).toHaveLength(2);
    });
  });
});

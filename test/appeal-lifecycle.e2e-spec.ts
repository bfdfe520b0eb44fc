/**
 * The appeal's life over HTTP (docs/api.md "Commands", the appeal summary there): every step checked field by
 * field, the side paths (rework, forwarding, withdrawal, reassignment) and the registration facts
 * (form, collective, anonymous, repeat, numbers, default registration date).
 */
import {
  actors,
  assignBody,
  command,
  done,
  DEPARTMENT,
  EXECUTOR,
  expectValidation,
  finalAnswerBody,
  footprint,
  getAppeal,
  history,
  HOUSING,
  ManualClock,
  register,
  registered,
  registration,
  ROADS,
  SOCIAL,
  type Actors,
  type AppealSummary,
  EXTENSION_DECISION,
} from './support/appeals';
import { startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every field docs/api.md fixes for the appeal summary, with its type (applicants: the caller may see them). */
function expectSummaryShape(summary: AppealSummary): void {
  expect(summary).toEqual(
    expect.objectContaining({
      id: expect.stringMatching(UUID) as unknown,
      number: expect.any(String) as unknown,
      state: expect.stringMatching(
        /^(registered|assigned|interim_answered|final_answered|closed)$/,
      ) as unknown,
      form: expect.stringMatching(/^(written|electronic|oral)$/) as unknown,
      channel: expect.any(String) as unknown,
      kind: expect.any(String) as unknown,
      registeredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
      extended: expect.any(Boolean) as unknown,
      onControl: expect.any(Boolean) as unknown,
      questions: expect.any(Array) as unknown,
      applicants: expect.any(Array) as unknown,
      repeat: expect.any(Boolean) as unknown,
      collective: expect.any(Boolean) as unknown,
      anonymous: expect.any(Boolean) as unknown,
      revision: expect.any(Number) as unknown,
      position: expect.any(Number) as unknown,
    }),
  );
  expect(summary).toHaveProperty('executor');
  expect(summary).toHaveProperty('department');
  for (const q of summary.questions)
    expect(Object.keys(q)).toEqual(expect.arrayContaining(['code', 'result']));
}

/** Revision, position and ETag move together: one step further than `before`. */
function expectNextStep(res: HttpResult<AppealSummary>, before: AppealSummary): void {
  expect(res.status).toBe(200);
  expectSummaryShape(res.body);
  expect(res.body.id).toBe(before.id);
  expect(res.body.number).toBe(before.number);
  expect(res.body.revision).toBe(before.revision + 1);
  expect(res.body.position).toBeGreaterThan(before.position);
  expect(res.headers.get('etag')).toBe(`"${res.body.revision}"`);
}

describe('appeal lifecycle over HTTP', () => {
  let t: TestEngine;
  let who: Actors;
  const clock = new ManualClock(new Date('2018-04-10T03:00:00Z'));

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('given a written complaint, when the registrar registers it, then 201 with Location, ETag "0" and the full summary', async () => {
    const res = await register(t, who.registrar, registration());

    expect(res.status).toBe(201);
    const appeal = res.body;
    expectSummaryShape(appeal);
    expect(appeal.id).toMatch(UUID);
    expect(res.headers.get('location')).toBe(`/appeals/${appeal.id}`);
    expect(res.headers.get('etag')).toBe('"0"');
    expect(appeal).toMatchObject({
      number: expect.stringMatching(/^П\/\d+$/) as unknown,
      state: 'registered',
      form: 'written',
      channel: 'written',
      kind: 'complaint',
      registeredAt: '2018-03-06',
      dueDate: '2018-04-05',
      extended: false,
      onControl: true,
      executor: null,
      department: null,
      questions: [{ code: HOUSING, result: 'in_work' }],
      applicants: [{ name: 'Петров П.П.', address: 'п. Елань, ул. Садовая, 1', phone: '+7 900 000-00-01' }],
      repeat: false,
      collective: false,
      anonymous: false,
      revision: 0,
    });
    expect(appeal.position).toBeGreaterThan(0);

    const read = await getAppeal(t, who.registrar, appeal.id);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"0"');
    expect(read.body).toEqual(appeal);
  });

  it('given a registered appeal, when assigned, answered in the interim, answered finally and closed, then every step shows in the summary', async () => {
    const start = await registered(
      t,
      who.registrar,
      registration({ questions: [{ code: HOUSING }, { code: ROADS }] }),
    );
    const executor = who.executor(EXECUTOR.id);

    const assigned = await command(t, who.controller, start.id, 'assignment', assignBody());
    expectNextStep(assigned, start);
    expect(assigned.body).toMatchObject({
      state: 'assigned',
      executor: EXECUTOR,
      department: DEPARTMENT,
      onControl: true,
      dueDate: '2018-04-05',
      questions: [
        { code: HOUSING, result: 'in_work' },
        { code: ROADS, result: 'in_work' },
      ],
    });

    const interim = await command(t, executor, start.id, 'interim-answers', {
      sentAt: '2018-03-15',
      summary: 'запрошены сведения у управляющей компании',
      finalAnswerBy: '2018-04-02',
    });
    expectNextStep(interim, assigned.body);
    expect(interim.body).toMatchObject({
      state: 'interim_answered',
      executor: EXECUTOR,
      department: DEPARTMENT,
      onControl: true,
      questions: [
        { code: HOUSING, result: 'in_work' },
        { code: ROADS, result: 'in_work' },
      ],
    });
    // the assigned executor sees the applicants
    expect(interim.body.applicants).toEqual([expect.objectContaining({ name: 'Петров П.П.' })]);

    const final = await command(t, executor, start.id, 'final-answer', {
      sentAt: '2018-03-28',
      summary: 'горячая вода подана; по дороге даны разъяснения',
      results: [
        { questionCode: HOUSING, result: 'supported', measuresTaken: true },
        { questionCode: ROADS, result: 'explained' },
      ],
    });
    expectNextStep(final, interim.body);
    expect(final.body).toMatchObject({
      state: 'final_answered',
      onControl: true,
      executor: EXECUTOR,
      questions: [
        { code: HOUSING, result: 'supported' },
        { code: ROADS, result: 'explained' },
      ],
    });

    const closed = await command(t, who.controller, start.id, 'closure', { closedAt: '2018-03-29' });
    expectNextStep(closed, final.body);
    expect(closed.body).toMatchObject({
      state: 'closed',
      onControl: false,
      executor: EXECUTOR,
      department: DEPARTMENT,
      dueDate: '2018-04-05',
      extended: false,
      questions: [
        { code: HOUSING, result: 'supported' },
        { code: ROADS, result: 'explained' },
      ],
    });

    const read = await getAppeal(t, who.controller, start.id);
    expect(read.body).toEqual(closed.body);
    expect(read.headers.get('etag')).toBe('"4"');
  });

  it('given a controller extends the term, then dueDate moves and extended is set', async () => {
    const start = await registered(t, who.registrar);
    const extended = await command(t, who.controller, start.id, 'deadline-extensions', {
      ...EXTENSION_DECISION,
      days: 10,
      reason: 'запрошены документы в других органах',
      extendedAt: '2018-03-20',
    });
    expectNextStep(extended, start);
    // 2018-04-05 + 10 = 2018-04-15, a Sunday → the preceding working day
    expect(extended.body).toMatchObject({ state: 'registered', extended: true, dueDate: '2018-04-13' });
  });

  describe('rework', () => {
    it('given a final answer, when the controller returns it, then the appeal is back in work and can be answered and closed again', async () => {
      const start = await registered(t, who.registrar);
      const executor = who.executor(EXECUTOR.id);
      const assigned = await done(command(t, who.controller, start.id, 'assignment', assignBody()));
      const final = await done(
        command(t, executor, start.id, 'final-answer', finalAnswerBody([HOUSING], '2018-03-20', 'explained')),
      );
      expect(final.questions).toEqual([{ code: HOUSING, result: 'explained' }]);

      const rework = await command(t, who.controller, start.id, 'rework', { reason: 'ответ не по существу' });
      expectNextStep(rework, final);
      expect(rework.body).toMatchObject({
        state: 'assigned',
        onControl: true,
        executor: assigned.executor,
        questions: [{ code: HOUSING, result: 'in_work' }],
      });

      const again = await command(
        t,
        executor,
        start.id,
        'final-answer',
        finalAnswerBody([HOUSING], '2018-03-27', 'supported'),
      );
      expectNextStep(again, rework.body);
      expect(again.body).toMatchObject({
        state: 'final_answered',
        questions: [{ code: HOUSING, result: 'supported' }],
      });

      const closed = await command(t, who.controller, start.id, 'closure', { closedAt: '2018-03-28' });
      expectNextStep(closed, again.body);
      expect(closed.body).toMatchObject({
        state: 'closed',
        onControl: false,
        questions: [{ code: HOUSING, result: 'supported' }],
      });

      const trail = await history(t, who.supervisor, start.id);
      expect(trail.body.map((e) => e.type)).toEqual([
        'AppealRegistered',
        'ExecutorAssigned',
        'FinalAnswerSent',
        'AnswerReturnedForRework',
        'FinalAnswerSent',
        'AppealRemovedFromControl',
      ]);
    });

    it('given an interim answer before the final one, when returned for rework, then the appeal goes back to interim_answered', async () => {
      const start = await registered(t, who.registrar);
      const executor = who.executor(EXECUTOR.id);
      await done(command(t, who.controller, start.id, 'assignment', assignBody()));
      await done(
        command(t, executor, start.id, 'interim-answers', { sentAt: '2018-03-10', summary: 'в работе' }),
      );
      const final = await done(command(t, executor, start.id, 'final-answer', finalAnswerBody()));

      const rework = await command(t, who.controller, start.id, 'rework', {
        reason: 'нет ответа по существу',
      });
      expectNextStep(rework, final);
      expect(rework.body).toMatchObject({
        state: 'interim_answered',
        questions: [{ code: HOUSING, result: 'in_work' }],
      });
    });
  });

  describe('forwarding and withdrawal', () => {
    it('given a registered appeal, when the registrar forwards it by competence, then every question is forwarded and it leaves control', async () => {
      const start = await registered(
        t,
        who.registrar,
        registration({ questions: [{ code: HOUSING }, { code: SOCIAL }] }),
      );

      const forwarded = await command(t, who.registrar, start.id, 'forwarding', {
        to: 'Прокуратура Кемеровской области',
        sentAt: '2018-03-07',
        reference: '01-15/123',
      });

      expectNextStep(forwarded, start);
      expect(forwarded.body).toMatchObject({
        state: 'closed',
        onControl: false,
        questions: [
          { code: HOUSING, result: 'forwarded' },
          { code: SOCIAL, result: 'forwarded' },
        ],
      });
    });

    it('given an assigned appeal, when the controller forwards it, then it is closed with every question forwarded', async () => {
      const start = await registered(
        t,
        who.registrar,
        registration({ questions: [{ code: HOUSING }, { code: ROADS }] }),
      );
      const assigned = await done(command(t, who.controller, start.id, 'assignment', assignBody()));

      const forwarded = await command(t, who.controller, start.id, 'forwarding', {
        to: 'ГЖИ Кузбасса',
        sentAt: '2018-03-08',
      });

      expectNextStep(forwarded, assigned);
      expect(forwarded.body.state).toBe('closed');
      expect(forwarded.body.onControl).toBe(false);
      expect(forwarded.body.questions.map((q) => q.result)).toEqual(['forwarded', 'forwarded']);
    });

    it('given an assigned appeal, when the applicant withdraws it, then it is closed and off control', async () => {
      const start = await registered(t, who.registrar);
      const assigned = await done(command(t, who.controller, start.id, 'assignment', assignBody()));

      const withdrawn = await command(t, who.registrar, start.id, 'withdrawal', {
        withdrawnAt: '2018-03-12',
        reason: 'вопрос решён',
      });

      expectNextStep(withdrawn, assigned);
      expect(withdrawn.body).toMatchObject({ state: 'closed', onControl: false, executor: EXECUTOR });
      const trail = await history(t, who.supervisor, start.id);
      expect(trail.body.map((e) => e.type)).toEqual([
        'AppealRegistered',
        'ExecutorAssigned',
        'AppealWithdrawn',
      ]);
    });
  });

  it('given an assigned appeal, when the controller reassigns it, then executor and department change and only the new executor may answer', async () => {
    const start = await registered(t, who.registrar);
    const assigned = await done(command(t, who.controller, start.id, 'assignment', assignBody()));
    const petrova = { id: 'petrova', name: 'Петрова О.И.' };

    const reassigned = await command(
      t,
      who.controller,
      start.id,
      'assignment',
      assignBody(petrova, 'Отдел строительства', '2018-03-09'),
    );

    expectNextStep(reassigned, assigned);
    expect(reassigned.body).toMatchObject({
      state: 'assigned',
      executor: petrova,
      department: 'Отдел строительства',
    });
    const trail = await history(t, who.supervisor, start.id);
    expect(trail.body.map((e) => e.type)).toEqual([
      'AppealRegistered',
      'ExecutorAssigned',
      'ExecutorReassigned',
    ]);

    const byOld = await command(t, who.executor(EXECUTOR.id), start.id, 'interim-answers', {
      sentAt: '2018-03-10',
      summary: 'в работе',
    });
    expect(byOld.status).toBe(403);
    const byNew = await command(t, who.executor('petrova'), start.id, 'interim-answers', {
      sentAt: '2018-03-10',
      summary: 'в работе',
    });
    expectNextStep(byNew, reassigned.body);
    expect(byNew.body.state).toBe('interim_answered');
  });

  describe('form, collective and anonymous', () => {
    it.each([
      ['written', 'written'],
      ['electronic', 'electronic'],
      ['phone', 'oral'],
    ] as const)('given channel %s, then form is %s', async (channel, form) => {
      const appeal = await registered(t, who.registrar, registration({ channel }));
      expect(appeal.channel).toBe(channel);
      expect(appeal.form).toBe(form);
    });

    it('given a personal reception with its official, then form is oral and the reception is recorded', async () => {
      const reception = {
        officialRole: 'deputy',
        officialName: 'Заместитель главы Орлов В.В.',
        onSite: true,
      };
      const appeal = await registered(
        t,
        who.registrar,
        registration({ channel: 'personal_reception', reception }),
      );

      expect(appeal).toMatchObject({ channel: 'personal_reception', form: 'oral', state: 'registered' });
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body[0].data.reception).toEqual(reception);
    });

    it('given two applicants, then the appeal is collective and not anonymous', async () => {
      const appeal = await registered(
        t,
        who.registrar,
        registration({
          applicants: [
            { name: 'Петров П.П.', address: 'п. Елань, ул. Садовая, 1' },
            { name: 'Петрова М.И.', address: 'п. Елань, ул. Садовая, 1' },
          ],
        }),
      );
      expect(appeal).toMatchObject({ collective: true, anonymous: false });
      expect(appeal.applicants).toHaveLength(2);
    });

    it.each([
      ['no applicant at all', []],
      ['a name but no address and no e-mail', [{ name: 'Петров П.П.', phone: '+7 900 000-00-02' }]],
      ['an address but no name', [{ address: 'п. Елань, ул. Садовая, 1' }]],
    ])(
      'given %s, then the appeal is anonymous and, getting no answer, not on control (59-FZ art. 11 ч.1)',
      async (_case, applicants) => {
        const appeal = await registered(t, who.registrar, registration({ applicants }));
        expect(appeal).toMatchObject({
          anonymous: true,
          collective: false,
          state: 'registered',
          onControl: false,
        });
      },
    );

    it('given a name and an e-mail but no postal address, then the appeal is not anonymous', async () => {
      const appeal = await registered(
        t,
        who.registrar,
        registration({ applicants: [{ name: 'Петров П.П.', email: 'petrov@example.org' }] }),
      );
      expect(appeal.anonymous).toBe(false);
    });
  });

  describe('repeat appeals', () => {
    it('given an earlier appeal, when a repeat names it, then the new appeal is a repeat', async () => {
      const first = await registered(t, who.registrar);
      const repeat = await registered(t, who.registrar, registration({ repeatOf: first.id }));
      expect(repeat.repeat).toBe(true);
      expect(repeat.id).not.toBe(first.id);
    });

    it('given an unknown appeal id in repeatOf, then 400 naming repeatOf and nothing is registered', async () => {
      const before = await registered(t, who.registrar, registration({ registeredAt: '2018-03-07' }));
      const res = await register(
        t,
        who.registrar,
        registration({ repeatOf: '0b6f6a5e-3c1f-4a55-9a43-1c2b2f3e4d5c' }),
      );
      expectValidation(res, 'repeatOf');
      const after = await registered(t, who.registrar, registration({ registeredAt: '2018-03-07' }));
      // the number sequence went on without a gap: the refused registration took nothing
      expect(Number(after.number.split('/')[1])).toBe(Number(before.number.split('/')[1]) + 1);
    });
  });

  it('numbers are the first letter of the surname and a sequence per registration year', async () => {
    const reg = (name: string, receivedAt: string, registeredAt: string) =>
      registered(
        t,
        who.registrar,
        registration({ applicants: [{ name, address: 'г. Кемерово' }], receivedAt, registeredAt }),
      );

    // 2016 and 2017 are used by no other test in this suite, so the sequences start at 1 here
    expect((await reg('Петров П.П.', '2016-03-01', '2016-03-01')).number).toBe('П/1');
    expect((await reg('Сидорова А.Б.', '2016-03-02', '2016-03-02')).number).toBe('С/2');
    expect((await reg('иванов и.и.', '2016-03-02', '2016-03-03')).number).toBe('И/3');
    expect((await reg('Дмитриев Д.Д.', '2017-02-01', '2017-02-01')).number).toBe('Д/1');
    // received in 2016, registered in 2017: the registration year counts
    expect((await reg('Борисов Б.Б.', '2016-12-30', '2017-01-09')).number).toBe('Б/2');
    expect((await reg('Карпов К.К.', '2016-04-01', '2016-04-01')).number).toBe('К/4');
  });

  it('given no registeredAt, then the appeal is registered today in the administration time zone', async () => {
    // 20:00 UTC on 31 March is already 1 April in Novokuznetsk (UTC+7)
    clock.set('2018-03-31T20:00:00Z');
    const body = registration({ receivedAt: '2018-03-30' });
    delete body.registeredAt;

    const appeal = await registered(t, who.registrar, body);

    expect(appeal.registeredAt).toBe('2018-04-01');
    // 2018-04-01 + 30 = 2018-05-01 (holiday); 30 April is a day off too; 28 April is a working Saturday
    expect(appeal.dueDate).toBe('2018-04-28');
    const fp = await footprint(t, appeal.id);
    expect(fp).toEqual({ revision: 0, events: 1, etag: '"0"' });
  });
});

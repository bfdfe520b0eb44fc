/**
 * The applicant's additional documents and materials over HTTP (59-FZ art. 5 п.1; docs/api.md
 * "Applicant's materials"): attached while the appeal is under consideration, listed on the appeal,
 * worded in the history with the description opened for its readers and sealed in the store; every
 * refusal is problem+json that changes nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
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
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

type WithMaterials = AppealSummary & { applicantMaterials: { receivedAt: string; pages?: number }[] };

describe("the applicant's additional materials over HTTP (59-FZ art. 5 п.1)", () => {
  let t: TestEngine;
  let who: Actors;
  // «now» is 10 April 2018, 10:00 in Asia/Novokuznetsk
  const clock = new ManualClock(new Date('2018-04-10T03:00:00Z'));
  const marker = `Материалы-Маркер-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  const attach = (
    token: string,
    appealId: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<WithMaterials>> =>
    http<WithMaterials>(t.url, 'POST', `/appeals/${appealId}/applicant-materials`, { token, body, headers });
  const read = async (appealId: string): Promise<WithMaterials> =>
    (await getAppeal(t, who.supervisor, appealId)).body as WithMaterials;
  const assignedAppeal = async (): Promise<AppealSummary> => {
    const appeal = await registered(t, who.registrar);
    return done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
  };
  const unchanged = async (appealId: string, act: () => Promise<void>): Promise<void> => {
    const before = await footprint(t, appealId);
    await act();
    expect(await footprint(t, appealId)).toEqual(before);
  };

  it('given a registered appeal, when the registrar attaches materials, then 200, the appeal lists them, the history words them, the store holds the description sealed', async () => {
    const appeal = await registered(t, who.registrar);
    const res = await attach(who.registrar, appeal.id, {
      receivedAt: '2018-03-14',
      description: marker,
      pages: 4,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${appeal.revision + 1}"`);
    expect(res.body.state).toBe('registered');
    expect(res.body.applicantMaterials).toEqual([
      { receivedAt: expect.stringMatching(/^2018-03-14T00:00:00/) as unknown, pages: 4 },
    ]);
    expect((await read(appeal.id)).applicantMaterials).toEqual(res.body.applicantMaterials);
    expect(JSON.stringify(res.body)).not.toContain(marker);

    const trail = await history(t, who.supervisor, appeal.id);
    const entry = trail.body.at(-1);
    expect(entry).toMatchObject({
      type: 'ApplicantMaterialsReceived',
      actor: { id: 'ivanova' },
      data: { description: marker, pages: 4 },
    });
    expect(entry?.occurredAt).toMatch(/^2018-03-14T00:00:00/);

    const store = t.engine.app.get<EventStore>(EVENT_STORE);
    const stored = (await store.readStream(`appeal-${appeal.id}`)).at(-1);
    expect(stored?.type).toBe('ApplicantMaterialsReceived');
    expect(stored?.metadata.schemaVersion).toBe(2);
    expect(JSON.stringify(stored?.data)).not.toContain(marker);
    expect(stored?.data.pages).toBe(4);
  });

  it('given no receivedAt, then it is now; the assigned executor and the controller attach, also after an interim answer', async () => {
    const appeal = await assignedAppeal();
    const first = await attach(who.executor(EXECUTOR.id), appeal.id, { description: 'фотографии подъезда' });
    expect(first.status).toBe(200);
    expect(first.body.applicantMaterials).toEqual([
      { receivedAt: expect.stringMatching(/^2018-04-10T/) as unknown },
    ]);
    await done(
      command(t, who.executor(EXECUTOR.id), appeal.id, 'interim-answers', {
        sentAt: '2018-03-20',
        summary: 'проводится проверка',
      }),
    );
    const second = await attach(who.controller, appeal.id, {
      receivedAt: '2018-03-21T15:30:00+07:00',
      description: 'копия акта осмотра',
      pages: 2,
    });
    expect(second.status).toBe(200);
    expect(second.body.state).toBe('interim_answered');
    expect(second.body.applicantMaterials).toHaveLength(2);
    expect(second.body.applicantMaterials[1]).toEqual({ receivedAt: '2018-03-21T15:30:00+07:00', pages: 2 });
  });

  it('given bad input, then 400 naming the field, and nothing changes', async () => {
    const appeal = await assignedAppeal();
    await unchanged(appeal.id, async () => {
      expectValidation(await attach(who.controller, appeal.id, {}), 'description');
      expectValidation(await attach(who.controller, appeal.id, { description: '' }), 'description');
      expectValidation(await attach(who.controller, appeal.id, { description: 'x', pages: 0 }), 'pages');
      expectValidation(await attach(who.controller, appeal.id, { description: 'x', pages: 'два' }), 'pages');
      expectValidation(
        await attach(who.controller, appeal.id, { description: 'x', receivedAt: 'вчера' }),
        'receivedAt',
      );
      // outside the business-time window (2000-01-01 … today + 1 year)
      expectValidation(
        await attach(who.controller, appeal.id, { description: 'x', receivedAt: '1999-12-31' }),
        'receivedAt',
      );
      expectValidation(
        await attach(who.controller, appeal.id, { description: 'x', receivedAt: '2020-01-01' }),
        'receivedAt',
      );
      // before the registration date (the decider)
      expectValidation(
        await attach(who.controller, appeal.id, { description: 'x', receivedAt: '2018-03-01' }),
        'receivedAt',
      );
      expectValidation(await attach(who.controller, appeal.id, { description: 'x', unexpected: 1 }));
    });
  });

  it('given no token, then 401; a supervisor, then 403 (route roles); another executor, then 403 (the access policy); nothing changes', async () => {
    const appeal = await assignedAppeal();
    const body = { description: 'x' };
    await unchanged(appeal.id, async () => {
      expectProblem(await http(t.url, 'POST', `/appeals/${appeal.id}/applicant-materials`, { body }), 401);
      expectProblem(await attach(who.supervisor, appeal.id, body), 403);
      expectProblem(await attach(who.executor('petrova'), appeal.id, body), 403);
    });
  });

  it('given an unknown appeal, then 404', async () => {
    expectProblem(await attach(who.admin, randomUUID(), { description: 'x' }), 404);
    expectProblem(await attach(who.admin, 'not-an-id', { description: 'x' }), 404);
  });

  it('given an answered or closed appeal, then 409 saying what is allowed now, and nothing changes', async () => {
    const appeal = await assignedAppeal();
    await done(command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', finalAnswerBody()));
    await unchanged(appeal.id, async () => {
      const problem = expectProblem(
        await attach(who.controller, appeal.id, { receivedAt: '2018-03-29', description: 'поздно' }),
        409,
      );
      expect(problem.state).toBe('final_answered');
      expect(problem.allowedActions).toEqual(expect.arrayContaining(['remove_from_control']));
      expect(problem.allowedActions).not.toContain('record_applicant_materials');
    });
    await done(command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-29' }));
    await unchanged(appeal.id, async () => {
      const problem = expectProblem(await attach(who.admin, appeal.id, { description: 'поздно' }), 409);
      expect(problem.state).toBe('closed');
    });
  });
});

/**
 * Issue 15: POST /appeals/{id}/related/confirm and /related/reject check, before deciding, that the
 * appeal `relatedAppealId` names exists and that the caller may read it (the route's `check`, run by
 * the command pipeline after authorization and If-Match: docs/adding-a-transition.md). A refusal is
 * problem+json naming that appeal and stores nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  expectValidation,
  footprint,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

describe('related appeals: the one named must exist and be within reach', () => {
  let t: TestEngine;
  let who: Actors;
  let earlier: AppealSummary;
  let later: AppealSummary;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    earlier = await registered(t, who.registrar, registration({ registeredAt: '2018-03-06' }));
    later = await registered(
      t,
      who.registrar,
      registration({ registeredAt: '2018-04-16', receivedAt: '2018-04-16' }),
    );
  });

  afterAll(async () => {
    await t.stop();
  });

  const decide = (
    verb: 'confirm' | 'reject',
    appealId: string,
    relatedAppealId: string,
    token = who.registrar,
    kind: 'repeat' | 'duplicate' = 'repeat',
  ) =>
    http<AppealSummary>(t.url, 'POST', `/appeals/${appealId}/related/${verb}`, {
      token,
      body: { relatedAppealId, kind, decidedAt: '2018-04-16' },
    });

  it.each(['confirm', 'reject'] as const)(
    '%s: an unknown id is 409 naming it, and nothing is stored',
    async (verb) => {
      const before = await footprint(t, later.id);
      const unknown = randomUUID();
      const res = await decide(verb, later.id, unknown.toUpperCase());
      const problem = expectProblem(res, 409);
      expect(problem).toMatchObject({
        type: expect.stringMatching(/referenced-appeal-not-found$/) as unknown,
        field: 'relatedAppealId',
        appealId: unknown,
      });
      expect(problem.detail).toContain(unknown);
      expect(await footprint(t, later.id)).toEqual(before);
    },
  );

  it('self-reference is 400 (the decider), nothing stored', async () => {
    const before = await footprint(t, later.id);
    expectValidation(await decide('confirm', later.id, later.id), 'relatedAppealId');
    expect(await footprint(t, later.id)).toEqual(before);
  });

  it('an appeal whose personal data was erased still exists: it may be named', async () => {
    const erased = await registered(t, who.registrar, registration({ registeredAt: '2018-03-07' }));
    const erasure = await http(t.url, 'DELETE', `/appeals/${erased.id}/personal-data`, { token: who.admin });
    expect(erasure.status).toBeLessThan(300);
    const summary = await done(decide('confirm', later.id, erased.id));
    expect(summary).toMatchObject({ repeat: true, repeatOf: erased.id });
    expect((await done(decide('reject', later.id, erased.id))).repeatOf ?? null).toBeNull();
  });

  it("another department's appeal is 403 for a department's registrar, naming it; nothing stored", async () => {
    const other = await registered(t, who.registrar, registration({ registeredAt: '2018-03-06' }));
    await done(
      command(t, who.controller, other.id, 'assignment', assignBody(undefined, 'Отдел образования')),
    );
    await done(
      command(t, who.controller, later.id, 'assignment', assignBody(undefined, 'Отдел ЖКХ', '2018-04-16')),
    );
    const departmental = t.token('petrova', ['registrar'], { name: 'Петрова', department: 'Отдел ЖКХ' });
    const before = await footprint(t, later.id);
    const res = await decide('confirm', later.id, other.id, departmental);
    const problem = expectProblem(res, 403);
    expect(problem).toMatchObject({ field: 'relatedAppealId', appealId: other.id });
    expect(problem.detail).toContain(other.id);
    expect(await footprint(t, later.id)).toEqual(before);
    // the organisational registrar reaches both
    expect(await done(decide('confirm', later.id, other.id))).toMatchObject({ repeatOf: other.id });
  });

  it('an existing appeal within reach: confirmed, then rejected', async () => {
    expect(await done(decide('confirm', later.id, earlier.id))).toMatchObject({
      repeat: true,
      repeatOf: earlier.id,
    });
    expect((await done(decide('reject', later.id, earlier.id))).repeatOf ?? null).toBeNull();
  });

  it('the check comes after the appeal itself: unknown appeal 404, no token 401, wrong role 403', async () => {
    const unknown = randomUUID();
    expectProblem(await decide('confirm', randomUUID(), unknown), 404);
    expectProblem(
      await http(t.url, 'POST', `/appeals/${later.id}/related/confirm`, {
        body: { relatedAppealId: unknown, kind: 'repeat' },
      }),
      401,
    );
    expectProblem(await decide('confirm', later.id, unknown, who.executor('sidorov')), 403);
  });

  it('OpenAPI lists the 409 and 403 of the check on both routes', async () => {
    const doc = await http<{ paths: Record<string, { post: { responses: Record<string, unknown> } }> }>(
      t.url,
      'GET',
      '/docs-json',
      {},
    );
    for (const verb of ['confirm', 'reject'])
      expect(Object.keys(doc.body.paths[`/appeals/{id}/related/${verb}`].post.responses)).toEqual(
        expect.arrayContaining(['200', '403', '409']),
      );
  });
});

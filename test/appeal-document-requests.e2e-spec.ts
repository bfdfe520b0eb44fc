/**
 * Document requests to other bodies over HTTP (59-FZ art. 10 part 2; docs/api.md "Document
 * requests"): the request answers 201 with its id and reply due date (15 calendar days), the appeal
 * shows it until the reply is recorded, and every refusal is problem+json that changes nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  expectProblem,
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

interface PendingRequest {
  requestId: string;
  to: string;
  sentAt: string;
  reference?: string;
  replyDueDate: string;
}
type WithRequests = AppealSummary & { pendingDocumentRequests: PendingRequest[] };
interface Created {
  requestId: string;
  replyDueDate: string;
}

describe('document requests over HTTP', () => {
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

  const requestDocuments = (
    token: string,
    appealId: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<Created>> =>
    http<Created>(t.url, 'POST', `/appeals/${appealId}/document-requests`, { token, body, headers });
  const reply = (
    token: string,
    appealId: string,
    rid: string,
    body: unknown,
  ): Promise<HttpResult<AppealSummary>> =>
    http<AppealSummary>(t.url, 'POST', `/appeals/${appealId}/document-requests/${rid}/reply`, {
      token,
      body,
    });
  const read = async (appealId: string): Promise<WithRequests> =>
    (await getAppeal(t, who.supervisor, appealId)).body as WithRequests;
  const assignedAppeal = async (): Promise<AppealSummary> => {
    const appeal = await registered(t, who.registrar);
    return done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
  };
  /** Runs `act` and checks the appeal's revision, events and ETag did not move. */
  const unchanged = async (appealId: string, act: () => Promise<void>): Promise<void> => {
    const before = await footprint(t, appealId);
    await act();
    expect(await footprint(t, appealId)).toEqual(before);
  };

  it('given an assigned appeal, when its executor requests documents, then 201 with the request id and a reply due 15 calendar days later, shown on the appeal until the reply', async () => {
    const appeal = await assignedAppeal();
    const res = await requestDocuments(who.executor(EXECUTOR.id), appeal.id, {
      to: 'Управление Росреестра',
      sentAt: '2018-03-20',
      reference: '01-12/345',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // 20 March + 15 calendar days = 4 April (a working Wednesday; days off are not skipped).
    expect(res.body).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      replyDueDate: '2018-04-04',
    });
    const { requestId } = res.body;
    expect(res.headers.get('location')).toBe(`/appeals/${appeal.id}/document-requests/${requestId}`);
    expect(res.headers.get('etag')).toBe(`"${appeal.revision + 1}"`);

    const pending = await read(appeal.id);
    expect(pending.state).toBe('assigned');
    expect(pending.pendingDocumentRequests).toEqual([
      {
        requestId,
        to: 'Управление Росреестра',
        sentAt: expect.stringMatching(/^2018-03-20T00:00:00/) as unknown,
        reference: '01-12/345',
        replyDueDate: '2018-04-04',
      },
    ]);

    const answered = await reply(who.controller, appeal.id, requestId, { receivedAt: '2018-03-30' });
    expect(answered.status).toBe(200);
    expect((answered.body as WithRequests).pendingDocumentRequests).toEqual([]);
    expect((await read(appeal.id)).pendingDocumentRequests).toEqual([]);
    const trail = await history(t, who.supervisor, appeal.id);
    expect(trail.body.map((e) => e.type).slice(-2)).toEqual(['DocumentsRequested', 'DocumentsReceived']);
  });

  it('given an Idempotency-Key, when the request is sent twice, then one request with the same id', async () => {
    const appeal = await assignedAppeal();
    const headers = { 'Idempotency-Key': randomUUID() };
    const body = { to: 'МВД', sentAt: '2018-03-20' };
    const first = await requestDocuments(who.controller, appeal.id, body, headers);
    const again = await requestDocuments(who.controller, appeal.id, body, headers);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.requestId).toBe(first.body.requestId);
    expect((await read(appeal.id)).pendingDocumentRequests).toHaveLength(1);
  });

  it('given an unknown request id, when a reply is recorded, then 404 and nothing changes', async () => {
    const appeal = await assignedAppeal();
    await unchanged(appeal.id, async () => {
      expectProblem(await reply(who.controller, appeal.id, randomUUID(), { receivedAt: '2018-03-30' }), 404);
      expectProblem(await reply(who.controller, appeal.id, 'not-a-uuid', { receivedAt: '2018-03-30' }), 404);
    });
  });

  it('given a reply already recorded, when it is recorded again, then 409 and nothing changes', async () => {
    const appeal = await assignedAppeal();
    const { body } = await requestDocuments(who.controller, appeal.id, { to: 'МВД', sentAt: '2018-03-20' });
    await done(reply(who.controller, appeal.id, body.requestId, { receivedAt: '2018-03-25' }));
    await unchanged(appeal.id, async () => {
      const problem = expectProblem(
        await reply(who.controller, appeal.id, body.requestId, { receivedAt: '2018-03-26' }),
        409,
      );
      expect(problem.type).toMatch(/document-request-answered$/);
    });
  });

  it('given a request sent before the registration date, or a reply before the request, then 400 and nothing changes', async () => {
    const appeal = await assignedAppeal();
    await unchanged(appeal.id, async () => {
      const before = expectProblem(
        await requestDocuments(who.controller, appeal.id, { to: 'МВД', sentAt: '2018-03-01' }),
        400,
      );
      expect(JSON.stringify(before)).toContain('sentAt');
    });
    const { body } = await requestDocuments(who.controller, appeal.id, { to: 'МВД', sentAt: '2018-03-20' });
    await unchanged(appeal.id, async () => {
      expectProblem(
        await reply(who.controller, appeal.id, body.requestId, { receivedAt: '2018-03-19' }),
        400,
      );
    });
  });

  it('given bad input (no addressee, no sentAt), then 400 and nothing changes', async () => {
    const appeal = await assignedAppeal();
    await unchanged(appeal.id, async () => {
      expectProblem(await requestDocuments(who.controller, appeal.id, { sentAt: '2018-03-20' }), 400);
      expectProblem(await requestDocuments(who.controller, appeal.id, { to: 'МВД' }), 400);
    });
  });

  it('given a closed appeal, when documents are requested or a reply recorded, then 409 and nothing changes', async () => {
    const appeal = await assignedAppeal();
    const { body } = await requestDocuments(who.controller, appeal.id, { to: 'МВД', sentAt: '2018-03-20' });
    await done(command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', finalAnswerBody()));
    await done(command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-29' }));
    await unchanged(appeal.id, async () => {
      expectProblem(
        await requestDocuments(who.controller, appeal.id, { to: 'МВД', sentAt: '2018-03-29' }),
        409,
      );
      expectProblem(
        await reply(who.controller, appeal.id, body.requestId, { receivedAt: '2018-03-29' }),
        409,
      );
    });
  });

  it('given another executor or a registrar, then 403 and nothing changes', async () => {
    const appeal = await assignedAppeal();
    await unchanged(appeal.id, async () => {
      expectProblem(
        await requestDocuments(who.executor('petrova'), appeal.id, { to: 'МВД', sentAt: '2018-03-20' }),
        403,
      );
      expectProblem(
        await requestDocuments(who.registrar, appeal.id, { to: 'МВД', sentAt: '2018-03-20' }),
        403,
      );
    });
  });
});

/**
 * Issue 12: access to personal data is itself recorded (152-FZ accountability) — who opened which
 * appeal's applicants (or its history with the free text) and when — in a table apart from the
 * appeal's events, which the engine's runtime role may add to but never change, readable by
 * supervisors through GET /admin/personal-data-access (filtered by appeal and time, paged).
 */
import { Client } from 'pg';
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  expectProblem,
  expectValidation,
  getAppeal,
  history,
  registered,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, runtimeUrlOf, startTestEngine, type TestEngine } from './support/test-engine';

interface Row {
  id: string;
  accessedAt: string;
  appealId: string;
  actor: { id: string; name: string };
  purpose: string;
  applicants: number;
}
interface Page {
  rows: Row[];
  nextCursor: string | null;
}

describe('the record of access to personal data', () => {
  let t: TestEngine;
  let who: Actors;
  let appeal: AppealSummary;
  let other: AppealSummary;
  let started: string;

  const log = (query: string, token = who.supervisor) =>
    http<Page>(t.url, 'GET', `/admin/personal-data-access${query}`, { token });
  const eventCount = async () => {
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    started = new Date(Date.now() - 1000).toISOString();
    appeal = await registered(t, who.registrar);
    await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
    other = await registered(t, who.registrar);
  });
  afterAll(async () => {
    await t.stop();
  });

  it("records each reading that opened an appeal's applicants, and only those, apart from the events", async () => {
    const before = await eventCount();
    const baseline = (await log(`?appealId=${appeal.id}`)).body.rows.length;
    expect((await getAppeal(t, who.supervisor, appeal.id)).status).toBe(200);
    expect((await history(t, who.supervisor, appeal.id)).status).toBe(200);
    expect((await getAppeal(t, who.executor(EXECUTOR.id), appeal.id)).status).toBe(200);
    // refused readings open nothing and record nothing
    expect((await getAppeal(t, who.executor('someone-else'), appeal.id)).status).toBe(403);
    const res = await log(`?appealId=${appeal.id}`);
    expect(res.status).toBe(200);
    const fresh = res.body.rows.slice(0, res.body.rows.length - baseline);
    expect(fresh.map((r) => [r.actor.id, r.purpose])).toEqual([
      [EXECUTOR.id, 'appeal'],
      ['head', 'history'],
      ['head', 'appeal'],
    ]);
    expect(fresh[0]).toMatchObject({
      appealId: appeal.id,
      applicants: 1,
      actor: { name: `Исполнитель ${EXECUTOR.id}` },
    });
    expect(Date.parse(fresh[0].accessedAt)).toBeGreaterThanOrEqual(Date.parse(started));
    expect(res.body.rows.every((r) => r.appealId === appeal.id)).toBe(true);
    expect(res.body.rows.some((r) => r.actor.id === 'someone-else')).toBe(false);
    // the registration and the assignment answered with the applicants: recorded too
    expect(res.body.rows.map((r) => r.actor.id)).toEqual(expect.arrayContaining(['ivanova', 'kuznetsova']));
    expect(await eventCount()).toBe(before); // readings add no event to any appeal
  });

  it('is readable by supervisors and the operator only', async () => {
    expect((await log('', who.admin)).status).toBe(200);
    for (const token of [who.controller, who.registrar, who.executor(EXECUTOR.id), who.as([])]) {
      expectProblem(await log('', token), 403);
    }
    expect((await http(t.url, 'GET', '/admin/personal-data-access')).status).toBe(401);
  });

  it('filters by time and pages newest first', async () => {
    expect((await log(`?appealId=${other.id}`)).body.rows.length).toBeGreaterThan(0);
    expect((await log('?to=2000-01-01')).body.rows).toEqual([]);
    const all = (await log(`?from=${encodeURIComponent(started)}&limit=500`)).body.rows;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const ids: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page = (
        await log(`?from=${encodeURIComponent(started)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      expect(page.rows.length).toBeLessThanOrEqual(2);
      ids.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    }
    expect(ids).toEqual(all.map((r) => r.id));
    expect([...ids].sort((a, b) => Number(b) - Number(a))).toEqual(ids);
  });

  it('refuses malformed filters with problem+json 400', async () => {
    expectValidation(await log('?appealId=nope'), 'appealId');
    expectValidation(await log('?from=yesterday'), 'from');
    expectValidation(await log('?from=2018-03-02&to=2018-03-01'), 'to');
    expectValidation(await log('?limit=0'), 'limit');
    expectValidation(await log('?cursor=x'), 'cursor');
    expectValidation(await log('?appealId=a&appealId=b'), 'appealId');
  });

  it("cannot be changed or deleted by the engine's runtime role", async () => {
    const db = new Client({ connectionString: await runtimeUrlOf(t.database) });
    await db.connect();
    try {
      for (const sql of [
        `UPDATE personal_data_access_log SET actor_id = 'nobody'`,
        'DELETE FROM personal_data_access_log',
        'TRUNCATE personal_data_access_log',
      ]) {
        await expect(db.query(sql)).rejects.toMatchObject({ code: '42501' });
      }
    } finally {
      await db.end();
    }
  });
});

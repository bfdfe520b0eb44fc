/**
 * Retention (issue 12) over HTTP: closed appeals past their term (5 years from 1 January after
 * closure) are listed for the expert commission marked "ЭПК"; its act, recorded by an admin, erases
 * their personal data; a refused act (unknown, not closed, not yet due, already decided) is
 * problem+json and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  actors,
  command,
  done,
  expectProblem,
  expectValidation,
  getAppeal,
  ManualClock,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

interface Candidate {
  appealId: string;
  number: string;
  closedOn: string;
  retentionDueOn: string;
  mark: string;
}

interface Decision {
  decisionId: string;
  act: { number: string; date: string };
  recordedBy: string;
  appeals: { appealId: string; number: string; closedOn: string; keysDestroyed: number }[];
}

const APPLICANT = { name: 'Архивная Серафима Львовна', address: 'д. Давняя, 1' };

describe('retention and the expert commission (ЭПК)', () => {
  const clock = new ManualClock(new Date('2024-02-01T10:00:00+07:00'));
  let t: TestEngine;
  let who: Actors;
  let due: AppealSummary; // withdrawn in 2018: due on 2024-01-01
  let notDue: AppealSummary; // withdrawn in 2019: due on 2025-01-01
  let open: AppealSummary;

  const candidates = (token = who.admin) =>
    http<Candidate[]>(t.url, 'GET', '/admin/retention/candidates', { token });
  const decide = (body: unknown, token = who.admin) =>
    http<Decision>(t.url, 'POST', '/admin/retention/decisions', { token, body });

  async function withdrawn(year: number): Promise<AppealSummary> {
    const appeal = await registered(
      t,
      who.registrar,
      registration({ receivedAt: `${year}-03-05`, registeredAt: `${year}-03-05`, applicants: [APPLICANT] }),
    );
    return done(command(t, who.registrar, appeal.id, 'withdrawal', { withdrawnAt: `${year}-03-10` }));
  }

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    who = actors(t);
    due = await withdrawn(2018);
    notDue = await withdrawn(2019);
    open = await registered(t, who.registrar, registration({ registeredAt: '2024-01-20' }));
    // the candidates come from the control read model (projected asynchronously): every test below
    // reads it after it has applied the closures above
    const caughtUp = await http(t.url, 'GET', `/control?minPosition=${open.position}`, {
      token: who.controller,
    });
    expect(caughtUp.status).toBe(200);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('lists the closed appeals past their term, marked ЭПК, to admins and supervisors only', async () => {
    // the control read model is projected asynchronously: wait until it has the closures
    const deadline = Date.now() + 30_000;
    let listed = await candidates();
    while (!listed.body.some((c) => c.appealId === due.id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await candidates();
    }
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      {
        appealId: due.id,
        number: due.number,
        closedOn: '2018-03-10',
        retentionDueOn: '2024-01-01',
        mark: 'ЭПК',
      },
    ]);
    expect((await candidates(who.supervisor)).body).toEqual(listed.body);
    for (const token of [who.controller, who.registrar, who.executor('sidorov')])
      expectProblem(await candidates(token), 403);
    expectProblem(await http(t.url, 'GET', '/admin/retention/candidates'), 401);
  });

  it('refuses an act naming an unknown, an open or a not-yet-due appeal, erasing nothing', async () => {
    const unknown = randomUUID();
    const res = await decide({
      number: '7-ЭПК',
      date: '2024-01-25',
      appealIds: [due.id, notDue.id, open.id, unknown],
    });
    const problem = expectProblem(res, 422);
    expect(problem.type).toMatch(/retention-refused$/);
    expect((problem as unknown as { refusals: { appealId: string; reason: string }[] }).refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ appealId: notDue.id, reason: 'not_due' }),
        expect.objectContaining({ appealId: open.id, reason: 'not_closed' }),
        expect.objectContaining({ appealId: unknown, reason: 'unknown' }),
      ]),
    );
    expect((await getAppeal(t, who.supervisor, due.id)).body.applicants).toEqual([
      expect.objectContaining(APPLICANT),
    ]);
    expect(
      (await http<Decision[]>(t.url, 'GET', '/admin/retention/decisions', { token: who.admin })).body,
    ).toEqual([]);
  });

  it('refuses malformed acts with 400 and other roles with 403', async () => {
    expectValidation(await decide({ date: '2024-01-25', appealIds: [due.id] }), 'number');
    expectValidation(await decide({ number: '1', date: '2024-02-30', appealIds: [due.id] }), 'date');
    expectValidation(await decide({ number: '1', date: '2024-01-25', appealIds: [] }), 'appealIds');
    expectValidation(await decide({ number: '1', date: '2024-01-25', appealIds: ['nope'] }), 'appealIds');
    expectValidation(await decide({ number: '1', date: '2024-12-25', appealIds: [due.id] }), 'date');
    for (const token of [who.supervisor, who.controller, who.registrar])
      expectProblem(await decide({ number: '1', date: '2024-01-25', appealIds: [due.id] }, token), 403);
    expect((await getAppeal(t, who.supervisor, due.id)).body.applicants).toEqual([
      expect.objectContaining(APPLICANT),
    ]);
  });

  it("records the act and erases its appeals' personal data; the act is listed, the appeal no longer", async () => {
    const res = await decide({ number: '7-ЭПК', date: '2024-01-25', appealIds: [due.id] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      act: { number: '7-ЭПК', date: '2024-01-25' },
      recordedBy: 'root',
      // its applicant's key and the appeal's own (its free text)
      appeals: [{ appealId: due.id, number: due.number, closedOn: '2018-03-10', keysDestroyed: 2 }],
    });
    const after = await getAppeal(t, who.supervisor, due.id);
    expect(after.body.applicants).toEqual([{ erased: true }]);
    expect(after.body.number).toBe(due.number);
    expect((await candidates()).body).toEqual([]);
    const acts = await http<Decision[]>(t.url, 'GET', '/admin/retention/decisions', {
      token: who.supervisor,
    });
    expect(acts.body.map((d) => d.decisionId)).toEqual([res.body.decisionId]);
    // an appeal is in one act only
    const again = expectProblem(
      await decide({ number: '8-ЭПК', date: '2024-01-30', appealIds: [due.id] }),
      422,
    );
    expect(JSON.stringify(again)).toContain('already_decided');
  });

  it('lists the next year’s closures once their term has passed', async () => {
    clock.set('2025-01-02T10:00:00+07:00');
    const listed = await candidates();
    expect(listed.body.map((c) => [c.appealId, c.retentionDueOn, c.mark])).toEqual([
      [notDue.id, '2025-01-01', 'ЭПК'],
    ]);
  });
});

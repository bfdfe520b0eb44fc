/**
 * Repeats and duplicates (issue 15, docs/applicant-matching.md): the registrar is told of earlier
 * appeals of the same applicant on the same question — found through the blind index, never by
 * decrypting the store — in the registration's answer and by GET /appeals/{id}/related; a rebuild of
 * the index gives the same candidates; an erased applicant is no longer found.
 */
import { randomUUID } from 'node:crypto';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  finalAnswerBody,
  HOUSING,
  registration,
  register,
  ROADS,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

interface Related {
  appealId: string;
  number: string;
  state: string;
  registeredOn: string;
  dueDate: string;
  resolvedOn: string | null;
  matchedBy: string[];
  sameQuestion: 'code' | 'theme';
  proposed: 'repeat' | 'duplicate';
  decision: unknown;
}
type Registered = AppealSummary & { related?: Related[] };

/** One applicant written three ways, as registrars do. */
const WAYS = [
  {
    name: 'Фёдорова Анна Сергеевна',
    address: '653000, Кемеровская обл., пос. Каменный, ул. Садовая, д. 3, кв. 1',
    phone: '+7 (905) 123-45-67',
  },
  { name: 'ФЕДОРОВА А.С.', address: 'п. Каменный ул.Садовая д.3 кв.1', email: 'fedorova@example.org' },
  { name: 'А. С. Федорова', address: 'Каменный пос., Садовая ул., дом 3, квартира 1', phone: '89051234567' },
];
const OTHER_HOUSING = '0005.0005.0057.1160'; // same theme (0005.0005 Housing), another topic

describe('repeat and duplicate candidates over HTTP', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  async function registerAs(body: ReturnType<typeof registration>): Promise<Registered> {
    const res = await register(t, who.registrar, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  const related = (id: string, token = who.registrar) =>
    http<{ appealId: string; complete: boolean; related: Related[] }>(
      t.url,
      'GET',
      `/appeals/${id}/related`,
      {
        token,
      },
    );

  it('finds the same applicant written three ways, by question, and proposes duplicate or repeat', async () => {
    const first = await registerAs(
      registration({ applicants: [WAYS[0]], registeredAt: '2018-03-06', receivedAt: '2018-03-05' }),
    );
    expect(first.related).toBeUndefined(); // none: the field is left out
    // the same applicant on another question: not related
    await registerAs(
      registration({ applicants: [WAYS[1]], questions: [{ code: ROADS }], registeredAt: '2018-03-07' }),
    );
    // somebody else on the same question: not related
    await registerAs(
      registration({
        applicants: [{ name: 'Петров П.П.', address: 'п. Елань, ул. Садовая, 1' }],
        registeredAt: '2018-03-07',
      }),
    );

    // a copy through the region while the first is under consideration: a duplicate
    const copy = await registerAs(
      registration({
        applicants: [WAYS[1]],
        questions: [{ code: OTHER_HOUSING }],
        registeredAt: '2018-03-12',
        receivedAt: '2018-03-12',
        source: { type: 'regional_administration', name: 'Администрация Кемеровской области' },
      }),
    );
    expect(copy.related).toEqual([
      expect.objectContaining({
        appealId: first.id,
        number: first.number,
        registeredOn: '2018-03-06',
        dueDate: first.dueDate,
        resolvedOn: null,
        matchedBy: ['name', 'address'],
        sameQuestion: 'theme',
        proposed: 'duplicate',
        decision: null,
      }),
    ]);

    // after the first one was answered: a repeat (of the first); the copy is still open
    await done(command(t, who.controller, first.id, 'assignment', assignBody()));
    await done(
      command(t, who.executor('sidorov'), first.id, 'final-answer', finalAnswerBody([HOUSING], '2018-03-28')),
    );
    const later = await registerAs(
      registration({ applicants: [WAYS[2]], registeredAt: '2018-04-10', receivedAt: '2018-04-09' }),
    );
    expect(later.related?.map((r) => [r.appealId, r.matchedBy, r.sameQuestion, r.proposed])).toEqual([
      [copy.id, ['name', 'address'], 'theme', 'duplicate'], // its term (30 days from 12.03) runs to 11.04
      [first.id, ['name', 'address', 'phone'], 'code', 'repeat'],
    ]);
    expect(later.related?.[1]).toMatchObject({ state: 'final_answered', resolvedOn: '2018-03-28' });

    const listed = await related(later.id);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ appealId: later.id, complete: true, related: later.related });
    expect((await related(later.id, who.supervisor)).body.related).toEqual(later.related);

    // the index rebuilt from the events gives the same candidates
    const rebuilt = await http(t.url, 'POST', '/admin/projections/applicant_index/rebuild', {
      token: who.admin,
    });
    expect(rebuilt.status).toBe(200);
    expect((await related(later.id)).body.related).toEqual(later.related);
    // (the state and dates are those of now; what was proposed stays: answered after the copy came)
    expect((await related(copy.id)).body.related).toEqual([
      { ...copy.related?.[0], state: 'final_answered', resolvedOn: '2018-03-28', proposed: 'duplicate' },
    ]);

    // an erased applicant is no longer found
    const erased = await http(t.url, 'DELETE', `/appeals/${first.id}/personal-data`, { token: who.admin });
    expect(erased.status).toBe(200);
    expect((await related(later.id)).body.related.map((r) => r.appealId)).toEqual([copy.id]);
    expect((await related(copy.id)).body.related).toEqual([]);
    // …and a rebuild does not bring them back (their keys are gone)
    await http(t.url, 'POST', '/admin/projections/applicant_index/rebuild', { token: who.admin });
    expect((await related(later.id)).body.related.map((r) => r.appealId)).toEqual([copy.id]);
  });

  it('is for registrars, controllers, supervisors and admins; bad ids are problems', async () => {
    const appeal = await registerAs(registration());
    expectProblem(await related(appeal.id, who.executor('sidorov')), 403);
    expectProblem(await related('not-an-id'), 404);
    expectProblem(
      await http(t.url, 'GET', `/appeals/${appeal.id}/related?minPosition=x`, { token: who.registrar }),
      400,
    );
    expectProblem(await related('00000000-0000-4000-8000-000000000000'), 404);
    expect((await related(appeal.id, who.controller)).status).toBe(200);
  });

  it('the registrar confirms a duplicate and a repeat: the summary counts the repeat once and the duplicate apart', async () => {
    const person = { name: 'Кузьмина Ольга Петровна', address: 'с. Сосновка, ул. Лесная, д. 8' };
    const summary = async (position: number) =>
      (
        await http<{
          appeals: { total: { current: number }; repeat: { current: number } };
          duplicates: { current: number };
        }>(t.url, 'GET', `/reports/annual?year=2018&asOf=2019-01-15&minPosition=${position}`, {
          token: who.controller,
        })
      ).body;
    const original = await registerAs(
      registration({ applicants: [person], registeredAt: '2018-06-01', receivedAt: '2018-06-01' }),
    );
    const copy = await registerAs(
      registration({
        applicants: [{ ...person, name: 'КУЗЬМИНА О.П.' }],
        registeredAt: '2018-06-04',
        receivedAt: '2018-06-04',
        source: { type: 'regional_administration' },
      }),
    );
    expect(copy.related?.map((r) => [r.appealId, r.proposed])).toEqual([[original.id, 'duplicate']]);
    const before = await summary(copy.position);

    const decide = (id: string, verb: 'confirm' | 'reject', body: unknown, token = who.registrar) =>
      http<AppealSummary & { duplicateOf?: string; repeatOf?: string }>(
        t.url,
        'POST',
        `/appeals/${id}/related/${verb}`,
        {
          token,
          body,
        },
      );
    // bad input changes nothing
    expectProblem(await decide(copy.id, 'confirm', { relatedAppealId: original.id, kind: 'copy' }), 400);
    expectProblem(await decide(copy.id, 'confirm', { relatedAppealId: copy.id, kind: 'duplicate' }), 400);
    expectProblem(
      await decide(
        copy.id,
        'confirm',
        { relatedAppealId: original.id, kind: 'duplicate' },
        who.executor('sidorov'),
      ),
      403,
    );

    const confirmed = await decide(copy.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'duplicate',
      decidedAt: '2018-06-04',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ duplicateOf: original.id, repeat: false, revision: 1 });
    const listed = await related(copy.id);
    expect(listed.body.related[0]).toMatchObject({
      appealId: original.id,
      proposed: 'duplicate',
      decision: { status: 'confirmed', kind: 'duplicate' },
    });
    const withDuplicate = await summary(confirmed.body.position);
    expect(withDuplicate.appeals.total.current).toBe(before.appeals.total.current - 1);
    expect(withDuplicate.duplicates.current).toBe(before.duplicates.current + 1);
    expect(withDuplicate.appeals.repeat.current).toBe(before.appeals.repeat.current);

    // the original answered; a later appeal of the same person is a repeat, counted once
    await done(
      command(t, who.controller, original.id, 'assignment', assignBody(undefined, undefined, '2018-06-02')),
    );
    await done(
      command(
        t,
        who.executor('sidorov'),
        original.id,
        'final-answer',
        finalAnswerBody([HOUSING], '2018-06-20'),
      ),
    );
    const againBody = registration({
      applicants: [person],
      registeredAt: '2018-09-03',
      receivedAt: '2018-09-03',
    });
    const againKey = randomUUID();
    const againRes = (await register(t, who.registrar, againBody, { 'idempotency-key': againKey })) as {
      status: number;
      body: Registered;
    };
    expect(againRes.status).toBe(201);
    const again = againRes.body;
    expect(again.related?.find((r) => r.appealId === original.id)?.proposed).toBe('repeat');
    const repeat = await decide(again.id, 'confirm', {
      relatedAppealId: original.id,
      kind: 'repeat',
      decidedAt: '2018-09-03',
    });
    expect(repeat.body).toMatchObject({ repeat: true, repeatOf: original.id });
    // the registrar rejects the other candidate (the copy): recorded, nothing counted
    const rejected = await decide(again.id, 'reject', {
      relatedAppealId: copy.id,
      kind: 'duplicate',
      decidedAt: '2018-09-03',
    });
    expect(rejected.status).toBe(200);
    const after = await summary(rejected.body.position);
    expect(after.appeals.total.current).toBe(withDuplicate.appeals.total.current + 1);
    expect(after.appeals.repeat.current).toBe(withDuplicate.appeals.repeat.current + 1);
    expect(after.duplicates.current).toBe(withDuplicate.duplicates.current);
    const decisions = (await related(again.id)).body.related.map((r) => [r.appealId, r.decision]);
    expect(decisions).toEqual([
      [copy.id, expect.objectContaining({ status: 'rejected' })],
      [original.id, expect.objectContaining({ status: 'confirmed', kind: 'repeat' })],
    ]);
    // the registration retried (its answer again): the candidates come with the decisions taken since
    const retried = (await register(t, who.registrar, againBody, { 'idempotency-key': againKey })) as {
      status: number;
      body: Registered;
    };
    expect(retried.body.id).toBe(again.id);
    expect(retried.body.related?.map((r) => [r.appealId, r.decision])).toEqual(decisions);

    // a rebuild of every read model gives the same links and counts
    for (const name of ['applicant_index', 'statistics', 'journal'])
      expect(
        (await http(t.url, 'POST', `/admin/projections/${name}/rebuild`, { token: who.admin })).status,
      ).toBe(200);
    expect((await related(again.id)).body.related.map((r) => [r.appealId, r.decision])).toEqual(decisions);
    expect(await summary(rejected.body.position)).toEqual(after);
  });
});

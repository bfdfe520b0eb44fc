/**
 * Termination of correspondence (59-FZ art. 11 ч.5; issue 15) over HTTP: the head's decision recorded
 * on the appeal that triggers it (earlier appeals of the same applicant answered on the merits, checked
 * through the blind index and their streams), every refusal a problem that changes nothing; a later
 * appeal of the same applicant, written another way, flagged on arrival (registration, GET, /related,
 * /control) and left without answer on ground `correspondence_terminated` (counted in the reports); a
 * rebuild gives the same flags; erasure of the terminating appeal's applicant drops the match. With
 * the applicant index held back (its table locked against writes), the decision still sees the
 * earlier appeals as the same applicant's (from their registrations), and a later appeal — its
 * registration's answer, its card and its related list — is flagged from the decision the index has
 * not applied and left without answer on the ground at once, while another applicant's is refused.
 */
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  expectValidation,
  finalAnswerBody,
  footprint,
  HOUSING,
  registered,
  registration,
  ROADS,
  type Actors,
  type AppealSummary,
  type ProblemBody,
} from './support/appeals';
import { Client } from 'pg';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

/** The termination refusals' extensions (409). */
const termination = (body: ProblemBody) => body as ProblemBody & { conflict?: string; problems?: unknown[] };

interface Flag {
  terminationAppealId: string;
  decidedAt: string;
  questionCodes: string[];
  matchedBy: string[];
}
type Flagged = AppealSummary & {
  correspondenceTerminated?: Flag;
  correspondenceTermination?: {
    questionCodes: string[];
    decidedAt: string;
    noticeSentAt: string | null;
  } | null;
  withoutAnswerGround?: string | null;
};

/** One applicant, as three registrars wrote her: «ул.»/«улица», «ё»/«е», full name/initials. */
const HER = [
  { name: 'Фёдорова Анна Сергеевна', address: 'пос. Каменный, ул. Садовая, д. 3, кв. 1' },
  { name: 'ФЕДОРОВА А.С.', address: 'п. Каменный, улица Садовая, дом 3, квартира 1' },
  { name: 'А. С. Федорова', address: '653000, Кемеровская обл., Каменный пос., Садовая ул., д.3, кв.1' },
];
const SOMEONE_ELSE = { name: 'Петров Пётр Петрович', address: 'с. Сосновка, ул. Лесная, д. 8' };
/** Another applicant, written two ways, for the suite whose index is held back. */
const HIM = [
  { name: 'Кузнецов Олег Иванович', address: 'г. Белово, ул. Мира, д. 12, кв. 5' },
  { name: 'КУЗНЕЦОВ О.И.', address: 'Белово г., улица Мира, дом 12, квартира 5' },
];

describe('termination of correspondence (art. 11 ч.5) over HTTP', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  const post = <T = Flagged>(
    id: string,
    path: string,
    body: unknown,
    token: string | undefined = who.controller,
  ) => http<T>(t.url, 'POST', `/appeals/${id}/${path}`, { token, body });
  const get = (id: string) => http<Flagged>(t.url, 'GET', `/appeals/${id}`, { token: who.controller });
  /** The flag `GET /appeals/{id}` shows: worked out at once, whatever the read models' lag. */
  const flagOf = async (id: string): Promise<Flagged['correspondenceTerminated']> =>
    (await get(id)).body.correspondenceTerminated;
  const relatedOf = (id: string) =>
    http<{ complete: boolean; related: { appealId: string }[]; correspondenceTerminated?: Flag }>(
      t.url,
      'GET',
      `/appeals/${id}/related`,
      { token: who.registrar },
    );

  /** An appeal of `applicant` registered on `day`, assigned and answered on the merits `answeredOn`. */
  async function answered(
    applicant: object,
    day: string,
    answeredOn: string,
    code = HOUSING,
  ): Promise<Flagged> {
    const appeal = await registered(
      t,
      who.registrar,
      registration({ applicants: [applicant], questions: [{ code }], receivedAt: day, registeredAt: day }),
    );
    await done(command(t, who.controller, appeal.id, 'assignment', assignBody(undefined, undefined, day)));
    return done(
      command(t, who.executor('sidorov'), appeal.id, 'final-answer', finalAnswerBody([code], answeredOn)),
    );
  }

  const decision = (earlierAppealIds: string[], extra: object = {}) => ({
    decidedBy: { name: 'Петров П.П.', position: 'глава района' },
    decidedAt: '2018-05-20',
    earlierAppealIds,
    grounds: 'на вопрос о горячей воде даны ответы по существу 28.03 и 28.04; новых доводов нет',
    notice: { sentAt: '2018-05-21', text: 'Переписка с Вами по данному вопросу прекращена.' },
    ...extra,
  });

  it('records the decision, refuses what does not hold, flags later appeals and lets them go without answer', async () => {
    const first = await answered(HER[0], '2018-03-06', '2018-03-28');
    const second = await answered(HER[1], '2018-04-10', '2018-04-28');
    const stranger = await answered(SOMEONE_ELSE, '2018-04-11', '2018-04-28');
    const pending = await registered(
      t,
      who.registrar,
      registration({ applicants: [HER[2]], receivedAt: '2018-05-02', registeredAt: '2018-05-02' }),
    );
    const trigger = await registered(
      t,
      who.registrar,
      registration({ applicants: [HER[2]], receivedAt: '2018-05-14', registeredAt: '2018-05-14' }),
    );
    const before = await footprint(t, trigger.id);
    const unchanged = async () => expect(await footprint(t, trigger.id)).toEqual(before);

    // 401, 403 (route roles), 400 (body), 404 — nothing recorded
    expectProblem(
      await post(trigger.id, 'correspondence-termination', decision([first.id, second.id]), ''),
      401,
    );
    for (const token of [who.registrar, who.executor('sidorov'), who.supervisor])
      expectProblem(
        await post(trigger.id, 'correspondence-termination', decision([first.id, second.id]), token),
        403,
      );
    expectValidation(
      await post(trigger.id, 'correspondence-termination', decision([first.id])),
      'earlierAppealIds',
    );
    expectValidation(
      await post(trigger.id, 'correspondence-termination', decision([first.id, 'nope'], { grounds: '' })),
      'earlierAppealIds',
      'grounds',
    );
    expectValidation(
      await post(
        trigger.id,
        'correspondence-termination',
        decision([first.id, second.id], { questionCodes: [ROADS] }),
      ),
      'questionCodes',
    );
    expectProblem(
      await post(
        '00000000-0000-4000-8000-000000000000',
        'correspondence-termination',
        decision([first.id, second.id]),
      ),
      404,
    );
    // 403 by the access policy: a department's controller does not reach an unassigned appeal
    const departmental = t.token('dept', ['controller'], { name: 'Отдел дорог', department: 'Отдел дорог' });
    expectProblem(
      await post(trigger.id, 'correspondence-termination', decision([first.id, second.id]), departmental),
      403,
    );
    await unchanged();

    // 409 naming each earlier appeal that fails and the question short of two answers
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    const refused = expectProblem(
      await post(
        trigger.id,
        'correspondence-termination',
        decision([first.id, stranger.id, pending.id, unknown]),
      ),
      409,
    );
    expect(refused.type).toMatch(/correspondence-earlier-appeals$/);
    expect(termination(refused).problems).toEqual([
      { kind: 'other_applicant', appealId: stranger.id },
      { kind: 'not_answered_on_merits', appealId: pending.id, questionCodes: [HOUSING] },
      { kind: 'not_found', appealId: unknown },
      { kind: 'too_few_answers', questionCode: HOUSING, answered: 1, needed: 2 },
    ]);
    expect(refused.detail).toContain(`appeal ${stranger.id} is not of the same applicant`);
    // a later appeal is not an earlier one
    const notEarlier = expectProblem(
      await post(pending.id, 'correspondence-termination', decision([first.id, trigger.id])),
      409,
    );
    expect(termination(notEarlier).problems).toEqual(
      expect.arrayContaining([{ kind: 'not_earlier', appealId: trigger.id }]),
    );
    await unchanged();

    // the decision
    const decided = await post(trigger.id, 'correspondence-termination', decision([first.id, second.id]));
    expect(decided.status).toBe(200);
    expect(decided.body.correspondenceTermination).toEqual({
      decidedBy: { name: 'Петров П.П.', position: 'глава района' },
      decidedAt: expect.stringMatching(/^2018-05-20T/) as string,
      questionCodes: [HOUSING],
      earlierAppealIds: [first.id, second.id],
      noticeSentAt: expect.stringMatching(/^2018-05-21T/) as string,
    });
    const history = await http<{ type: string; data: { grounds?: string } }[]>(
      t.url,
      'GET',
      `/appeals/${trigger.id}/history`,
      { token: who.controller },
    );
    expect(history.body.at(-1)).toMatchObject({
      type: 'CorrespondenceTerminated',
      data: { grounds: decision([]).grounds },
    });
    // once
    const again = expectProblem(
      await post(trigger.id, 'correspondence-termination', decision([first.id, second.id])),
      409,
    );
    expect(termination(again).conflict).toBe('already_terminated');

    // a later appeal of hers on the question, written another way: flagged on arrival
    const later = (await registered(
      t,
      who.registrar,
      registration({ applicants: [HER[1]], receivedAt: '2018-06-01', registeredAt: '2018-06-01' }),
    )) as Flagged;
    const flag = {
      terminationAppealId: trigger.id,
      decidedAt: expect.stringMatching(/^2018-05-20T/) as string,
      questionCodes: [HOUSING],
      matchedBy: ['name', 'address'],
    };
    expect(later.correspondenceTerminated).toEqual(flag);
    expect(await flagOf(later.id)).toEqual(flag);
    const listed = await relatedOf(later.id);
    expect(listed.body.correspondenceTerminated).toEqual(flag);
    expect(listed.body.related.map((r) => r.appealId)).toEqual(
      expect.arrayContaining([trigger.id, first.id, second.id]),
    );
    const control = await http<{ rows: { id: string; correspondenceTerminated?: Flag }[] }>(
      t.url,
      'GET',
      `/control?limit=500&minPosition=${later.position}`,
      { token: who.controller },
    );
    expect(control.body.rows.find((r) => r.id === later.id)?.correspondenceTerminated).toEqual(flag);
    expect(control.body.rows.find((r) => r.id === pending.id)?.correspondenceTerminated).toBeUndefined();

    // not flagged: another question of hers, someone else, the appeals before the decision
    const roads = (await registered(
      t,
      who.registrar,
      registration({
        applicants: [HER[0]],
        questions: [{ code: ROADS }],
        receivedAt: '2018-06-02',
        registeredAt: '2018-06-02',
      }),
    )) as Flagged;
    expect(roads.correspondenceTerminated).toBeUndefined();
    const his = (await registered(
      t,
      who.registrar,
      registration({ applicants: [SOMEONE_ELSE], receivedAt: '2018-06-02', registeredAt: '2018-06-02' }),
    )) as Flagged;
    expect(his.correspondenceTerminated).toBeUndefined();
    expect((await get(pending.id)).body.correspondenceTerminated).toBeUndefined();
    expect((await get(trigger.id)).body.correspondenceTerminated).toBeUndefined();

    // the ground only where the flag applies (409 otherwise, nothing recorded)
    const hisBefore = await footprint(t, his.id);
    const notTerminated = expectProblem(
      await post(his.id, 'without-answer', { ground: 'correspondence_terminated', decidedAt: '2018-06-03' }),
      409,
    );
    expect(notTerminated.type).toMatch(/correspondence-not-terminated$/);
    expect(termination(notTerminated).problems).toEqual([{ kind: 'no_termination' }]);
    expectProblem(
      await post(roads.id, 'without-answer', {
        ground: 'correspondence_terminated',
        decidedAt: '2018-06-03',
      }),
      409,
    );
    expect(await footprint(t, his.id)).toEqual(hisBefore);

    const left = await post(later.id, 'without-answer', {
      ground: 'correspondence_terminated',
      decidedAt: '2018-06-04',
    });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ state: 'closed', withoutAnswerGround: 'correspondence_terminated' });
    // the appeal the decision was recorded on may be left without answer on it too
    const own = await post(trigger.id, 'without-answer', {
      ground: 'correspondence_terminated',
      decidedAt: '2018-05-22',
    });
    expect(own.status).toBe(200);

    // the reports count the ground
    const monthly = await http<{
      appeals: { leftWithoutAnswer: { byGround: Record<string, { current: number }> } };
    }>(t.url, 'GET', `/reports/monthly?year=2018&month=6&asOf=2018-07-10&minPosition=${left.body.position}`, {
      token: who.supervisor,
    });
    expect(monthly.status).toBe(200);
    expect(monthly.body.appeals.leftWithoutAnswer.byGround.correspondence_terminated.current).toBe(1);
    const weekly = await http<{ leftWithoutAnswer: { byGround: Record<string, number> } }>(
      t.url,
      'GET',
      `/reports/weekly?week=2018-W23&minPosition=${left.body.position}`,
      { token: who.supervisor },
    );
    expect(weekly.body.leftWithoutAnswer.byGround.correspondence_terminated).toBe(1);

    // a rebuild of the index gives the same flags
    const another = (await registered(
      t,
      who.registrar,
      registration({ applicants: [HER[0]], receivedAt: '2018-06-05', registeredAt: '2018-06-05' }),
    )) as Flagged;
    expect(another.correspondenceTerminated).toEqual({ ...flag, matchedBy: ['name', 'address'] });
    const rebuilt = await http(t.url, 'POST', '/admin/projections/applicant_index/rebuild', {
      token: who.admin,
    });
    expect(rebuilt.status).toBe(200);
    expect(await flagOf(another.id)).toEqual(flag);
    expect(await flagOf(later.id)).toEqual(flag);

    // erasing the terminating appeal's applicant drops the match; a rebuild does not bring it back
    const erased = await http(t.url, 'DELETE', `/appeals/${trigger.id}/personal-data`, { token: who.admin });
    expect(erased.status).toBe(200);
    expect((await get(another.id)).body.correspondenceTerminated).toBeUndefined();
    expectProblem(
      await post(another.id, 'without-answer', {
        ground: 'correspondence_terminated',
        decidedAt: '2018-06-06',
      }),
      409,
    );
    await http(t.url, 'POST', '/admin/projections/applicant_index/rebuild', { token: who.admin });
    expect((await get(another.id)).body.correspondenceTerminated).toBeUndefined();
  });

  it('is not judged on what the applicant index has not applied: the applicant from the registrations, the decisions from the store while the index lags', async () => {
    const first = await answered(HIM[0], '2019-02-04', '2019-02-20', ROADS);
    const second = await answered(HIM[1], '2019-03-04', '2019-03-20', ROADS);
    const ofWhom = (applicant: object, day: string) =>
      registered(
        t,
        who.registrar,
        registration({
          applicants: [applicant],
          questions: [{ code: ROADS }],
          receivedAt: day,
          registeredAt: day,
        }),
      );
    const leave = (id: string) =>
      post(id, 'without-answer', { ground: 'correspondence_terminated', decidedAt: '2019-04-15' });
    // Hold the index back as a long lock would: its entries table takes no writes (reads go on), so
    // the index applies nothing past this point until the lock goes.
    const lock = new Client({ connectionString: t.database.url });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE rm_applicant_index.entries IN EXCLUSIVE MODE');
    let later: AppealSummary;
    try {
      const trigger = await ofWhom(HIM[1], '2019-04-01');
      const indexed = await lock.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM rm_applicant_index.entries WHERE appeal_id = $1',
        [trigger.id],
      );
      expect(indexed.rows[0]?.n).toBe(0); // the index does not know the trigger

      const decided = await post(
        trigger.id,
        'correspondence-termination',
        decision([first.id, second.id], { decidedAt: '2019-04-05', notice: undefined }),
      );
      expect({ status: decided.status, body: decided.body }).toMatchObject({
        status: 200,
        body: {
          correspondenceTermination: { questionCodes: [ROADS], earlierAppealIds: [first.id, second.id] },
        },
      });

      // a later appeal of his: its registration's answer is flagged from the decision the index has
      // not applied (judged from the store's tail as the index will)
      later = await ofWhom(HIM[0], '2019-04-10');
      const flag = (later as Flagged).correspondenceTerminated;
      expect(flag).toMatchObject({ terminationAppealId: trigger.id, questionCodes: [ROADS] });
      // the card and the related list show the same flag while the index still lacks both appeals
      expect(await flagOf(later.id)).toEqual(flag);
      const listed = await relatedOf(later.id);
      expect({ complete: listed.body.complete, flag: listed.body.correspondenceTerminated }).toEqual({
        complete: false,
        flag,
      });
      expect(await flagOf(trigger.id)).toBeUndefined(); // the terminating appeal itself is not flagged

      // someone else's appeal on the same question, registered meanwhile: not flagged, and the ground
      // is refused — judged on the same facts, not waved through
      const stranger = await ofWhom(SOMEONE_ELSE, '2019-04-10');
      expect((stranger as Flagged).correspondenceTerminated).toBeUndefined();
      expect(await flagOf(stranger.id)).toBeUndefined();
      const strangerBefore = await footprint(t, stranger.id);
      const refused = expectProblem(await leave(stranger.id), 409);
      expect(refused.type).toMatch(/correspondence-not-terminated$/);
      expect(termination(refused).problems).toEqual([{ kind: 'no_termination' }]);
      expect(await footprint(t, stranger.id)).toEqual(strangerBefore);

      // his later appeal is left without answer on the ground at once, the decision recorded on it
      const left = await leave(later.id);
      expect({ status: left.status, body: left.body }).toMatchObject({
        status: 200,
        body: { state: 'closed', withoutAnswerGround: 'correspondence_terminated' },
      });
      const trail = await http<{ type: string; data: { terminationAppealId?: string } }[]>(
        t.url,
        'GET',
        `/appeals/${later.id}/history`,
        { token: who.controller },
      );
      expect(trail.body.at(-1)).toMatchObject({
        type: 'AppealLeftWithoutAnswer',
        data: { terminationAppealId: trigger.id },
      });

      // the terminating appeal itself has its own decision
      const own = await leave(trigger.id);
      expect({ status: own.status, ground: own.body.withoutAnswerGround }).toEqual({
        status: 200,
        ground: 'correspondence_terminated',
      });
    } finally {
      await lock.query('COMMIT');
      await lock.end();
    }
    // the index goes on; the flag stays what it was
    expect(await flagOf(later.id)).toEqual((later as Flagged).correspondenceTerminated);
  });
});

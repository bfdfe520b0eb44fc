/**
 * The registration's answer lists repeat and duplicate candidates at once (docs/applicant-matching.md):
 * the new appeal's keys come from the plaintext of the request, the earlier appeals from the index and
 * from the registrations it has not applied yet. Shown on an engine that projects no read models at all
 * (RUN_PROJECTIONS=false: the index and the journal stay empty): a registration right after another
 * of the same applicant, written another way, gets it as a candidate, with its state and dates from its
 * stream — and without waiting for anything.
 */
import { MAX_CANDIDATES } from '../apps/api/src/applicant-matching/registration-candidates';
import { actors, HOUSING, register, registration, ROADS, type Actors } from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

interface Related {
  appealId: string;
  number: string;
  state: string;
  receivedOn: string;
  registeredOn: string;
  dueDate: string;
  resolvedOn: string | null;
  questionCodes: string[];
  matchedBy: string[];
  sameQuestion: string;
  proposed: string;
  decision: unknown;
}

describe('registration candidates without waiting for the read models', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine({ env: { RUN_PROJECTIONS: 'false' } });
    who = actors(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('finds the appeal registered just before, of the same applicant written another way', async () => {
    const first = await register(
      t,
      who.registrar,
      registration({
        applicants: [
          { name: 'Громова Вера Павловна', address: 'пгт Краснобродский, ул. Новая, д. 12, кв. 4' },
        ],
        registeredAt: '2018-05-14',
        receivedAt: '2018-05-14',
      }),
    );
    expect(first.status).toBe(201);
    expect(first.body).not.toHaveProperty('related');
    // another applicant altogether, and the same one on another question: not candidates
    await register(
      t,
      who.registrar,
      registration({ applicants: [{ name: 'Белов Б.Б.', address: 'пгт Краснобродский, ул. Новая, д. 1' }] }),
    );
    await register(
      t,
      who.registrar,
      registration({
        applicants: [{ name: 'ГРОМОВА В.П.', phone: '+7 913 000-11-22' }],
        questions: [{ code: ROADS }],
        registeredAt: '2018-05-15',
      }),
    );

    const started = Date.now();
    const copy = await register(
      t,
      who.registrar,
      registration({
        applicants: [{ name: 'В. П. Громова', address: 'Краснобродский пгт, Новая ул., дом 12, квартира 4' }],
        registeredAt: '2018-05-16',
        receivedAt: '2018-05-16',
        source: { type: 'regional_administration', name: 'Администрация Кемеровской области' },
      }),
    );
    const tookMs = Date.now() - started;
    expect(copy.status).toBe(201);
    const related = (copy.body as { related?: Related[] }).related;
    expect(related).toEqual([
      {
        appealId: first.body.id,
        number: first.body.number,
        state: 'registered',
        receivedOn: '2018-05-14',
        registeredOn: '2018-05-14',
        dueDate: first.body.dueDate,
        resolvedOn: null,
        questionCodes: [HOUSING],
        matchedBy: ['name', 'address'],
        sameQuestion: 'code',
        proposed: 'duplicate',
        decision: null,
      },
    ]);
    // nothing waited for read models that never come (the old answer waited 3 s, then went without)
    expect(tookMs).toBeLessThan(2500);

    // GET …/related reads the read models: here they never catch up, and it says so
    const listed = await http<{ complete: boolean }>(t.url, 'GET', `/appeals/${copy.body.id}/related`, {
      token: who.registrar,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.complete).toBe(false);
  }, 30_000);

  it('names at most the newest MAX_CANDIDATES earlier appeals on the same question, however many share a key', async () => {
    const address = 'пгт Краснобродский, ул. Школьная, д. 3';
    const earlier: string[] = [];
    for (let i = 0; i < MAX_CANDIDATES + 3; i++) {
      const res = await register(
        t,
        who.registrar,
        registration({
          applicants: [{ name: `Жилец ${i}`, address }],
          registeredAt: '2018-06-01',
          receivedAt: '2018-06-01',
        }),
      );
      expect(res.status).toBe(201);
      earlier.push((res.body as { id: string }).id);
    }
    // one on another question: never crowds out those on the same one
    await register(
      t,
      who.registrar,
      registration({ applicants: [{ name: 'Жилец Х', address }], questions: [{ code: ROADS }] }),
    );
    const last = await register(
      t,
      who.registrar,
      registration({ applicants: [{ name: 'Жилец последний', address }], registeredAt: '2018-06-02' }),
    );
    expect(last.status).toBe(201);
    const related = (last.body as { related?: Related[] }).related ?? [];
    expect(related.map((r) => r.appealId)).toEqual(earlier.slice(-MAX_CANDIDATES).reverse());
    expect(related.every((r) => r.matchedBy.includes('address'))).toBe(true);
  });
});

describe('registration candidates once the read models have caught up', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('names the newest MAX_CANDIDATES from the index, as GET …/related lists them', async () => {
    const address = 'пгт Краснобродский, ул. Садовая, д. 7';
    const earlier: string[] = [];
    for (let i = 0; i < MAX_CANDIDATES + 3; i++) {
      const res = await register(
        t,
        who.registrar,
        registration({
          applicants: [{ name: `Сосед ${i}`, address }],
          registeredAt: '2018-07-02',
          receivedAt: '2018-07-02',
        }),
      );
      expect(res.status).toBe(201);
      earlier.push((res.body as { id: string }).id);
    }
    // GET …/related waits for the index and the journal to apply the last of them
    const caughtUp = await http<{ complete: boolean; related: Related[] }>(
      t.url,
      'GET',
      `/appeals/${earlier.at(-1)}/related`,
      { token: who.registrar },
    );
    expect(caughtUp.body.complete).toBe(true);
    expect(caughtUp.body.related).toHaveLength(MAX_CANDIDATES + 2);

    const last = await register(
      t,
      who.registrar,
      registration({ applicants: [{ name: 'Сосед последний', address }], registeredAt: '2018-07-03' }),
    );
    expect(last.status).toBe(201);
    const related = (last.body as { related?: Related[] }).related ?? [];
    expect(related.map((r) => r.appealId)).toEqual(earlier.slice(-MAX_CANDIDATES).reverse());
    const listed = await http<{ complete: boolean; related: Related[] }>(
      t.url,
      'GET',
      `/appeals/${(last.body as { id: string }).id}/related`,
      { token: who.registrar },
    );
    expect(listed.body.complete).toBe(true);
    // the same facts as the read models' answer, which lists every one, newest first too (all of
    // one day: by registration, not by the text of their positions)
    const byId = new Map(listed.body.related.map((r) => [r.appealId, r]));
    expect(listed.body.related.map((r) => r.appealId)).toEqual([...earlier].reverse());
    for (const r of related) expect(byId.get(r.appealId)).toEqual(r);

    // the read models rebuilt and swapped (new schemas under the live names): the lookup, prepared
    // on the engine's sessions, reads the new tables
    for (const name of ['applicant_index', 'journal'])
      expect(
        (await http(t.url, 'POST', `/admin/projections/${name}/rebuild`, { token: who.admin })).status,
      ).toBe(200);
    const after = await register(
      t,
      who.registrar,
      registration({ applicants: [{ name: 'Сосед после', address }], registeredAt: '2018-07-04' }),
    );
    expect(after.status).toBe(201);
    expect(((after.body as { related?: Related[] }).related ?? []).map((r) => r.appealId)).toEqual([
      (last.body as { id: string }).id,
      ...earlier.slice(-MAX_CANDIDATES + 1).reverse(),
    ]);
  });
});

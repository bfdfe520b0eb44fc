/**
 * Concurrency and idempotency over HTTP (docs/api.md "Conventions": concurrency, idempotency): racing commands on one
 * appeal all land (without If-Match) or all but one are refused (with the same If-Match); a repeated
 * Idempotency-Key returns the first response and writes nothing new.
 */
import { randomUUID } from 'node:crypto';
import {
  actors,
  assignBody,
  command,
  done,
  expectProblem,
  footprint,
  getAppeal,
  history,
  register,
  registered,
  registration,
  type Actors,
  type AppealSummary,
  EXTENSION_DECISION,
} from './support/appeals';
import { startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('appeal concurrency and idempotency over HTTP', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  const extend = (id: string, days: number, headers: Record<string, string> = {}) =>
    command(
      t,
      who.controller,
      id,
      'deadline-extensions',
      { ...EXTENSION_DECISION, days, reason: 'запрошены документы' },
      headers,
    );

  describe('racing commands on one appeal', () => {
    it('given 20 concurrent 1-day extensions without If-Match, then all succeed, revisions are contiguous and the history holds exactly 20', async () => {
      const appeal = await registered(t, who.registrar);

      const results = await Promise.all(range(20).map(() => extend(appeal.id, 1)));

      expect(results.map((r) => r.status)).toEqual(range(20).map(() => 200));
      expect(results.map((r) => r.body.revision).sort((a, b) => a - b)).toEqual(range(20).map((i) => i + 1));
      for (const r of results) expect(r.headers.get('etag')).toBe(`"${r.body.revision}"`);
      // each response shows the total as of its own revision
      expect(results.map((r) => r.body.totalExtensionDays).sort((a = 0, b = 0) => a - b)).toEqual(
        range(20).map((i) => i + 1),
      );
      const positions = [...results]
        .sort((a, b) => a.body.revision - b.body.revision)
        .map((r) => r.body.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(20);

      const now = await getAppeal(t, who.controller, appeal.id);
      expect(now.body).toMatchObject({ revision: 20, totalExtensionDays: 20, extended: true });
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body.map((e) => e.revision)).toEqual(range(21));
      expect(trail.body.filter((e) => e.type === 'DeadlineExtended')).toHaveLength(20);
    });

    it('given 10 concurrent commands with the same If-Match, then exactly one succeeds and nine get 412', async () => {
      const appeal = await registered(t, who.registrar);
      const etag = (await getAppeal(t, who.controller, appeal.id)).headers.get('etag') ?? '';

      const results = await Promise.all(range(10).map(() => extend(appeal.id, 1, { 'if-match': etag })));

      const ok = results.filter((r) => r.status === 200);
      const stale = results.filter((r) => r.status === 412);
      expect(ok).toHaveLength(1);
      expect(stale).toHaveLength(9);
      for (const r of stale)
        expect(expectProblem(r, 412)).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
      expect(await footprint(t, appeal.id)).toEqual({ revision: 1, events: 2, etag: '"1"' });
    });

    it('given concurrent extensions that together exceed 30 days, then the total never passes 30 and the excess is refused with 409', async () => {
      const appeal = await registered(t, who.registrar);

      const results = await Promise.all(range(8).map(() => extend(appeal.id, 5)));

      expect(results.filter((r) => r.status === 200)).toHaveLength(6);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(2);
      for (const r of refused) expectProblem(r, 409);
      expect((await getAppeal(t, who.controller, appeal.id)).body.totalExtensionDays).toBe(30);
    });

    it('given concurrent registrations, then every appeal gets a distinct number from one sequence', async () => {
      const results = await Promise.all(
        range(25).map((i) =>
          register(
            t,
            who.registrar,
            registration({
              registeredAt: '2017-06-01',
              receivedAt: '2017-06-01',
              applicants: [{ name: `Кузьмин ${i}`, address: 'г. Кемерово' }],
            }),
          ),
        ),
      );

      expect(results.map((r) => r.status)).toEqual(range(25).map(() => 201));
      const numbers = results.map((r) => r.body.number);
      expect(new Set(numbers).size).toBe(25);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(25);
      // no other test of this suite registers in 2017: the sequence is exactly 1..25
      expect(numbers.map((n) => Number(n.split('/')[1])).sort((a, b) => a - b)).toEqual(
        range(25).map((i) => i + 1),
      );
      for (const n of numbers) expect(n).toMatch(/^К\/\d+$/);
    });
  });

  describe('Idempotency-Key', () => {
    const withKey = (key: string) => ({ 'idempotency-key': key });

    it('given a registration repeated with the same key and body, then the same appeal comes back and only one is written', async () => {
      const key = randomUUID();
      const body = registration({ registeredAt: '2018-05-14', receivedAt: '2018-05-14' });

      const first = await register(t, who.registrar, body, withKey(key));
      const second = await register(t, who.registrar, body, withKey(key));
      const third = await register(t, who.registrar, body, withKey(key));

      expect(first.status).toBe(201);
      for (const again of [second, third]) {
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first.body);
        expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
        expect(again.headers.get('location')).toBe(first.headers.get('location'));
      }
      expect(await footprint(t, first.body.id)).toEqual({ revision: 0, events: 1, etag: '"0"' });
      // the replays took no registration number either
      const next = await registered(
        t,
        who.registrar,
        registration({ registeredAt: '2018-05-14', receivedAt: '2018-05-14' }),
      );
      expect(Number(next.number.split('/')[1])).toBe(Number(first.body.number.split('/')[1]) + 1);
    });

    it('given a registration sent concurrently with one key, then every response is the same appeal, written once', async () => {
      const key = randomUUID();
      const body = registration({ registeredAt: '2018-05-15', receivedAt: '2018-05-15' });

      const results = await Promise.all(range(8).map(() => register(t, who.registrar, body, withKey(key))));

      expect(results.map((r) => r.status)).toEqual(range(8).map(() => 201));
      const [first] = results;
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await footprint(t, first.body.id)).toEqual({ revision: 0, events: 1, etag: '"0"' });
      const trail = await history(t, who.supervisor, first.body.id);
      const stored = trail.body[0].data.number;
      // what is read back is what was recorded, and every response carried that same number
      expect((await getAppeal(t, who.registrar, first.body.id)).body.number).toBe(stored);
      expect(results.map((r) => r.body.number)).toEqual(range(8).map(() => stored));
      for (const r of results) expect(r.body).toEqual(first.body);
    });

    it('given a transition repeated with the same key and body, then the first response comes back and one event is written', async () => {
      const appeal = await registered(t, who.registrar);
      const key = randomUUID();

      const first = await extend(appeal.id, 3, withKey(key));
      const again = await extend(appeal.id, 3, withKey(key));

      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('etag')).toBe('"1"');
      expect(await footprint(t, appeal.id)).toEqual({ revision: 1, events: 2, etag: '"1"' });

      // even after the appeal moved on, the repeat answers what the first request got
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      const late = await extend(appeal.id, 3, withKey(key));
      expect(late.status).toBe(200);
      expect(late.body).toEqual(first.body);
      expect(await footprint(t, appeal.id)).toEqual({ revision: 2, events: 3, etag: '"2"' });
    });

    it('given a transition sent concurrently with one key, then all responses are equal and one event is written', async () => {
      const appeal = await registered(t, who.registrar);
      const key = randomUUID();

      const results = await Promise.all(range(10).map(() => extend(appeal.id, 2, withKey(key))));

      expect(results.map((r) => r.status)).toEqual(range(10).map(() => 200));
      for (const r of results) expect(r.body).toEqual(results[0].body);
      expect(results[0].body).toMatchObject({ revision: 1, totalExtensionDays: 2 });
      const trail = await history(t, who.supervisor, appeal.id);
      expect(trail.body.filter((e) => e.type === 'DeadlineExtended')).toHaveLength(1);
    });

    it('given a key reused with a different body, then 422 problem+json and nothing is written', async () => {
      const appeal = await registered(t, who.registrar);
      const key = randomUUID();
      await done(extend(appeal.id, 3, withKey(key)));
      const before = await footprint(t, appeal.id);

      const other: HttpResult<AppealSummary> = await extend(appeal.id, 4, withKey(key));

      expectProblem(other, 422);
      expect(await footprint(t, appeal.id)).toEqual(before);
    });

    it('given a registration key reused with a different body, then 422 and no second appeal', async () => {
      const key = randomUUID();
      const first = await register(
        t,
        who.registrar,
        registration({ registeredAt: '2018-05-16', receivedAt: '2018-05-16' }),
        withKey(key),
      );
      expect(first.status).toBe(201);

      const other = await register(
        t,
        who.registrar,
        registration({ registeredAt: '2018-05-16', receivedAt: '2018-05-16', kind: 'proposal' }),
        withKey(key),
      );

      expectProblem(other, 422);
      const next = await registered(
        t,
        who.registrar,
        registration({ registeredAt: '2018-05-16', receivedAt: '2018-05-16' }),
      );
      expect(Number(next.number.split('/')[1])).toBe(Number(first.body.number.split('/')[1]) + 1);
    });

    it('given a key used for one command, when sent with another command, then 422', async () => {
      const appeal = await registered(t, who.registrar);
      const key = randomUUID();
      await done(extend(appeal.id, 1, withKey(key)));
      const before = await footprint(t, appeal.id);

      expectProblem(
        await command(t, who.controller, appeal.id, 'assignment', assignBody(), withKey(key)),
        422,
      );
      expect(await footprint(t, appeal.id)).toEqual(before);
    });
  });
});

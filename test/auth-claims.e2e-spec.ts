/**
 * A validly signed token whose claims are not text the engine can record (a NUL, an unpaired
 * surrogate, an id longer than any user id) is refused with 401 before it reaches a command: the actor
 * is written into every event, and PostgreSQL's jsonb cannot hold such text (found by test/fuzz).
 */
import { Pool } from 'pg';
import { craftToken, expectProblem, registration } from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

describe('token claims that cannot be recorded', () => {
  let t: TestEngine;
  let db: Pool;

  beforeAll(async () => {
    t = await startTestEngine();
    db = new Pool({ connectionString: t.database.url, max: 1 });
  });
  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  const footprint = async () => ({
    events: await count('SELECT count(*)::text AS n FROM events'),
    keys: await count('SELECT count(*)::text AS n FROM personal_data_keys'),
    numbers: await count('SELECT coalesce(sum(last_sequence), 0)::text AS n FROM registration_counters'),
  });

  const now = () => Math.floor(Date.now() / 1000);
  const roles = ['registrar', 'controller', 'executor', 'supervisor', 'admin'];
  const cases: [string, Record<string, unknown>][] = [
    ['a NUL in sub', { sub: 'iva\u0000nova', name: 'Иванова' }],
    ['an unpaired surrogate in sub', { sub: 'iva\ud800nova', name: 'Иванова' }],
    ['a NUL in name', { sub: 'ivanova', name: 'Ива\u0000нова' }],
    ['an unpaired surrogate in name', { sub: 'ivanova', name: 'Ива\udc00нова' }],
    ['a control character in department', { sub: 'ivanova', name: 'Иванова', department: 'Отдел\u0007' }],
    ['a sub longer than 200 characters', { sub: 's'.repeat(201), name: 'Иванова' }],
    ['a name longer than 300 characters', { sub: 'ivanova', name: 'И'.repeat(301) }],
  ];

  it.each(cases)('given %s, then 401 problem+json and nothing is stored', async (_case, claims) => {
    const token = craftToken(
      { alg: 'HS256', typ: 'JWT' },
      { ...claims, roles, iat: now(), exp: now() + 600 },
    );
    const before = await footprint();
    const res = await http(t.url, 'POST', '/appeals', { token, body: registration() });
    const problem = expectProblem(res, 401);
    expect(problem.detail).toMatch(/claim/);
    expect(await footprint()).toEqual(before);
  });

  it('accepts ordinary Unicode claims (Cyrillic, emoji) and records them', async () => {
    const token = craftToken(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'иванова', name: 'Иванова А.А. \u{1F600}', roles, department: 'Отдел ЖКХ', exp: now() + 600 },
    );
    const res = await http(t.url, 'POST', '/appeals', { token, body: registration() });
    expect(res.status).toBe(201);
  });
});

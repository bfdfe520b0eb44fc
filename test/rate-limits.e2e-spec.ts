/**
 * Limits (issue 12): requests per principal (RATE_LIMIT_PER_MINUTE) and per client address
 * (RATE_LIMIT_PER_ADDRESS_PER_MINUTE) answered with 429 problem+json and Retry-After; reminder
 * streams per principal (SSE_STREAMS_PER_PRINCIPAL); a stream closed when its token expires.
 */
import { Pool } from 'pg';
import { craftToken, expectProblem, registration } from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const now = () => Math.floor(Date.now() / 1000);

describe('request rate limits', () => {
  let t: TestEngine;
  let db: Pool;

  beforeAll(async () => {
    t = await startTestEngine({
      env: { RATE_LIMIT_PER_MINUTE: '4', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '12' },
    });
    db = new Pool({ connectionString: t.database.url, max: 1 });
  });
  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  const events = async () =>
    Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0].n);

  it('429 with Retry-After past the per-principal limit, for that principal only; then the per-address limit for everyone', async () => {
    // Fixed one-minute windows: all of this happens within a few seconds of the first request.
    const ivanova = t.token('ivanova', ['registrar', 'supervisor']);
    const petrov = t.token('petrov', ['registrar', 'supervisor']);
    for (let i = 0; i < 4; i++)
      expect((await http(t.url, 'GET', '/me', { token: ivanova })).status).toBe(200);
    const before = await events();
    const refused = await http(t.url, 'POST', '/appeals', { token: ivanova, body: registration() });
    const problem = expectProblem(refused, 429);
    expect(problem.detail).toMatch(/RATE_LIMIT_PER_MINUTE/);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await events()).toBe(before);
    // Another principal from the same address is not held back by ivanova's limit.
    expect((await http(t.url, 'GET', '/me', { token: petrov })).status).toBe(200);
    // Six requests counted on this address so far; the 13th within the minute is refused, token or not.
    let answer = await http(t.url, 'GET', '/health');
    let sent = 7;
    while (answer.status !== 429 && sent < 20) {
      answer = await http(t.url, 'GET', '/health');
      sent++;
    }
    expect(sent).toBe(13);
    const byAddress = expectProblem(answer, 429);
    expect(byAddress.detail).toMatch(/RATE_LIMIT_PER_ADDRESS_PER_MINUTE/);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectProblem(await http(t.url, 'GET', '/me', { token: petrov }), 429);
  });
});

describe('reminder streams', () => {
  let t: TestEngine;

  beforeAll(async () => {
    // No clock tolerance: a token is refused from its `exp` on, and its stream ends then.
    t = await startTestEngine({ env: { SSE_STREAMS_PER_PRINCIPAL: '2', AUTH_CLOCK_TOLERANCE_SECONDS: '0' } });
  });
  afterAll(async () => t.stop());

  const open = async (token: string, abort: AbortController): Promise<Response> =>
    fetch(`${t.url}/reminders/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });

  it('allows SSE_STREAMS_PER_PRINCIPAL streams per principal; one more is 429 problem+json until one closes', async () => {
    const controller = t.token('kozlova', ['controller']);
    const other = t.token('orlov', ['controller']);
    const aborts = [
      new AbortController(),
      new AbortController(),
      new AbortController(),
      new AbortController(),
    ];
    try {
      expect((await open(controller, aborts[0])).status).toBe(200);
      expect((await open(controller, aborts[1])).status).toBe(200);
      const third = await open(controller, aborts[2]);
      expect(third.status).toBe(429);
      expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(third.headers.get('retry-after')).toBeTruthy();
      expect(((await third.json()) as { detail: string }).detail).toMatch(/SSE_STREAMS_PER_PRINCIPAL/);
      expect((await open(other, aborts[3])).status).toBe(200);
      // Closing one frees its place as soon as the engine sees the connection end.
      aborts[0].abort();
      const deadline = Date.now() + 30_000;
      let again: Response;
      do {
        const abort = new AbortController();
        aborts.push(abort);
        again = await open(controller, abort);
      } while (again.status === 429 && Date.now() < deadline);
      expect(again.status).toBe(200);
    } finally {
      for (const a of aborts) a.abort();
    }
  });

  it('ends a stream when its token expires, with an `expired` event', async () => {
    const iat = now();
    const token = craftToken(
      { alg: 'HS256', typ: 'JWT' },
      { sub: 'short-lived', name: 'Кратков', roles: ['controller'], iat, exp: iat + 3 },
    );
    const abort = new AbortController();
    // A deadline for the fact (the stream ends): it fails the test only when reached.
    const timer = setTimeout(() => abort.abort(), 45_000);
    try {
      const res = await open(token, abort);
      expect(res.status).toBe(200);
      const text = await res.text(); // resolves when the engine ends the stream
      expect(text).toContain('event: expired');
      expect(Date.now()).toBeGreaterThanOrEqual((iat + 2) * 1000);
      // Reconnecting with the same token is refused.
      expectProblem(await http(t.url, 'GET', '/reminders/stream', { token }), 401);
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  });
});

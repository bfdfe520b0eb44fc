/**
 * Hardening over real HTTP: security headers on every kind of response, /metrics behind a token or
 * on a loopback port, /health without details for anonymous callers, Idempotency-Keys that expire.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Pool } from 'pg';
import { CONTENT_SECURITY_POLICIES } from '../apps/api/src/http/security-headers';
import { MetricsPortServer } from '../apps/api/src/metrics/metrics-port.server';
import { HealthRegistry, type HealthCheck } from '../apps/api/src/health/health.registry';
import {
  actors,
  assignBody,
  ManualClock,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const METRICS_TOKEN = 'metrics-token-for-the-e2e-suite-0123';

function expectHardened(headers: Headers, policy: string, what: string): void {
  const got = Object.fromEntries(
    [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
    ].map((name) => [name, headers.get(name)]),
  );
  expect({ what, ...got }).toEqual({
    what,
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  });
}

/** A raw request line and headers, answered by Node's parser (never reaching Fastify). */
function rawRequest(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('hardening', () => {
  const clock = new ManualClock(new Date());
  let t: TestEngine;
  let who: Actors;
  let db: Pool;

  beforeAll(async () => {
    t = await startTestEngine({
      clock,
      env: { METRICS_TOKEN, METRICS_PORT: '0', IDEMPOTENCY_KEY_TTL: '2s' },
    });
    who = actors(t);
    db = new Pool({ connectionString: t.database.url, max: 2 });
  });

  afterAll(async () => {
    await db?.end();
    await t?.stop();
  });

  describe('security headers on every response', () => {
    it('API answers, errors, 404s and undecodable URLs get the locked-down policy', async () => {
      const created = await http<AppealSummary>(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration(),
      });
      expect(created.status).toBe(201);
      expectHardened(created.headers, CONTENT_SECURITY_POLICIES.api, 'a command');
      const read = await http(t.url, 'GET', `/appeals/${created.body.id}`, { token: who.registrar });
      expectHardened(read.headers, CONTENT_SECURITY_POLICIES.api, 'a read');
      expectHardened((await http(t.url, 'GET', '/health')).headers, CONTENT_SECURITY_POLICIES.api, 'health');
      expectHardened(
        (await http(t.url, 'POST', '/appeals', { body: {} })).headers,
        CONTENT_SECURITY_POLICIES.api,
        '401',
      );
      expectHardened(
        (await http(t.url, 'POST', '/appeals', { token: who.registrar, body: {} })).headers,
        CONTENT_SECURITY_POLICIES.api,
        '400',
      );
      expectHardened(
        (await http(t.url, 'GET', '/no-such-route')).headers,
        CONTENT_SECURITY_POLICIES.api,
        '404',
      );
      expectHardened(
        (await http(t.url, 'GET', '/appeals/%E0%A4%A', { token: who.registrar })).headers,
        CONTENT_SECURITY_POLICIES.api,
        'undecodable URL',
      );
      const csv = await http(t.url, 'GET', '/reports/annual?year=2018&format=csv', { token: who.controller });
      expect(csv.status).toBe(200);
      expectHardened(csv.headers, CONTENT_SECURITY_POLICIES.api, 'a CSV report');
    });

    it('a request Node refuses before Fastify (a control character in a header) carries them too', async () => {
      const answer = await rawRequest(t.url, 'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
      expect(answer.toLowerCase()).toContain(`content-security-policy: ${CONTENT_SECURITY_POLICIES.api}`);
    });

    it('HTML reports get an inline-style-only policy and nosniff', async () => {
      const html = await http<string>(t.url, 'GET', '/reports/annual?year=2018&format=html', {
        token: who.controller,
      });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toContain('text/html');
      expectHardened(html.headers, CONTENT_SECURITY_POLICIES.document, 'an HTML report');
      expect(CONTENT_SECURITY_POLICIES.document).not.toContain('script-src');
      expect(CONTENT_SECURITY_POLICIES.document).toContain("default-src 'none'");
    });

    it('pages and assets get the web application policy; pages are not cached', async () => {
      const page = await http<string>(t.url, 'GET', '/login', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expectHardened(page.headers, CONTENT_SECURITY_POLICIES.page, 'the sign-in page');
      expect(page.headers.get('cache-control')).toBe('no-store');
      const missingPage = await http<string>(t.url, 'GET', '/appeals/00000000-0000-4000-8000-000000000000', {
        headers: { accept: 'text/html' },
      });
      expectHardened(missingPage.headers, CONTENT_SECURITY_POLICIES.page, 'a page without a session');
      const asset = await http<string>(t.url, 'GET', '/assets/app.css');
      expect(asset.status).toBe(200);
      expectHardened(asset.headers, CONTENT_SECURITY_POLICIES.page, 'an asset');
      const missingAsset = await http<string>(t.url, 'GET', '/assets/nothing.js');
      expectHardened(missingAsset.headers, CONTENT_SECURITY_POLICIES.page, 'a missing asset');
    });

    it('the OpenAPI viewer gets its own policy (its scripts are files, not inline)', async () => {
      const docs = await http<string>(t.url, 'GET', '/docs');
      expect(docs.status).toBe(200);
      expectHardened(docs.headers, CONTENT_SECURITY_POLICIES.docs, '/docs');
      expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/);
      const json = await http(t.url, 'GET', '/docs-json');
      expectHardened(json.headers, CONTENT_SECURITY_POLICIES.api, '/docs-json');
    });

    it('an SSE stream (written past Fastify) carries them', async () => {
      const abort = new AbortController();
      const res = await fetch(`${t.url}/reminders/stream`, {
        headers: { authorization: `Bearer ${who.controller}` },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      expectHardened(res.headers, CONTENT_SECURITY_POLICIES.api, 'SSE');
      abort.abort();
      await res.body?.cancel().catch(() => undefined);
    });
  });

  describe('/metrics', () => {
    it('refuses anonymous callers, other tokens and non-admin roles with 401', async () => {
      for (const token of [undefined, 'not-the-metrics-token-000000', who.controller, who.supervisor]) {
        const res = await http(t.url, 'GET', '/metrics', { token });
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('answers the METRICS_TOKEN bearer and an admin token', async () => {
      for (const token of [METRICS_TOKEN, who.admin]) {
        const res = await http<string>(t.url, 'GET', '/metrics', { token });
        expect(res.status).toBe(200);
        expect(res.body).toContain('appeal_ledger_http_request_duration_seconds');
      }
    });

    it('METRICS_PORT serves it without a token on 127.0.0.1 only', async () => {
      const server = t.engine.app.get(MetricsPortServer);
      const port = server.port;
      expect(port).toEqual(expect.any(Number));
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('appeal_ledger_http_request_duration_seconds');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);
      // bound to loopback, not a wildcard address
      expect(server.address).toBe('127.0.0.1');
    });
  });

  describe('/health', () => {
    it('tells anonymous callers statuses only; admin and supervisor tokens get the details', async () => {
      const anonymous = await http<{ status: string; checks: Record<string, Record<string, unknown>> }>(
        t.url,
        'GET',
        '/health',
      );
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.status).toBe('ok');
      for (const check of Object.values(anonymous.body.checks))
        expect(Object.keys(check)).toEqual(['status']);
      for (const token of [who.admin, who.supervisor]) {
        const detailed = await http<{ checks: Record<string, Record<string, unknown>> }>(
          t.url,
          'GET',
          '/health',
          { token },
        );
        expect(detailed.body.checks['projection:control']).toHaveProperty('lag');
        expect(detailed.body.checks.eventStore).toHaveProperty('headPosition');
      }
      const controller = await http<{ checks: Record<string, Record<string, unknown>> }>(
        t.url,
        'GET',
        '/health',
        { token: who.controller },
      );
      expect(Object.keys(controller.body.checks.eventStore)).toEqual(['status']);
      // a bad token is an anonymous caller, not a 401: /health answers everyone
      const bad = await http(t.url, 'GET', '/health', { token: 'nonsense' });
      expect(bad.status).toBe(200);
    });

    it('keeps the failure text from anonymous callers when a check fails (503 still)', async () => {
      const registry = t.engine.app.get(HealthRegistry);
      let failing = true;
      registry.add(() =>
        Promise.resolve<Record<string, HealthCheck>>(
          failing
            ? { 'projection:secret': { status: 'failed', detail: 'relation "rm_x.y" does not exist' } }
            : {},
        ),
      );
      try {
        const anonymous = await http<string>(t.url, 'GET', '/health');
        expect(anonymous.status).toBe(503);
        expect(JSON.stringify(anonymous.body)).not.toContain('does not exist');
        const admin = await http<string>(t.url, 'GET', '/health', { token: who.admin });
        expect(admin.status).toBe(503);
        expect(JSON.stringify(admin.body)).toContain('does not exist');
      } finally {
        failing = false;
      }
    });
  });

  describe('Idempotency-Key expiry (IDEMPOTENCY_KEY_TTL=2s, the engine clock moved by hand)', () => {
    /** past the TTL, on the engine's clock and the store's (which records events in real time) */
    const expireKeys = (): void =>
      clock.set(new Date(Math.max(Date.now(), clock.now().getTime()) + 3000).toISOString());
    const keyRows = async (key: string): Promise<number> =>
      Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM idempotency_keys WHERE key = $1', [key]))
          .rows[0].n,
      );

    it('a live key replays and refuses another body; an expired one registers anew', async () => {
      const key = randomUUID();
      const first = await http<AppealSummary>(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration(),
        headers: { 'idempotency-key': key },
      });
      expect(first.status).toBe(201);
      const again = await http<AppealSummary>(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration(),
        headers: { 'idempotency-key': key },
      });
      expect(again.body.id).toBe(first.body.id);
      const other = await http(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration({ summary: 'другой текст' }),
        headers: { 'idempotency-key': key },
      });
      expect(other.status).toBe(422);

      expireKeys();
      const renewed = await http<AppealSummary>(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration({ summary: 'другой текст' }),
        headers: { 'idempotency-key': key },
      });
      expect(renewed.status).toBe(201);
      expect(renewed.body.id).not.toBe(first.body.id);
      expect(renewed.body.number).not.toBe(first.body.number);
      // and the renewed key is live again: it replays the new appeal
      const replay = await http<AppealSummary>(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration({ summary: 'другой текст' }),
        headers: { 'idempotency-key': key },
      });
      expect(replay.body.id).toBe(renewed.body.id);
    });

    it('an expired key on the same appeal writes the new command (its event ids are not the old ones)', async () => {
      const appeal = await http<AppealSummary>(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration({ receivedAt: '2018-03-05', registeredAt: '2018-03-05' }),
      });
      expect(appeal.status).toBe(201);
      const key = randomUUID();
      const assign = (id: string, name: string) =>
        http<AppealSummary>(t.url, 'POST', `/appeals/${appeal.body.id}/assignment`, {
          token: who.controller,
          body: assignBody({ id, name }),
          headers: { 'idempotency-key': key },
        });
      expect((await assign('sidorov', 'Сидоров С.С.')).status).toBe(200);
      expect((await assign('petrov', 'Петров П.П.')).status).toBe(422); // live: another body
      expireKeys();
      const renewed = await assign('petrov', 'Петров П.П.');
      expect(renewed.status).toBe(200);
      expect(renewed.body.executor).toEqual({ id: 'petrov', name: 'Петров П.П.' });
      const replay = await assign('petrov', 'Петров П.П.');
      expect(replay.status).toBe(200);
      expect(replay.body.revision).toBe(renewed.body.revision); // the renewed key is live: a replay
    });

    it('expired keys are purged periodically', async () => {
      const key = randomUUID();
      const created = await http(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: registration(),
        headers: { 'idempotency-key': key },
      });
      expect(created.status).toBe(201);
      expect(await keyRows(key)).toBe(1);
      expireKeys();
      const deadline = Date.now() + 60_000;
      while ((await keyRows(key)) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await keyRows(key)).toBe(0);
    });
  });
});

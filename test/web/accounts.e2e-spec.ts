/**
 * Accounts over HTTP: POST/GET/PATCH /admin/users (bearer or session), the first admin, sessions
 * (cookie flags, CSRF, idle expiry, disabled accounts), sign-in slowing down, page routing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createEngine } from '../../apps/api/src/bootstrap';
import { loadConfig } from '../../apps/api/src/config/app-config';
import type { Clock } from '../../apps/api/src/shared/clock';
import { createTestDatabase } from '../support/test-database';
import {
  http,
  startTestEngine,
  TEST_JWT_SECRET,
  TEST_MASTER_KEY,
  type TestEngine,
} from '../support/test-engine';

const PASSWORD = 'correct-horse-battery';

class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Signs in through the form's POST (as a browser without scripts would); returns the cookies. */
async function formSignIn(
  url: string,
  login: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | null; session?: string; setCookie: string[]; body: string }> {
  const page = await fetch(url + '/login', { headers: { accept: 'text/html' } });
  const loginCsrf = /al_login_csrf=([^;]+)/.exec(page.headers.getSetCookie().join('\n'))?.[1] ?? '';
  const html = await page.text();
  const formToken = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const res = await fetch(url + '/login', {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      cookie: `al_login_csrf=${loginCsrf}`,
      ...headers,
    },
    body: new URLSearchParams({ login, password, _csrf: formToken }).toString(),
  });
  const setCookie = res.headers.getSetCookie();
  const session = /al_session=([^;]+)/.exec(setCookie.join('\n'))?.[1];
  return {
    status: res.status,
    location: res.headers.get('location'),
    session,
    setCookie,
    body: await res.text(),
  };
}

/** The session's CSRF token, as a page carries it. */
async function csrfOf(url: string, session: string): Promise<string> {
  const res = await fetch(url + '/admin', {
    headers: { accept: 'text/html', cookie: `al_session=${session}` },
  });
  return /<meta name="csrf-token" content="([^"]+)"/.exec(await res.text())?.[1] ?? '';
}

describe('accounts and sessions', () => {
  let t: TestEngine;
  let admin: string;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestEngine({ clock, env: { SESSION_IDLE_MINUTES: '30' } });
    admin = t.token('root', ['admin']);
  });
  afterAll(() => t.stop());

  const create = (body: unknown, token = admin) => http(t.url, 'POST', '/admin/users', { token, body });

  describe('POST /admin/users', () => {
    it('given a valid account, then 201 with the account and no password or hash', async () => {
      const res = await create({
        login: 'Ivanova',
        name: 'Иванова А.А.',
        roles: ['registrar', 'controller'],
        department: 'Отдел ЖКХ',
        password: PASSWORD,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        login: 'ivanova',
        name: 'Иванова А.А.',
        roles: ['registrar', 'controller'],
        department: 'Отдел ЖКХ',
        disabled: false,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/i);
    });

    it('given a taken login (any case), then 409 problem+json', async () => {
      const res = await create({ login: 'IVANOVA', name: 'X', roles: [], password: PASSWORD });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it.each([
      ['a short password', { login: 'a1', name: 'A', roles: [], password: 'short' }, 'password'],
      ['an unknown role', { login: 'a2', name: 'A', roles: ['king'], password: PASSWORD }, 'roles'],
      ['a bad login', { login: 'a b', name: 'A', roles: [], password: PASSWORD }, 'login'],
      ['no name', { login: 'a3', roles: [], password: PASSWORD }, 'name'],
      ['an unknown field', { login: 'a4', name: 'A', roles: [], password: PASSWORD, admin: true }, 'admin'],
    ])('given %s, then 400 naming the field and nothing is created', async (_, body, field) => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      const list = await http<{ login: string }[]>(t.url, 'GET', '/admin/users', { token: admin });
      expect(list.body.map((u) => u.login)).not.toContain((body as { login: string }).login);
    });

    it('without a token, then 401; without the admin role, then 403', async () => {
      expect((await http(t.url, 'POST', '/admin/users', { body: {} })).status).toBe(401);
      const res = await create(
        { login: 'x1', name: 'X', roles: [], password: PASSWORD },
        t.token('clerk', ['registrar']),
      );
      expect(res.status).toBe(403);
    });
  });

  describe('GET and PATCH /admin/users', () => {
    it('lists every account, the first admin among them', async () => {
      const res = await http<{ login: string }[]>(t.url, 'GET', '/admin/users', { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.map((u) => u.login)).toEqual(expect.arrayContaining(['admin', 'ivanova']));
    });

    it('changes roles and department; 404 for an unknown login; 400 for a bad role', async () => {
      const res = await http(t.url, 'PATCH', '/admin/users/ivanova', {
        token: admin,
        body: { roles: ['registrar'], department: 'Общий отдел' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ roles: ['registrar'], department: 'Общий отдел' });
      expect((await http(t.url, 'PATCH', '/admin/users/nobody', { token: admin, body: {} })).status).toBe(
        404,
      );
      expect((await http(t.url, 'GET', '/admin/users/nobody', { token: admin })).status).toBe(404);
      const bad = await http(t.url, 'PATCH', '/admin/users/ivanova', {
        token: admin,
        body: { roles: ['x'] },
      });
      expect(bad.status).toBe(400);
    });
  });

  describe('the first admin', () => {
    it('has its generated password in DATA_DIR/secrets/initial-admin-password (0600) and can sign in', async () => {
      const file = join(t.dataDir, 'secrets', 'initial-admin-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      const res = await formSignIn(t.url, 'admin', password);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/appeals');
    });

    it('is created once by two engines starting on the same empty database, and the log names the file only', async () => {
      const database = await createTestDatabase('e2e');
      const dirs = [mkdtempSync(join(tmpdir(), 'al-web-a-')), mkdtempSync(join(tmpdir(), 'al-web-b-'))];
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      const logger = pino({ level: 'info' }, sink);
      const configOf = (dir: string) =>
        loadConfig({
          DATABASE_URL: database.url,
          DATA_DIR: dir,
          PORT: '0',
          HOST: '127.0.0.1',
          AUTH_JWT_SECRET: TEST_JWT_SECRET,
          PERSONAL_DATA_MASTER_KEY: TEST_MASTER_KEY,
          RUN_REMINDERS: 'false',
          DATABASE_POOL_SIZE: '4',
        });
      const engines = await Promise.all(dirs.map((dir) => createEngine(configOf(dir), logger)));
      try {
        const files = dirs
          .map((d) => join(d, 'secrets', 'initial-admin-password'))
          .filter((f) => existsSync(f));
        expect(files).toHaveLength(1);
        const password = readFileSync(files[0], 'utf8').trim();
        const created = lines.filter((l) => l.includes('created the first account'));
        expect(created).toHaveLength(1);
        expect(created[0]).toContain(files[0]);
        expect(lines.join('')).not.toContain(password);
        const list = await http<{ login: string }[]>(engines[0].url, 'GET', '/admin/users', { token: admin });
        expect(list.body.filter((u) => u.login === 'admin')).toHaveLength(1);
      } finally {
        await Promise.all(engines.map((e) => e.stop()));
        await database.drop();
        dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
      }
    });
  });

  describe('sessions', () => {
    beforeAll(async () => {
      await create({ login: 'petrov', name: 'Петров П.П.', roles: ['controller'], password: PASSWORD });
    });

    it('sets an HttpOnly, SameSite, Path=/ cookie (Secure only over TLS) and signs API calls with it', async () => {
      const res = await formSignIn(t.url, 'petrov', PASSWORD);
      expect(res.status).toBe(303);
      const cookie = res.setCookie.find((c) => c.startsWith('al_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/i);
      const control = await http(t.url, 'GET', '/control', {
        headers: { cookie: `al_session=${res.session}`, accept: 'application/json' },
      });
      expect(control.status).toBe(200);
    });

    it('refuses a state change by cookie without the CSRF token (403) and accepts it with the token', async () => {
      const { session } = await formSignIn(t.url, 'admin', adminPassword());
      const body = { login: 'csrf1', name: 'C', roles: [], password: PASSWORD };
      const without = await http(t.url, 'POST', '/admin/users', {
        headers: { cookie: `al_session=${session}` },
        body,
      });
      expect(without.status).toBe(403);
      expect(without.headers.get('content-type')).toContain('application/problem+json');
      const wrong = await http(t.url, 'POST', '/admin/users', {
        headers: { cookie: `al_session=${session}`, 'x-csrf-token': 'nope' },
        body,
      });
      expect(wrong.status).toBe(403);
      expect((await http(t.url, 'GET', '/admin/users/csrf1', { token: admin })).status).toBe(404);
      const csrf = await csrfOf(t.url, session!);
      const ok = await http(t.url, 'POST', '/admin/users', {
        headers: { cookie: `al_session=${session}`, 'x-csrf-token': csrf },
        body,
      });
      expect(ok.status).toBe(201);
    });

    it('ends after SESSION_IDLE_MINUTES without a request, and lives on while used', async () => {
      const { session } = await formSignIn(t.url, 'petrov', PASSWORD);
      const get = () =>
        http(t.url, 'GET', '/control', {
          headers: { cookie: `al_session=${session}`, accept: 'application/json' },
        });
      clock.advance(20 * 60_000);
      expect((await get()).status).toBe(200);
      clock.advance(20 * 60_000);
      expect((await get()).status).toBe(200);
      clock.advance(31 * 60_000);
      expect((await get()).status).toBe(401);
    });

    it('stops working at once when the account is disabled, and the account cannot sign in', async () => {
      await create({ login: 'sidorov', name: 'Сидоров', roles: ['executor'], password: PASSWORD });
      const { session } = await formSignIn(t.url, 'sidorov', PASSWORD);
      const get = () =>
        http(t.url, 'GET', '/control', {
          headers: { cookie: `al_session=${session}`, accept: 'application/json' },
        });
      expect((await get()).status).toBe(200);
      const off = await http(t.url, 'PATCH', '/admin/users/sidorov', {
        token: admin,
        body: { disabled: true },
      });
      expect(off.status).toBe(200);
      expect((await get()).status).toBe(401);
      const again = await formSignIn(t.url, 'sidorov', PASSWORD);
      expect(again.status).toBe(401);
      expect(again.body).toContain('Неверный логин или пароль.');
    });

    it('answers a wrong password and an unknown login with the same message', async () => {
      const wrong = await formSignIn(t.url, 'petrov', 'not-the-password');
      const unknown = await formSignIn(t.url, 'nobody-here', 'not-the-password');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const message = (body: string) => /role="alert"[^>]*>([^<]+)</.exec(body)?.[1];
      expect(message(wrong.body)).toBe('Неверный логин или пароль.');
      expect(message(unknown.body)).toBe(message(wrong.body));
      expect(wrong.body).not.toContain('not-the-password');
    });

    it('slows down repeated failures: after five, even the right password waits, then works', async () => {
      await create({ login: 'guessed', name: 'G', roles: ['registrar'], password: PASSWORD });
      for (let i = 0; i < 5; i++)
        expect((await formSignIn(t.url, 'guessed', 'wrong-password-' + i)).status).toBe(401);
      const blocked = await formSignIn(t.url, 'guessed', PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toContain('Слишком много неудачных попыток');
      expect(blocked.session).toBeUndefined();
      clock.advance(2000);
      const ok = await formSignIn(t.url, 'guessed', PASSWORD);
      expect(ok.status).toBe(303);
    });

    it('refuses a sign-in form without its token (login CSRF)', async () => {
      const res = await fetch(t.url + '/login', {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: 'petrov', password: PASSWORD }).toString(),
      });
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie().join('')).not.toContain('al_session=');
    });

    it('signs out with the CSRF token, after which the cookie opens nothing', async () => {
      const { session } = await formSignIn(t.url, 'petrov', PASSWORD);
      const csrf = await csrfOf(t.url, session!);
      const refused = await fetch(t.url + '/logout', {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `al_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: '_csrf=wrong',
      });
      expect(refused.status).toBe(403);
      const out = await fetch(t.url + '/logout', {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `al_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/login');
      const after = await http(t.url, 'GET', '/control', {
        headers: { cookie: `al_session=${session}`, accept: 'application/json' },
      });
      expect(after.status).toBe(401);
    });
  });

  describe('reminder streams opened from a session', () => {
    /** Opens /reminders/stream with the session cookie; `text` resolves when the engine ends it. */
    const openStream = async (session: string) => {
      const abort = new AbortController();
      // A deadline for the fact (the stream ends): it fails the test only when reached.
      const deadline = setTimeout(() => abort.abort(), 60_000);
      const res = await fetch(`${t.url}/reminders/stream`, {
        headers: { cookie: `al_session=${session}`, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      const text = res.text().finally(() => clearTimeout(deadline));
      return { status: res.status, text, abort };
    };

    beforeAll(async () => {
      await create({ login: 'streamer', name: 'Потоков', roles: ['controller'], password: PASSWORD });
    });

    it('end with an `expired` event when the session is signed out', async () => {
      const { session } = await formSignIn(t.url, 'streamer', PASSWORD);
      const stream = await openStream(session!);
      try {
        expect(stream.status).toBe(200);
        const out = await fetch(t.url + '/logout', {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: `al_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: await csrfOf(t.url, session!) }).toString(),
        });
        expect(out.status).toBe(303);
        const text = await stream.text;
        expect(text).toContain('event: expired');
        expect(text).toContain('the session has ended');
      } finally {
        stream.abort.abort();
      }
    }, 120_000);

    it('end when the session goes idle past SESSION_IDLE_MINUTES: an open stream is not activity', async () => {
      const { session } = await formSignIn(t.url, 'streamer', PASSWORD);
      const stream = await openStream(session!);
      try {
        expect(stream.status).toBe(200);
        clock.advance(31 * 60_000);
        expect(await stream.text).toContain('event: expired');
        const after = await http(t.url, 'GET', '/control', {
          headers: { cookie: `al_session=${session}`, accept: 'application/json' },
        });
        expect(after.status).toBe(401);
      } finally {
        stream.abort.abort();
      }
    }, 120_000);
  });

  describe('page routing', () => {
    it('sends browsers to pages and API clients to the API on the shared paths', async () => {
      const page = await fetch(t.url + '/control', {
        redirect: 'manual',
        headers: { accept: 'text/html,*/*;q=0.8' },
      });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/login?next=%2Fcontrol');
      const api = await fetch(t.url + '/control', { headers: { accept: 'application/json' } });
      expect(api.status).toBe(401);
      expect(api.headers.get('content-type')).toContain('application/problem+json');
      const bare = await fetch(t.url + '/control');
      expect(bare.status).toBe(401);
      const withToken = await fetch(t.url + '/control', {
        headers: { accept: 'text/html', authorization: `Bearer ${t.token('c', ['controller'])}` },
      });
      expect(withToken.headers.get('content-type')).toContain('application/json');
    });

    it('redirects / to the sign-in page; pages carry the security headers; forms to the API get 415', async () => {
      const root = await fetch(t.url + '/', { redirect: 'manual' });
      expect(root.status).toBe(303);
      expect(root.headers.get('location')).toBe('/login');
      const login = await fetch(t.url + '/login');
      expect(login.headers.get('content-type')).toContain('text/html');
      expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(login.headers.get('x-content-type-options')).toBe('nosniff');
      expect(login.headers.get('referrer-policy')).toBe('same-origin');
      const form = await http(t.url, 'POST', '/admin/users', {
        token: admin,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'login=x&name=y',
      });
      expect(form.status).toBe(415);
    });

    it('serves the two assets compressed and cacheable', async () => {
      const html = await (await fetch(t.url + '/login')).text();
      const js = /src="(\/assets\/app\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
      const css = /href="(\/assets\/app\.css\?v=[0-9a-f]+)"/.exec(html)?.[1];
      expect(js).toBeDefined();
      expect(css).toBeDefined();
      const res = await fetch(t.url + js!, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/javascript');
      expect(res.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(t.url + css!)).headers.get('content-type')).toContain('text/css');
      expect((await fetch(t.url + '/assets/nope.js')).status).toBe(404);
    });
  });

  function adminPassword(): string {
    return readFileSync(join(t.dataDir, 'secrets', 'initial-admin-password'), 'utf8').trim();
  }
});

/**
 * Input bounds over HTTP (README "Limits"): business time inside its window, sizes capped, text
 * well-formed, error responses small, and omitted `…At` meaning now. Every refusal is a 400/409
 * problem+json that names the field and changes nothing.
 */
import { connect } from 'node:net';
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  expectProblem,
  expectValidation,
  finalAnswerBody,
  footprint,
  getAppeal,
  history,
  HOUSING,
  register,
  registered,
  registration,
  ROADS,
  type Actors,
  type AppealSummary,
  type Footprint,
  type ProblemBody,
  EXTENSION_DECISION,
} from './support/appeals';
import { http, startTestEngine, type HttpResult, type TestEngine } from './support/test-engine';

interface ControlPage {
  rows: { id: string }[];
}

/** A date `years` years from today (UTC; far enough from the window's edge for any zone). */
function yearsFromNow(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** How many field errors a problem counted beyond those it lists. */
function moreErrors(problem: ProblemBody): number | undefined {
  return (problem as ProblemBody & { moreErrors?: number }).moreErrors;
}

/** The size of a response as it came over the wire. */
function bytesOf(res: HttpResult<unknown>): number {
  return Buffer.byteLength(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
}

/** Sends raw bytes over one connection and returns what came back (for what fetch refuses to send). */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('input bounds over HTTP', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  async function unchanged(appealId: string, refuse: () => Promise<unknown>): Promise<void> {
    const before: Footprint = await footprint(t, appealId);
    await refuse();
    expect(await footprint(t, appealId)).toEqual(before);
  }

  async function assignedAppeal(): Promise<AppealSummary> {
    const appeal = await registered(t, who.registrar);
    return done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
  }

  const executor = (): string => who.executor(EXECUTOR.id);

  describe('business time has bounds', () => {
    it('given an interim answer sent in the year 50, then 400 naming sentAt, and control and health go on', async () => {
      const appeal = await assignedAppeal();
      await unchanged(appeal.id, async () => {
        const res = await command(t, executor(), appeal.id, 'interim-answers', {
          sentAt: '0050-03-05T00:00:00Z',
          summary: 'проводится проверка',
        });
        const problem = expectValidation(res, 'sentAt');
        expect(problem.errors?.[0].message).toMatch(/between 2000-01-01 and/);
      });
      // An appeal registered afterwards reaches /control, and the read models stay healthy.
      const later = await registered(t, who.registrar);
      const control = await http<ControlPage>(
        t.url,
        'GET',
        `/control?minPosition=${later.position}&limit=500`,
        {
          token: who.controller,
        },
      );
      expect(control.status).toBe(200);
      expect(control.body.rows.map((i) => i.id)).toContain(later.id);
      const health = await http(t.url, 'GET', '/health');
      expect(health.status).toBe(200);
    });

    it('given an assignment in the year 5, then 400 naming assignedAt (never stored as 2005)', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(
            t,
            who.controller,
            appeal.id,
            'assignment',
            assignBody(EXECUTOR, 'Отдел ЖКХ', '0005-03-05T00:00:00Z'),
          ),
          'assignedAt',
        );
      });
    });

    it.each<[string, string, (at: string) => Record<string, unknown>, string]>([
      ['assignment', 'assignedAt', (at) => assignBody(EXECUTOR, 'Отдел ЖКХ', at), 'registered'],
      [
        'deadline-extensions',
        'extendedAt',
        (at) => ({ ...EXTENSION_DECISION, days: 5, reason: 'документы', extendedAt: at }),
        'registered',
      ],
      ['interim-answers', 'sentAt', (at) => ({ sentAt: at, summary: 'проверка' }), 'assigned'],
      ['final-answer', 'sentAt', (at) => ({ ...finalAnswerBody(), sentAt: at }), 'assigned'],
      ['closure', 'closedAt', (at) => ({ closedAt: at }), 'registered'],
      ['forwarding', 'sentAt', (at) => ({ to: 'Прокуратура', sentAt: at }), 'registered'],
      ['withdrawal', 'withdrawnAt', (at) => ({ withdrawnAt: at }), 'registered'],
      [
        'interim-answers',
        'finalAnswerBy',
        (at) => ({ summary: 'проверка', finalAnswerBy: at.slice(0, 10) }),
        'assigned',
      ],
    ])(
      'given %s with %s outside 2000-01-01 … today + 1 year, then 400 naming it',
      async (path, field, body, from) => {
        for (const at of [
          '1999-12-31',
          `${yearsFromNow(2)}T10:00:00+07:00`,
          '9999-12-31',
          '0001-01-01T00:00:00Z',
        ]) {
          const appeal = from === 'assigned' ? await assignedAppeal() : await registered(t, who.registrar);
          const token = path === 'interim-answers' || path === 'final-answer' ? executor() : who.controller;
          await unchanged(appeal.id, async () => {
            const actor = path === 'withdrawal' || path === 'forwarding' ? who.registrar : token;
            expectValidation(await command(t, actor, appeal.id, path as 'closure', body(at)), field);
          });
        }
      },
    );

    it.each([
      ['receivedAt', { receivedAt: '1999-12-31' }],
      ['registeredAt', { registeredAt: yearsFromNow(2) }],
      ['source.date', { source: { type: 'other_body', date: '0050-03-05' } }],
    ])('given a registration with %s outside the window, then 400 naming it', async (field, override) => {
      expectValidation(await register(t, who.registrar, registration(override)), field);
    });

    it.each([
      ['/appeals/{id}?asOf=9999-12-31', 'asOf'],
      ['/appeals/{id}?asOf=0001-01-01', 'asOf'],
      ['/appeals/{id}?asOf=9999-12-31T23:59:59Z', 'asOf'],
      ['/reports/annual?year=2018&asOf=9999-12-31', 'asOf'],
      ['/reports/annual?year=1999', 'year'],
      ['/reports/annual?year=2018&compareTo=1999', 'compareTo'],
      ['/reports/weekly?week=0000-W01', 'week'],
      ['/reports/weekly?week=9999-W01', 'week'],
      ['/control?dueBefore=9999-12-31', 'dueBefore'],
    ])('given the query %s, then 400 naming %s (not a 500, not 1900)', async (path, field) => {
      const appeal = await registered(t, who.registrar);
      const res = await http(t.url, 'GET', path.replace('{id}', appeal.id), { token: who.controller });
      expectValidation(res, field);
    });

    it('given asOf and a week inside the window, then they still answer', async () => {
      const appeal = await registered(t, who.registrar);
      expect((await getAppeal(t, who.controller, appeal.id, '2100-12-31')).status).toBe(200);
      expect(
        (await http(t.url, 'GET', '/reports/weekly?week=2000-W01', { token: who.controller })).status,
      ).toBe(200);
    });
  });

  describe('sizes have bounds', () => {
    it('given JSON nested 3,000 levels deep, then 400 naming the body (no stack overflow)', async () => {
      const deep = `{"summary":${'['.repeat(3000)}${']'.repeat(3000)}}`;
      const res = await http(t.url, 'POST', '/appeals', { token: who.registrar, body: deep });
      const problem = expectValidation(res, 'body');
      expect(problem.errors?.[0].message).toMatch(/deeper than 32/);
    });

    it('given a body that is a JSON array of 150,000 numbers, or a scalar, then 400 naming the body at once', async () => {
      const flat = JSON.stringify(Array.from({ length: 150_000 }, (_, i) => i));
      const res = await http(t.url, 'POST', '/appeals', { token: who.registrar, body: flat });
      const problem = expectValidation(res, 'body');
      expect(problem.errors?.[0].message).toBe('must be a JSON object');
      expect(JSON.stringify(problem).length).toBeLessThan(2_000);
      for (const scalar of ['1', '"text"', 'null', 'true']) {
        expectValidation(await register(t, who.registrar, scalar), 'body');
      }
    });

    it('given an object of 5,000 keys, then 400 naming the body, not 5,000 errors', async () => {
      const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])));
      const problem = expectValidation(await register(t, who.registrar, wide), 'body');
      expect(problem.errors?.[0].message).toMatch(/more than 200 keys/);
      expect(problem.errors).toHaveLength(1);
    });

    it('given JSON nested 33 levels, then 400; 32 levels pass the parser', async () => {
      const nest = (n: number): string => `{"receivedAt":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
      expectValidation(await register(t, who.registrar, nest(33)), 'body');
      const res = await register(t, who.registrar, nest(32));
      // Past the parser, validation names the field instead.
      expectValidation(res, 'receivedAt');
    });

    it('given a final answer with 10,000 results of wrong codes, then 400 in under 8 KB', async () => {
      const appeal = await assignedAppeal();
      const results = Array.from({ length: 10_000 }, (_, i) => ({
        questionCode: `0002.0007.0001.${String(i % 10_000).padStart(4, '0')}`,
        result: 'explained',
      }));
      await unchanged(appeal.id, async () => {
        const res = await command(t, executor(), appeal.id, 'final-answer', {
          ...finalAnswerBody(),
          results,
        });
        expectValidation(res, 'results');
        expect(bytesOf(res)).toBeLessThan(8 * 1024);
      });
    });

    it('given 100 results of wrong codes, then the appeal’s codes are said once and the response stays small', async () => {
      const appeal = await registered(
        t,
        who.registrar,
        registration({ questions: [{ code: HOUSING }, { code: ROADS }] }),
      );
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
      const results = Array.from({ length: 100 }, (_, i) => ({
        questionCode: `0002.0007.0001.${String(i).padStart(4, '0')}`,
        result: 'explained',
      }));
      const res = await command(t, executor(), appeal.id, 'final-answer', { ...finalAnswerBody(), results });
      const problem = expectValidation(res, 'results[0].questionCode');
      expect(problem.errors).toHaveLength(20);
      expect(moreErrors(problem)).toBeGreaterThan(80);
      expect(bytesOf(res)).toBeLessThan(8 * 1024);
      expect(JSON.stringify(problem).split(ROADS).length - 1).toBeLessThanOrEqual(2);
    });

    it('given 10,000 results each with a bad result, then at most 20 errors are listed and the rest counted', async () => {
      const appeal = await assignedAppeal();
      const results = Array.from({ length: 10_000 }, () => ({ questionCode: HOUSING, result: 'in_work' }));
      const res = await command(t, executor(), appeal.id, 'final-answer', { ...finalAnswerBody(), results });
      const problem = expectValidation(res, 'results');
      expect(problem.errors?.length).toBeLessThanOrEqual(20);
      expect(moreErrors(problem)).toBeGreaterThan(0);
      expect(bytesOf(res)).toBeLessThan(8 * 1024);
    });

    it('given an unknown key of 200,000 characters, then the error names it cut short', async () => {
      const res = await register(t, who.registrar, { ...registration(), ['x'.repeat(200_000)]: 1 });
      expectValidation(res, 'xxx');
      expect(bytesOf(res)).toBeLessThan(8 * 1024);
    });

    it.each([
      ['summary', { summary: 'а'.repeat(20_001) }],
      ['questions[0].code', { questions: [{ code: '0'.repeat(51) }] }],
      ['questions', { questions: Array.from({ length: 101 }, () => ({ code: HOUSING })) }],
      ['applicants', { applicants: Array.from({ length: 1001 }, () => ({ name: 'П' })) }],
    ])('given a registration with %s over its limit, then 400 naming it', async (field, override) => {
      expectValidation(await register(t, who.registrar, registration(override)), field);
    });

    it('given 50 interim answers, when a 51st is sent, then 409 interim-answer-limit and nothing is written', async () => {
      const appeal = await assignedAppeal();
      for (let i = 0; i < 50; i++) {
        await done(
          command(t, executor(), appeal.id, 'interim-answers', {
            sentAt: '2018-03-20',
            summary: `ответ ${i}`,
          }),
        );
      }
      await unchanged(appeal.id, async () => {
        const res = await command(t, executor(), appeal.id, 'interim-answers', { summary: 'ещё один' });
        const problem = expectProblem(res, 409);
        expect(problem.type).toMatch(/interim-answer-limit$/);
        expect(problem).toMatchObject({ limit: 50, interimAnswers: 50 });
      });
    });
  });

  describe('text is well-formed', () => {
    it.each([
      ['a NUL in a field', JSON.stringify({ ...registration(), summary: 'до\u0000после' }), 'body.summary'],
      [
        'a NUL deep inside',
        JSON.stringify({ ...registration(), applicants: [{ name: 'a\u0000' }] }),
        'body.applicants[0].name',
      ],
      ['a NUL in a key', JSON.stringify({ ...registration(), 'ke\u0000y': 1 }), 'body'],
      [
        'a lone high surrogate',
        JSON.stringify(registration()).replace('"summary":"', '"summary":"\\ud800'),
        'body.questions[0].summary',
      ],
      [
        'a lone low surrogate',
        JSON.stringify(registration()).replace('"territory":"', '"territory":"x\\udc00'),
        'body.territory',
      ],
    ])('given %s in a body, then 400 naming where, and no number is taken', async (_case, text, field) => {
      const res = await http(t.url, 'POST', '/appeals', { token: who.registrar, body: text });
      expectValidation(res, field);
    });

    it('given a lone surrogate in a command body, then 400 and the appeal is unchanged', async () => {
      const appeal = await assignedAppeal();
      await unchanged(appeal.id, async () => {
        const res = await http(t.url, 'POST', `/appeals/${appeal.id}/interim-answers`, {
          token: executor(),
          body: '{"summary":"ответ \\udfff"}',
        });
        expectValidation(res, 'body.summary');
      });
    });

    it('given a surrogate pair (an emoji), then it is accepted', async () => {
      const appeal = await registered(t, who.registrar, registration({ summary: 'жалоба 😀' }));
      expect(appeal.id).toBeTruthy();
    });

    it.each([
      ['/control?department=%00', 'query.department'],
      ['/control?executorId=a%00b', 'query.executorId'],
      ['/reminders?department=%00', 'query.department'],
      ['/reminders?appealId=%ED%A0%80', 'query.appealId'],
      ['/reports/weekly?week=2018-W50&format=%00', 'query.format'],
      ['/control?%00=1', 'query.'],
    ])('given the query %s, then 400 naming %s', async (path, field) => {
      const res = await http(t.url, 'GET', path, { token: who.admin });
      expectValidation(res, field);
    });

    it('given a NUL in the Idempotency-Key header, then 400 problem+json and nothing is registered', async () => {
      const body = JSON.stringify(registration());
      const answer = await rawRequest(
        t.url,
        `POST /appeals HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${who.registrar}\r\n` +
          `Content-Type: application/json\r\nIdempotency-Key: 7d1c7a8e-\u0000\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as ProblemBody;
      expect(problem).toMatchObject({ status: 400, title: 'Invalid request' });
    });

    it('given a control character in the If-Match header, then 400 problem+json', async () => {
      const appeal = await registered(t, who.registrar);
      const answer = await rawRequest(
        t.url,
        `POST /appeals/${appeal.id}/closure HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${who.controller}\r\n` +
          `If-Match: "0\u0001"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
    });
  });

  describe('omitted …At means now', () => {
    /** The business time the last event of the appeal carries, and the bounds of "now" around the command. */
    async function lastOccurredAt(appealId: string): Promise<number> {
      const trail = await history(t, who.supervisor, appealId);
      return Date.parse(trail.body[trail.body.length - 1].occurredAt);
    }

    it.each<[string, string, Record<string, unknown>, string]>([
      ['interim-answers', 'sentAt', { summary: 'проводится проверка' }, 'assigned'],
      [
        'final-answer',
        'sentAt',
        { summary: 'дан ответ', results: [{ questionCode: HOUSING, result: 'explained' }] },
        'assigned',
      ],
      ['forwarding', 'sentAt', { to: 'Прокуратура' }, 'registered'],
      ['withdrawal', 'withdrawnAt', {}, 'registered'],
    ])('given %s without %s, then 200 and the fact happened now', async (path, field, body, from) => {
      const appeal = from === 'assigned' ? await assignedAppeal() : await registered(t, who.registrar);
      const token = from === 'assigned' ? executor() : who.registrar;
      const before = Date.now();
      await done(command(t, token, appeal.id, path as 'closure', body));
      const after = Date.now();
      const at = await lastOccurredAt(appeal.id);
      expect({ field, now: at >= before - 1000 && at <= after + 1000 }).toEqual({ field, now: true });
    });

    it('given a registration without receivedAt, then it was received on the registration date', async () => {
      const res = await register(t, who.registrar, { ...registration(), receivedAt: undefined });
      expect(res.status).toBe(201);
      const trail = await history(t, who.supervisor, res.body.id);
      expect(trail.body[0].data).toMatchObject({ receivedAt: '2018-03-06', registeredAt: '2018-03-06' });
    });
  });
});

/**
 * Refusals over HTTP (docs/api.md "Conventions"): every error is application/problem+json with type,
 * title, status, detail (+ errors, state/allowedActions, expected/actualRevision where docs/api.md says),
 * and a refused request changes nothing: the appeal's revision and history length stay as they were.
 */
import { JwtService } from '@nestjs/jwt';
import {
  actors,
  assignBody,
  command,
  craftToken,
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
  type CommandPath,
  type Footprint,
  EXTENSION_DECISION,
} from './support/appeals';
import {
  http,
  startTestEngine,
  TEST_JWT_SECRET,
  type HttpResult,
  type TestEngine,
} from './support/test-engine';

const UNKNOWN_ID = '7d1c7a8e-5b0e-4f7a-9d55-2a7f5a0c9e11';

describe('appeal errors over HTTP', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Runs `refuse`, then checks the appeal is exactly as before. */
  async function unchanged(appealId: string, refuse: () => Promise<unknown>): Promise<void> {
    const before: Footprint = await footprint(t, appealId);
    await refuse();
    expect(await footprint(t, appealId)).toEqual(before);
  }

  async function assignedAppeal(body = registration()): Promise<AppealSummary> {
    const appeal = await registered(t, who.registrar, body);
    return done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
  }

  /** The sequence number of a fresh registration: refused registrations must not consume one. */
  async function nextSequence(): Promise<number> {
    const appeal = await registered(t, who.registrar, registration({ registeredAt: '2018-03-07' }));
    return Number(appeal.number.split('/')[1]);
  }

  describe('400 validation', () => {
    it('given an empty registration, then every missing field is named and no number is taken', async () => {
      const before = await nextSequence();
      const res = await register(t, who.registrar, {});
      const body = expectValidation(res, 'channel', 'kind', 'applicants', 'questions');
      expect(body.title).toBe('Invalid request');
      expect(await nextSequence()).toBe(before + 1);
    });

    it.each([
      ['channel', { channel: 'fax' }],
      ['kind', { kind: 'request' }],
      ['source.type', { source: { type: 'email' } }],
      [
        'reception.officialRole',
        { channel: 'personal_reception', reception: { officialRole: 'mayor', onSite: false } },
      ],
      ['receivedAt', { receivedAt: '05.03.2018' }],
      ['receivedAt', { receivedAt: '2018-02-30' }],
      ['registeredAt', { registeredAt: '2018-3-6' }],
      ['registeredAt', { receivedAt: '2018-03-07', registeredAt: '2018-03-06' }],
      ['priority', { priority: 'high' }],
      ['applicants[0].passport', { applicants: [{ name: 'Петров П.П.', passport: '3200 123456' }] }],
      ['applicants[0].email', { applicants: [{ name: 'Петров П.П.', email: 'not-an-email' }] }],
      ['questions', { questions: [] }],
      ['questions[0].code', { questions: [{ code: '5.5.56' }] }],
      ['questions[0].code', { questions: [{ code: '0009.0001.0001.0001' }] }],
      ['questions[0].code', { questions: [{ code: '0005.0099.0001.0001' }] }],
      ['questions[1].code', { questions: [{ code: HOUSING }, { code: HOUSING }] }],
      ['reception', { channel: 'written', reception: { officialRole: 'head', onSite: false } }],
      ['repeatOf', { repeatOf: 'not-a-uuid' }],
    ])(
      'given a registration with a bad %s, then 400 naming it and no number is taken',
      async (field, override) => {
        const before = await nextSequence();
        const res = await register(t, who.registrar, { ...registration(), ...override });
        expectValidation(res, field);
        expect(await nextSequence()).toBe(before + 1);
      },
    );

    it('given a classifier code in section 0009 or an unknown theme, then the message says which level is wrong', async () => {
      const section = expectValidation(
        await register(t, who.registrar, registration({ questions: [{ code: '0009.0001.0001.0001' }] })),
        'questions[0].code',
      );
      expect(section.errors?.[0].message).toMatch(/section/i);
      const theme = expectValidation(
        await register(t, who.registrar, registration({ questions: [{ code: '0005.0099.0001.0001' }] })),
        'questions[0].code',
      );
      expect(theme.errors?.[0].message).toMatch(/theme/i);
    });

    it('given a malformed JSON body, then 400 problem+json and nothing is registered', async () => {
      const before = await nextSequence();
      const res = await http(t.url, 'POST', '/appeals', {
        token: who.registrar,
        body: '{"receivedAt": "2018-03-05", "channel": ',
      });
      const problem = expectProblem(res, 400);
      // docs/api.md: a 400 carries errors [{ field, message }]
      expect(problem.errors).toEqual([
        expect.objectContaining({
          field: expect.any(String) as unknown,
          message: expect.any(String) as unknown,
        }),
      ]);
      expect(await nextSequence()).toBe(before + 1);
    });

    it.each([
      ['a form', 'application/x-www-form-urlencoded', 'receivedAt=2018-03-05'],
      ['plain text', 'text/plain', '{"receivedAt": "2018-03-05"}'],
    ])('given %s instead of JSON, then 415 problem+json and nothing is registered', async (_, type, body) => {
      const before = await nextSequence();
      const res = await http(t.url, 'POST', '/appeals', {
        token: who.registrar,
        headers: { 'content-type': type },
        body,
      });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expectProblem(res, 415);
      expect(await nextSequence()).toBe(before + 1);
    });

    it('given an empty body sent as JSON to a command whose fields are all optional, then it is taken as no fields', async () => {
      const appeal = await assignedAppeal();
      await done(command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', finalAnswerBody()));
      const res = await http<AppealSummary>(t.url, 'POST', `/appeals/${appeal.id}/closure`, {
        token: who.controller,
        headers: { 'content-type': 'application/json' },
        body: '',
      });
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('closed');
    });

    it.each([
      ['days 0', { ...EXTENSION_DECISION, days: 0, reason: 'документы' }, 'days'],
      ['days 31', { ...EXTENSION_DECISION, days: 31, reason: 'документы' }, 'days'],
      ['days 1.5', { ...EXTENSION_DECISION, days: 1.5, reason: 'документы' }, 'days'],
      ['days as a string', { ...EXTENSION_DECISION, days: '5', reason: 'документы' }, 'days'],
      ['no reason', { ...EXTENSION_DECISION, days: 5 }, 'reason'],
      [
        'a bad extendedAt',
        { ...EXTENSION_DECISION, days: 5, reason: 'документы', extendedAt: '20.03.2018' },
        'extendedAt',
      ],
      [
        'an extendedAt before registration',
        { ...EXTENSION_DECISION, days: 5, reason: 'документы', extendedAt: '2018-03-01' },
        'extendedAt',
      ],
    ])('given an extension with %s, then 400 and the appeal is unchanged', async (_case, body, field) => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectValidation(await command(t, who.controller, appeal.id, 'deadline-extensions', body), field);
      });
    });

    it('given an assignment without executor and department, then 400 naming both', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(t, who.controller, appeal.id, 'assignment', {}),
          'executor',
          'department',
        );
      });
    });

    it('given an assignment with a department but no executor, then 400 naming executor (not a 500)', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(t, who.controller, appeal.id, 'assignment', { department: 'Отдел ЖКХ' }),
          'executor',
        );
      });
    });

    it('given an assignment with an empty executor id or a non-object executor, then 400 naming it', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(t, who.controller, appeal.id, 'assignment', {
            executor: { id: '', name: 'X' },
            department: 'ЖКХ',
          }),
          'executor.id',
        );
        expectValidation(
          await command(t, who.controller, appeal.id, 'assignment', {
            executor: 'sidorov',
            department: 'ЖКХ',
          }),
          'executor',
        );
      });
    });

    it('given an instant on a day that does not exist (2018-04-31T…), then 400 rather than a silent roll-over to 1 May', async () => {
      const appeal = await assignedAppeal();
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(t, who.controller, appeal.id, 'deadline-extensions', {
            ...EXTENSION_DECISION,
            days: 1,
            reason: 'документы',
            extendedAt: '2018-04-31T10:00:00+07:00',
          }),
          'extendedAt',
        );
        expectValidation(
          await command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', {
            ...finalAnswerBody(),
            sentAt: '2018-02-30T10:00:00+07:00',
          }),
          'sentAt',
        );
      });
    });

    it('given a final answer without a result for every question, then 400 and the appeal is unchanged', async () => {
      const appeal = await assignedAppeal(registration({ questions: [{ code: HOUSING }, { code: ROADS }] }));
      const executor = who.executor(EXECUTOR.id);
      await unchanged(appeal.id, async () => {
        const missing = expectValidation(
          await command(t, executor, appeal.id, 'final-answer', finalAnswerBody([HOUSING])),
          'results',
        );
        expect(missing.detail).toContain(ROADS);
        expectValidation(
          await command(
            t,
            executor,
            appeal.id,
            'final-answer',
            finalAnswerBody([HOUSING, ROADS, '0002.0007.0069.0306']),
          ),
          'results[2].questionCode',
        );
        expectValidation(
          await command(t, executor, appeal.id, 'final-answer', finalAnswerBody([HOUSING, HOUSING])),
          'results',
        );
        expectValidation(
          await command(t, executor, appeal.id, 'final-answer', {
            ...finalAnswerBody([HOUSING, ROADS]),
            results: [],
          }),
          'results',
        );
        expectValidation(
          await command(t, executor, appeal.id, 'final-answer', {
            ...finalAnswerBody([HOUSING, ROADS]),
            results: [
              { questionCode: HOUSING, result: 'fine' },
              { questionCode: ROADS, result: 'explained' },
            ],
          }),
          'results[0].result',
        );
      });
    });

    it('given a bad If-Match value, then 400 naming If-Match and the appeal is unchanged', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        for (const value of ['abc', '"x1"', '*"0"']) {
          expectValidation(
            await command(
              t,
              who.controller,
              appeal.id,
              'deadline-extensions',
              { ...EXTENSION_DECISION, days: 1, reason: 'документы' },
              { 'if-match': value },
            ),
            'If-Match',
          );
        }
      });
    });

    it('given a non-UUID Idempotency-Key, then 400 naming it; for a transition the appeal is unchanged, for a registration no number is taken', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        expectValidation(
          await command(
            t,
            who.controller,
            appeal.id,
            'deadline-extensions',
            { ...EXTENSION_DECISION, days: 1, reason: 'документы' },
            { 'idempotency-key': 'retry-1' },
          ),
          'Idempotency-Key',
        );
      });
      const before = await nextSequence();
      expectValidation(
        await register(t, who.registrar, registration(), { 'idempotency-key': '12345' }),
        'Idempotency-Key',
      );
      expect(await nextSequence()).toBe(before + 1);
    });

    it('given asOf that is neither an instant nor a date, then 400 naming asOf', async () => {
      const appeal = await registered(t, who.registrar);
      expectValidation(await getAppeal(t, who.controller, appeal.id, 'yesterday'), 'asOf');
    });
  });

  describe('401 authentication', () => {
    const claims = () => ({
      sub: 'ivanova',
      name: 'Иванова А.А.',
      roles: ['registrar', 'controller', 'supervisor', 'admin'],
      exp: now() + 600,
    });
    const now = () => Math.floor(Date.now() / 1000);

    const badTokens: [string, () => Record<string, string>][] = [
      ['no Authorization header', () => ({})],
      [
        'a non-Bearer scheme',
        () => ({ authorization: `Basic ${Buffer.from('ivanova:secret').toString('base64')}` }),
      ],
      [
        'a token signed with another secret',
        () => ({
          authorization: `Bearer ${new JwtService({ secret: 'another-secret-0123456789abcdef0123' }).sign(claims())}`,
        }),
      ],
      [
        'an expired token',
        () => ({
          authorization: `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign({ ...claims(), exp: now() - 60 })}`,
        }),
      ],
      [
        'a token with alg none',
        () => ({
          authorization: `Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, { ...claims(), exp: now() + 600 }, null)}`,
        }),
      ],
      [
        'a token with alg HS512',
        () => ({
          authorization: `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign(claims(), { algorithm: 'HS512' })}`,
        }),
      ],
      [
        'a token with a tampered payload',
        () => {
          const [h, , s] = t.token('ivanova', ['executor']).split('.');
          const payload = Buffer.from(JSON.stringify({ ...claims(), exp: now() + 600 })).toString(
            'base64url',
          );
          return { authorization: `Bearer ${h}.${payload}.${s}` };
        },
      ],
      ['garbage', () => ({ authorization: 'Bearer not.a.jwt' })],
    ];

    it.each(badTokens)(
      'given %s, then 401 problem+json on reads and commands, and nothing changes',
      async (_case, headers) => {
        const appeal = await registered(t, who.registrar);
        await unchanged(appeal.id, async () => {
          expectProblem(await http(t.url, 'GET', `/appeals/${appeal.id}`, { headers: headers() }), 401);
          expectProblem(
            await http(t.url, 'GET', `/appeals/${appeal.id}/history`, { headers: headers() }),
            401,
          );
          expectProblem(
            await http(t.url, 'POST', `/appeals/${appeal.id}/assignment`, {
              headers: headers(),
              body: assignBody(),
            }),
            401,
          );
          expectProblem(
            await http(t.url, 'POST', `/appeals/${appeal.id}/withdrawal`, {
              headers: headers(),
              body: { withdrawnAt: '2018-03-10' },
            }),
            401,
          );
        });
        const before = await nextSequence();
        expectProblem(
          await http(t.url, 'POST', '/appeals', { headers: headers(), body: registration() }),
          401,
        );
        expect(await nextSequence()).toBe(before + 1);
      },
    );

    it('given a valid token, then the same request is accepted (the 401s are about the token alone)', async () => {
      const ok = await http(t.url, 'POST', '/appeals', {
        headers: { authorization: `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign(claims())}` },
        body: registration(),
      });
      expect(ok.status).toBe(201);
    });
  });

  describe('403 roles', () => {
    const bodies: Record<CommandPath, unknown> = {
      assignment: assignBody(),
      'deadline-extensions': { ...EXTENSION_DECISION, days: 1, reason: 'документы' },
      'interim-answers': { sentAt: '2018-03-10', summary: 'в работе' },
      'final-answer': finalAnswerBody(),
      rework: { reason: 'не по существу' },
      closure: { closedAt: '2018-03-29' },
      forwarding: { to: 'Прокуратура', sentAt: '2018-03-08' },
      withdrawal: { withdrawnAt: '2018-03-10' },
    };
    // docs/api.md's role column: who may NOT send each command
    const forbidden: [CommandPath, string[]][] = [
      ['assignment', ['registrar', 'executor', 'supervisor']],
      ['deadline-extensions', ['registrar', 'executor', 'supervisor']],
      ['interim-answers', ['registrar', 'controller', 'supervisor']],
      ['final-answer', ['registrar', 'controller', 'supervisor']],
      ['rework', ['registrar', 'executor', 'supervisor']],
      ['closure', ['registrar', 'executor', 'supervisor']],
      ['forwarding', ['executor', 'supervisor']],
      ['withdrawal', ['controller', 'executor', 'supervisor']],
    ];

    it.each(forbidden)('given %s, then roles %j get 403 and the appeal is unchanged', async (path, roles) => {
      const appeal = await assignedAppeal();
      await unchanged(appeal.id, async () => {
        // the executor is the assigned one: only the role is wrong
        for (const role of roles) {
          const token = role === 'executor' ? who.executor(EXECUTOR.id) : who.as([role]);
          expectProblem(await command(t, token, appeal.id, path, bodies[path]), 403);
        }
        expectProblem(await command(t, who.as([]), appeal.id, path, bodies[path]), 403);
      });
    });

    it('given a controller, executor, supervisor or a token with no role, then registering gets 403 and no number is taken', async () => {
      const before = await nextSequence();
      for (const token of [who.controller, who.executor(EXECUTOR.id), who.supervisor, who.as([])]) {
        expectProblem(await register(t, token, registration()), 403);
      }
      expect(await nextSequence()).toBe(before + 1);
    });

    it('given an appeal assigned to someone else, when another executor answers it, then 403 and the appeal is unchanged', async () => {
      const appeal = await assignedAppeal();
      const other = who.executor('petrova');
      await unchanged(appeal.id, async () => {
        expectProblem(await command(t, other, appeal.id, 'interim-answers', bodies['interim-answers']), 403);
        expectProblem(await command(t, other, appeal.id, 'final-answer', finalAnswerBody()), 403);
      });
      await done(
        command(t, who.executor(EXECUTOR.id), appeal.id, 'interim-answers', bodies['interim-answers']),
      );
      await unchanged(appeal.id, async () => {
        expectProblem(await command(t, other, appeal.id, 'final-answer', finalAnswerBody()), 403);
      });
    });

    it('given an appeal with no executor yet, when an executor answers it, then it is refused (403 or 409) and the appeal is unchanged', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        const res = await command(
          t,
          who.executor(EXECUTOR.id),
          appeal.id,
          'interim-answers',
          bodies['interim-answers'],
        );
        expect([403, 409]).toContain(res.status);
        expectProblem(res, res.status);
      });
    });

    it('given an executor or a registrar, then the history is 403', async () => {
      const appeal = await assignedAppeal();
      expectProblem(await history(t, who.executor(EXECUTOR.id), appeal.id), 403);
      expectProblem(await history(t, who.registrar, appeal.id), 403);
      expect((await history(t, who.controller, appeal.id)).status).toBe(200);
    });
  });

  describe('404 unknown appeal', () => {
    it.each([
      ['an unknown UUID', UNKNOWN_ID],
      ['a non-UUID id', 'П-1'],
      ['a numeric id', '12345'],
    ])('given %s, then reads and commands are 404 problem+json', async (_case, id) => {
      const path = encodeURIComponent(id);
      expectProblem(await getAppeal(t, who.controller, path), 404);
      expectProblem(await getAppeal(t, who.controller, path, '2018-03-10'), 404);
      expectProblem(await history(t, who.supervisor, path), 404);
      expectProblem(await command(t, who.controller, path, 'assignment', assignBody()), 404);
      expectProblem(
        await command(t, who.controller, path, 'deadline-extensions', {
          ...EXTENSION_DECISION,
          days: 1,
          reason: 'документы',
        }),
        404,
      );
      expectProblem(await command(t, who.registrar, path, 'withdrawal', { withdrawnAt: '2018-03-10' }), 404);
    });

    it('given an unknown appeal, then a command does not create it', async () => {
      await command(t, who.controller, UNKNOWN_ID, 'assignment', assignBody());
      expectProblem(await getAppeal(t, who.controller, UNKNOWN_ID), 404);
    });
  });

  describe('409 not allowed in this state', () => {
    it('given an assigned appeal, when the controller closes it, then 409 with state and allowedActions, and the appeal is unchanged', async () => {
      const appeal = await assignedAppeal();
      await unchanged(appeal.id, async () => {
        const body = expectProblem(
          await command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-29' }),
          409,
        );
        expect(body.state).toBe('assigned');
        expect(body.allowedActions).toEqual(
          expect.arrayContaining([
            'send_interim_answer',
            'send_final_answer',
            'extend_deadline',
            'forward',
            'withdraw',
          ]),
        );
        expect(body.allowedActions).not.toContain('remove_from_control');
        expect(body.allowedActions).not.toContain('return_for_rework');

        const rework = expectProblem(
          await command(t, who.controller, appeal.id, 'rework', { reason: 'нет ответа' }),
          409,
        );
        expect(rework.state).toBe('assigned');
      });
    });

    it('given a registered appeal, when an answer is returned for rework or it is closed, then 409 with state registered', async () => {
      const appeal = await registered(t, who.registrar);
      await unchanged(appeal.id, async () => {
        for (const [path, body] of [
          ['closure', { closedAt: '2018-03-29' }],
          ['rework', { reason: 'нет ответа' }],
        ] as const) {
          const problem = expectProblem(await command(t, who.controller, appeal.id, path, body), 409);
          expect(problem.state).toBe('registered');
          expect(problem.allowedActions).toEqual(expect.arrayContaining(['assign', 'forward', 'withdraw']));
          expect(problem.allowedActions).not.toContain('send_final_answer');
        }
      });
    });

    it('given a closed appeal, then every command is 409 with state closed and nothing allowed', async () => {
      const appeal = await assignedAppeal();
      const executor = who.executor(EXECUTOR.id);
      await done(command(t, executor, appeal.id, 'final-answer', finalAnswerBody()));
      await done(command(t, who.controller, appeal.id, 'closure', { closedAt: '2018-03-29' }));

      const attempts: [string, CommandPath, unknown][] = [
        [who.controller, 'assignment', assignBody({ id: 'petrova', name: 'Петрова О.И.' })],
        [who.controller, 'deadline-extensions', { ...EXTENSION_DECISION, days: 1, reason: 'документы' }],
        [executor, 'interim-answers', { sentAt: '2018-03-30', summary: 'в работе' }],
        [executor, 'final-answer', finalAnswerBody([HOUSING], '2018-03-30')],
        [who.controller, 'rework', { reason: 'не по существу' }],
        [who.controller, 'closure', { closedAt: '2018-03-30' }],
        [who.registrar, 'forwarding', { to: 'Прокуратура', sentAt: '2018-03-30' }],
        [who.registrar, 'withdrawal', { withdrawnAt: '2018-03-30' }],
      ];
      await unchanged(appeal.id, async () => {
        for (const [token, path, body] of attempts) {
          const problem = expectProblem(await command(t, token, appeal.id, path, body), 409);
          expect({ path, state: problem.state }).toEqual({ path, state: 'closed' });
          expect(problem.allowedActions).toEqual([]);
        }
      });
    });

    it('given extensions, when they would exceed 30 days in total, then 409 and the appeal is unchanged', async () => {
      const appeal = await registered(t, who.registrar);
      await done(
        command(t, who.controller, appeal.id, 'deadline-extensions', {
          ...EXTENSION_DECISION,
          days: 20,
          reason: 'документы',
        }),
      );
      await unchanged(appeal.id, async () => {
        const problem = expectProblem(
          await command(t, who.controller, appeal.id, 'deadline-extensions', {
            ...EXTENSION_DECISION,
            days: 11,
            reason: 'ещё документы',
          }),
          409,
        );
        expect(problem.detail).toMatch(/30/);
      });
      const full = await done(
        command(t, who.controller, appeal.id, 'deadline-extensions', {
          ...EXTENSION_DECISION,
          days: 10,
          reason: 'ещё документы',
        }),
      );
      expect(full.totalExtensionDays).toBe(30);
      await unchanged(appeal.id, async () => {
        expectProblem(
          await command(t, who.controller, appeal.id, 'deadline-extensions', {
            ...EXTENSION_DECISION,
            days: 1,
            reason: 'и ещё',
          }),
          409,
        );
      });
    });

    it('given an appeal moved on, when a command carries a stale If-Match, then 412 with expectedRevision and actualRevision', async () => {
      const appeal = await registered(t, who.registrar);
      const etag = (await getAppeal(t, who.controller, appeal.id)).headers.get('etag') ?? '';
      expect(etag).toBe('"0"');
      await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));

      await unchanged(appeal.id, async () => {
        const res: HttpResult<unknown> = await command(
          t,
          who.controller,
          appeal.id,
          'deadline-extensions',
          { ...EXTENSION_DECISION, days: 1, reason: 'документы' },
          { 'if-match': etag },
        );
        const problem = expectProblem(res, 412);
        expect(problem.expectedRevision).toBe(0);
        expect(problem.actualRevision).toBe(1);
        // a revision from the future is just as stale
        const ahead = expectProblem(
          await command(
            t,
            who.controller,
            appeal.id,
            'deadline-extensions',
            { ...EXTENSION_DECISION, days: 1, reason: 'документы' },
            { 'if-match': '"7"' },
          ),
          412,
        );
        expect(ahead).toMatchObject({ expectedRevision: 7, actualRevision: 1 });
      });

      const fresh = await command(
        t,
        who.controller,
        appeal.id,
        'deadline-extensions',
        { ...EXTENSION_DECISION, days: 1, reason: 'документы' },
        { 'if-match': '"1"' },
      );
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('etag')).toBe('"2"');
    });
  });

  it('given a rejected command of any kind, then the rejection is not in the history', async () => {
    const appeal = await assignedAppeal();
    await command(t, who.controller, appeal.id, 'closure', {});
    await command(t, who.registrar, appeal.id, 'assignment', assignBody());
    await command(t, who.controller, appeal.id, 'deadline-extensions', {
      ...EXTENSION_DECISION,
      days: 31,
      reason: 'x',
    });
    const trail = await history(t, who.supervisor, appeal.id);
    expect(trail.body.map((e) => e.type)).toEqual(['AppealRegistered', 'ExecutorAssigned']);
  });
});

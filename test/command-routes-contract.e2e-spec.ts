/**
 * Every command route of COMMAND_ROUTES answers the same refusals the same way, before anything is
 * stored: 401 without a token, 403 to a role the route does not list, 404 for an appeal that does
 * not exist (with a body that is otherwise valid: the pipeline validates before it looks the appeal
 * up, so a wrong body here would answer 400), 400 for an unknown field — each problem+json,
 * and the store unchanged. A route added to the table without a body here fails the first test.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { COMMAND_ROUTES } from '../apps/api/src/appeals/command-routes';
import { actors } from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const NOW = new Date().toISOString();
const IN_30_DAYS = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

/** A body each route would accept on an appeal in the right state. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  assignment: { executor: { id: 'sidorov', name: 'Сидоров С.С.' }, department: 'Отдел ЖКХ' },
  'deadline-extensions': {
    days: 10,
    reason: 'запрошены документы',
    decidedBy: { name: 'Глава района', position: 'глава района' },
  },
  'interim-answers': { sentAt: NOW, summary: 'проводится проверка' },
  'final-answer': {
    sentAt: NOW,
    summary: 'дан ответ по существу',
    results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
  },
  rework: { reason: 'ответ не по существу' },
  closure: {},
  forwarding: { to: 'Прокуратура района', sentAt: NOW },
  'without-answer': { ground: 'obscene', decidedAt: NOW, notice: { text: 'заявителю сообщено' } },
  withdrawal: { withdrawnAt: NOW, reason: 'заявитель отозвал' },
  'document-requests': { to: 'Управление Росреестра', sentAt: NOW },
  'document-requests/:rid/reply': { receivedAt: NOW },
  'related/confirm': { relatedAppealId: randomUUID(), kind: 'repeat' },
  'related/reject': { relatedAppealId: randomUUID(), kind: 'duplicate' },
  'report-to-source': { sentAt: NOW, reference: 'исх. 01-12/345' },
  'further-control': { until: IN_30_DAYS, reason: 'ремонт запланирован' },
  'measures-completed': { completedAt: NOW },
  'correspondence-termination': {
    decidedBy: { name: 'Глава района', position: 'глава района' },
    earlierAppealIds: [randomUUID(), randomUUID()],
    grounds: 'на вопросы даны ответы по существу дважды; новых доводов нет',
  },
  resolution: {
    author: { name: 'Глава района', position: 'глава района' },
    text: 'подготовить ответ',
    responsible: { id: 'sidorov', name: 'Сидоров С.С.', department: 'Отдел ЖКХ' },
  },
  contributions: { text: 'сведения представлены' },
  'applicant-materials': { description: 'копия договора управления', pages: 3 },
};

const ROUTES = Object.entries(COMMAND_ROUTES).map(([command, route]) => ({
  command,
  path: route.path,
  roles: route.roles,
  url: (id: string) => `/appeals/${id}/${route.path.replace(':rid', randomUUID())}`,
}));
const ALL_ROLES: readonly string[] = ['registrar', 'controller', 'executor', 'supervisor', 'admin'];

describe('every command route refuses the same way, storing nothing', () => {
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

  const eventCount = async (): Promise<number> =>
    Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0].n);

  function expectProblem(res: { status: number; headers: Headers }, status: number, what: string): void {
    expect({ what, status: res.status }).toEqual({ what, status });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  }

  it('has a valid body for every route of the table', () => {
    expect(ROUTES.map((r) => r.path).filter((p) => !(p in VALID_BODIES))).toEqual([]);
  });

  it.each(ROUTES)('$command (POST …/$path): 401, 403, 404, 400 — nothing stored', async (route) => {
    const a = actors(t);
    const before = await eventCount();
    const body = VALID_BODIES[route.path];
    const missing = randomUUID();

    expectProblem(await http(t.url, 'POST', route.url(missing), { body }), 401, 'no token');
    expectProblem(
      await http(t.url, 'POST', route.url(missing), { body, token: 'not-a-token' }),
      401,
      'a malformed token',
    );
    for (const role of ALL_ROLES.filter((r) => !(route.roles as readonly string[]).includes(r))) {
      expectProblem(
        await http(t.url, 'POST', route.url(missing), { body, token: a.as([role]) }),
        403,
        `role ${role}`,
      );
    }
    expectProblem(
      await http(t.url, 'POST', route.url(missing), { body, token: a.admin }),
      404,
      'an appeal that does not exist',
    );
    expectProblem(
      await http(t.url, 'POST', route.url(missing), { body: { ...body, unexpected: 1 }, token: a.admin }),
      400,
      'an unknown field',
    );
    expectProblem(
      await http(t.url, 'POST', route.url('not-an-id'), { body, token: a.admin }),
      404,
      'an id that is no appeal id',
    );
    expect(await eventCount()).toBe(before);
  });
});

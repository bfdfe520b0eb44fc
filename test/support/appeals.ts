/**
 * Test support for the HTTP suites: docs/api.md's shapes as types, a registration body builder, tokens per
 * role, one call per command, and the checks every suite repeats (problem+json, "nothing changed").
 */
import { createHmac } from 'node:crypto';
import { http, TEST_JWT_SECRET, type HttpResult, type TestEngine } from './test-engine';

export const HOUSING = '0005.0005.0056.1149';
export const ROADS = '0003.0009.0097.0650';
export const SOCIAL = '0002.0007.0069.0306';

export type QuestionResult =
  'in_work' | 'supported' | 'explained' | 'not_supported' | 'forwarded' | 'answered' | 'left_without_answer';

export interface ApplicantBody {
  name?: string;
  address?: string;
  email?: string;
  phone?: string;
}

export interface RegistrationBody {
  receivedAt: string;
  registeredAt?: string;
  channel: 'written' | 'electronic' | 'personal_reception' | 'phone';
  kind: 'proposal' | 'application' | 'complaint';
  source?: { type: string; name?: string; reference?: string; date?: string; reportBackBy?: string };
  applicants: ApplicantBody[];
  questions: { code: string; summary?: string }[];
  territory?: string;
  summary?: string;
  reception?: { officialRole: string; officialName?: string; onSite: boolean };
  repeatOf?: string;
  termDays?: number;
  termBasis?: string;
  electronicRoute?: string;
}

/** The appeal summary of docs/api.md (command results and GET /appeals/{id}). */
export interface AppealSummary {
  id: string;
  number: string;
  state: 'registered' | 'assigned' | 'interim_answered' | 'final_answered' | 'closed';
  form: 'written' | 'electronic' | 'oral';
  channel: string;
  kind: string;
  registeredAt: string;
  dueDate: string;
  nominalDueDate?: string;
  extended: boolean;
  totalExtensionDays?: number;
  onControl: boolean;
  executor: { id: string; name: string } | null;
  department: string | null;
  questions: { code: string; result: QuestionResult; measuresTaken?: boolean }[];
  applicants?: (ApplicantBody & { erased?: boolean })[];
  repeat: boolean;
  repeatOf?: string;
  collective: boolean;
  anonymous: boolean;
  late?: boolean | null;
  registeredLate?: boolean;
  termDays?: number;
  termBasis?: string;
  electronicRoute?: string;
  revision: number;
  position: number;
}

export interface HistoryEntry {
  revision: number;
  position: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; name: string };
  data: Record<string, unknown>;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  state?: string;
  allowedActions?: string[];
  expectedRevision?: number;
  actualRevision?: number;
}

/**
 * A well-formed written complaint received 2018-03-05, registered 2018-03-06 (due 2018-04-05, a
 * Thursday: no day-off adjustment), one applicant, one question.
 */
export function registration(overrides: Partial<RegistrationBody> = {}): RegistrationBody {
  return {
    receivedAt: '2018-03-05',
    registeredAt: '2018-03-06',
    channel: 'written',
    kind: 'complaint',
    applicants: [{ name: 'Петров П.П.', address: 'п. Елань, ул. Садовая, 1', phone: '+7 900 000-00-01' }],
    questions: [{ code: HOUSING, summary: 'нет горячей воды' }],
    territory: 'п. Елань',
    summary: 'жалоба на отсутствие горячей воды',
    ...overrides,
  };
}

/** Tokens of the people of docs/domain.md; executors are named by their user id. */
export interface Actors {
  registrar: string;
  controller: string;
  supervisor: string;
  admin: string;
  executor(id: string): string;
  as(roles: string[], sub?: string): string;
}

export function actors(t: TestEngine): Actors {
  return {
    registrar: t.token('ivanova', ['registrar'], { name: 'Иванова А.А.' }),
    controller: t.token('kuznetsova', ['controller'], { name: 'Кузнецова Е.В.' }),
    supervisor: t.token('head', ['supervisor'], { name: 'Глава района' }),
    admin: t.token('root', ['admin'], { name: 'Администратор' }),
    executor: (id) => t.token(id, ['executor'], { name: `Исполнитель ${id}`, department: 'Отдел ЖКХ' }),
    as: (roles, sub = `user-${roles.join('-') || 'none'}`) => t.token(sub, roles),
  };
}

export const EXECUTOR = { id: 'sidorov', name: 'Сидоров С.С.' };

/**
 * What every extension now carries (59-FZ art. 12 ч.2): who decided it, and a date within the term of
 * the default registration (2018-03-06, due 2018-04-05) — an extension after the term is 409.
 */
export const EXTENSION_DECISION = {
  decidedBy: { name: 'Глава района', position: 'глава района' },
  extendedAt: '2018-03-20',
} as const;
export const DEPARTMENT = 'Отдел ЖКХ';

type Headers = Record<string, string>;

export function register(
  t: TestEngine,
  token: string,
  body: unknown,
  headers: Headers = {},
): Promise<HttpResult<AppealSummary>> {
  return http<AppealSummary>(t.url, 'POST', '/appeals', { token, body, headers });
}

export type CommandPath =
  | 'assignment'
  | 'deadline-extensions'
  | 'interim-answers'
  | 'final-answer'
  | 'rework'
  | 'closure'
  | 'forwarding'
  | 'withdrawal';

export function command(
  t: TestEngine,
  token: string,
  appealId: string,
  path: CommandPath,
  body: unknown,
  headers: Headers = {},
): Promise<HttpResult<AppealSummary>> {
  return http<AppealSummary>(t.url, 'POST', `/appeals/${appealId}/${path}`, { token, body, headers });
}

export function getAppeal(
  t: TestEngine,
  token: string,
  appealId: string,
  asOf?: string,
): Promise<HttpResult<AppealSummary>> {
  const query = asOf === undefined ? '' : `?asOf=${encodeURIComponent(asOf)}`;
  return http<AppealSummary>(t.url, 'GET', `/appeals/${appealId}${query}`, { token });
}

export function history(t: TestEngine, token: string, appealId: string): Promise<HttpResult<HistoryEntry[]>> {
  return http<HistoryEntry[]>(t.url, 'GET', `/appeals/${appealId}/history`, { token });
}

/** Registers and returns the summary, failing loudly when registration is refused. */
export async function registered(
  t: TestEngine,
  token: string,
  body: RegistrationBody = registration(),
): Promise<AppealSummary> {
  const res = await register(t, token, body);
  if (res.status !== 201) throw new Error(`registration refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs a command that must succeed and returns the summary. */
export async function done(result: Promise<HttpResult<AppealSummary>>): Promise<AppealSummary> {
  const res = await result;
  if (res.status !== 200) throw new Error(`command refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const assignBody = (executor = EXECUTOR, department = DEPARTMENT, assignedAt = '2018-03-07') => ({
  executor,
  department,
  instructions: 'рассмотреть и ответить заявителю',
  assignedAt,
});

export const finalAnswerBody = (
  codes: string[] = [HOUSING],
  sentAt = '2018-03-28',
  result: QuestionResult = 'explained',
) => ({
  sentAt,
  summary: 'заявителю дан ответ по существу',
  results: codes.map((questionCode) => ({ questionCode, result })),
});

/** docs/api.md's error shape: application/problem+json with type, title, status, detail. */
export function expectProblem(res: HttpResult<unknown>, status: number): ProblemBody {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = res.body as ProblemBody;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String) as unknown,
      title: expect.any(String) as unknown,
      status,
      detail: expect.any(String) as unknown,
    }),
  );
  expect(body.type.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

/** 400 problem+json whose `errors` name `field` (exactly, or as a prefix like `questions[0]`). */
export function expectValidation(res: HttpResult<unknown>, ...fields: string[]): ProblemBody {
  const body = expectProblem(res, 400);
  expect(Array.isArray(body.errors)).toBe(true);
  for (const e of body.errors ?? []) {
    expect(typeof e.field).toBe('string');
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
  const named = (body.errors ?? []).map((e) => e.field);
  for (const field of fields) {
    expect({ field, named }).toEqual({
      field,
      named: expect.arrayContaining([expect.stringMatching(new RegExp(`^${escape(field)}`))]) as unknown,
    });
  }
  return body;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a refused request must leave untouched: the appeal's revision and the length of its history. */
export interface Footprint {
  revision: number;
  events: number;
  etag: string | null;
}

export async function footprint(t: TestEngine, appealId: string): Promise<Footprint> {
  const token = t.token('auditor', ['supervisor', 'admin']);
  const [current, trail] = await Promise.all([getAppeal(t, token, appealId), history(t, token, appealId)]);
  if (current.status !== 200 || trail.status !== 200)
    throw new Error(`cannot read appeal ${appealId}: ${current.status}/${trail.status}`);
  return { revision: current.body.revision, events: trail.body.length, etag: current.headers.get('etag') };
}

/** A compact JWT signed with `secret` and the given header (for the 401 cases). */
export function craftToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | null = TEST_JWT_SECRET,
): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64(header)}.${b64(claims)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** A clock the test moves by hand (the engine reads "now" only through it). */
export class ManualClock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant.getTime());
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
}

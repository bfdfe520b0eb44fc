/**
 * The fuzz harness: the engine in this process on a fresh database, a pool of appeals walked to every
 * state, and one step per generated request plan — build it against the pool, send it over a socket,
 * check the answer (no 5xx, problem+json refusals, small errors) and that nothing changed in the store
 * or the read models unless the request was an accepted write. Failures are collected, not thrown, so
 * one run lists every distinct one.
 */
import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Pool } from 'pg';
import { ProjectionsService } from '../../apps/api/src/read-models/projections.service';
import { craftToken, HOUSING, ROADS, SOCIAL } from '../support/appeals';
import { startTestEngine, TEST_JWT_SECRET, type TestEngine } from '../support/test-engine';
import {
  BODY_FIELDS,
  COMMANDS,
  encodeQueryValue,
  requestPlan,
  type BodyFault,
  type Command,
  type Endpoint,
  type Fault,
  type FieldKind,
  type RequestPlan,
} from './arbitraries';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http';

/** An error response larger than this is a failure (docs/api.md: errors are a few fields). */
export const MAX_ERROR_BYTES = 16 * 1024;
/** A successful response larger than this is a failure (no page or report here comes near it). */
export const MAX_SUCCESS_BYTES = 4 * 1024 * 1024;
/** A response slower than this is a failure (a minPosition wait is at most 5 s). */
export const MAX_RESPONSE_MS = 15_000;
/** A body built for the fuzz stays under the 1 MB limit unless it is meant to be over it. */
const BODY_BUDGET = 900_000;

const CODES = [HOUSING, ROADS, SOCIAL];
const STATES = ['registered', 'assigned', 'interim_answered', 'final_answered', 'closed'] as const;

interface AppealModel {
  id: string;
  state: string;
  executorId: string | null;
  codes: string[];
  revision: number;
  /** document requests sent on it (ids from 201 answers of POST …/document-requests) */
  requests: string[];
}

export interface Failure {
  /** what went wrong: 5xx, no-response, not-problem-json, bad-problem, error-too-large, … */
  check: string;
  detail: string;
  run: number;
  method: string;
  route: string;
  status: number | null;
  tags: string[];
  request: string;
  response: string;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  requests: number;
  seconds: number;
  perSecond: number;
  byStatus: Record<string, number>;
  byEndpoint: Record<string, Record<string, number>>;
  acceptedWrites: number;
  comparedRequests: number;
  /** extra requests sent to find which fault of a failing request causes the failure */
  probes: number;
  failures: number;
  /** distinct failures: signature → count and the first example */
  distinct: { signature: string; count: number; example: Failure }[];
  appeals: Record<string, number>;
  events: number;
}

type Snapshot = Record<string, string>;

interface Exchange {
  res?: RawResponse;
  checks: { check: string; detail: string }[];
  text: string;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function hasLoneSurrogate(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/** A request as text for a report: the line, the headers but Authorization, the start of the body. */
function describe(built: Built): string {
  return (
    `${built.req.method} ${truncate(built.req.path, 300)}\n` +
    built.req.headers
      .filter(([k]) => k !== 'Authorization')
      .map(
        ([k, v]) => `${k}: ${truncate(typeof v === 'string' ? v : `<bytes ${v.toString('latin1')}>`, 200)}`,
      )
      .join('\n') +
    (built.req.body ? `\n\n${truncate(built.req.body.toString('utf8'), 600)}` : '')
  );
}

/** A coarse class of a generated value, so that failures group by what was odd about the input. */
export function classify(value: unknown, kind: FieldKind | 'query' = 'string'): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'string') return typeof value;
  if (value.includes('\u0000')) return 'nul';
  if (hasLoneSurrogate(value)) return 'lone-surrogate';
  if (value.length > 10_000) return 'long';
  if (kind === 'date' || kind === 'instant') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/.exec(value);
    if (!m) return 'date-malformed';
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const real = new Date(Date.UTC(2000, mo - 1, d));
    real.setUTCFullYear(y);
    const valid = real.getUTCFullYear() === y && real.getUTCMonth() === mo - 1 && real.getUTCDate() === d;
    const era =
      y < 1000
        ? 'y<1000'
        : y < 1980
          ? 'y1000-1979'
          : y < 2000
            ? 'y1980-1999'
            : y > new Date().getUTCFullYear() + 1
              ? 'y-future'
              : 'y-recent';
    return `${m[4] ? 'instant' : 'date'}:${era}${valid ? '' : ':impossible-day'}`;
  }
  if (value === '') return 'empty';
  return /[^\x20-\x7e\u0400-\u04ff]/.test(value) ? 'unicode' : 'text';
}

function setPath(target: Record<string, unknown>, path: string, value: unknown, remove = false): void {
  const parts = path.split('.');
  let at: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (next === null || typeof next !== 'object') at[part] = /^\d+$/.test(part) ? {} : {};
    at = at[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (remove) delete at[last];
  // defineProperty: `__proto__` as a plain own key, as a JSON client would send it
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
}

function getPath(target: Record<string, unknown>, path: string): unknown {
  let at: unknown = target;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

const ROUTES: Record<Endpoint, { method: string; route: string }> = {
  register: { method: 'POST', route: '/appeals' },
  assignment: { method: 'POST', route: '/appeals/{id}/assignment' },
  'deadline-extensions': { method: 'POST', route: '/appeals/{id}/deadline-extensions' },
  'interim-answers': { method: 'POST', route: '/appeals/{id}/interim-answers' },
  'final-answer': { method: 'POST', route: '/appeals/{id}/final-answer' },
  rework: { method: 'POST', route: '/appeals/{id}/rework' },
  closure: { method: 'POST', route: '/appeals/{id}/closure' },
  forwarding: { method: 'POST', route: '/appeals/{id}/forwarding' },
  withdrawal: { method: 'POST', route: '/appeals/{id}/withdrawal' },
  'without-answer': { method: 'POST', route: '/appeals/{id}/without-answer' },
  'document-requests': { method: 'POST', route: '/appeals/{id}/document-requests' },
  'document-reply': { method: 'POST', route: '/appeals/{id}/document-requests/{rid}/reply' },
  'report-to-source': { method: 'POST', route: '/appeals/{id}/report-to-source' },
  'further-control': { method: 'POST', route: '/appeals/{id}/further-control' },
  'measures-completed': { method: 'POST', route: '/appeals/{id}/measures-completed' },
  'related-confirm': { method: 'POST', route: '/appeals/{id}/related/confirm' },
  'related-reject': { method: 'POST', route: '/appeals/{id}/related/reject' },
  erase: { method: 'DELETE', route: '/appeals/{id}/personal-data' },
  get: { method: 'GET', route: '/appeals/{id}' },
  history: { method: 'GET', route: '/appeals/{id}/history' },
  related: { method: 'GET', route: '/appeals/{id}/related' },
  control: { method: 'GET', route: '/control' },
  reminders: { method: 'GET', route: '/reminders' },
  annual: { method: 'GET', route: '/reports/annual' },
  quarterly: { method: 'GET', route: '/reports/quarterly' },
  monthly: { method: 'GET', route: '/reports/monthly' },
  weekly: { method: 'GET', route: '/reports/weekly' },
  sstu: { method: 'GET', route: '/reports/sstu' },
  projections: { method: 'GET', route: '/admin/projections' },
  rebuild: { method: 'POST', route: '/admin/projections/{name}/rebuild' },
};

const WRITES = new Set<Endpoint>(['register', ...COMMANDS, 'erase']);

interface Built {
  req: RawRequest;
  method: string;
  route: string;
  tags: string[];
}

export class FuzzSession {
  private readonly pool: AppealModel[] = [];
  private readonly idempotencyKeys: string[] = [];
  private readonly stalled = new Set<string>();
  private readonly failures: Failure[] = [];
  private readonly byStatus: Record<string, number> = {};
  private readonly byEndpoint: Record<string, Record<string, number>> = {};
  private snapshotSql = '';
  private current: Snapshot | null = null;
  private lastPosition = 0;
  private lastCursor: string | null = null;
  private requests = 0;
  private acceptedWrites = 0;
  private compared = 0;
  private probes = 0;
  private lastWrite = '(none)';
  private runIndex = -1;
  private readonly base: URL;
  private readonly tokens: Record<string, string>;

  private constructor(
    readonly t: TestEngine,
    private readonly db: Pool,
    private readonly projections: ProjectionsService,
  ) {
    this.base = new URL(t.url);
    this.tokens = {
      registrar: t.token('ivanova', ['registrar'], { name: 'Иванова А.А.' }),
      controller: t.token('kuznetsova', ['controller'], { name: 'Кузнецова Е.В.' }),
      supervisor: t.token('head', ['supervisor'], { name: 'Глава района' }),
      admin: t.token('root', ['admin'], { name: 'Администратор' }),
    };
  }

  static async start(options: { poolPerState?: number } = {}): Promise<FuzzSession> {
    // the body's ССТУ identifier, so that GET /reports/sstu builds exports (without it: always a 409)
    const t = await startTestEngine({ env: { SSTU_DEPARTMENT_ID: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' } });
    const db = new Pool({ connectionString: t.database.url, max: 2 });
    db.on('error', () => undefined); // an idle client cut at shutdown is no failure of the engine
    const session = new FuzzSession(t, db, t.engine.app.get(ProjectionsService));
    await session.refreshSnapshotSql();
    await session.seedPool(options.poolPerState ?? 2);
    return session;
  }

  async stop(): Promise<void> {
    await this.db.end();
    await this.t.stop();
  }

  private executorToken(id: string): string {
    return this.t.token(id, ['executor'], { name: `Исполнитель ${id}`, department: 'Отдел ЖКХ' });
  }

  // -------------------------------------------------------------------------------------------
  // The pool of appeals

  private async seedPool(perState: number): Promise<void> {
    const walk: Command[] = ['assignment', 'interim-answers', 'final-answer', 'closure'];
    for (let i = 0; i < perState; i++) {
      for (let target = 0; target < STATES.length; target++) {
        const appeal = await this.mustWrite('register', null, i * 7 + target);
        for (const step of walk.slice(0, target)) await this.mustWrite(step, appeal, i);
      }
      // closed the other ways: forwarded by competence, withdrawn
      await this.mustWrite('forwarding', await this.mustWrite('register', null, i + 3), i);
      await this.mustWrite('withdrawal', await this.mustWrite('register', null, i + 5), i);
      // sent by another body (a source: variant % 5 === 0): documents requested and received, answered,
      // kept on further control until the measures, reported back; and one left with a request open
      let withSource = 20 * i + 10; // a source asking for the result (variant % 10 === 0), an applicant
      while ((withSource >> 2) % 3 === 0) withSource += 10; // even: with reportBackBy
      const sent = await this.mustWrite('register', null, withSource);
      for (const step of ['assignment', 'document-requests', 'document-reply'] as const)
        await this.mustWrite(step, sent, 10 * i + 1);
      await this.mustWrite('document-requests', await this.mustWrite('register', null, i + 1), 2 * i);
      for (const step of [
        'final-answer',
        'further-control',
        'measures-completed',
        'report-to-source',
      ] as const)
        await this.mustWrite(step, sent, 2 * i);
    }
  }

  private async mustWrite(
    endpoint: Endpoint,
    appeal: AppealModel | null,
    variant: number,
  ): Promise<AppealModel> {
    const index = appeal ? this.pool.indexOf(appeal) : 0;
    const built = this.build({ endpoint, appeal: index, variant, faults: [] });
    const res = await rawRequest(this.base, built.req);
    if (res.status >= 300)
      throw new Error(`seeding ${endpoint} refused: ${res.status} ${res.body.toString()}`);
    return this.absorb(endpoint, res, appeal) ?? appeal ?? this.pool[this.pool.length - 1];
  }

  /** Takes an accepted command's summary into the pool; returns the appeal it is about. */
  private absorb(endpoint: Endpoint, res: RawResponse, appeal: AppealModel | null): AppealModel | undefined {
    if (!WRITES.has(endpoint) || endpoint === 'erase') return undefined;
    let summary: {
      id?: string;
      state?: string;
      executor?: { id?: string } | null;
      questions?: { code?: string }[];
      revision?: number;
      position?: number;
      requestId?: string;
    };
    try {
      summary = JSON.parse(res.body.toString('utf8')) as typeof summary;
    } catch {
      return undefined;
    }
    if (typeof summary.position === 'number')
      this.lastPosition = Math.max(this.lastPosition, summary.position);
    // POST …/document-requests answers { requestId, replyDueDate }: the request is kept for its reply
    if (endpoint === 'document-requests' && typeof summary.requestId === 'string' && appeal) {
      appeal.requests.push(summary.requestId);
      if (appeal.requests.length > 5) appeal.requests.shift();
      const etag = /^"(\d+)"$/.exec(res.headers['etag'] ?? '');
      if (etag) appeal.revision = Number(etag[1]);
      return appeal;
    }
    if (typeof summary.id !== 'string') return undefined;
    const model: AppealModel = appeal && appeal.id === summary.id ? appeal : this.findOrAdd(summary.id);
    model.state = summary.state ?? model.state;
    model.executorId = summary.executor?.id ?? model.executorId;
    model.codes = (summary.questions ?? []).map((q) => q.code ?? '').filter(Boolean);
    model.revision = summary.revision ?? model.revision;
    return model;
  }

  private findOrAdd(id: string): AppealModel {
    const found = this.pool.find((a) => a.id === id);
    if (found) return found;
    const model: AppealModel = {
      id,
      state: 'registered',
      executorId: null,
      codes: [],
      revision: 0,
      requests: [],
    };
    // Bounded: a long run replaces older appeals rather than growing the pool for ever.
    if (this.pool.length < 400) this.pool.push(model);
    else this.pool[this.requests % 400] = model;
    return model;
  }

  // -------------------------------------------------------------------------------------------
  // Building a request

  private validBody(
    endpoint: Endpoint,
    appeal: AppealModel | undefined,
    variant: number,
  ): Record<string, unknown> {
    const now = new Date().toISOString();
    const today = now.slice(0, 10);
    const withNow = (field: string) => (variant % 3 === 0 ? {} : { [field]: now });
    // the outgoing document of an answer (all four fields or none; docs/domain.md)
    const answerDocument =
      variant % 2 === 1
        ? {
            outgoingNumber: `01-12/${variant % 1000}`,
            outgoingDate: today,
            signedBy: { name: 'Кузнецов К.К.', position: 'глава района' },
            delivery: ['post', 'email', 'epgu', 'in_person'][(variant >> 1) % 4],
          }
        : {};
    switch (endpoint) {
      case 'register': {
        const channels = ['written', 'electronic', 'personal_reception', 'phone'];
        const channel = channels[variant % 4];
        const received = new Date(Date.now() - (10 + (variant % 2000)) * 86_400_000);
        const registered = new Date(received.getTime() + (variant % 3) * 86_400_000);
        const day = (d: Date) => d.toISOString().slice(0, 10);
        const applicants = [
          { name: 'Петров П.П.', address: 'п. Елань, ул. Садовая, 1', phone: '+7 900 000-00-01' },
          { name: 'Сидорова А.А.', email: 'sidorova@example.ru' },
        ].slice(0, (variant >> 2) % 3);
        const questions = CODES.slice(0, 1 + ((variant >> 3) % 3)).map((code) => ({
          code,
          summary: 'вопрос',
        }));
        return {
          receivedAt: received.toISOString().slice(0, 10),
          registeredAt: registered.toISOString().slice(0, 10),
          channel,
          kind: ['proposal', 'application', 'complaint'][variant % 3],
          ...(variant % 5 === 0
            ? {
                source: {
                  type: 'presidential_administration',
                  name: 'Администрация Президента',
                  reference: 'А26-123',
                  date: received.toISOString().slice(0, 10),
                  ...(variant % 2 === 0
                    ? { reportBackBy: day(new Date(received.getTime() + 30 * 86_400_000)) }
                    : {}),
                },
              }
            : {}),
          applicants,
          questions,
          territory: 'п. Елань',
          summary: 'обращение',
          ...(channel === 'personal_reception'
            ? { reception: { officialRole: 'head', officialName: 'Глава', onSite: variant % 2 === 0 } }
            : {}),
          ...(channel === 'electronic' && variant % 3 !== 2
            ? { electronicRoute: ['epgu', 'official_site', 'information_system'][(variant >> 4) % 3] }
            : {}),
          ...(applicants.length === 0 && variant % 7 === 1 ? { reportsOffence: true } : {}),
          ...(variant % 6 === 4 ? { termDays: 20, termBasis: '59-ФЗ ст. 12 ч. 1.1' } : {}),
        };
      }
      case 'assignment':
        return {
          executor: { id: `exec-${variant % 4}`, name: `Исполнитель ${variant % 4}` },
          department: variant % 2 ? 'Отдел ЖКХ' : 'Отдел дорог',
          instructions: 'рассмотреть',
          ...withNow('assignedAt'),
        };
      case 'deadline-extensions':
        return {
          days: 1 + (variant % 10),
          reason: 'запрошены документы',
          decidedBy: { name: 'Глава района', position: 'глава района' },
          ...withNow('extendedAt'),
          ...(variant % 2 === 1 ? { applicantNotifiedAt: now } : {}),
        };
      case 'interim-answers':
        return { sentAt: now, summary: 'проводится проверка', ...answerDocument };
      case 'final-answer': {
        const results = ['supported', 'explained', 'not_supported', 'answered'];
        return {
          sentAt: now,
          summary: 'дан ответ по существу',
          results: (appeal?.codes.length ? appeal.codes : [HOUSING]).map((questionCode, i) => ({
            questionCode,
            result: results[(variant + i) % results.length],
            ...(variant % 2 && results[(variant + i) % results.length] === 'supported'
              ? { measuresTaken: true }
              : {}),
          })),
          ...(variant % 4 === 1 ? { onSiteVisit: true } : {}),
          ...answerDocument,
        };
      }
      case 'rework':
        return { reason: 'ответ не по существу' };
      case 'closure':
        return withNow('closedAt');
      case 'forwarding':
        return {
          to: 'Прокуратура района',
          sentAt: now,
          reference: 'исх. 1',
          // some of the questions (the others stay on control), or all of them by default
          ...(variant % 3 === 1 && appeal?.codes.length ? { questionCodes: appeal.codes.slice(0, 1) } : {}),
          ...(variant % 2 === 1 ? { applicantNotifiedAt: now } : {}),
        };
      case 'withdrawal':
        return { withdrawnAt: now, reason: 'заявитель отозвал' };
      case 'without-answer': {
        const grounds = [
          'anonymous',
          'obscene',
          'unreadable',
          'unclear_essence',
          'state_secret',
          'answer_published',
          'court_decision',
        ];
        const ground = grounds[variant % grounds.length];
        return {
          ground,
          ...withNow('decidedAt'),
          ...(ground === 'anonymous'
            ? {}
            : { notice: { text: 'заявителю сообщено', ...(variant % 2 ? { sentAt: now } : {}) } }),
          ...(ground === 'answer_published' ? { link: 'https://adm.example.ru/faq/12' } : {}),
        };
      }
      case 'document-requests':
        return {
          to: 'Управление Росреестра',
          sentAt: now,
          ...(variant % 2 ? { reference: `исх. ${variant % 100}` } : {}),
        };
      case 'document-reply':
        return { receivedAt: now };
      case 'report-to-source':
        return { reference: 'исх. 01-12/345', ...withNow('sentAt') };
      case 'further-control':
        return {
          until: new Date(Date.now() + (30 + (variant % 60)) * 86_400_000).toISOString().slice(0, 10),
          reason: 'ремонт запланирован',
          ...withNow('setAt'),
        };
      case 'measures-completed':
        return withNow('completedAt');
      case 'related-confirm':
      case 'related-reject': {
        // another appeal of the pool: a relation nobody proposed is a 409, a proposed one is decided
        const others = this.pool.filter((a) => a !== appeal);
        const other = others.length ? others[variant % others.length].id : randomUUID();
        return {
          relatedAppealId: other,
          kind: variant % 2 ? 'repeat' : 'duplicate',
          ...withNow('decidedAt'),
        };
      }
      case 'erase':
      case 'get':
      case 'history':
      case 'related':
      case 'control':
      case 'reminders':
      case 'annual':
      case 'quarterly':
      case 'monthly':
      case 'weekly':
      case 'sstu':
      case 'projections':
      case 'rebuild':
        return {};
      default: {
        const never: never = endpoint;
        throw new Error(`no body for ${String(never)}`);
      }
    }
  }

  private rightToken(endpoint: Endpoint, appeal: AppealModel | undefined, variant: number): string {
    switch (endpoint) {
      case 'register':
      case 'withdrawal':
        return this.tokens.registrar;
      case 'forwarding':
      case 'without-answer':
      case 'report-to-source':
      case 'related-confirm':
      case 'related-reject':
        return variant % 2 ? this.tokens.registrar : this.tokens.controller;
      case 'document-requests':
      case 'document-reply':
        return variant % 2 ? this.executorToken(appeal?.executorId ?? 'exec-0') : this.tokens.controller;
      case 'further-control':
      case 'measures-completed':
      case 'sstu':
        return variant % 2 ? this.tokens.admin : this.tokens.controller;
      case 'assignment':
      case 'deadline-extensions':
      case 'rework':
      case 'closure':
      case 'reminders':
        return this.tokens.controller;
      case 'interim-answers':
      case 'final-answer':
        return this.executorToken(appeal?.executorId ?? 'exec-0');
      case 'control':
        return variant % 5 === 0
          ? this.executorToken(appeal?.executorId ?? 'exec-1')
          : this.tokens.controller;
      case 'get':
      case 'history':
      case 'related':
      case 'annual':
      case 'quarterly':
      case 'monthly':
      case 'weekly':
        return variant % 2 ? this.tokens.supervisor : this.tokens.controller;
      case 'erase':
      case 'projections':
      case 'rebuild':
        return this.tokens.admin;
      default: {
        const never: never = endpoint;
        throw new Error(`no role for ${String(never)}`);
      }
    }
  }

  private validQuery(
    endpoint: Endpoint,
    appeal: AppealModel | undefined,
    variant: number,
  ): [string, string][] {
    const q: [string, string][] = [];
    const wait = this.stalled.size === 0 && this.lastPosition > 0 && variant % 2 === 0;
    const year = String(2018 + (variant % 9));
    switch (endpoint) {
      case 'get':
        if (variant % 3 === 0) q.push(['asOf', new Date().toISOString().slice(0, 10)]);
        break;
      case 'control': {
        const states = ['registered', 'assigned', 'interim_answered', 'final_answered'];
        if (variant % 3 === 0) q.push(['state', states[(variant >> 2) % states.length]]);
        if (variant % 5 === 1) q.push(['department', 'Отдел ЖКХ']);
        if (variant % 7 === 2) q.push(['overdue', 'true']);
        if (variant % 11 === 3) q.push(['dueBefore', new Date().toISOString().slice(0, 10)]);
        if (variant % 13 === 4) q.push(['onControl', variant % 2 ? 'true' : 'false']);
        q.push(['limit', String(1 + (variant % 20))]);
        if (variant % 4 === 0 && this.lastCursor) q.push(['cursor', this.lastCursor]);
        break;
      }
      case 'reminders':
        q.push(['since', '0']);
        if (variant % 3 === 0 && appeal) q.push(['appealId', appeal.id]);
        if (variant % 5 === 0) q.push(['department', 'Отдел ЖКХ']);
        q.push(['limit', String(1 + (variant % 100))]);
        break;
      case 'annual':
      case 'quarterly':
      case 'monthly':
        q.push(['year', year]);
        if (endpoint === 'quarterly') q.push(['quarter', String(1 + (variant % 4))]);
        if (endpoint === 'monthly') q.push(['month', String(1 + (variant % 12))]);
        if (variant % 3 === 0) q.push(['compareTo', String(2017 + (variant % 5))]);
        if (variant % 4 === 1) q.push(['format', ['csv', 'xlsx', 'html', 'json'][(variant >> 2) % 4]]);
        break;
      case 'weekly':
        q.push(['week', `${year}-W${String(1 + (variant % 52)).padStart(2, '0')}`]);
        if (variant % 4 === 1) q.push(['format', ['csv', 'xlsx', 'html', 'json'][(variant >> 2) % 4]]);
        break;
      case 'sstu':
        q.push(['month', `${year}-${String(1 + (variant % 12)).padStart(2, '0')}`]);
        break;
      case 'related':
        break;
      case 'register':
      case 'assignment':
      case 'deadline-extensions':
      case 'interim-answers':
      case 'final-answer':
      case 'rework':
      case 'closure':
      case 'forwarding':
      case 'withdrawal':
      case 'without-answer':
      case 'document-requests':
      case 'document-reply':
      case 'report-to-source':
      case 'further-control':
      case 'measures-completed':
      case 'related-confirm':
      case 'related-reject':
      case 'erase':
      case 'history':
      case 'projections':
      case 'rebuild':
        return q;
      default: {
        const never: never = endpoint;
        throw new Error(`no query for ${String(never)}`);
      }
    }
    if (wait && endpoint !== 'get') q.push(['minPosition', String(this.lastPosition)]);
    return q.map(([k, v]) => [k, encodeQueryValue(v)]);
  }

  private badToken(name: string): string | null {
    const claims = { sub: 'fuzz', name: 'Fuzz', roles: ['admin'] };
    const now = Math.floor(Date.now() / 1000);
    const signed = (c: Record<string, unknown>) =>
      craftToken({ alg: 'HS256', typ: 'JWT' }, { iat: now, exp: now + 600, ...c });
    const b64 = (v: string) => Buffer.from(v).toString('base64url');
    switch (name) {
      case 'missing':
        return null;
      case 'empty-bearer':
        return 'Bearer ';
      case 'basic':
        return 'Basic ' + Buffer.from('admin:admin').toString('base64');
      case 'bearer-extra':
        return `Bearer ${signed(claims)} extra`;
      case 'expired':
        return `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 })}`;
      case 'not-yet-valid':
        return `Bearer ${signed({ ...claims, nbf: now + 3600 })}`;
      case 'alg-none':
        return `Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, claims, null)}`;
      case 'alg-hs512': {
        const unsigned = `${b64(JSON.stringify({ alg: 'HS512', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
        return `Bearer ${unsigned}.${createHmac('sha512', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
      }
      case 'alg-rs256':
        return `Bearer ${craftToken({ alg: 'RS256', typ: 'JWT' }, claims)}`;
      case 'wrong-secret':
        return `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, claims, 'not-the-secret')}`;
      case 'two-segments':
        return `Bearer ${signed(claims).split('.').slice(0, 2).join('.')}`;
      case 'four-segments':
        return `Bearer ${signed(claims)}.x`;
      case 'garbage-base64':
        return 'Bearer ###.$$$.%%%';
      case 'header-not-json': {
        const unsigned = `${b64('{not json')}.${b64(JSON.stringify(claims))}`;
        return `Bearer ${unsigned}.${createHmac('sha256', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
      }
      case 'claims-null':
      case 'claims-array': {
        const body = name === 'claims-null' ? 'null' : '["admin"]';
        const unsigned = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(body)}`;
        return `Bearer ${unsigned}.${createHmac('sha256', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
      }
      case 'huge':
        return `Bearer ${signed({ ...claims, pad: 'x'.repeat(12_000) })}`;
      case 'no-sub':
        return `Bearer ${signed({ name: 'x', roles: ['admin'] })}`;
      case 'sub-number':
        return `Bearer ${signed({ ...claims, sub: 42 })}`;
      case 'sub-empty':
        return `Bearer ${signed({ ...claims, sub: '' })}`;
      case 'roles-string':
        return `Bearer ${signed({ ...claims, roles: 'admin' })}`;
      case 'roles-junk':
        return `Bearer ${signed({ ...claims, roles: [1, null, {}, ['admin'], 'root'] })}`;
      case 'exp-string':
        return `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: 'never' })}`;
      case 'sub-nul':
        return `Bearer ${signed({ ...claims, sub: 'fu\u0000zz', roles: ['registrar', 'controller', 'admin'] })}`;
      case 'sub-surrogate':
        return `Bearer ${signed({ ...claims, sub: 'fu\ud800zz', roles: ['registrar', 'controller', 'admin'] })}`;
      case 'name-nul':
        return `Bearer ${signed({ ...claims, name: 'Fu\u0000zz', roles: ['registrar', 'controller', 'admin'] })}`;
      case 'name-surrogate':
        return `Bearer ${signed({ ...claims, name: 'Fu\udc00zz', roles: ['registrar', 'controller', 'admin'] })}`;
      case 'sub-long':
        return `Bearer ${signed({ ...claims, sub: 's'.repeat(6_000), roles: ['registrar', 'controller', 'admin'] })}`;
      case 'department-nul':
        return `Bearer ${signed({ ...claims, department: 'Отдел\u0000', roles: ['executor'] })}`;
      case 'department-object':
        return `Bearer ${signed({ ...claims, department: { a: 1 }, roles: ['executor'] })}`;
      case 'unicode-in-header':
        return `Bearer ${signed(claims)}\u00e9`;
      case 'control-byte-in-header':
        return `Bearer ${signed(claims)}\u0001`;
      default:
        throw new Error(`unknown bad token ${name}`);
    }
  }

  private applyBodyFault(
    body: Record<string, unknown>,
    fault: BodyFault,
    endpoint: Endpoint,
    tags: string[],
  ): Buffer | null {
    const kinds = BODY_FIELDS[endpoint] ?? {};
    switch (fault.kind) {
      case 'drop':
        setPath(body, fault.field, undefined, true);
        tags.push(`drop:${fault.field}`);
        return null;
      case 'set':
        // a copy: the generated value may be a shared constant ({ a: 1 }) that a later fault on a
        // field inside it would otherwise change (and make cyclic: `results` then `results.0`)
        setPath(body, fault.field, structuredClone(fault.value));
        tags.push(`set:${fault.field}=${classify(fault.value, kinds[fault.field])}`);
        return null;
      case 'extra':
        setPath(body, fault.field, structuredClone(fault.value));
        tags.push(`extra:${classify(fault.field.split('.').pop())}`);
        return null;
      case 'big-array': {
        const current = getPath(body, fault.field);
        const first: unknown = Array.isArray(current) && current.length > 0 ? current[0] : { x: 1 };
        const size = Buffer.byteLength(JSON.stringify(first) ?? 'null') + 1;
        const count = Math.max(1, Math.min(fault.count, Math.floor(BODY_BUDGET / (size + 12))));
        const items = Array.from({ length: count }, (_, i) => {
          if (!fault.distinct || first === null || typeof first !== 'object') return first;
          const copy: Record<string, unknown> = { ...(first as Record<string, unknown>) };
          for (const key of ['code', 'questionCode', 'name'])
            if (key in copy) copy[key] = `9${String(i).padStart(3, '0')}.0000`;
          return copy;
        });
        setPath(body, fault.field, items);
        tags.push(
          `big-array:${fault.field}:${count >= 1000 ? '1000+' : count}${fault.distinct ? ':distinct' : ''}`,
        );
        return null;
      }
      case 'whole':
        // the body is replaced: what earlier faults did to it is moot
        for (let i = tags.length - 1; i >= 0; i--)
          if (/^(drop|set|extra|big-array):/.test(tags[i])) tags.splice(i, 1);
        tags.push(`whole:${fault.name}`);
        return fault.bytes();
      default: {
        const never: never = fault;
        throw new Error(`unknown body fault ${JSON.stringify(never)}`);
      }
    }
  }

  /** Turns a plan into bytes against the pool as it is now. */
  build(plan: RequestPlan): Built {
    const { endpoint, variant } = plan;
    const appeal = this.pool.length ? this.pool[plan.appeal % this.pool.length] : undefined;
    const { method, route } = ROUTES[endpoint];
    const tags: string[] = [];
    let id = appeal?.id ?? randomUUID();
    let authorization: string | null = `Bearer ${this.rightToken(endpoint, appeal, variant)}`;
    let contentType: string | null = 'application/json';
    const headers: [string, string | Buffer][] = [];
    const query = this.validQuery(endpoint, appeal, variant);
    const body =
      WRITES.has(endpoint) && endpoint !== 'erase' ? this.validBody(endpoint, appeal, variant) : undefined;
    let raw: Buffer | null = null;
    let name =
      this.projections.runner.projectionNames[variant % this.projections.runner.projectionNames.length];

    for (const fault of plan.faults) {
      switch (fault.area) {
        case 'body':
          if (body && raw === null) raw = this.applyBodyFault(body, fault.fault, endpoint, tags);
          break;
        case 'header':
          this.applyHeaderFault(fault, headers, tags, appeal, (v) => (contentType = v));
          break;
        case 'auth':
          if (fault.fault.kind === 'roles') {
            authorization = `Bearer ${this.t.token(appeal?.executorId ?? 'fuzz', fault.fault.roles)}`;
            tags.push(`roles:[${fault.fault.roles.join(',')}]`);
          } else {
            authorization = this.badToken(fault.fault.name);
            tags.push(`token:${fault.fault.name}`);
          }
          break;
        case 'id':
          if (endpoint === 'rebuild') name = fault.value;
          else id = fault.value === 'UPPER' ? id.toUpperCase() : fault.value;
          tags.push(`id:${fault.name}`);
          break;
        case 'query':
          query.push([fault.key, fault.value]);
          tags.push(`query:${fault.key}=${fault.name}`);
          break;
        default: {
          const never: never = fault;
          throw new Error(`unknown fault ${JSON.stringify(never)}`);
        }
      }
    }
    if (tags.length === 0) tags.push('clean');

    if (authorization !== null) {
      const bytes = Buffer.from(
        authorization,
        authorization.includes('\u0001') || /[\u0080-\u00ff]/.test(authorization) ? 'latin1' : 'utf8',
      );
      headers.unshift(['Authorization', bytes]);
    }
    let payload: Buffer | undefined;
    if (body !== undefined) {
      payload = raw ?? Buffer.from(JSON.stringify(body));
      if (contentType !== null) headers.push(['Content-Type', contentType]);
    }
    // a request of the appeal's own, or (rarely, or when it has none) an unknown one: a 404
    const rid =
      appeal?.requests.length && variant % 5 !== 0
        ? appeal.requests[variant % appeal.requests.length]
        : randomUUID();
    const path =
      route.replace('{id}', id).replace('{name}', name).replace('{rid}', rid) +
      (query.length ? '?' + query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&') : '');
    return { req: { method, path, headers, body: payload }, method, route, tags };
  }

  private applyHeaderFault(
    fault: Extract<Fault, { area: 'header' }>,
    headers: [string, string | Buffer][],
    tags: string[],
    appeal: AppealModel | undefined,
    setContentType: (value: string | null) => void,
  ): void {
    const f = fault.fault;
    const cls = (v: string | Buffer) => (typeof v === 'string' ? classify(v) : 'bytes');
    switch (f.kind) {
      case 'content-type':
        setContentType(f.value);
        tags.push(`content-type:${f.value === null ? 'none' : JSON.stringify(f.value)}`);
        return;
      case 'if-match':
        headers.push([
          'If-Match',
          f.value === null ? `"${Math.max(0, (appeal?.revision ?? 1) - 1)}"` : f.value,
        ]);
        tags.push(`if-match:${f.value === null ? 'stale' : cls(f.value)}`);
        return;
      case 'idempotency-key': {
        let value: string | Buffer;
        if (f.value === null) {
          if (this.idempotencyKeys.length === 0 || this.requests % 3 === 0)
            this.idempotencyKeys.push(randomUUID());
          if (this.idempotencyKeys.length > 8) this.idempotencyKeys.shift();
          value = this.idempotencyKeys[this.requests % this.idempotencyKeys.length];
        } else value = f.value;
        headers.push(['Idempotency-Key', value]);
        tags.push(
          `idempotency-key:${f.value === null ? 'uuid' : typeof value === 'string' && value.length > 1000 ? 'huge' : cls(value)}`,
        );
        return;
      }
      case 'header':
        headers.push([f.name, f.value]);
        tags.push(`header:${f.name}=${cls(f.value)}`);
        return;
      default: {
        const never: never = f;
        throw new Error(`unknown header fault ${JSON.stringify(never)}`);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Observing the store

  private async refreshSnapshotSql(): Promise<void> {
    const tables = await this.db.query<{ s: string; t: string; counter: boolean }>(
      `SELECT t.table_schema AS s, t.table_name AS t,
              EXISTS (SELECT 1 FROM information_schema.columns c
                       WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                         AND c.column_name = 'n') AS counter
         FROM information_schema.tables t
        WHERE t.table_schema LIKE 'rm\\_%' AND t.table_schema NOT LIKE '%\\_\\_%' AND t.table_type = 'BASE TABLE'
        ORDER BY 1, 2`,
    );
    const parts = [
      `(SELECT count(*) FROM events)::text AS "events"`,
      `(SELECT coalesce(max(position), 0) FROM events)::text AS "events.head"`,
      `(SELECT count(*) FROM personal_data_keys)::text AS "personal_data_keys"`,
      `(SELECT count(*) FROM personal_data_keys WHERE destroyed_at IS NOT NULL)::text AS "personal_data_keys.destroyed"`,
      `(SELECT coalesce(sum(last_sequence), 0) FROM registration_counters)::text AS "registration_counters"`,
      `(SELECT count(*) FROM idempotency_keys)::text AS "idempotency_keys"`,
      ...tables.rows.map(({ s, t, counter }) =>
        t === 'projection_checkpoint'
          ? `(SELECT coalesce(sum(position), 0) FROM "${s}"."${t}")::text AS "${s}.checkpoint"`
          : counter
            ? // counters (n): a row at 0 left by an incremental update is the same as no row (a rebuild)
              `(SELECT count(*) FILTER (WHERE n <> 0) || '/' || coalesce(sum(n), 0) FROM "${s}"."${t}") AS "${s}.${t}"`
            : `(SELECT count(*) FROM "${s}"."${t}")::text AS "${s}.${t}"`,
      ),
    ];
    this.snapshotSql = `SELECT ${parts.join(', ')}`;
  }

  private async snapshot(): Promise<Snapshot> {
    const result = await this.db.query<Snapshot>(this.snapshotSql);
    return result.rows[0];
  }

  /** Waits (for the fact, not a time) until every projection has caught up with the store's head. */
  private async settled(): Promise<Snapshot> {
    const head = Number(
      (await this.db.query<{ h: string }>('SELECT coalesce(max(position), 0)::text AS h FROM events')).rows[0]
        .h,
    );
    for (const name of this.projections.runner.projectionNames) {
      if (this.stalled.has(name)) continue;
      if (!(await this.projections.runner.waitForPosition(name, head, 20_000))) {
        this.stalled.add(name);
        const status = this.projections.status().find((s) => s.name === name);
        this.fail({
          check: 'projection-stalled',
          detail: `${name} stopped at ${status?.position ?? '?'} of ${head}: ${status?.lastError ?? 'no error recorded'}`,
          run: this.runIndex,
          method: '-',
          route: `projection ${name}`,
          status: null,
          tags: [],
          request: `the last accepted write before this point:\n${this.lastWrite}`,
          response: '',
        });
      }
    }
    return this.snapshot();
  }

  private fail(failure: Failure): void {
    this.failures.push(failure);
  }

  // -------------------------------------------------------------------------------------------
  // One step

  /** Sends one built request and lists what is wrong with the answer alone (the store is checked apart). */
  private async exchange(built: Built): Promise<Exchange> {
    let res: RawResponse;
    try {
      res = await rawRequest(this.base, built.req, MAX_RESPONSE_MS + 15_000);
    } catch (error) {
      return { checks: [{ check: 'no-response', detail: String(error) }], text: '' };
    }
    const text = res.body.toString('utf8');
    const checks: { check: string; detail: string }[] = [];
    const failed = (check: string, detail: string) => checks.push({ check, detail });
    const size = res.cut ? `more than ${res.size} bytes (cut)` : `${res.size} bytes`;
    if (res.status >= 500) failed('5xx', `answered ${res.status}`);
    if (res.ms > MAX_RESPONSE_MS) failed('slow', `${Math.round(res.ms)} ms`);
    if (res.status >= 400) {
      const type = res.headers['content-type'] ?? '';
      if (/^\{"error":"[^"]*","message":"[^"]*","statusCode":\d+\}$/.test(text))
        // Node's HTTP parser refused the bytes before any route ran: Fastify's default answer
        failed('parser-error-not-problem-json', `content-type: ${type || 'none'}`);
      else if (!/^application\/problem\+json/i.test(type))
        failed('not-problem-json', `content-type: ${type || 'none'}`);
      else if (res.size <= res.body.length) {
        try {
          const p = JSON.parse(text) as Record<string, unknown>;
          if (
            typeof p.type !== 'string' ||
            !p.type ||
            typeof p.title !== 'string' ||
            !p.title ||
            p.status !== res.status
          )
            failed('bad-problem', 'type, title and status must be there');
        } catch {
          failed('bad-problem', 'not JSON');
        }
      }
      if (res.size > MAX_ERROR_BYTES) failed('error-too-large', size);
    } else if (res.cut || res.size > MAX_SUCCESS_BYTES) failed('response-too-large', size);
    return { res, checks, text };
  }

  /**
   * Drops the faults of a failing plan one by one while the same check still fails, so a failure is
   * reported with the fault that causes it rather than the ones that came along.
   */
  private async minimise(plan: RequestPlan, check: string): Promise<Fault[]> {
    let faults = plan.faults;
    for (let i = faults.length - 1; i >= 0; i--) {
      const candidate = faults.filter((_, j) => j !== i);
      const probe = await this.exchange(this.build({ ...plan, faults: candidate }));
      this.probes++;
      if (probe.res && probe.res.status < 300 && WRITES.has(plan.endpoint))
        this.absorb(plan.endpoint, probe.res, this.appealOf(plan));
      if (probe.checks.some((c) => c.check === check)) faults = candidate;
    }
    this.current = null; // probes may have written: compare afresh
    return faults;
  }

  private appealOf(plan: RequestPlan): AppealModel | null {
    return this.pool.length ? this.pool[plan.appeal % this.pool.length] : null;
  }

  async step(plan: RequestPlan, run: number): Promise<void> {
    this.runIndex = run;
    const built = this.build(plan);
    this.current ??= await this.settled();
    this.requests++;
    const { res, checks, text } = await this.exchange(built);
    const status = res ? String(res.status) : 'error';
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    const endpointCounts = (this.byEndpoint[plan.endpoint] ??= {});
    endpointCounts[status] = (endpointCounts[status] ?? 0) + 1;

    const accepted = res !== undefined && res.status < 300;
    if (accepted && WRITES.has(plan.endpoint)) {
      this.acceptedWrites++;
      this.lastWrite = `run ${run}: ${describe(built)}`;
      this.absorb(plan.endpoint, res, this.appealOf(plan));
    } else if (res) {
      if (accepted && plan.endpoint === 'control') {
        try {
          this.lastCursor =
            (JSON.parse(text) as { nextCursor?: string | null }).nextCursor ?? this.lastCursor;
        } catch {
          /* a document format */
        }
      }
      // A refusal (a 5xx too), or a read: nothing may have changed.
      this.compared++;
      const after = await this.snapshot();
      const changed = Object.keys(after).filter((k) => after[k] !== this.current?.[k]);
      if (changed.length)
        checks.push({
          check: 'changed-store',
          detail: changed.map((k) => `${k}: ${this.current?.[k]} → ${after[k]}`).join(', '),
        });
      this.current = after;
    }
    if (!res || (accepted && WRITES.has(plan.endpoint))) this.current = null;
    if (checks.length === 0) return;

    const request = describe(built);
    for (const { check, detail } of checks) {
      const minimal =
        plan.faults.length > 0 && check !== 'changed-store' && check !== 'parser-error-not-problem-json'
          ? await this.minimise(plan, check)
          : plan.faults;
      this.fail({
        check,
        detail,
        run,
        method: built.method,
        route: built.route,
        status: res?.status ?? null,
        tags: minimal === plan.faults ? built.tags : this.build({ ...plan, faults: minimal }).tags,
        request,
        response: truncate(text, 500),
      });
    }
  }

  /** Runs `runs` generated requests with fast-check from `seed`; `progress` is called every 1,000. */
  async run(options: { runs: number; seed: number; progress?: (done: number) => void }): Promise<FuzzReport> {
    const started = performance.now();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(requestPlan, async (plan) => {
        await this.step(plan, run++);
        if (run % 1000 === 0) options.progress?.(run);
      }),
      { seed: options.seed, numRuns: options.runs, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    const groups = new Map<string, { count: number; example: Failure }>();
    for (const f of this.failures) {
      // Failures of Node's HTTP parser are one failure whatever the route or the odd bytes.
      const signature =
        f.check === 'parser-error-not-problem-json'
          ? `${f.check} ${f.status ?? '-'} (any route: bytes Node's HTTP parser refuses, e.g. a control byte in a header, headers over 16 KB)`
          : `${f.check} ${f.status ?? '-'} ${f.method} ${f.route} [${[...f.tags].sort().join(' ')}]`;
      const g = groups.get(signature);
      if (g) g.count++;
      else groups.set(signature, { count: 1, example: f });
    }
    const appeals: Record<string, number> = {};
    for (const a of this.pool) appeals[a.state] = (appeals[a.state] ?? 0) + 1;
    const events = Number(
      (await this.db.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0].n,
    );
    return {
      seed: options.seed,
      runs: options.runs,
      requests: this.requests,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round((this.requests / seconds) * 10) / 10,
      byStatus: this.byStatus,
      byEndpoint: this.byEndpoint,
      acceptedWrites: this.acceptedWrites,
      comparedRequests: this.compared,
      probes: this.probes,
      failures: this.failures.length,
      distinct: [...groups.entries()].map(([signature, g]) => ({ signature, ...g })),
      appeals,
      events,
    };
  }
}

/** The report as text: figures first, then each distinct failure with one example. */
export function formatReport(report: FuzzReport, options: { examples?: number } = {}): string {
  const lines = [
    `seed ${report.seed} · ${report.requests} requests in ${report.seconds} s (${report.perSecond} req/s)`,
    `status: ${Object.entries(report.byStatus)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
    `accepted writes ${report.acceptedWrites} · requests checked for "changed nothing" ${report.comparedRequests} · events ${report.events} · minimising probes ${report.probes}`,
    `failures: ${report.failures} (${report.distinct.length} distinct)`,
  ];
  const examples = options.examples ?? 40;
  report.distinct
    .sort((a, b) => b.count - a.count)
    .slice(0, examples)
    .forEach(({ signature, count, example }, i) => {
      lines.push(
        '',
        `#${i + 1} ×${count} ${signature}`,
        `   first at run ${example.run}: ${example.detail}`,
        ...example.request.split('\n').map((l) => `   > ${l}`),
        ...(example.response ? [`   < ${example.response.replace(/\n/g, ' ')}`] : []),
      );
    });
  if (report.distinct.length > examples)
    lines.push('', `… ${report.distinct.length - examples} more distinct failures`);
  return lines.join('\n');
}

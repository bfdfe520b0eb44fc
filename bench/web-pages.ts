/**
 * Benchmark: the server time of the web journal's and the control board's first page with N
 * appeals in their read models (filled directly with generated rows, then indexed), p50/p99 —
 * first their queries alone, then the real pages over HTTP.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/web-pages.ts --appeals 1000000
 *
 * Options: --appeals N (1000000) · --runs R (200) · --http-runs H (100; 0: no HTTP part) ·
 * --seeded S (60) · --keep. Uses DATABASE_URL when set (an empty database), else starts an embedded
 * PostgreSQL with the engine's flags. The rows: registrations spread over 8 years to "today"
 * (2025-06-16), 12 departments, 60 executors, 4 channels, 25 territories; appeals of the last ~45
 * days on control in every state, older ones closed.
 *
 * The HTTP part starts the engine in this process on the filled database (its clock at "today"),
 * registers S real appeals through POST /appeals (streams with sealed applicants; the projections
 * add them to the read models, newest, so they are the journal's first page), signs a controller in
 * through /login and times GET /appeals and GET /control as pages (Accept: text/html, the session
 * cookie): the read model query, the applicants of the page's rows opened from their streams, the
 * access-log entry, the rendering and Fastify, as a person's browser gets them (the network excepted).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JwtService } from '@nestjs/jwt';
import { ProductionCalendar } from '@appeal-ledger/appeal';
import {
  ControlProjection,
  findJournalRows,
  JournalProjection,
  type JournalFilters,
  type Projection,
} from '@appeal-ledger/projections';
import { Pool } from 'pg';
import { createProjectionSchema } from '../libs/projections/src/runner/projection-schema';
import {
  findControlBoard,
  type ControlBoardContext,
} from '../apps/web/src/pages/control/control-board.query';
import type { ControlBoardQuery } from '../apps/web/src/pages/control/control.page';
import { createEngine } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createLogger } from '../apps/api/src/logging/logger';
import { benchDatabase } from './support/embedded-postgres';

const TZ = 'Asia/Novokuznetsk';
const TODAY = '2025-06-16';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const APPEALS = Number(arg('appeals', '1000000'));
const RUNS = Number(arg('runs', '200'));
const HTTP_RUNS = Number(arg('http-runs', '100'));
const SEEDED = Number(arg('seeded', '60'));
const KEEP = process.argv.includes('--keep');

/** One generated appeal row per i, the same for both read models (columns they share). */
const ROWS = (n: number): string => `
  WITH g AS (
    SELECT i,
           ('2025-06-16'::date - ((${n} - i)::bigint * 2920 / ${n})::int) AS registered_on,
           (i % 12) AS dep, (i % 60) AS ex
      FROM generate_series(1, ${n}) AS i
  ), s AS (
    SELECT g.*,
           CASE WHEN registered_on < '2025-05-01'::date THEN 'closed'
                ELSE (ARRAY['registered','assigned','interim_answered','final_answered'])[1 + i % 4] END AS state
      FROM g
  )
  SELECT lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0') AS appeal_id,
         (ARRAY['А','Б','В','Г','Д','П','С','К'])[1 + i % 8] || '/' || i AS number,
         state,
         CASE WHEN state = 'registered' THEN NULL ELSE 'Отдел ' || dep END AS department,
         CASE WHEN state = 'registered' THEN NULL ELSE 'executor' || ex END AS executor_id,
         CASE WHEN state = 'registered' THEN NULL ELSE 'Исполнитель ' || ex END AS executor_name,
         registered_on,
         registered_on + 30 AS nominal_due_date,
         registered_on + 30 - (i % 3) AS due_date,
         (i % 17 = 0) AS extended,
         state <> 'closed' AS on_control,
         CASE WHEN state = 'closed' THEN registered_on + 25 END AS off_control_on,
         CASE WHEN state IN ('interim_answered') THEN 1 ELSE 0 END AS interim_answers,
         NULL::date AS first_interim_on,
         CASE WHEN state IN ('final_answered','closed') THEN 1 ELSE 0 END AS resolution_seq,
         CASE WHEN state IN ('final_answered','closed') THEN 'final' END AS resolution_kind,
         CASE WHEN state IN ('final_answered','closed') THEN registered_on + 20 END AS resolved_on,
         CASE WHEN state IN ('final_answered','closed') THEN registered_on + 30 END AS resolution_due_date,
         CASE WHEN state IN ('final_answered','closed') THEN false END AS late,
         0 AS reminders_issued,
         i::bigint * 5 AS position,
         (i % 41 = 0) AS registered_late,
         1 AS kept_questions,
         false AS forwarded_late,
         i, registered_on AS received_on
    FROM s`;

async function fill(
  pool: Pool,
  projection: Projection,
  schema: string,
  extra: string,
  extraSelect: string,
): Promise<number> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await createProjectionSchema(client, projection, schema, { indexes: false, unlogged: false });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  const base = `appeal_id, number, state, department, executor_id, executor_name, registered_on, nominal_due_date,
    due_date, extended, on_control, off_control_on, interim_answers, first_interim_on, resolution_seq,
    resolution_kind, resolved_on, resolution_due_date, late, reminders_issued, position, registered_late,
    kept_questions, forwarded_late`;
  await pool.query(
    `INSERT INTO ${schema}.appeals (${base}${extra}) SELECT ${base}${extraSelect} FROM (${ROWS(APPEALS)}) r`,
  );
  for (const ddl of projection.createIndexes(schema)) await pool.query(ddl);
  await pool.query(`ANALYZE ${schema}.appeals`);
  return (performance.now() - started) / 1000;
}

async function time(
  runs: number,
  work: () => Promise<unknown>,
): Promise<{ p50: number; p99: number; max: number }> {
  for (let i = 0; i < 5; i++) await work();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number): number => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

async function main(): Promise<void> {
  const server = await benchDatabase({
    keep: KEEP,
    flags: ['-c', 'shared_buffers=512MB', '-c', 'max_wal_size=8GB', '-c', 'maintenance_work_mem=512MB'],
  });
  const pool = new Pool({ connectionString: server.url, max: 8 });
  pool.on('error', () => undefined);
  try {
    const journal = new JournalProjection({ timeZone: TZ });
    const control = new ControlProjection({ timeZone: TZ });
    const journalSeconds = await fill(
      pool,
      journal,
      'rm_journal',
      ', received_on, channel, kind, territory, question_codes',
      `, received_on, (ARRAY['written','electronic','personal_reception','phone'])[1 + i % 4],
         (ARRAY['proposal','application','complaint'])[1 + i % 3], 'Территория ' || (i % 25),
         ARRAY['000' || (1 + i % 5) || '.00' || lpad(((i % 21) + 1)::text, 2, '0') || '.0056.1149']`,
    );
    const controlSeconds = await fill(pool, control, 'rm_control', '', '');
    const sizes = await pool.query<{ journal: string; control: string; on_control: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('rm_journal.appeals')) AS journal,
              pg_size_pretty(pg_total_relation_size('rm_control.appeals')) AS control,
              (SELECT count(*) FROM rm_control.appeals WHERE on_control)::text AS on_control`,
    );
    const calendar = ProductionCalendar.shipped();
    const journalContext = { today: TODAY, calendar };
    const boardContext: ControlBoardContext = { today: TODAY, windowDays: 3, calendar };
    const journalCases: [string, JournalFilters][] = [
      ['journal, first page (no filter)', {}],
      ['journal, state = assigned', { state: 'assigned' }],
      ['journal, department', { department: 'Отдел 7' }],
      ['journal, executor', { executorId: 'executor42' }],
      ['journal, channel + period (a year)', { channel: 'phone', from: '2024-01-01', to: '2024-12-31' }],
      ['journal, question code prefix 0005', { questionCode: '0005' }],
      ['journal, territory', { territory: 'Территория 3' }],
      ['journal, search by number', { number: 'п/999985' }],
    ];
    const boardCases: [string, ControlBoardQuery][] = [
      ['control board (all on control)', {}],
      ['control board, department', { department: 'Отдел 7' }],
      ['control board, one executor (own)', { executorId: 'executor42' }],
    ];
    const lines: string[] = [];
    for (const [label, filters] of journalCases) {
      const t = await time(RUNS, () => findJournalRows(pool, filters, journalContext));
      lines.push(`| ${label} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.max.toFixed(1)} |`);
    }
    for (const [label, query] of boardCases) {
      const t = await time(RUNS, () => findControlBoard(pool, query, boardContext));
      lines.push(`| ${label} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.max.toFixed(1)} |`);
    }
    if (HTTP_RUNS > 0) lines.push(...(await pagesOverHttp(server.url)));
    const s = sizes.rows[0];
    console.log(
      `appeals: ${APPEALS}; fill + index: journal ${journalSeconds.toFixed(0)} s (${s?.journal}), control ${controlSeconds.toFixed(0)} s (${s?.control}); on control: ${s?.on_control}; ${RUNS} runs each, ms`,
    );
    console.log('| page query | p50 | p99 | max |\n|---|---|---|---|');
    for (const line of lines) console.log(line);
  } finally {
    await pool.end();
    await server.stop();
  }
}

const SECRET = 'bench-secret-0123456789abcdef0123456789';
const PASSWORD = 'bench-password-0123';

/** The cookies a response sets, as `name=value` by name. */
function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>): string =>
  [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/** The real pages over HTTP (see the header): rows of the results table. */
async function pagesOverHttp(databaseUrl: string): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-web-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    APPEALS_TIMEZONE: TZ,
    AUTH_JWT_SECRET: SECRET,
    PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    RUN_REMINDERS: 'false',
  });
  const now = new Date(`${TODAY}T10:00:00+07:00`);
  const engine = await createEngine(config, createLogger('warn'), { clock: { now: () => now } });
  const url = engine.url;
  try {
    const jwt = new JwtService({ secret: SECRET });
    const bearer = (sub: string, roles: string[]): string =>
      `Bearer ${jwt.sign({ sub, name: sub, roles }, { expiresIn: '2h' })}`;
    const json = async (method: string, path: string, auth: string, body?: unknown): Promise<Response> => {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    // real appeals: their streams hold the applicants the journal opens
    const registrar = bearer('bench-registrar', ['registrar']);
    let position = 0;
    for (let k = 0; k < SEEDED; k++) {
      const res = await json('POST', '/appeals', registrar, {
        receivedAt: TODAY,
        channel: 'written',
        kind: 'application',
        applicants: [{ name: `Заявитель Бенчмарков ${k}`, address: `п. Елань, ул. Ленина, ${k + 1}` }],
        questions: [{ code: '0005.0005.0056.1149', summary: 'отопление' }],
      });
      position = Math.max(position, Number(((await res.json()) as { position: number }).position));
    }
    const admin = bearer('bench-admin', ['admin']);
    await json('GET', `/control?minPosition=${position}`, admin);
    await json('POST', '/admin/users', admin, {
      login: 'bench',
      name: 'Контролёр Бенчмарков',
      roles: ['controller'],
      password: PASSWORD,
    });
    // sign in as a person does: the form's CSRF value and cookie, then the session cookie
    const jar = new Map<string, string>();
    const form = await fetch(`${url}/login`, { headers: { accept: 'text/html' } });
    cookiesOf(form, jar);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const signedIn = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: cookieHeader(jar),
      },
      body: new URLSearchParams({ login: 'bench', password: PASSWORD, _csrf: csrf }).toString(),
    });
    cookiesOf(signedIn, jar);
    if (!jar.has('al_session')) throw new Error(`sign-in failed: ${signedIn.status}`);
    const page = async (path: string): Promise<string> => {
      const res = await fetch(url + path, { headers: { accept: 'text/html', cookie: cookieHeader(jar) } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      return text;
    };
    const journal = await page(`/appeals?minPosition=${position}`);
    const named = (journal.match(/Заявитель Бенчмарков \d+/g) ?? []).length;
    if (named < Math.min(SEEDED, 50)) throw new Error(`the journal page shows ${named} applicants`);
    const cases: [string, string][] = [
      [`page GET /appeals over HTTP (${named} applicants opened)`, '/appeals'],
      ['page GET /control over HTTP', '/control'],
    ];
    const lines: string[] = [];
    for (const [label, path] of cases) {
      const bytes = (await page(path)).length;
      const t = await time(HTTP_RUNS, () => page(path));
      lines.push(
        `| ${label}, ${(bytes / 1024).toFixed(0)} KB of HTML | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.max.toFixed(1)} |`,
      );
    }
    return lines;
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

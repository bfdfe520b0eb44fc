/**
 * Benchmark: the server time of the web journal's and the control board's first page with N
 * appeals in their read models (filled directly with generated rows, then indexed), p50/p99.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/web-pages.ts --appeals 1000000
 *
 * Options: --appeals N (1000000) · --runs R (200) · --keep. Uses DATABASE_URL when set (an empty
 * database), else starts an embedded PostgreSQL with the engine's flags. The rows: registrations
 * spread over 8 years to "today" (2025-06-16), 12 departments, 60 executors, 4 channels, 25
 * territories; appeals of the last ~45 days on control in every state, older ones closed.
 */
import { performance } from 'node:perf_hooks';
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
import { benchDatabase } from './support/embedded-postgres';

const TZ = 'Asia/Novokuznetsk';
const TODAY = '2025-06-16';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const APPEALS = Number(arg('appeals', '1000000'));
const RUNS = Number(arg('runs', '200'));
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
    resolution_kind, resolved_on, resolution_due_date, late, reminders_issued, position`;
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

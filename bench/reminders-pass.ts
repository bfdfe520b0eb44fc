/**
 * Benchmark: one reminder pass over 100,000 appeals under control (a few thousand due), before and
 * after 1,000,000 closed appeals are added — the pass reads only open appeals on control below the
 * reminder horizon (a partial index), so closed ones must not slow it down.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/reminders-pass.ts [--open 100000] [--closed 1000000]
 *
 * The control read model is filled by SQL (the projection's own benchmark is projections-replay.ts);
 * the due appeals also get real streams (registration, assignment), since issuing reads and appends
 * them. Uses DATABASE_URL when set (an empty database), else an embedded PostgreSQL (durable commits).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { addDays, ProductionCalendar } from '@appeal-ledger/appeal';
import { assigned, registered, testRules } from '@appeal-ledger/appeal/testing';
import { mapConcurrently, PostgresEventStore } from '@appeal-ledger/event-store';
import { ControlProjection, ProjectionRunner, ensureProjectionSchemas } from '@appeal-ledger/projections';
import { CONTROL_SCHEMA, ReminderIssuer, ReminderProcess, type PassResult } from '@appeal-ledger/reminders';
import { Client, Pool } from 'pg';
import { AppealRepository } from '../apps/api/src/appeals/appeal.repository';
import { RepositoryAppealAccess } from '../apps/api/src/reminders/appeal-access.adapter';
import { appendAppealEvents } from '../libs/reminders/src/testing/stream-appeal-access.adapter';
import { PersonalDataVault } from '../apps/api/src/personal-data/personal-data.vault';
import { benchDatabase } from './support/embedded-postgres';

/** Reminders carry no free text: the repository never asks this vault for a key. */
const unusedVault = (pool: Pool): PersonalDataVault => new PersonalDataVault(pool, Buffer.alloc(32));

const TZ = 'Asia/Novokuznetsk';
const DAYS_BEFORE = 3;

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback);
}
const OPEN = arg('open', '100000');
const CLOSED = arg('closed', '1000000');
const CONCURRENCY = arg('concurrency', '12'); // the app's: half of DATABASE_POOL_SIZE (24), at most 16
/** open appeals' due dates: one per day from 5 days ago over 400 days (250 a day at 100,000) */
const SPREAD_DAYS = 400;
const FIRST_DUE_OFFSET = -5;

const calendar = ProductionCalendar.shipped();

async function main(): Promise<void> {
  const server = await benchDatabase();
  const pool = new Pool({ connectionString: server.url, max: 24 });
  pool.on('error', () => undefined);
  const store = new PostgresEventStore(pool);
  try {
    await store.migrate();
    const control = new ControlProjection({ timeZone: TZ });
    const session = new Client({ connectionString: server.url });
    await session.connect();
    await ensureProjectionSchemas(session, [control]);
    await session.end();

    const day1 = '2018-04-02'; // Mon
    const day2 = '2018-04-03';
    let t = performance.now();
    await fillOpen(pool, day1);
    console.log(`read model: ${OPEN} open appeals on control (${ms(t)} ms)`);
    t = performance.now();
    const streams = await seedStreams(store, pool, day1);
    console.log(`streams for the ${streams} appeals due within a week of ${day1} (${ms(t)} ms)`);

    console.log('\npass                                                  candidates  due  issued  ms');
    const now = { value: new Date(`${day1}T08:00:00+07:00`) };
    const repository = new AppealRepository(store, 5000, unusedVault(pool));
    const process1 = newProcess(pool, repository, now);
    report(`${day1}, ${OPEN} open, cold: issues what is due`, await process1.pass());
    report(`${day1}, again (same process)`, await process1.pass());
    await project(store, pool, server.url, control);
    await steady(`${day1}, a fresh instance (read model knows all)`, pool, store, now);

    t = performance.now();
    await fillClosed(pool, day1);
    console.log(`\n+ ${CLOSED} closed appeals (${ms(t)} ms)`);
    const query = await explain(pool, day1);
    console.log(`candidate query plan: ${query}`);
    await steady(`${day1}, ${OPEN} open + ${CLOSED} closed, fresh instance`, pool, store, now);
    now.value = new Date(`${day2}T08:00:00+07:00`);
    const process2 = newProcess(pool, new AppealRepository(store, 5000, unusedVault(pool)), now);
    report(`${day2}: the next day's reminders`, await process2.pass());
    await project(store, pool, server.url, control);
    await steady(`${day2}, fresh instance`, pool, store, now);
  } finally {
    await store.close();
    await pool.end();
    await server.stop();
  }
}

function newProcess(pool: Pool, repository: AppealRepository, now: { value: Date }): ReminderProcess {
  return new ReminderProcess({
    db: pool,
    issuer: new ReminderIssuer({
      access: new RepositoryAppealAccess(repository),
      rules: testRules,
      daysBefore: DAYS_BEFORE,
      schemaVersion: 1,
    }),
    calendar,
    timeZone: TZ,
    daysBefore: DAYS_BEFORE,
    now: () => now.value,
    concurrency: CONCURRENCY,
  });
}

/** Five passes of a new process (nothing left to issue): median and max. */
async function steady(
  label: string,
  pool: Pool,
  store: PostgresEventStore,
  now: { value: Date },
): Promise<void> {
  const runs: PassResult[] = [];
  for (let i = 0; i < 5; i++)
    runs.push(await newProcess(pool, new AppealRepository(store, 5000, unusedVault(pool)), now).pass());
  const times = runs.map((r) => r.durationMs).sort((a, b) => a - b);
  const r = runs[0];
  console.log(
    `${label.padEnd(53)} ${String(r.candidates).padStart(10)} ${String(r.due).padStart(4)} ${String(r.issued.length).padStart(7)}  ${times[2]} (max ${times[4]})`,
  );
}

function report(label: string, r: PassResult): void {
  console.log(
    `${label.padEnd(53)} ${String(r.candidates).padStart(10)} ${String(r.due).padStart(4)} ${String(r.issued.length).padStart(7)}  ${r.durationMs}`,
  );
}

const ms = (since: number): number => Math.round(performance.now() - since);

const APPEAL_COLUMNS = `appeal_id, number, state, department, executor_id, executor_name, registered_on, nominal_due_date,
  due_date, extended, on_control, off_control_on, interim_answers, first_interim_on, resolution_seq, resolution_kind,
  resolved_on, resolution_due_date, late, reminders_issued, position`;

async function fillOpen(pool: Pool, today: string): Promise<void> {
  await pool.query(
    `INSERT INTO ${CONTROL_SCHEMA}.appeals (${APPEAL_COLUMNS})
     SELECT 'open-' || i, 'П/' || i, 'assigned', 'Отдел ' || (i % 12), 'executor-' || (i % 300), 'Исполнитель ' || (i % 300),
            d - 30, d, d, false, true, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0, 0
       FROM generate_series(0, $1 - 1) AS i, LATERAL (SELECT $2::date + ($3 + i % $4)::int AS d) due`,
    [OPEN, today, FIRST_DUE_OFFSET, SPREAD_DAYS],
  );
  await pool.query(`ANALYZE ${CONTROL_SCHEMA}.appeals`);
}

/** Closed appeals: answered and removed from control, forwarded or withdrawn, with due dates all around today. */
async function fillClosed(pool: Pool, today: string): Promise<void> {
  const chunk = 200_000;
  for (let from = 0; from < CLOSED; from += chunk) {
    await pool.query(
      `INSERT INTO ${CONTROL_SCHEMA}.appeals (${APPEAL_COLUMNS})
       SELECT 'closed-' || i, 'З/' || i, 'closed', 'Отдел ' || (i % 12), 'executor-' || (i % 300), 'Исполнитель ' || (i % 300),
              d - 30, d, d, false, false, d - 3, 1, d - 10, 1, 'final', d - 4, d, false, 1, 0
         FROM generate_series($1::int, $2::int - 1) AS i, LATERAL (SELECT $3::date + (-700 + i % 730)::int AS d) due`,
      [from, Math.min(CLOSED, from + chunk), today],
    );
  }
  await pool.query(`ANALYZE ${CONTROL_SCHEMA}.appeals`);
}

/** Streams (registration + assignment) for the open appeals due from 5 days ago to 6 days on. */
async function seedStreams(store: PostgresEventStore, pool: Pool, today: string): Promise<number> {
  const { rows } = await pool.query<{ appeal_id: string; due: string }>(
    `SELECT appeal_id, to_char(due_date, 'YYYY-MM-DD') AS due FROM ${CONTROL_SCHEMA}.appeals
      WHERE due_date BETWEEN $1::date - 5 AND $1::date + 6`,
    [today],
  );
  await mapConcurrently(rows, 16, async ({ appeal_id: appealId, due }) => {
    const registeredAt = addDays(due, -30);
    await appendAppealEvents(
      store,
      appealId,
      [
        registered({
          appealId,
          number: appealId,
          registeredAt,
          receivedAt: registeredAt,
          nominalDueDate: due,
          dueDate: due,
        }),
        assigned({ assignedAt: `${registeredAt}T10:00:00+07:00` }),
      ],
      `${registeredAt}T10:00:00+07:00`,
    );
  });
  return rows.length;
}

/** Brings the control read model up to the store's head (its reminders table feeds the skip). */
async function project(
  store: PostgresEventStore,
  pool: Pool,
  url: string,
  control: ControlProjection,
): Promise<void> {
  const runner = new ProjectionRunner({
    store,
    projections: [control],
    pool,
    connection: { connectionString: url },
  });
  await runner.start();
  await runner.waitForPosition('control', await store.headPosition(), 120_000);
  await runner.stop();
}

async function explain(pool: Pool, today: string): Promise<string> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY ON)
     SELECT appeal_id, due_date FROM ${CONTROL_SCHEMA}.appeals
      WHERE on_control AND resolved_on IS NULL AND due_date < $1::date ORDER BY due_date, appeal_id`,
    [addDays(today, 4)],
  );
  const plan = rows.map((r) => r['QUERY PLAN'].trim());
  const scans = plan
    .filter((l) => l.includes('Scan'))
    .map((l) => l.replace(/^->\s*/, '').replace(/\s+\(cost=[^)]*\)/, ''));
  return `${scans.join(' ← ')}; ${plan.find((l) => l.startsWith('Execution Time')) ?? ''}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

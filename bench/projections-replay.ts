/**
 * Benchmark: replay N appeals' events (synthetic, realistic lifecycles) into the control and
 * statistics read models, and time the reports on the result.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/projections-replay.ts --appeals 100000
 *
 * Options: --appeals N (100000) · --years Y (8: spread from 2017) · --batch B (5000: events per page read) ·
 * --catch-up-batch C (events per catch-up transaction; the runner's default, 10000) ·
 * --catch-up-projections both|engine|engine-5 (the catch-up phase: control and statistics, or every read
 * model the engine runs — also the journal, ССТУ, the reminder feed and the applicant index (its
 * vault on this database, the synthetic applicants stored in the clear); engine-5: all but the
 * applicant index, as session 18 measured) ·
 * --no-shared-catch-up (each catch-up reads $all itself, as before session 18) ·
 * --mode rebuild|catchup|both (rebuild) · --keep (leave the embedded server's data folder) ·
 * --pgdata DIR (the embedded server's cluster in DIR, kept: loaded on the first run, reused by the
 * next ones with the same --appeals and --years, read models dropped first) · --raw-runs R (1) ·
 * --no-reports (stop after the replays) · --digests (a hash of every table after each rebuild of both) ·
 * --logged-rebuild (the rebuild's shadow tables logged from the start, not UNLOGGED then SET LOGGED) ·
 * --server-mwm M (the server's maintenance_work_mem: 512MB; `server` leaves PostgreSQL's default, 64MB,
 * as the engine's embedded server has it) · --phases (which replays run, in this order: raw, raw-stream,
 * raw-by-stream, raw-fold, control, statistics, together-position, together, separate, stream-fold, catchup; default from --mode).
 * Uses DATABASE_URL when set (the database must be empty), else starts an embedded PostgreSQL.
 *
 * `together` is `rebuildAll(['control', 'statistics'])` as the engine runs it — both fold per stream,
 * so in stream order up to the head, then on in position order — and `together-position` the same
 * with `rebuildInStreamOrder: false` (position order throughout, the rebuild before session 9); when
 * both run, every table of the second is compared with the first's (count and md5 of all rows).
 * `stream-fold` is session 8's experiment that led to the stream-order rebuild (kept for comparison).
 *
 * Every replay figure is printed with its ratio to the same run's raw read rate of the events table:
 * every event in position order, in pages of --batch as the replay reads them, rows parsed into
 * recorded events, no projection work (the ceiling of a replay). Resident memory is sampled every
 * 100 ms throughout each phase (min–max, plus the kernel's high-water mark), with the CPU of this
 * process and of the PostgreSQL server. Memory figures include ts-node's own (~130–175 MB at start).
 * The store is filled by bulk INSERTs into its `events` table (the rows append_events() writes, in
 * position order, 5,000 per transaction, with a placeholder hash instead of the chain): the append
 * path is the event store's own benchmark.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { appealStreamId, localDate, ProductionCalendar } from '@appeal-ledger/appeal';
import { PostgresEventStore, runMigrations } from '@appeal-ledger/event-store';
import { ReminderFeedProjection } from '@appeal-ledger/reminders';
import {
  ControlProjection,
  findControlRows,
  JournalProjection,
  SstuProjection,
  ProjectionRunner,
  liveSchema,
  qualified,
  replayPages,
  StatisticsProjection,
  SummaryReports,
  weeklyControlReport,
  type Projection,
} from '@appeal-ledger/projections';
import { Client, Pool } from 'pg';
import { benchDatabase, type BenchDatabase } from './support/embedded-postgres';
import { ownCpuMs, postgresCpuMs, postmasterPid } from './support/postgres-cpu';
import { ApplicantIndexProjection } from '../apps/api/src/applicant-matching/applicant-index.projection';
import { BlindIndex } from '../apps/api/src/applicant-matching/blind-index';
import {
  PERSONAL_DATA_MIGRATIONS,
  PersonalDataVault,
} from '../apps/api/src/personal-data/personal-data.vault';
import { syntheticAppealEvents } from '../libs/projections/src/testing/synthetic-appeals';
import { testMetadata } from '../libs/projections/src/testing/event-log';
import { sharePages, streamOrderPages } from '../libs/projections/src/consumer/replay';
import {
  createProjectionSchema,
  readCheckpoint,
  RUNNER_TABLES,
} from '../libs/projections/src/runner/projection-schema';
import type { RecordedEvent } from '@appeal-ledger/event-store';

const TZ = 'Asia/Novokuznetsk';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const APPEALS = Number(arg('appeals', '100000'));
const YEARS = Number(arg('years', '8'));
const BATCH = Number(arg('batch', '5000'));
/** events per catch-up transaction (the runner's default when not given) */
const CATCH_UP_BATCH = arg('catch-up-batch', '');
/** each catch-up reads $all itself (the runner's `sharedCatchUp: false`) */
const NO_SHARED_CATCH_UP = process.argv.includes('--no-shared-catch-up');
/**
 * the catch-up phase's projections: `both` (control, statistics), `engine` (every read model the
 * engine runs: also journal, sstu, reminder feed, applicant index) or `engine-5` (all but the index)
 */
const CATCH_UP_PROJECTIONS = arg('catch-up-projections', 'both');
if (!['both', 'engine', 'engine-5'].includes(CATCH_UP_PROJECTIONS))
  throw new Error(`--catch-up-projections: both, engine or engine-5, not ${CATCH_UP_PROJECTIONS}`);
const MODE = arg('mode', 'rebuild');
const KEEP = process.argv.includes('--keep');
const PGDATA = arg('pgdata', '');
const RAW_RUNS = Number(arg('raw-runs', '1'));
const NO_REPORTS = process.argv.includes('--no-reports');
/** print a hash of every table of both read models after each rebuild-both phase (to compare branches) */
const DIGESTS = process.argv.includes('--digests');
/** rebuild into logged tables (the runner's `unloggedRebuild: false`) */
const LOGGED_REBUILD = process.argv.includes('--logged-rebuild');
/** the server's maintenance_work_mem (512MB; `server` leaves the server's own setting, as the engine's embedded server has it) */
const SERVER_MWM = arg('server-mwm', '512MB');
/** which replays run: --phases raw,raw-stream,raw-by-stream,raw-fold,control,statistics,together-position,together,separate,stream-fold,catchup overrides --mode */
const PHASES = new Set(
  arg(
    'phases',
    [
      'raw',
      ...(MODE === 'rebuild' || MODE === 'both' ? ['control', 'statistics', 'together'] : []),
      ...(MODE === 'catchup' || MODE === 'both' ? ['catchup'] : []),
    ].join(','),
  ).split(','),
);

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

// durable commits; room for the working set and fewer checkpoints during the load
const database = (): Promise<BenchDatabase> =>
  benchDatabase({
    keep: KEEP,
    ...(PGDATA ? { dataDir: PGDATA } : {}),
    flags: [
      '-c',
      'shared_buffers=1GB',
      '-c',
      'max_wal_size=8GB',
      ...(SERVER_MWM === 'server' ? [] : ['-c', `maintenance_work_mem=${SERVER_MWM}`]),
    ],
  });

/** Loads the synthetic events into the store's table in position order. */
async function load(pool: Pool): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const perDay = Math.max(1, Math.ceil(APPEALS / (YEARS * 365)));
  const revisions = new Map<string, number>();
  const metadata = JSON.stringify(testMetadata());
  let chunk: { stream: string[]; revision: number[]; id: string[]; type: string[]; data: string[] } = {
    stream: [],
    revision: [],
    id: [],
    type: [],
    data: [],
  };
  let events = 0;
  const flush = async (): Promise<void> => {
    if (chunk.stream.length === 0) return;
    const c = chunk;
    chunk = { stream: [], revision: [], id: [], type: [], data: [] };
    await pool.query(
      // hash: a placeholder; the hash chain (append_events()) is not what this bench measures
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, hash)
       SELECT s, r, i, t, d, $6::jsonb, '\\x'::bytea FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[]) AS u(s, r, i, t, d)`,
      [c.stream, c.revision, c.id, c.type, c.data, metadata],
    );
  };
  for (const item of syntheticAppealEvents({ appeals: APPEALS, perDay, startDate: '2017-01-02', seed: 1 })) {
    const stream = appealStreamId(item.appealId);
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    chunk.stream.push(stream);
    chunk.revision.push(revision);
    chunk.id.push(randomUUID());
    chunk.type.push(item.event.type);
    chunk.data.push(JSON.stringify(item.event.data));
    events += 1;
    if (chunk.stream.length >= 5000) await flush();
  }
  await flush();
  await pool.query('ANALYZE events');
  return { events, seconds: (performance.now() - started) / 1000 };
}

let postmaster: number | undefined;

/** the database's temporary files so far (pg_stat_database; a session's count lands when it ends) */
async function tempFiles(pool: Pool): Promise<{ files: number; bytes: number }> {
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pool.query<{ files: string; bytes: string }>(
    'SELECT temp_files AS files, temp_bytes AS bytes FROM pg_stat_database WHERE datname = current_database()',
  );
  return { files: Number(rows[0]?.files ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
}

/**
 * Samples this process's memory every 100 ms while `work` runs (min–max of the samples; `peakRssMb`
 * is the kernel's high-water mark of the process so far, which no sampling gap can miss) and the
 * CPU it and the PostgreSQL server used meanwhile. `usage` prints them.
 */
const PG_SETTLE_MS = 500;

async function sampled<T>(work: () => Promise<T>): Promise<{
  result: T;
  /** the phase's wall time (without the wait for the PostgreSQL CPU count to settle) */
  wallSeconds: number;
  rssMb: [number, number];
  heapMb: [number, number];
  usage: (events: number) => string;
}> {
  const rss: number[] = [];
  const heap: number[] = [];
  const sample = (): void => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  };
  sample();
  const cpu0 = ownCpuMs();
  const pg0 = postgresCpuMs(postmaster);
  const timer = setInterval(sample, 100);
  const started = performance.now();
  try {
    const result = await work();
    const wallSeconds = (performance.now() - started) / 1000;
    sample();
    const node = ownCpuMs() - cpu0;
    // the sessions a phase ended have exited, but their CPU reaches the postmaster's count only
    // once it has reaped them: a moment later (not part of the phase's time)
    await new Promise((resolve) => setTimeout(resolve, PG_SETTLE_MS));
    const pg = postgresCpuMs(postmaster) - pg0;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const rssMb: [number, number] = [mb(Math.min(...rss)), mb(Math.max(...rss))];
    const heapMb: [number, number] = [mb(Math.min(...heap)), mb(Math.max(...heap))];
    return {
      result,
      wallSeconds,
      rssMb,
      heapMb,
      usage: (events) =>
        `rss ${rssMb[0]}–${rssMb[1]} MB (process peak so far ${peakRssMb} MB), heap ${heapMb[0]}–${heapMb[1]} MB; CPU: this process ${(node / 1000).toFixed(1)} s (${((1000 * node) / events).toFixed(1)} µs/event), PostgreSQL ${(pg / 1000).toFixed(1)} s (${((1000 * pg) / events).toFixed(1)} µs/event)`,
    };
  } finally {
    clearInterval(timer);
  }
}

async function time(label: string, runs: number, work: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 3; i++) await work(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number): string => (ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0).toFixed(1);
  return `${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${runs} runs)`;
}

/**
 * Session 8's experiment, before the engine's rebuild did this (`together` now does, properly): the lever "fold each appeal whole" measured. Reads every
 * event in stream order (keyset pages on stream_id, a page cut after its last whole stream), so each
 * page holds whole appeals and each row is written once; applies each page with the projections'
 * own `handle` into bare unlogged tables (each projection on its own session, side by side), then
 * logs and indexes them. When this run built the live read models (`together` or another rebuild
 * phase first), compares every table with them.
 */
async function streamFold(pool: Pool, url: string, projections: Projection[]): Promise<void> {
  const sessions = await Promise.all(
    projections.map(async (projection) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      const schema = `bench_fold_${projection.name}`;
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await createProjectionSchema(client, projection, schema, { indexes: false, unlogged: true });
      return { projection, client, schema };
    }),
  );
  const started = performance.now();
  const { result, usage, wallSeconds } = await sampled(async () => {
    let n = 0;
    const pages = async function* (): AsyncGenerator<RecordedEvent[]> {
      let after = '';
      for (;;) {
        const { rows } = await pool.query<{
          position: string;
          stream_id: string;
          revision: string;
          event_id: string;
          type: string;
          data: RecordedEvent['data'];
          metadata: RecordedEvent['metadata'];
          recorded_at: Date;
        }>(
          `SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events
           WHERE stream_id > $1 ORDER BY stream_id, revision LIMIT $2`,
          [after, BATCH],
        );
        const full = rows.length >= BATCH;
        const lastStream = rows[rows.length - 1]?.stream_id;
        // a full page may end inside a stream: that stream comes whole with the next page
        const whole = full ? rows.filter((r) => r.stream_id !== lastStream) : rows;
        if (full && whole.length === 0) throw new Error(`a stream longer than a page: ${lastStream}`);
        const last = whole[whole.length - 1];
        if (!last) return;
        after = last.stream_id;
        n += whole.length;
        yield whole.map((r) => ({
          position: Number(r.position),
          streamId: r.stream_id,
          revision: Number(r.revision),
          id: r.event_id,
          type: r.type,
          data: r.data,
          metadata: r.metadata,
          recordedAt: r.recorded_at,
        }));
        if (!full) return;
      }
    };
    await sharePages(
      pages(),
      sessions.map(({ projection, client, schema }) => async (page: RecordedEvent[]) => {
        await client.query('BEGIN');
        await projection.handle(page, client, schema);
        await client.query('COMMIT');
      }),
    );
    const replayed = performance.now();
    await Promise.all(
      sessions.map(async ({ projection, client, schema }) => {
        for (const table of [...projection.tables, ...RUNNER_TABLES])
          await client.query(`ALTER TABLE ${qualified(schema, table)} SET LOGGED`);
        for (const ddl of projection.createIndexes(schema)) await client.query(ddl);
      }),
    );
    console.log(
      `  stream-order fold: replayed in ${Math.round(replayed - started)} ms, logged and indexed in ${Math.round(performance.now() - replayed)} ms`,
    );
    return n;
  });
  const seconds = wallSeconds;
  const rate = result / seconds;
  console.log(
    `experiment, each appeal folded whole (stream order, each row written once; not the engine's rebuild): ${result} events into both in ${seconds.toFixed(1)} s = ${Math.round(rate)} events/s; ${usage(result)}`,
  );
  for (const { projection, client, schema } of sessions) {
    const live = liveSchema(projection.name);
    // compared only with a live read model some phase of this run built (ensureSchemas makes empty ones)
    const checkpoint = await readCheckpoint(client, live);
    if ((checkpoint?.position ?? 0) > 0) {
      for (const table of projection.tables) {
        const digest = (s: string): string =>
          `SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS d FROM ${qualified(s, table)} t`;
        const [a, b] = await Promise.all([
          client.query<{ d: string }>(digest(live)),
          client.query<{ d: string }>(digest(schema)),
        ]);
        console.log(
          `  ${projection.name}.${table}: ${a.rows[0]?.d === b.rows[0]?.d ? 'same rows as the rebuild' : `DIFFERENT (${a.rows[0]?.d} vs ${b.rows[0]?.d})`}`,
        );
      }
    }
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
}

async function main(): Promise<void> {
  const server = await database();
  const pool = new Pool({ connectionString: server.url, max: 8 });
  pool.on('error', () => undefined); // a connection closing while the server stops
  const store = new PostgresEventStore(pool);
  const control = new ControlProjection({ timeZone: TZ });
  const statistics = new StatisticsProjection({ timeZone: TZ });
  const runner = (
    projections: Projection[],
    rebuildFromScratchAbove?: number,
    rebuildInStreamOrder = true,
  ): ProjectionRunner =>
    new ProjectionRunner({
      store,
      projections,
      pool,
      connection: { connectionString: server.url },
      batchSize: BATCH,
      ...(CATCH_UP_BATCH ? { catchUpBatchSize: Number(CATCH_UP_BATCH) } : {}),
      ...(NO_SHARED_CATCH_UP ? { sharedCatchUp: false } : {}),
      rebuildFromScratchAbove,
      rebuildInStreamOrder,
      ...(LOGGED_REBUILD ? { unloggedRebuild: false } : {}),
      // the rebuild's phases, timed
      logger: {
        info: (context, message) => {
          if (message.startsWith('projection rebuild:') && 'ms' in context)
            console.log(`  ${message} (${String(context.projections)}): ${String(context.ms)} ms`);
          else if (message.startsWith('projection rebuild:'))
            console.log(
              `  ${message} (${String(context.projections)}): position ${String(context.position)}`,
            );
        },
        warn: (context, message) => console.warn(message, context),
        error: (context, message) => console.error(message, context),
      },
    });
  try {
    await store.migrate();
    postmaster = await postmasterPid(pool);
    await pool.query(
      'CREATE TABLE IF NOT EXISTS bench_replay_load (appeals integer NOT NULL, years integer NOT NULL)',
    );
    const existing = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    const events = Number(existing.rows[0]?.n);
    if (events > 0) {
      const loadedBefore = await pool.query<{ appeals: number; years: number }>(
        'SELECT appeals, years FROM bench_replay_load',
      );
      const before = loadedBefore.rows[0];
      if (!PGDATA || before?.appeals !== APPEALS || before.years !== YEARS)
        throw new Error(
          'the database already holds events: point DATABASE_URL at an empty one (or --pgdata at a folder loaded with the same --appeals and --years)',
        );
      // an earlier run's read models (and any leftover shadow or retired schema) go: every phase starts from nothing
      for (const name of ['control', 'statistics'])
        for (const suffix of ['', '__rebuild', '__retired'])
          await pool.query(`DROP SCHEMA IF EXISTS rm_${name}${suffix} CASCADE`);
      console.log(`reusing ${events} events of ${APPEALS} appeals loaded earlier into ${PGDATA}`);
    } else {
      console.log(`generating and loading ${APPEALS} appeals over ${YEARS} years …`);
      const loaded = await load(pool);
      await pool.query('INSERT INTO bench_replay_load (appeals, years) VALUES ($1, $2)', [APPEALS, YEARS]);
      console.log(
        `loaded ${loaded.events} events (${(loaded.events / APPEALS).toFixed(2)} per appeal) in ${loaded.seconds.toFixed(1)} s`,
      );
    }
    const size = await pool.query<{ size: string }>(
      "SELECT pg_size_pretty(pg_total_relation_size('events')) AS size",
    );
    console.log(`events table ${size.rows[0]?.size}`);

    // the ceiling: every event read as the replay reads it (pages of BATCH, rows parsed), nothing applied
    const rawRates: number[] = [];
    const rawRead = async (): Promise<void> => {
      const { result, usage, wallSeconds } = await sampled(async () => {
        let n = 0;
        for await (const page of replayPages(store, { after: 0, batchSize: BATCH })) n += page.length;
        return n;
      });
      const seconds = wallSeconds;
      rawRates.push(result / seconds);
      console.log(
        `raw read of the events table (pages of ${BATCH}, rows parsed, nothing applied): ${result} events in ${seconds.toFixed(1)} s = ${Math.round(result / seconds)} events/s; ${usage(result)}`,
      );
    };
    if (PHASES.has('raw')) for (let i = 0; i < RAW_RUNS; i++) await rawRead();
    if (PHASES.has('raw-stream')) {
      // not a replay the engine does: every event in stream order (keyset pages by the
      // (stream_id, revision) key), rows parsed by pg as the store's are — what a replay that folds
      // each appeal whole would read
      const { result, usage, wallSeconds } = await sampled(async () => {
        let n = 0;
        let after: [string, number] = ['', -1];
        for (;;) {
          const page = await pool.query<{ stream_id: string; revision: string }>(
            `SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at FROM events
             WHERE (stream_id, revision) > ($1, $2) ORDER BY stream_id, revision LIMIT $3`,
            [after[0], after[1], BATCH],
          );
          n += page.rows.length;
          const last = page.rows[page.rows.length - 1];
          if (!last || page.rows.length < BATCH) return n;
          after = [last.stream_id, Number(last.revision)];
        }
      });
      const seconds = wallSeconds;
      console.log(
        `raw read in stream order (pages of ${BATCH} by (stream_id, revision), rows parsed): ${result} events in ${seconds.toFixed(1)} s = ${Math.round(result / seconds)} events/s; ${usage(result)}`,
      );
    }
    // the stream-order rebuild's own read: the store's readAllByStream up to the head, pages cut after
    // their last whole stream (streamOrderPages), rows parsed into recorded events, nothing applied —
    // `raw-fold` with the lean fields the rebuild of control and statistics reads (no metadata, no
    // recorded_at), `raw-by-stream` with every field
    for (const [phase, fields] of [
      ['raw-by-stream', 'all'],
      ['raw-fold', 'fold'],
    ] as const) {
      if (!PHASES.has(phase)) continue;
      const { result, usage, wallSeconds } = await sampled(async () => {
        let n = 0;
        const upTo = await store.headPosition();
        for await (const page of streamOrderPages(store, { upTo, batchSize: BATCH, fields }))
          n += page.events.length;
        return n;
      });
      const seconds = wallSeconds;
      console.log(
        `raw read in stream order through the store (${phase}: fields ${fields}, pages of ${BATCH} cut after whole streams, nothing applied): ${result} events in ${seconds.toFixed(1)} s = ${Math.round(result / seconds)} events/s; ${usage(result)}`,
      );
    }
    /** the rate as a share of the raw read rate measured in this run (the best of its runs) */
    const ofRaw = (rate: number): string =>
      rawRates.length
        ? `${Math.round((100 * rate) / Math.max(...rawRates))} % of raw read`
        : 'raw read not measured';

    const both = runner([control, statistics]);
    await both.ensureSchemas();
    for (const projection of [control, statistics].filter((p) => PHASES.has(p.name))) {
      const { result, usage } = await sampled(() => both.rebuild(projection.name));
      const seconds = result.durationMs / 1000;
      const rate = result.events / seconds;
      console.log(
        `rebuild ${projection.name}: ${result.events} events in ${seconds.toFixed(1)} s = ${Math.round(rate)} events/s (${ofRaw(rate)}); ${usage(result.events)}`,
      );
    }
    // rebuildAll as the engine runs it (stream order up to the head, then position order), and with
    // rebuildInStreamOrder: false (position order throughout, the rebuild before issue 16's lever)
    // each table of both read models as count:md5 of every row in order, to compare the two rebuilds
    const digests = async (): Promise<Map<string, string>> => {
      const out = new Map<string, string>();
      for (const projection of [control, statistics])
        for (const table of projection.tables) {
          const { rows } = await pool.query<{ d: string }>(
            `SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS d FROM ${qualified(liveSchema(projection.name), table)} t`,
          );
          out.set(`${projection.name}.${table}`, rows[0]?.d ?? '');
        }
      return out;
    };
    let positionOrderDigests: Map<string, string> | null = null;
    for (const [phase, inStreamOrder] of [
      ['together-position', false],
      ['together', true],
    ] as const) {
      if (!PHASES.has(phase)) continue;
      const rebuilder = inStreamOrder ? both : runner([control, statistics], undefined, false);
      const tempBefore = await tempFiles(pool);
      const { result, usage, wallSeconds } = await sampled(() =>
        rebuilder.rebuildAll(['control', 'statistics']),
      );
      const tempAfter = await tempFiles(pool);
      const seconds = wallSeconds;
      const events = Math.max(...result.map((r) => r.events));
      const rate = events / seconds;
      console.log(
        `rebuild both together${inStreamOrder ? '' : ' in position order throughout'}: ${events} events into both read models in ${seconds.toFixed(1)} s = ${Math.round(rate)} events/s (${ofRaw(rate)}; ${Math.round((2 * events) / seconds)} applications/s); ${usage(events)}`,
      );
      console.log(
        `  temporary files written meanwhile (sorts and hashes that outgrew their memory, the rebuild's index builds among them): ${tempAfter.files - tempBefore.files} files, ${mb(tempAfter.bytes - tempBefore.bytes)} MB`,
      );
      if (DIGESTS) {
        // one hash of every table's count:md5, to compare the tables with another branch's run
        const all = [...(await digests())].map(([table, d]) => `${table}=${d}`).join(';');
        console.log(`  tables digest: ${createHash('md5').update(all).digest('hex')}`);
      }
      if (!inStreamOrder) positionOrderDigests = await digests();
      else if (positionOrderDigests) {
        const before = positionOrderDigests;
        const after = await digests();
        const different = [...after].filter(([table, d]) => before.get(table) !== d).map(([t]) => t);
        console.log(
          different.length === 0
            ? `  all ${after.size} tables the same as the position-order rebuild's`
            : `  DIFFERENT from the position-order rebuild: ${different.join(', ')}`,
        );
      }
    }
    if (PHASES.has('separate')) {
      // the way before rebuildAll: two rebuilds at once, each reading $all itself
      const { result, usage, wallSeconds } = await sampled(() =>
        Promise.all([both.rebuild('control'), both.rebuild('statistics')]),
      );
      const seconds = wallSeconds;
      const events = Math.max(...result.map((r) => r.events));
      const rate = events / seconds;
      console.log(
        `rebuild both at once, each reading $all itself: ${events} events into both read models in ${seconds.toFixed(1)} s = ${Math.round(rate)} events/s (${ofRaw(rate)}; ${Math.round((2 * events) / seconds)} applications/s); ${usage(events)}`,
      );
    }
    if (PHASES.has('stream-fold')) await streamFold(pool, server.url, [control, statistics]);
    if (PHASES.has('catchup')) {
      // the live runner's path from an empty read model: logged tables, indexes maintained per batch
      for (const name of ['rm_control', 'rm_statistics'])
        await pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      // rebuildFromScratchAbove 0: measure the catch-up path itself, not the first-start rebuild
      const extra: Projection[] = CATCH_UP_PROJECTIONS.startsWith('engine')
        ? [
            new JournalProjection({ timeZone: TZ }),
            new SstuProjection({ timeZone: TZ }),
            new ReminderFeedProjection(),
          ]
        : [];
      if (CATCH_UP_PROJECTIONS === 'engine') {
        // the applicant index's inserts look for destroyed keys in personal_data_keys
        await runMigrations(pool, {
          table: 'personal_data_migrations',
          migrations: PERSONAL_DATA_MIGRATIONS,
        });
        extra.push(
          new ApplicantIndexProjection(
            new PersonalDataVault(pool, randomBytes(32)),
            new BlindIndex(randomBytes(32)),
          ),
        );
      }
      for (const p of extra) await pool.query(`DROP SCHEMA IF EXISTS ${liveSchema(p.name)} CASCADE`);
      const live = runner([control, statistics, ...extra], 0);
      const head = await store.headPosition();
      const { usage, wallSeconds } = await sampled(async () => {
        await live.start();
        if (!(await live.waitForAll(head, 24 * 3600 * 1000))) throw new Error('catch-up did not finish');
      });
      const seconds = wallSeconds;
      const rate = head / seconds;
      console.log(
        `catch-up of ${extra.length > 0 ? `${2 + extra.length} read models` : 'both'} by the runner (logged, indexed): ${head} events into ${extra.length > 0 ? 'each' : 'both'} in ${seconds.toFixed(1)} s = ${Math.round(rate)} events/s (${ofRaw(rate)}); ${usage(head)}`,
      );
      await live.stop();
    }
    if (NO_REPORTS) return;

    for (const table of [
      'rm_control.appeals',
      'rm_statistics.appeal_facts',
      'rm_statistics.monthly_counters',
    ])
      await pool.query(`ANALYZE ${table}`);
    const sizes = await pool.query<{ schema: string; size: string }>(
      `SELECT nspname AS schema, pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS size FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE nspname IN ('rm_control', 'rm_statistics') AND c.relkind = 'r' GROUP BY nspname ORDER BY 1`,
    );
    console.log(`read models: ${sizes.rows.map((r) => `${r.schema} ${r.size}`).join(', ')}`);

    const reports = new SummaryReports(pool);
    const year = 2017 + Math.floor(YEARS / 2);
    const annual = await reports.annual(year, { asOf: localDate(new Date().toISOString(), TZ) });
    console.log(
      `annual ${year}: ${annual.appeals.total.current} appeals (previous ${annual.appeals.total.previous}), ${annual.questions.total.current} questions`,
    );
    console.log(
      await time(`annual report ${year} vs ${year - 1}`, 50, () =>
        reports.annual(year, { asOf: '2030-01-01' }),
      ),
    );
    console.log(
      await time(`quarterly report ${year} Q2`, 50, () => reports.quarterly(year, 2, { asOf: '2030-01-01' })),
    );
    console.log(
      await time(`odd period (${year}-01-15 … ${year}-11-20, edge days from facts)`, 20, () =>
        reports.summary(
          { from: `${year}-01-15`, to: `${year}-11-20` },
          { from: `${year - 1}-01-15`, to: `${year - 1}-11-20` },
          { asOf: '2030-01-01' },
        ),
      ),
    );
    console.log(await time(`weekly report ${year}-W50`, 20, () => weeklyControlReport(pool, `${year}-W50`)));
    const calendar = ProductionCalendar.shipped();
    console.log(
      await time('GET /control overdue, first page', 50, () =>
        findControlRows(pool, { overdue: true, limit: 50 }, { today: `${year}-06-15`, calendar }),
      ),
    );
    console.log(
      await time('GET /control by department, first page', 50, () =>
        findControlRows(
          pool,
          { department: 'ЖКХ', onControl: true, limit: 50 },
          { today: `${year}-06-15`, calendar },
        ),
      ),
    );
  } finally {
    await store.close();
    await pool.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

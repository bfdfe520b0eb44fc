/**
 * One command, one table (issue 16): on ONE embedded PostgreSQL with the engine's settings and
 * durable commits, back to back and repeated in interleaved rounds, the same 16-client five-command
 * lifecycle (register, assign, interim answer, final answer, close) as
 *   (a) the raw ceiling — one INSERT per command, no read, a table of the events table's shape;
 *   (b) Emmett's PostgreSQL event store in-process (read stream, decide, append with expected version);
 *   (c) Appeal Ledger in-process (the command pipeline, no HTTP);
 *   (d) Appeal Ledger over HTTP (the engine as its own process, compiled dist/).
 * Projections run in (c) and (d), and the reminder tick too. Each workload runs in a process of its
 * own, against a fresh database of the one server (CREATE DATABASE per run, dropped after), so CPU
 * per command is per process: the app (engine, or the in-process peer), the PostgreSQL server (all its
 * processes, from /proc) and, over HTTP, the load generator.
 *
 *   npm run build && npm run bench -- compare [--rounds 3] [--seconds 20] [--clients 16] [--warmup 3] [--only raw,http,http-distinct]
 *
 * Prints every run, then per workload the median and range over the rounds, and the ratios to raw
 * and to Emmett computed within each round (the headline: ratios travel, absolute figures do not).
 * `--out file.json` keeps every run's figures.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import type { WorkloadResult } from './compare/workload';
import { benchDatabase } from './support/embedded-postgres';
import { machineBusyMs } from './support/stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);

interface Workload {
  key: string;
  label: string;
  script: string;
  env?: Record<string, string>;
}
const ALL_WORKLOADS: Workload[] = [
  { key: 'raw', label: 'raw ceiling: one INSERT per command', script: 'compare/raw.ts' },
  { key: 'emmett', label: 'Emmett 0.42 PostgreSQL, in-process', script: 'compare/emmett.ts' },
  {
    key: 'inprocess',
    label: 'Appeal Ledger in-process',
    script: 'lifecycle-inprocess.ts',
    env: { RUN_REMINDERS: 'true' },
  },
  {
    key: 'http',
    label: 'Appeal Ledger over HTTP',
    script: 'lifecycle-http.ts',
    env: { RUN_REMINDERS: 'true' },
  },
  {
    // the same, each appeal its own applicant (every tenth a repeat): the registration's lookup finds
    // about one earlier appeal instead of the worst case's twenty (lifecycle-http.ts, --applicants)
    key: 'http-distinct',
    label: 'Appeal Ledger over HTTP, distinct applicants',
    script: 'lifecycle-http.ts',
    env: { RUN_REMINDERS: 'true', BENCH_APPLICANTS: 'distinct' },
  },
];
const WORKLOADS = ALL_WORKLOADS.filter(
  (w) => values.only === undefined || values.only.split(',').includes(w.key),
);

interface Run {
  round: number;
  key: string;
  result: WorkloadResult;
  loadAverage: [number, number];
  machineIdlePercent: number;
}

function runScript(workload: Workload, url: string, resultFile: string): Promise<void> {
  const args = [
    require.resolve('ts-node/dist/bin'),
    '--transpile-only',
    '-r',
    'tsconfig-paths/register',
    join(__dirname, workload.script),
    '--clients',
    values.clients,
    '--seconds',
    values.seconds,
    '--warmup',
    values.warmup,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...workload.env, DATABASE_URL: url, BENCH_RESULT_FILE: resultFile },
    // the workloads' own output (their JSON) goes to stderr here, so ours stays the table
    stdio: ['ignore', process.stderr, process.stderr],
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${workload.script} exited with ${code}`)),
    ),
  );
}

async function onServer<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs: number[], digits: number, unit = ''): string => {
  const f = (x: number): string =>
    x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lo = f(Math.min(...xs));
  const hi = f(Math.max(...xs));
  return lo === hi ? `${lo}${unit}` : `${lo}–${hi}${unit}`;
};

async function main(): Promise<void> {
  if (WORKLOADS.some((w) => w.key.startsWith('http')) && !existsSync('dist/apps/api/src/main.js')) {
    throw new Error('over HTTP the engine runs from dist/: npm run build first');
  }
  const db = await benchDatabase();
  const scratch = mkdtempSync(join(tmpdir(), 'appeal-ledger-compare-'));
  const runs: Run[] = [];
  const started = new Date();
  try {
    const settings = await onServer(db.url, async (c) => {
      const { rows } = await c.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers') ORDER BY name",
      );
      return rows.map((r) => `${r.name}=${r.setting}`).join(' ');
    });
    process.stdout.write(
      `compare: ${ROUNDS} rounds × ${WORKLOADS.length} workloads, ${values.clients} clients, ${values.seconds} s (+${values.warmup} s warm-up) each; ` +
        `${cpus().length} CPUs, Node ${process.version}; PostgreSQL ${settings}\n`,
    );
    for (let round = 1; round <= ROUNDS; round++) {
      // Interleaved, and each round starts one workload further on, so none always runs first.
      const order = WORKLOADS.map((_, k) => WORKLOADS[(k + round - 1) % WORKLOADS.length]);
      for (const workload of order) {
        const database = `compare_${round}_${workload.key.replace(/-/g, '_')}`;
        await onServer(db.url, (c) => c.query(`CREATE DATABASE ${database}`));
        const url = new URL(db.url);
        url.pathname = `/${database}`;
        const resultFile = join(scratch, `${database}.json`);
        const load0 = loadavg()[0];
        const busy0 = machineBusyMs();
        const t0 = performance.now();
        await runScript(workload, url.toString(), resultFile);
        const wall = performance.now() - t0;
        const busy = machineBusyMs() - busy0;
        const result = JSON.parse(readFileSync(resultFile, 'utf8')) as WorkloadResult;
        const run: Run = {
          round,
          key: workload.key,
          result,
          loadAverage: [load0, loadavg()[0]],
          machineIdlePercent: Math.max(0, Math.round(100 - (busy / wall / cpus().length) * 100)),
        };
        runs.push(run);
        process.stdout.write(
          `round ${round}  ${workload.label.padEnd(38)} ${String(result.commandsPerSecond).padStart(6)}/s  ` +
            `p99 ${result.p99Ms.toFixed(1).padStart(7)} ms  app ${result.appCpuMsPerCommand.toFixed(3)}  ` +
            `pg ${result.postgresCpuMsPerCommand.toFixed(3)}` +
            (result.loadGeneratorCpuMsPerCommand === undefined
              ? ''
              : `  load gen ${result.loadGeneratorCpuMsPerCommand.toFixed(3)}`) +
            ` ms CPU/command  errors ${result.errors}  load ${run.loadAverage.map((l) => l.toFixed(1)).join('→')}\n`,
        );
        await onServer(db.url, (c) => c.query(`DROP DATABASE ${database} WITH (FORCE)`));
      }
    }
  } finally {
    await db.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const of = (key: string): Run[] => runs.filter((r) => r.key === key);
  const inRound = (key: string, round: number): WorkloadResult | undefined =>
    runs.find((r) => r.key === key && r.round === round)?.result;
  const ratios = (key: string, base: string): number[] =>
    Array.from({ length: ROUNDS }, (_, k) => k + 1).flatMap((round) => {
      const a = inRound(key, round);
      const b = inRound(base, round);
      return a && b ? [a.commandsPerSecond / b.commandsPerSecond] : [];
    });
  const lines = [
    '',
    `| workload, ${values.clients} clients, durable commits | commands/s (median, range) | of raw | × Emmett | p99 ms | app CPU ms/cmd | PostgreSQL CPU ms/cmd | load generator CPU ms/cmd | transactions/cmd (reads too) | WAL bytes/cmd |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const w of WORKLOADS) {
    const rs = of(w.key).map((r) => r.result);
    if (rs.length === 0) continue;
    const toRaw = w.key === 'raw' ? [] : ratios(w.key, 'raw');
    const toEmmett = w.key === 'emmett' ? [] : ratios(w.key, 'emmett');
    const lg = rs.flatMap((r) =>
      r.loadGeneratorCpuMsPerCommand === undefined ? [] : [r.loadGeneratorCpuMsPerCommand],
    );
    const cells = [
      w.label,
      `${Math.round(median(rs.map((r) => r.commandsPerSecond))).toLocaleString('en-US')} (${range(
        rs.map((r) => r.commandsPerSecond),
        0,
      )})`,
      toRaw.length
        ? range(
            toRaw.map((x) => x * 100),
            0,
            ' %',
          )
        : '—',
      toEmmett.length ? range(toEmmett, 2, ' ×') : '—',
      range(
        rs.map((r) => r.p99Ms),
        1,
      ),
      range(
        rs.map((r) => r.appCpuMsPerCommand),
        3,
      ),
      range(
        rs.map((r) => r.postgresCpuMsPerCommand),
        3,
      ),
      lg.length ? range(lg, 3) : '(same process)',
      range(
        rs.map((r) => r.commitsPerCommand ?? NaN),
        2,
      ),
      range(
        rs.map((r) => r.walBytesPerCommand ?? NaN),
        0,
      ),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const loads = runs.flatMap((r) => r.loadAverage);
  const idle = runs.map((r) => r.machineIdlePercent);
  lines.push(
    '',
    `Ratios are computed within each round, then given as their range over ${ROUNDS} rounds. ` +
      `Started ${started.toISOString()}; load average ${range(loads, 1)}, machine idle ${range(idle, 0, ' %')} during the runs.`,
  );
  process.stdout.write(lines.join('\n') + '\n');
  if (values.out) writeFileSync(values.out, JSON.stringify({ started, settings: values, runs }, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});

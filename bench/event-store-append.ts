/**
 * Micro-benchmark of PostgresEventStore.append with durable commits: appends/s and latency at 1, 16
 * and 32 concurrent appenders, each on streams of its own, five single-event appends per stream
 * with exact expected revisions (an appeal's lifecycle).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/event-store-append.ts
 *
 * Starts an embedded PostgreSQL unless DATABASE_URL is set (then it works in a throw-away schema).
 * BENCH_SECONDS (default 5) per level, BENCH_LEVELS (default "1,16,32"); group commit of appends as
 * the engine's settings say (EVENT_STORE_APPEND_BATCH, EVENT_STORE_APPEND_BATCHES_IN_FLIGHT).
 * "pg CPU" is the CPU time of the server's processes per append over the measured window (from
 * /proc; embedded server only): steadier than appends/s on a shared machine.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PostgresEventStore, type EventStore, type NewEvent } from '@appeal-ledger/event-store';
import { loadConfig } from '../apps/api/src/config/app-config';
import { benchDatabase } from './support/embedded-postgres';
import { eventPayload } from './compare/workload';
import { cpuMsOf } from './support/stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,16,32').split(',').map(Number);
const WARM_UP_MS = 1_000;
const LIFECYCLE = [
  'AppealRegistered',
  'ExecutorAssigned',
  'InterimAnswerSent',
  'FinalAnswerSent',
  'AppealClosed',
];

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL ? await schemaOn(process.env.DATABASE_URL) : await benchDatabase();
  try {
    const settings = await withClient(server.url, async (c) => {
      const { rows } = await c.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method')",
      );
      return rows.map((r) => `${r.name}=${r.setting}`).join(' ');
    });
    console.log(`PostgreSQL ${settings}; ${SECONDS} s per level`);
    console.log('appenders  appends    appends/s  p50 ms  p99 ms  max ms  pg CPU/append ms');
    for (const appenders of LEVELS) {
      const pool = new Pool({ connectionString: server.url, max: appenders + 1 });
      // pool.end() resolves before sockets close; the server stopping right after must not crash us.
      pool.on('error', () => undefined);
      const store = new PostgresEventStore(pool, { appendBatch: loadConfig().eventStoreAppendBatch });
      await store.migrate();
      const r = await measure(store, appenders, () => serverCpuMs(pool));

      console.log(
        `${String(appenders).padStart(9)}  ${String(r.count).padStart(7)}  ${r.rate.toFixed(0).padStart(11)}  ${r.p50.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(6)}  ${r.max.toFixed(1).padStart(6)}  ${r.serverCpuPerAppend.toFixed(3).padStart(16)}`,
      );
      const batching = store.appendBatchStats();
      if (batching)
        console.log(
          `           ${batching.statements} statements, ${batching.batches} batches of ${(batching.batched / Math.max(1, batching.batches)).toFixed(1)} appends on average, ${batching.fallbacks} fallbacks (warm-up included)`,
        );
      await store.close();
      await pool.end();
    }
  } finally {
    await server.stop();
  }
}

/** CPU ms used so far by the server's processes (backends and background workers) on this machine. */
async function serverCpuMs(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity');
  let total = 0;
  for (const { pid } of rows) {
    try {
      total += cpuMsOf(pid);
    } catch {
      // not on this machine, or ended meanwhile
    }
  }
  return total;
}

async function measure(
  store: EventStore,
  appenders: number,
  serverCpu: () => Promise<number>,
): Promise<{
  count: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  serverCpuPerAppend: number;
}> {
  const latencies: number[] = [];
  const start = Date.now();
  const measureFrom = start + WARM_UP_MS;
  const end = measureFrom + SECONDS * 1_000;
  const cpuFrom = new Promise<number>((resolve) =>
    setTimeout(() => void serverCpu().then(resolve, () => resolve(NaN)), WARM_UP_MS),
  );
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (Date.now() < end) {
        const streamId = `appeal-${randomUUID()}`;
        for (const [revision, type] of LIFECYCLE.entries()) {
          const t0 = process.hrtime.bigint();
          await store.append(streamId, [event(type)], revision === 0 ? 'no_stream' : revision - 1);
          const t1 = process.hrtime.bigint();
          if (Date.now() >= measureFrom) latencies.push(Number(t1 - t0) / 1e6);
        }
      }
    }),
  );
  const elapsed = (Date.now() - measureFrom) / 1_000;
  const cpu = (await serverCpu()) - (await cpuFrom);
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
  return {
    count: latencies.length,
    rate: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies[latencies.length - 1],
    serverCpuPerAppend: cpu / latencies.length,
  };
}

function event(type: string): NewEvent {
  const commandId = randomUUID();
  return { id: randomUUID(), type, ...eventPayload(commandId, commandId) };
}

/** A throw-away schema on an existing server. */
async function schemaOn(url: string): Promise<Server> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withClient(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    stop: () => withClient(url, (c) => c.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The measuring loop shared by the comparison's in-process workloads (bench/compare.ts): N clients,
 * each repeating a five-command lifecycle; a warm-up, then a measured window in which every command's
 * latency, this process's CPU and the PostgreSQL server's CPU (from /proc) are taken. The result goes
 * to stdout and, when BENCH_RESULT_FILE is set, to that file as JSON (for bench/compare.ts).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import type { NewEvent } from '@appeal-ledger/event-store';
import {
  databaseCounters,
  ownCpuMs,
  perCommand,
  postgresCpuMs,
  postmasterPid,
} from '../support/postgres-cpu';
import { summarise } from '../support/stats';

export interface WorkloadOptions {
  clients: number;
  seconds: number;
  warmup: number;
}

export function workloadOptions(): WorkloadOptions {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
    },
  });
  return { clients: Number(values.clients), seconds: Number(values.seconds), warmup: Number(values.warmup) };
}

/** What every workload of the comparison reports. CPU figures are ms per command. */
export interface WorkloadResult {
  workload: string;
  clients: number;
  seconds: number;
  commands: number;
  commandsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** the process that decides and appends (the engine, or the in-process peer) */
  appCpuMsPerCommand: number;
  postgresCpuMsPerCommand: number;
  /** the process that sends the commands, when it is not the app (over HTTP) */
  loadGeneratorCpuMsPerCommand?: number;
  /** more than one engine process: each one's CPU per command of the whole load */
  enginesCpuMsPerCommand?: number[];
  /** transactions committed in the workload's database per command (pg_stat_database) */
  commitsPerCommand?: number;
  rowsInsertedPerCommand?: number;
  /** WAL written by the server per command */
  walBytesPerCommand?: number;
}

/** One command of a client's lifecycle: `step` 0..4 on the client's current appeal. */
export type Lifecycle = (client: number, step: number, appeal: { id: string }) => Promise<void>;

export async function runWorkload(
  name: string,
  pool: Pool,
  options: WorkloadOptions,
  lifecycle: Lifecycle,
): Promise<WorkloadResult> {
  const postmaster = await postmasterPid(pool);
  const latencies: number[] = [];
  let measuring = false;
  let stop = false;
  let errors = 0;
  const client = async (i: number): Promise<void> => {
    while (!stop) {
      const appeal = { id: '' };
      for (let step = 0; step < 5; step++) {
        const t0 = performance.now();
        try {
          await lifecycle(i, step, appeal);
        } catch (error) {
          errors++;
          if (errors === 1) process.stderr.write(`${name}: ${String(error)}\n`);
          break;
        }
        if (measuring) latencies.push(performance.now() - t0);
      }
    }
  };
  const runs = Array.from({ length: options.clients }, (_, i) => client(i));
  await new Promise((r) => setTimeout(r, options.warmup * 1000));
  measuring = true;
  const cpu0 = ownCpuMs();
  const pg0 = postgresCpuMs(postmaster);
  const counters0 = await databaseCounters(pool);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, options.seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = ownCpuMs() - cpu0;
  const pg = postgresCpuMs(postmaster) - pg0;
  const counters1 = await databaseCounters(pool);
  stop = true;
  await Promise.allSettled(runs);
  const s = summarise(latencies, elapsed);
  return {
    workload: name,
    clients: options.clients,
    seconds: Number(elapsed.toFixed(1)),
    commands: s.count,
    commandsPerSecond: Math.round(s.perSecond),
    p50Ms: Number(s.p50.toFixed(2)),
    p99Ms: Number(s.p99.toFixed(2)),
    errors,
    appCpuMsPerCommand: Number((cpu / s.count).toFixed(3)),
    postgresCpuMsPerCommand: Number((pg / s.count).toFixed(3)),
    ...perCommand(counters0, counters1, s.count),
  };
}

export function report(result: object): void {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (process.env.BENCH_RESULT_FILE) writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify(result));
}

/** An event's payload of the size and shape of the engine's (bench/event-store-append.ts appends it too). */
export function eventPayload(appealId: string, commandId: string): Pick<NewEvent, 'data' | 'metadata'> {
  return {
    data: {
      appealId,
      registrationNumber: 'ОГ-2026/004217',
      summary: 'Прошу принять меры по ремонту подъезда и очистке кровли от снега',
      questions: [{ code: '0005.0005.0056.1154', result: 'in_work' }],
      executor: { id: 'user-17', name: 'Смирнова Е. В.', role: 'specialist' },
      dueDate: '2026-12-28',
    },
    metadata: {
      occurredAt: new Date().toISOString(),
      actor: { id: 'user-1', name: 'Оператор' },
      commandId,
      correlationId: commandId,
      causationId: commandId,
      schemaVersion: 1,
    },
  };
}

export const LIFECYCLE_EVENTS = [
  'AppealRegistered',
  'ExecutorAssigned',
  'InterimAnswerSent',
  'FinalAnswerSent',
  'AppealClosed',
] as const;

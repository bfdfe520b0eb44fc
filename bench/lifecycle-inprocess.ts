/**
 * The full appeal lifecycle in-process: the engine's command pipeline without HTTP (register, assign,
 * interim answer, final answer, close), N concurrent loops, durable commits on embedded PostgreSQL.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/lifecycle-inprocess.ts [--clients 16] [--seconds 20]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createLogger } from '../apps/api/src/logging/logger';
import {
  AppealCommandService,
  type CommandOptions,
  type CommandOutcome,
  type DoneOutcome,
} from '../apps/api/src/appeals/appeal-command.service';
import {
  AppealRegistration,
  type RegistrationInput,
} from '../apps/api/src/appeals/register-appeal/appeal-registration';
import type { Principal } from '../apps/api/src/auth/principal';
import { RegistrationWriter } from '../apps/api/src/appeals/register-appeal/registration-writer';
import { Pool } from 'pg';
import { EVENT_STORE, PostgresEventStore, type EventStore } from '@appeal-ledger/event-store';
import { report, type WorkloadResult } from './compare/workload';
import { benchDatabase } from './support/embedded-postgres';
import { databaseCounters, ownCpuMs, perCommand, postgresCpuMs, postmasterPid } from './support/postgres-cpu';
import { summarise } from './support/stats';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);

const request = (principal: Principal): CommandOptions => ({
  principal,
  fingerprint: '',
  correlationId: 'bench',
});

async function main(): Promise<void> {
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: 'bench-secret-0123456789abcdef0123456789',
    // Off by default here; bench/compare.ts turns the reminder tick on, as over HTTP.
    RUN_REMINDERS: process.env.RUN_REMINDERS ?? 'false',
  });
  const engine = await createEngine(config, createLogger('warn'), { listen: false });
  const commands = engine.app.get(AppealCommandService);
  const store = engine.app.get<EventStore>(EVENT_STORE);
  const batching = (): { statements: number; batches: number; batched: number; fallbacks: number } =>
    (store instanceof PostgresEventStore ? store.appendBatchStats() : undefined) ?? {
      statements: 0,
      batches: 0,
      batched: 0,
      fallbacks: 0,
    };
  const registration = engine.app.get(AppealRegistration);
  const writer = engine.app.get(RegistrationWriter);
  const registrationBatching = (): {
    statements: number;
    batches: number;
    batched: number;
    fallbacks: number;
  } => writer.batchStats() ?? { statements: 0, batches: 0, batched: 0, fallbacks: 0 };
  const registrar: Principal = {
    id: 'bench-registrar',
    name: 'Регистратор',
    roles: ['registrar', 'controller'],
  };
  const probe = new Pool({ connectionString: db.url, max: 1 });
  const postmaster = await postmasterPid(probe);
  const latencies: number[] = [];
  // registrations apart: they take the year's numbering lock and hold it to COMMIT
  const registrations: number[] = [];
  let measuring = false;
  let stop = false;
  const timed = async (run: () => Promise<CommandOutcome>, registering = false): Promise<DoneOutcome> => {
    const t0 = performance.now();
    const out = await run();
    if (measuring) {
      latencies.push(performance.now() - t0);
      if (registering) registrations.push(performance.now() - t0);
    }
    if (out.status !== 'done') throw new Error(`bench command: ${out.status}`);
    return out;
  };
  const at = (value: string): string => commands.businessTime(value);
  const client = async (i: number): Promise<void> => {
    const executor: Principal = { id: `bench-executor-${i}`, name: `Исполнитель ${i}`, roles: ['executor'] };
    while (!stop) {
      const body: RegistrationInput = {
        receivedAt: '2018-03-05',
        registeredAt: '2018-03-06',
        channel: 'written',
        kind: 'complaint',
        applicants: [{ name: `Петров ${i}`, address: 'п. Елань' }],
        questions: [{ code: '0005.0005.0056.1149' }],
      };
      const { loaded } = await timed(() => registration.register(body, request(registrar)), true);
      const id = loaded.state.context.appealId;
      const run = (options: CommandOptions, command: Parameters<typeof commands.execute>[1]['command']) =>
        timed(() => commands.execute(id, { command, occurredAt: at('2018-03-06') }, options));
      await run(request(registrar), {
        type: 'AssignExecutor',
        data: {
          executor: { id: executor.id, name: executor.name },
          department: 'Отдел',
          assignedAt: at('2018-03-07'),
        },
      });
      await run(request(executor), {
        type: 'SendInterimAnswer',
        data: { sentAt: at('2018-03-20'), summary: 'в работе' },
      });
      await run(request(executor), {
        type: 'SendFinalAnswer',
        data: {
          sentAt: at('2018-03-28'),
          summary: 'ответ',
          results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
        },
      });
      await run(request(registrar), { type: 'RemoveFromControl', data: { closedAt: at('2018-03-29') } });
    }
  };
  const runs = Array.from({ length: CLIENTS }, (_, i) => client(i));
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  measuring = true;
  const cpu0 = ownCpuMs();
  const pg0 = postgresCpuMs(postmaster);
  const counters0 = await databaseCounters(probe);
  const batching0 = batching();
  const registering0 = registrationBatching();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpuMs = ownCpuMs() - cpu0;
  const pgMs = postgresCpuMs(postmaster) - pg0;
  const counters1 = await databaseCounters(probe);
  const batching1 = batching();
  const registering1 = registrationBatching();
  await probe.end();
  stop = true;
  await Promise.allSettled(runs);
  const s = summarise(latencies, elapsed);
  const r = summarise(registrations, elapsed);
  const others = summarise(
    latencies.filter((ms) => !registrations.includes(ms)),
    elapsed,
  );
  const result: WorkloadResult & Record<string, number | string> = {
    workload: 'Appeal Ledger in-process',
    clients: CLIENTS,
    seconds: Number(elapsed.toFixed(1)),
    commands: s.count,
    commandsPerSecond: Math.round(s.perSecond),
    p50Ms: Number(s.p50.toFixed(2)),
    p99Ms: Number(s.p99.toFixed(2)),
    errors: 0,
    // the engine and its 16 loops share this process
    appCpuMsPerCommand: Number((cpuMs / s.count).toFixed(3)),
    postgresCpuMsPerCommand: Number((pgMs / s.count).toFixed(3)),
    ...perCommand(counters0, counters1, s.count),
    processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    registerP50Ms: Number(r.p50.toFixed(2)),
    registerP99Ms: Number(r.p99.toFixed(2)),
    otherCommandsP50Ms: Number(others.p50.toFixed(2)),
    otherCommandsP99Ms: Number(others.p99.toFixed(2)),
    // group commit of appends (EVENT_STORE_APPEND_BATCH): statements sent by store.append(), batches among
    // them, appends answered by a batch, batches that fell back to one at a time (0 when it is off)
    appendStatements: batching1.statements - batching0.statements,
    appendBatches: batching1.batches - batching0.batches,
    batchedAppends: batching1.batched - batching0.batched,
    appendBatchFallbacks: batching1.fallbacks - batching0.fallbacks,
    // group commit of registrations (REGISTRATION_BATCH): the same for the registrations' statements
    registrationStatements: registering1.statements - registering0.statements,
    registrationBatches: registering1.batches - registering0.batches,
    batchedRegistrations: registering1.batched - registering0.batched,
    registrationBatchFallbacks: registering1.fallbacks - registering0.fallbacks,
  };
  report(result);
  await engine.stop();
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});

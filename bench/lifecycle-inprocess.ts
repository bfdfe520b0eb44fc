/**
 * The full appeal lifecycle in-process: the engine's CommandBus without HTTP (register, assign,
 * interim answer, final answer, close), N concurrent loops, durable commits on embedded PostgreSQL.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/lifecycle-inprocess.ts [--clients 16] [--seconds 20]
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandBus } from '@nestjs/cqrs';
import { createEngine } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createLogger } from '../apps/api/src/logging/logger';
import type { CommandOutcome, CommandRequest } from '../apps/api/src/appeals/appeal-command.service';
import { AssignExecutorCommand } from '../apps/api/src/appeals/assign-executor/assign-executor.command';
import { RegisterAppealCommand } from '../apps/api/src/appeals/register-appeal/register-appeal.command';
import { RemoveFromControlCommand } from '../apps/api/src/appeals/remove-from-control/remove-from-control.command';
import { SendFinalAnswerCommand } from '../apps/api/src/appeals/send-final-answer/send-final-answer.command';
import { SendInterimAnswerCommand } from '../apps/api/src/appeals/send-interim-answer/send-interim-answer.command';
import type { Principal } from '../apps/api/src/auth/principal';
import { benchDatabase } from './support/embedded-postgres';
import { summarise } from './support/stats';

const { values } = parseArgs({
  options: { clients: { type: 'string', default: '16' }, seconds: { type: 'string', default: '20' } },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);

const request = (principal: Principal): CommandRequest => ({
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
    RUN_REMINDERS: 'false',
  });
  const engine = await createEngine(config, createLogger('warn'), { listen: false });
  const bus = engine.app.get(CommandBus);
  const registrar: Principal = {
    id: 'bench-registrar',
    name: 'Регистратор',
    roles: ['registrar', 'controller'],
  };
  const latencies: number[] = [];
  let measuring = false;
  let stop = false;
  const timed = async <C extends object>(command: C): Promise<CommandOutcome> => {
    const t0 = performance.now();
    const out = await bus.execute<C, CommandOutcome>(command);
    if (measuring) latencies.push(performance.now() - t0);
    return out;
  };
  const client = async (i: number): Promise<void> => {
    const executor: Principal = { id: `bench-executor-${i}`, name: `Исполнитель ${i}`, roles: ['executor'] };
    while (!stop) {
      const { appeal } = await timed(
        new RegisterAppealCommand(
          {
            receivedAt: '2018-03-05',
            registeredAt: '2018-03-06',
            channel: 'written',
            kind: 'complaint',
            applicants: [{ name: `Петров ${i}`, address: 'п. Елань' }],
            questions: [{ code: '0005.0005.0056.1149' }],
          },
          request(registrar),
        ),
      );
      const id = appeal.state.context.appealId;
      await timed(
        new AssignExecutorCommand(
          id,
          {
            executor: { id: executor.id, name: executor.name },
            department: 'Отдел',
            assignedAt: '2018-03-07',
          },
          request(registrar),
        ),
      );
      await timed(
        new SendInterimAnswerCommand(id, { sentAt: '2018-03-20', summary: 'в работе' }, request(executor)),
      );
      await timed(
        new SendFinalAnswerCommand(
          id,
          {
            sentAt: '2018-03-28',
            summary: 'ответ',
            results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
          },
          request(executor),
        ),
      );
      await timed(new RemoveFromControlCommand(id, { closedAt: '2018-03-29' }, request(registrar)));
    }
  };
  const runs = Array.from({ length: CLIENTS }, (_, i) => client(i));
  await new Promise((r) => setTimeout(r, 3000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.allSettled(runs);
  const s = summarise(latencies, elapsed);
  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'lifecycle in-process (CommandBus)',
        clients: CLIENTS,
        commandsPerSecond: Math.round(s.perSecond),
        p50Ms: Number(s.p50.toFixed(2)),
        p99Ms: Number(s.p99.toFixed(2)),
        processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ) + '\n',
  );
  await engine.stop();
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});

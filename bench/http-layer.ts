/**
 * What the HTTP layer costs per command (issue 16, session 12): the same five-command lifecycle as
 * lifecycle-http.ts, in ONE process, driven either through `app.inject()` (Fastify's routing and
 * hooks, Nest's guard, pipe and filters, the controllers, the response view, JSON — no sockets) or
 * straight through the command services (what lifecycle-inprocess.ts measures), and the process's CPU
 * per command from `process.cpuUsage()`. The difference is the HTTP layer without the kernel's socket
 * work; `node --cpu-prof` on this bench (scripts/cpu-profile-by-file.js) splits it by file.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/http-layer.ts [--mode inject|inprocess]
 *     [--clients 16] [--seconds 15] [--warmup 3]
 *
 * Applicants are distinct (every tenth a repeat, as `--applicants distinct` over HTTP), in both modes;
 * `inprocess` also runs the registration answer's lookup and renders each command's summary, as the
 * controllers do, so the two modes do the same domain work.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { JwtService } from '@nestjs/jwt';
import { createEngine } from '../apps/api/src/bootstrap';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createLogger } from '../apps/api/src/logging/logger';
import {
  AppealCommandService,
  type CommandOptions,
  type CommandOutcome,
  type DoneOutcome,
} from '../apps/api/src/appeals/appeal-command.service';
import { AppealRegistration } from '../apps/api/src/appeals/register-appeal/appeal-registration';
import { AppealSummaryRenderer } from '../apps/api/src/appeals/appeal-summary';
import { AppealRepository } from '../apps/api/src/appeals/appeal.repository';
import { RelatedAppealsService } from '../apps/api/src/applicant-matching/related-appeals.service';
import type { Principal } from '../apps/api/src/auth/principal';
import { AuthGuard } from '../apps/api/src/auth/auth.guard';
import type { AuthenticatedRequest } from '../apps/api/src/auth/auth.decorators';
import { PersonalDataVault } from '../apps/api/src/personal-data/personal-data.vault';
import { PersonalDataAccessLog } from '../apps/api/src/personal-data/personal-data-access-log';
import { ValidationPipe, type ExecutionContext } from '@nestjs/common';
import { benchDatabase } from './support/embedded-postgres';
import { summarise } from './support/stats';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'inject' },
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    // a CPU profile of the measured window only (node:inspector), written to this file
    profile: { type: 'string' },
    // pieces switched off, to measure what each costs (a comma list): `guard` (the token is looked up
    // in a map instead of verified, no rate limit or roles), `pipe` (the body reaches the handler as
    // parsed: no class-transformer, class-validator or fact window), `render` (the summary without
    // the applicants' decryption and the access log's row)
    skip: { type: 'string', default: '' },
  },
});
const SKIP = new Set(values.skip.split(',').filter(Boolean));
const MODE = values.mode;
if (MODE !== 'inject' && MODE !== 'inprocess') throw new Error('--mode inject | inprocess');
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const SECRET = 'bench-secret-0123456789abcdef0123456789';

function applicantOf(i: number, n: number): { name: string; address: string } {
  const k = n % 10 === 0 && n > 1 ? n - 1 : n;
  return { name: `Петров ${i}-${k} Иван`, address: `п. Елань, ул. Ленина, д. ${k}, кв. ${i + 1}` };
}

/** Principals of the bench's tokens, for `--skip guard`. */
const principalsByToken = new Map<string, Principal>();

function switchOff(): void {
  if (SKIP.has('guard')) {
    AuthGuard.prototype.canActivate = function (context: ExecutionContext): Promise<boolean> {
      const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
      req.principal = principalsByToken.get((req.headers.authorization ?? '').slice('Bearer '.length));
      return Promise.resolve(true);
    };
  }
  if (SKIP.has('pipe')) ValidationPipe.prototype.transform = (value: unknown) => Promise.resolve(value);
  if (SKIP.has('render')) {
    PersonalDataVault.prototype.open = (sealed) =>
      Promise.resolve(sealed.map((s) => ({ applicantId: s.applicantId, name: '', address: '' })));
    PersonalDataAccessLog.prototype.record = () => Promise.resolve();
  }
}

async function main(): Promise<void> {
  switchOff();
  const db = await benchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    RUN_REMINDERS: process.env.RUN_REMINDERS ?? 'true',
  });
  const engine = await createEngine(config, createLogger('warn'), { listen: false });
  const app = engine.app;
  const commands = app.get(AppealCommandService);
  const registration = app.get(AppealRegistration);
  const renderer = app.get(AppealSummaryRenderer);
  const related = app.get(RelatedAppealsService);
  const repository = app.get(AppealRepository);
  const jwt = new JwtService({ secret: SECRET });
  const registrar: Principal = {
    id: 'bench-registrar',
    name: 'Регистратор',
    roles: ['registrar', 'controller'],
  };
  const registrarToken = jwt.sign(
    { sub: registrar.id, name: registrar.name, roles: registrar.roles },
    { expiresIn: '12h' },
  );
  principalsByToken.set(registrarToken, registrar);
  const latencies: number[] = [];
  let measuring = false;
  let stop = false;
  let errors = 0;

  const injected = async (
    method: 'POST',
    url: string,
    token: string,
    body: unknown,
  ): Promise<Record<string, unknown>> => {
    const t0 = performance.now();
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (measuring) latencies.push(performance.now() - t0);
    if (res.statusCode >= 300) {
      errors++;
      throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    }
    return JSON.parse(res.body) as Record<string, unknown>;
  };
  const options = (principal: Principal): CommandOptions => ({
    principal,
    fingerprint: '',
    correlationId: 'bench',
  });
  const direct = async (principal: Principal, run: () => Promise<CommandOutcome>): Promise<DoneOutcome> => {
    const t0 = performance.now();
    const out = await run();
    if (out.status !== 'done') throw new Error(`bench command: ${out.status}`);
    await renderer.render(out.loaded, principal, out.written ? 'command' : 'read');
    if (measuring) latencies.push(performance.now() - t0);
    return out;
  };

  const client = async (i: number): Promise<void> => {
    const executor: Principal = { id: `bench-executor-${i}`, name: `Исполнитель ${i}`, roles: ['executor'] };
    const executorToken = jwt.sign(
      { sub: executor.id, name: executor.name, roles: executor.roles },
      { expiresIn: '12h' },
    );
    principalsByToken.set(executorToken, executor);
    let n = 0;
    while (!stop) {
      n++;
      const question = { code: '0005.0005.0056.1149', summary: 'отопление' };
      const applicant = applicantOf(i, n);
      if (MODE === 'inject') {
        const appeal = await injected('POST', '/appeals', registrarToken, {
          receivedAt: '2018-03-05',
          registeredAt: '2018-03-06',
          channel: 'written',
          kind: 'complaint',
          applicants: [applicant],
          questions: [question],
        });
        const id = String(appeal.id);
        await injected('POST', `/appeals/${id}/assignment`, registrarToken, {
          executor: { id: executor.id, name: executor.name },
          department: `Отдел ${i % 4}`,
          assignedAt: '2018-03-07',
        });
        await injected('POST', `/appeals/${id}/interim-answers`, executorToken, {
          sentAt: '2018-03-20',
          summary: 'в работе',
        });
        await injected('POST', `/appeals/${id}/final-answer`, executorToken, {
          sentAt: '2018-03-28',
          summary: 'разъяснено',
          results: [{ questionCode: question.code, result: 'explained' }],
        });
        await injected('POST', `/appeals/${id}/closure`, registrarToken, { closedAt: '2018-03-29' });
        continue;
      }
      const at = (value: string): string => commands.businessTime(value);
      const done = await direct(registrar, () =>
        registration.register(
          {
            receivedAt: '2018-03-05',
            registeredAt: '2018-03-06',
            channel: 'written',
            kind: 'complaint',
            applicants: [applicant],
            questions: [question],
          },
          options(registrar),
        ),
      );
      const state = done.loaded.state.context;
      const id = state.appealId;
      await related.atRegistration(
        {
          id,
          position: done.loaded.position,
          registeredOn: '2018-03-06',
          questionCodes: [question.code],
          applicants: [applicant],
        },
        registrar,
        (ids) => repository.loadMany(ids),
      );
      const run = (principal: Principal, command: Parameters<typeof commands.execute>[1]['command']) =>
        direct(principal, () =>
          commands.execute(id, { command, occurredAt: at('2018-03-06') }, options(principal)),
        );
      await run(registrar, {
        type: 'AssignExecutor',
        data: {
          executor: { id: executor.id, name: executor.name },
          department: `Отдел ${i % 4}`,
          assignedAt: at('2018-03-07'),
        },
      });
      await run(executor, {
        type: 'SendInterimAnswer',
        data: { sentAt: at('2018-03-20'), summary: 'в работе' },
      });
      await run(executor, {
        type: 'SendFinalAnswer',
        data: {
          sentAt: at('2018-03-28'),
          summary: 'разъяснено',
          results: [{ questionCode: question.code, result: 'explained' }],
        },
      });
      await run(registrar, { type: 'RemoveFromControl', data: { closedAt: at('2018-03-29') } });
    }
  };
  const runs = Array.from({ length: CLIENTS }, (_, i) =>
    client(i).catch((error: unknown) => {
      stop = true;
      throw error;
    }),
  );
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const session = values.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  measuring = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - t0) / 1000;
  if (session && values.profile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values.profile, JSON.stringify(profile));
    session.disconnect();
  }
  stop = true;
  const settled = await Promise.allSettled(runs);
  const s = summarise(latencies, elapsed);
  const cpuUs = cpu.user + cpu.system;
  console.log(
    JSON.stringify({
      mode: MODE,
      skip: [...SKIP].join(','),
      clients: CLIENTS,
      seconds: Number(elapsed.toFixed(1)),
      commands: s.count,
      commandsPerSecond: Math.round(s.perSecond),
      p99Ms: Number(s.p99.toFixed(2)),
      errors,
      failed: settled
        .filter((r) => r.status === 'rejected')
        .map((r) => String(r.reason))
        .slice(0, 1),
      cpuUsPerCommand: Math.round(cpuUs / s.count),
      userUsPerCommand: Math.round(cpu.user / s.count),
      systemUsPerCommand: Math.round(cpu.system / s.count),
    }),
  );
  await engine.stop();
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});

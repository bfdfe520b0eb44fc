/**
 * Full appeal lifecycle over HTTP with concurrent clients: register, assign, interim answer, final
 * answer, close. The engine runs as its own process (compiled dist/, durable commits) so its peak
 * RSS is measured apart from PostgreSQL.
 *
 *   npm run build && npx ts-node --transpile-only bench/lifecycle-http.ts [--clients 16] [--seconds 20] [--engines 1]
 *     [--applicants same|distinct]
 *
 * `--applicants` (applicantOf below): `same`, the default, sends every appeal from one applicant
 * address (each registration's answer names 20 earlier appeals: the worst case of the lookup);
 * `distinct` gives each appeal its own applicant, every tenth a repeat of the one before.
 *
 * `--engines 2` starts two engine processes on the one PostgreSQL and spreads the clients over them
 * (client i talks to engine i mod 2; with `--spread command` each command goes to the next engine):
 * scale-out of the command path. The engines share the personal-data and integrity keys, as
 * instances of one installation must. `--port` is the first engine's
 * port (the next ones follow); without it, free ports are taken.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { HttpConnection } from './support/http-connection';
import { Pool } from 'pg';
import { freePort } from '../apps/api/src/database/database-server';
import { report, type WorkloadResult } from './compare/workload';
import { benchDatabase } from './support/embedded-postgres';
import {
  databaseCounters,
  ownCpuMs,
  perCommand as countersPerCommand,
  postgresCpuMs,
  postmasterPid,
} from './support/postgres-cpu';
import { cpuMsOf, machineBusyMs, memoryOf, summarise } from './support/stats';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    port: { type: 'string' },
    engines: { type: 'string', default: '1' },
    spread: { type: 'string', default: 'appeal' },
    applicants: { type: 'string', default: process.env.BENCH_APPLICANTS ?? 'same' },
    // the load generator's HTTP client: `socket` (bench/support/http-connection.ts, the default) or
    // node:http's (`node`, what every run before session 10 used: ~0.3–0.45 ms more CPU per command)
    client: { type: 'string', default: process.env.BENCH_HTTP_CLIENT ?? 'socket' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const ENGINES = Number(values.engines);
const SPREAD = values.spread;
if (SPREAD !== 'appeal' && SPREAD !== 'command') throw new Error('--spread appeal | command');
const APPLICANTS = values.applicants;
if (APPLICANTS !== 'same' && APPLICANTS !== 'distinct') throw new Error('--applicants same | distinct');
const HTTP_CLIENT = values.client;
if (HTTP_CLIENT !== 'socket' && HTTP_CLIENT !== 'node') throw new Error('--client socket | node');

/** A surname no other counter gives (the index's name key ignores digits). */
function surname(k: number): string {
  const letters = 'абвгдежзиклмнопрстуфхцчшэюя';
  let out = '';
  for (let n = k + letters.length; n > 0; n = Math.floor(n / letters.length))
    out = letters[n % letters.length] + out;
  return `${out[0].toUpperCase()}${out.slice(1)}ов`;
}

/**
 * The applicant of client i's n-th appeal. `same` (the default, the worst case for the registration's
 * lookup): every appeal from one address and one surname, so each registration matches every earlier
 * one and names MAX_CANDIDATES of them. `distinct`: each appeal its own applicant at its own address,
 * except every tenth, which comes from the applicant of the client's appeal before it (a repeat: about
 * one candidate).
 */
function applicantOf(i: number, n: number): { name: string; address: string } {
  if (APPLICANTS === 'same') return { name: `Петров ${i}-${n}`, address: 'п. Елань, ул. Ленина, 1' };
  const k = n % 10 === 0 && n > 1 ? n - 1 : n;
  return {
    name: `${surname(i * 1_000_000 + k)} Иван Петрович`,
    address: `п. Елань, ул. Ленина, д. ${k}, кв. ${i + 1}`,
  };
}
const SECRET = 'bench-secret-0123456789abcdef0123456789';

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });
/** the clients' own connections (`--client socket`), closed at the end */
const connections: HttpConnection[] = [];

function call(
  port: number,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function waitForHealth(port: number, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    try {
      const res = await call(port, 'GET', '/health', '');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('engine did not become healthy');
}

/** GET /metrics needs a token (METRICS_TOKEN) */
const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

async function main(): Promise<void> {
  const db = await benchDatabase();
  const nodeArgs = (process.env.ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const ports: number[] = [];
  for (let k = 0; k < ENGINES; k++) ports.push(values.port ? Number(values.port) + k : await freePort());
  // each engine its own DATA_DIR, as docs/reminders.md asks of a second instance
  const sharedKeys = {
    personalData: randomBytes(32).toString('base64'),
    integrity: randomBytes(32).toString('base64'),
  };
  const dataDirs = ports.map(() => mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-')));
  const engines = ports.map((port, k) =>
    spawn(process.execPath, [...nodeArgs, '-r', './scripts/register-paths.js', 'dist/apps/api/src/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDirs[k],
        PERSONAL_DATA_MASTER_KEY: sharedKeys.personalData,
        EVENT_STORE_INTEGRITY_KEY: sharedKeys.integrity,
        PORT: String(port),
        HOST: '127.0.0.1',
        AUTH_JWT_SECRET: SECRET,
        // One registrar drives every appeal from one address: the limits would measure themselves.
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
        METRICS_TOKEN: BENCH_METRICS_TOKEN,
        LOG_LEVEL: 'warn',
        RUN_REMINDERS: process.env.RUN_REMINDERS ?? 'true',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  const probe = new Pool({ connectionString: db.url, max: 1 });
  const postmaster = await postmasterPid(probe);
  try {
    for (const port of ports) await waitForHealth(port, Date.now() + 120_000);
    const jwt = new JwtService({ secret: SECRET });
    const registrar = jwt.sign(
      {
        sub: 'bench-registrar',
        name: 'Регистратор',
        roles: ['registrar', 'controller'],
      },
      { expiresIn: '12h' },
    );
    const executors = Array.from({ length: CLIENTS }, (_, i) =>
      jwt.sign(
        { sub: `bench-executor-${i}`, name: `Исполнитель ${i}`, roles: ['executor'] },
        { expiresIn: '12h' },
      ),
    );
    const latencies: number[] = [];
    let measuring = false;
    let errors = 0;
    let stop = false;
    /** one command over the client's own connection to `port` (or node:http's agent with `--client node`) */
    const send = async (
      connection: HttpConnection,
      port: number,
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ): Promise<{ status: number; json: Record<string, unknown> }> => {
      if (HTTP_CLIENT === 'node') return call(port, method, path, token, body);
      const answer = await connection.request(
        method,
        path,
        { authorization: `Bearer ${token}` },
        body === undefined ? undefined : JSON.stringify(body),
      );
      return {
        status: answer.status,
        json: answer.text ? (JSON.parse(answer.text) as Record<string, unknown>) : {},
      };
    };
    const timed = async (
      connectionTo: (port: number) => HttpConnection,
      port: number,
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ): Promise<Record<string, unknown>> => {
      const t0 = performance.now();
      const res = await send(connectionTo(port), port, method, path, token, body);
      const ms = performance.now() - t0;
      if (measuring) latencies.push(ms);
      if (res.status >= 300) {
        errors++;
        throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.json)}`);
      }
      return res.json;
    };
    const client = async (i: number): Promise<void> => {
      // --spread appeal: client i stays on engine i mod n; --spread command: each command goes to the
      // next engine, so every engine works on appeals another one changed (the worst case for caches)
      let turn = i;
      const port = (): number => ports[(SPREAD === 'command' ? turn++ : i) % ports.length];
      // the client's own keep-alive connection to each engine
      const own = new Map<number, HttpConnection>();
      const connectionTo = (p: number): HttpConnection => {
        let connection = own.get(p);
        if (!connection) {
          connection = new HttpConnection('127.0.0.1', p);
          own.set(p, connection);
          connections.push(connection);
        }
        return connection;
      };
      let n = 0;
      while (!stop) {
        n++;
        const appeal = await timed(connectionTo, port(), 'POST', '/appeals', registrar, {
          receivedAt: '2018-03-05',
          registeredAt: '2018-03-06',
          channel: 'written',
          kind: 'complaint',
          applicants: [applicantOf(i, n)],
          questions: [{ code: '0005.0005.0056.1149', summary: 'отопление' }],
        });
        const id = String(appeal.id);
        await timed(connectionTo, port(), 'POST', `/appeals/${id}/assignment`, registrar, {
          executor: { id: `bench-executor-${i}`, name: `Исполнитель ${i}` },
          department: `Отдел ${i % 4}`,
          assignedAt: '2018-03-07',
        });
        await timed(connectionTo, port(), 'POST', `/appeals/${id}/interim-answers`, executors[i], {
          sentAt: '2018-03-20',
          summary: 'в работе',
        });
        await timed(connectionTo, port(), 'POST', `/appeals/${id}/final-answer`, executors[i], {
          sentAt: '2018-03-28',
          summary: 'разъяснено',
          results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
        });
        await timed(connectionTo, port(), 'POST', `/appeals/${id}/closure`, registrar, {
          closedAt: '2018-03-29',
        });
      }
    };
    const runs = Array.from({ length: CLIENTS }, (_, i) => client(i));
    await new Promise((r) => setTimeout(r, WARMUP * 1000));
    measuring = true;
    const t0 = performance.now();
    const engineCpu0 = engines.map((engine) => cpuMsOf(engine.pid ?? 0));
    const machineBusy0 = machineBusyMs();
    const pg0 = postgresCpuMs(postmaster);
    const own0 = ownCpuMs();
    const counters0 = await databaseCounters(probe);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    const enginesCpuMs = engines.map((engine, k) => cpuMsOf(engine.pid ?? 0) - engineCpu0[k]);
    const engineCpuMs = enginesCpuMs.reduce((a, b) => a + b, 0);
    const machineBusy = machineBusyMs() - machineBusy0;
    const pgMs = postgresCpuMs(postmaster) - pg0;
    const ownMs = ownCpuMs() - own0;
    const counters1 = await databaseCounters(probe);
    stop = true;
    await Promise.allSettled(runs);
    const memory = memoryOf(engines[0].pid ?? 0);
    const scrape = await new Promise<string>((resolve, reject) => {
      const headers = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };
      request({ host: '127.0.0.1', port: ports[0], path: '/metrics', agent, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    const gauge = (name: string): number =>
      Number(new RegExp(`^${name} (\\S+)`, 'm').exec(scrape)?.[1] ?? NaN) / 1e6;
    const s = summarise(latencies, elapsed);
    const perCommand = (ms: number): number => Number((ms / s.count).toFixed(3));
    const result: WorkloadResult & Record<string, unknown> = {
      workload:
        (ENGINES === 1 ? 'Appeal Ledger over HTTP' : `Appeal Ledger over HTTP, ${ENGINES} engines`) +
        (APPLICANTS === 'distinct' ? ', distinct applicants' : ''),
      engines: ENGINES,
      applicants: APPLICANTS,
      ...(ENGINES > 1 ? { spread: SPREAD } : {}),
      clients: CLIENTS,
      seconds: Number(elapsed.toFixed(1)),
      commands: s.count,
      commandsPerSecond: Math.round(s.perSecond),
      p50Ms: Number(s.p50.toFixed(2)),
      p99Ms: Number(s.p99.toFixed(2)),
      maxMs: Number(s.max.toFixed(1)),
      errors,
      appCpuMsPerCommand: perCommand(engineCpuMs),
      postgresCpuMsPerCommand: perCommand(pgMs),
      loadGeneratorCpuMsPerCommand: perCommand(ownMs),
      ...(ENGINES > 1 ? { enginesCpuMsPerCommand: enginesCpuMs.map(perCommand) } : {}),
      ...countersPerCommand(counters0, counters1, s.count),
      // CPU per command: steadier than commands/s on a machine whose speed varies
      engineCpuMsPerCommand: Number((engineCpuMs / s.count).toFixed(3)),
      engineCpuShareOfOneCore: Number((engineCpuMs / 1000 / elapsed).toFixed(2)),
      machineBusyMsPerCommand: Number((machineBusy / s.count).toFixed(3)),
      machineIdlePercent: Math.round(100 - (machineBusy / 1000 / elapsed / cpus().length) * 100),
      // the first engine's (with --engines 2, the other's is alike)
      enginePeakRssMb: Math.round(memory.peakRssMb),
      engineRssMb: Math.round(memory.rssMb),
      engineHeapUsedMb: Math.round(gauge('appeal_ledger_nodejs_heap_size_used_bytes')),
      engineHeapTotalMb: Math.round(gauge('appeal_ledger_nodejs_heap_size_total_bytes')),
      engineExternalMb: Math.round(gauge('appeal_ledger_nodejs_external_memory_bytes')),
    };
    report(result);
  } finally {
    await Promise.all(
      engines.map(async (engine) => {
        if (engine.exitCode !== null) return;
        const exited = new Promise((r) => engine.once('exit', r));
        engine.kill('SIGTERM');
        await exited;
      }),
    );
    agent.destroy();
    for (const connection of connections) connection.close();
    await probe.end();
    await db.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});

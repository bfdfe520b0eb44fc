/** Starts a throw-away embedded PostgreSQL for a benchmark (or uses DATABASE_URL). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_POSTGRES_FLAGS, freePort } from '../../apps/api/src/database/database-server';
import {
  initialiseCluster,
  postgresAccount,
  runnableBinaries,
  startServer,
} from '../../apps/api/src/database/embedded-postgres';

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise a fresh embedded PostgreSQL with durable commits (`fsync`,
 * `synchronous_commit` on), plus `flags`; `keep` leaves its data folder behind. As root it runs as
 * user `postgres` from binaries it can reach, like the engine's (embedded-postgres.ts). `dataDir`: the
 * cluster in that folder, made there when it holds none, and never removed (a bench can then reuse
 * what an earlier run loaded).
 */
export async function benchDatabase(
  options: { flags?: string[]; keep?: boolean; dataDir?: string } = {},
): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  const account = postgresAccount();
  const binaries = runnableBinaries(account);
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-pg-'));
  const keep = options.keep === true || options.dataDir !== undefined;
  const port = await freePort();
  if (!existsSync(join(dir, 'PG_VERSION')))
    await initialiseCluster({ binaries, pgData: dir, password: 'bench', account });
  const server = await startServer({
    binaries,
    pgData: dir,
    port,
    account,
    // The engine's own embedded-server settings; later flags win (BENCH_PG_FLAGS last: for profiling,
    // e.g. "-c shared_preload_libraries=pg_stat_statements").
    flags: [
      ...EMBEDDED_POSTGRES_FLAGS,
      ...(options.flags ?? []),
      ...(process.env.BENCH_PG_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  // BENCH_PG_SOCKET=1 connects over the Unix socket in /tmp instead of TCP loopback.
  const url = process.env.BENCH_PG_SOCKET
    ? `postgres://postgres:bench@localhost/postgres?host=/tmp&port=${port}`
    : `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop: async () => {
      await server.stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

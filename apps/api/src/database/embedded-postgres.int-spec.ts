/**
 * The locale of the clusters initialiseCluster makes (the engine's, the test run's, the benchmarks'):
 * the builtin provider's C.UTF-8, UTF-8, whatever LANG/LC_* say — even a locale the host lacks. And
 * a cluster made before, with the host's libc locale, is started as it is and keeps that locale.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { freePort, openDatabaseServer } from './database-server';
import { initialiseCluster, postgresAccount, runnableBinaries, startServer } from './embedded-postgres';

interface DatabaseLocale {
  datname: string;
  datlocprovider: string;
  datlocale: string | null;
  datcollate: string;
  datctype: string;
  encoding: string;
}

const LOCALE_SQL = `SELECT datname, datlocprovider::text AS datlocprovider, datlocale, datcollate, datctype,
  pg_encoding_to_char(encoding) AS encoding FROM pg_database ORDER BY datname COLLATE "C"`;

const silent = pino({ enabled: false });

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded cluster locale', () => {
  const account = postgresAccount();
  const binaries = runnableBinaries(account);
  const dirs: string[] = [];
  const fresh = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'appeal-ledger-locale-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a fresh cluster: builtin C.UTF-8, UTF8, even with LANG naming a locale the host lacks', async () => {
    const pgData = fresh();
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
    process.env.LANG = 'xx_XX.UTF-8';
    process.env.LC_ALL = 'xx_XX.UTF-8';
    try {
      await initialiseCluster({ binaries, pgData, password: 'locale', account });
    } finally {
      for (const [name, value] of Object.entries(saved))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    const port = await freePort();
    const server = await startServer({
      binaries,
      pgData,
      port,
      account,
      flags: ['-c', 'listen_addresses=127.0.0.1'],
    });
    try {
      const url = `postgres://postgres:locale@127.0.0.1:${port}/postgres`;
      const databases = await query<DatabaseLocale>(url, LOCALE_SQL);
      expect(databases.map((d) => d.datname)).toEqual(['postgres', 'template0', 'template1']);
      for (const database of databases)
        expect(database).toEqual({
          datname: database.datname,
          datlocprovider: 'b',
          datlocale: 'C.UTF-8',
          datcollate: 'C',
          datctype: 'C',
          encoding: 'UTF8',
        });
      // Unicode case mapping; code point order (Ё before А, ё after я: apart from Е/е, as with libc C.UTF-8)
      const [text] = await query<{ upper: string; ilike: boolean; regex: boolean; sorted: string[] }>(
        url,
        `SELECT upper('ёжик') AS upper, 'Ёжик' ILIKE 'ёж%' AS ilike, 'ЁЖИК' ~* 'ёжи' AS regex,
           (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY['ёлкин', 'Елкин', 'Яковлев', 'Ёлкин', 'абрамов', 'Абрамов', 'alpha', 'Zeta']) x) AS sorted`,
      );
      expect(text).toEqual({
        upper: 'ЁЖИК',
        ilike: true,
        regex: true,
        sorted: ['Zeta', 'alpha', 'Ёлкин', 'Абрамов', 'Елкин', 'Яковлев', 'абрамов', 'ёлкин'],
      });
    } finally {
      await server.stop();
    }
  });

  it('a cluster made before with the libc provider is started as it is and keeps its locale', async () => {
    const dataDir = fresh();
    const password = 'made-before';
    mkdirSync(join(dataDir, 'secrets'), { mode: 0o700 });
    writeFileSync(join(dataDir, 'secrets', 'postgres-password'), password + '\n', { mode: 0o600 });
    // the cluster as initialiseCluster made it until session 15: the locale taken from the environment
    // (here C.UTF-8: provider libc, as on this project's CI host)
    const pgData = join(dataDir, 'postgres');
    mkdirSync(pgData, { mode: 0o700 });
    const pwFile = join(dataDir, 'pw');
    writeFileSync(pwFile, password + '\n', { mode: 0o600 });
    if (account) {
      chownSync(dataDir, account.uid, account.gid);
      chownSync(pgData, account.uid, account.gid);
      chownSync(pwFile, account.uid, account.gid);
    }
    const made = spawnSync(
      join(binaries.dir, 'bin', 'initdb'),
      [`--pgdata=${pgData}`, '--auth=password', '--username=postgres', `--pwfile=${pwFile}`],
      {
        ...(account ? { uid: account.uid, gid: account.gid } : {}),
        env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
        encoding: 'utf8',
      },
    );
    // initdb's output shown only when it failed
    expect({ status: made.status, stderr: made.status === 0 ? '' : made.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    if (account) chownSync(dataDir, 0, 0);

    const server = await openDatabaseServer({ dataDir }, silent);
    try {
      const databases = await query<DatabaseLocale>(server.url, LOCALE_SQL);
      expect(databases.find((d) => d.datname === 'postgres')).toMatchObject({
        datlocprovider: 'c',
        datlocale: null,
        datcollate: 'C.UTF-8',
        datctype: 'C.UTF-8',
        encoding: 'UTF8',
      });
      const [row] = await query<{ n: number }>(server.url, 'SELECT 1 AS n');
      expect(row).toEqual({ n: 1 });
    } finally {
      await server.stop();
    }
  });
});

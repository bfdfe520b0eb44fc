/** The generic migrations runner on real PostgreSQL: once each, in order, transactional, race-free. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  MigrationChecksumError,
  MigrationFailedError,
  runMigrations,
  type Migration,
} from './migrations.runner';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('migrations');
  pool = new Pool({ connectionString: db.url, max: 10 });
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

const readModel: Migration[] = [
  { version: 1, name: 'counters', sql: 'CREATE TABLE rm_counters (id text PRIMARY KEY, n int NOT NULL)' },
  {
    version: 2,
    name: 'seed',
    sql: "INSERT INTO rm_counters VALUES ('a', 1); INSERT INTO rm_counters VALUES ('b', 2);",
  },
];

async function tableNames(): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

describe('runMigrations', () => {
  afterEach(async () => {
    await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  });

  it('applies pending migrations in version order, once; a second run applies nothing', async () => {
    const reversed = [...readModel].reverse();
    expect(await runMigrations(pool, { table: 'rm_migrations', migrations: reversed })).toEqual([
      { version: 1, name: 'counters' },
      { version: 2, name: 'seed' },
    ]);
    expect(await runMigrations(pool, { table: 'rm_migrations', migrations: readModel })).toEqual([]);
    expect((await pool.query('SELECT * FROM rm_counters')).rowCount).toBe(2);

    const third: Migration = { version: 3, name: 'more', sql: "INSERT INTO rm_counters VALUES ('c', 3)" };
    expect(await runMigrations(pool, { table: 'rm_migrations', migrations: [...readModel, third] })).toEqual([
      { version: 3, name: 'more' },
    ]);
  });

  it('runs safely when several processes start at once: each migration once', async () => {
    const pools = Array.from({ length: 6 }, () => new Pool({ connectionString: db.url, max: 1 }));
    try {
      const results = await Promise.all(
        pools.map((p) => runMigrations(p, { table: 'rm_migrations', migrations: readModel })),
      );
      expect(results.flat().map((m) => m.version)).toEqual([1, 2]);
      expect((await pool.query('SELECT * FROM rm_counters')).rowCount).toBe(2);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('keeps separate histories in separate tables', async () => {
    await runMigrations(pool, { table: 'rm_migrations', migrations: readModel });
    const other: Migration[] = [{ version: 1, name: 'other', sql: 'CREATE TABLE rm_other (id int)' }];
    expect(await runMigrations(pool, { migrations: other })).toEqual([{ version: 1, name: 'other' }]);
    expect(await tableNames()).toEqual(['rm_counters', 'rm_migrations', 'rm_other', 'schema_migrations']);
  });

  it('rolls back a failing migration and keeps the ones before it', async () => {
    const broken: Migration = {
      version: 3,
      name: 'broken',
      sql: 'CREATE TABLE rm_half (id int); SELECT 1/0',
    };
    const error = await runMigrations(pool, {
      table: 'rm_migrations',
      migrations: [...readModel, broken],
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).message).toMatch(/migration 3 \(broken\).*division by zero/);
    expect(await tableNames()).toEqual(['rm_counters', 'rm_migrations']);
    const { rows } = await pool.query<{ version: string }>(
      'SELECT version FROM rm_migrations ORDER BY version',
    );
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
    // The pool is still usable: the failed connection did not keep the lock.
    expect(await runMigrations(pool, { table: 'rm_migrations', migrations: readModel })).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    await runMigrations(pool, { table: 'rm_migrations', migrations: readModel });
    const edited = [readModel[0], { ...readModel[1], sql: "INSERT INTO rm_counters VALUES ('z', 9)" }];
    await expect(runMigrations(pool, { table: 'rm_migrations', migrations: edited })).rejects.toThrow(
      MigrationChecksumError,
    );
  });

  it('reads NNNN_name.sql files from a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    try {
      await writeFile(join(dir, '0002_seed.sql'), readModel[1].sql);
      await writeFile(join(dir, '0001-counters.sql'), readModel[0].sql);
      await writeFile(join(dir, 'README.md'), 'not a migration');
      expect(await runMigrations(pool, { table: 'rm_migrations', dir })).toEqual([
        { version: 1, name: 'counters' },
        { version: 2, name: 'seed' },
      ]);
      // The same SQL from constants is the same migration.
      expect(await runMigrations(pool, { table: 'rm_migrations', migrations: readModel })).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad input before touching the database', async () => {
    await expect(runMigrations(pool, { table: 'rm; DROP TABLE x', migrations: readModel })).rejects.toThrow(
      /identifier/,
    );
    await expect(
      runMigrations(pool, { migrations: [readModel[0], { ...readModel[1], version: 1 }] }),
    ).rejects.toThrow(/twice/);
    await expect(runMigrations(pool, {})).rejects.toThrow(/either `migrations` or `dir`/);
    expect(await tableNames()).toEqual([]);
  });
});

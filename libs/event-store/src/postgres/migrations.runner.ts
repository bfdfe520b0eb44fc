/**
 * A small, generic runner of versioned SQL migrations for PostgreSQL: the event store's schema and
 * any read model's. Each migration runs once, in its own transaction, recorded in a table of your
 * choice; an advisory lock keeps processes that start at once from racing.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool, type ClientBase, type PoolClient } from 'pg';

export interface Migration {
  /** positive integer; migrations run in ascending order */
  readonly version: number;
  readonly name: string;
  /** one or more statements; must not contain its own BEGIN/COMMIT */
  readonly sql: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

interface MigrationSource {
  /** the migrations themselves (e.g. TS string constants, found after compilation too) */
  migrations?: readonly Migration[];
  /** or a folder of `NNNN_name.sql` / `NNNN-name.sql` files */
  dir?: string;
}

export type RunMigrationsOptions = MigrationSource & {
  /** where applied versions are recorded, optionally schema-qualified; default `schema_migrations` */
  table?: string;
};

/** A migration already applied has different SQL now: it was edited instead of superseded. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(
    readonly table: string,
    readonly version: number,
    readonly migrationName: string,
  ) {
    super(
      `migration ${version} (${migrationName}) in ${table} differs from the one applied; ` +
        'applied migrations are immutable: add a new migration instead',
    );
  }
}

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  constructor(
    readonly table: string,
    readonly version: number,
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(
      `migration ${version} (${migrationName}) for ${table} failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** Namespace of the runner's advisory locks (`ALMG`); the second key is the table's hash. */
const MIGRATIONS_LOCK_NAMESPACE = 1095519559;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MIGRATION_FILE = /^(\d+)[-_](.+)\.sql$/;

/**
 * Applies the migrations not yet recorded in `table`, in version order, each in its own
 * transaction. Returns the ones it applied (none when up to date). Throws MigrationChecksumError
 * when an applied migration was edited, MigrationFailedError when one fails (it is rolled back;
 * the ones before it stay applied).
 */
export async function runMigrations(
  db: Pool | PoolClient | ClientBase,
  options: RunMigrationsOptions,
): Promise<AppliedMigration[]> {
  const table = options.table ?? 'schema_migrations';
  const tableSql = quoteQualifiedName(table);
  const migrations = await loadMigrations(options);

  const client = db instanceof Pool ? await db.connect() : db;
  let broken: Error | undefined;
  try {
    // A session lock: it must outlive the per-migration transactions below.
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATIONS_LOCK_NAMESPACE, table]);
    try {
      return await applyPending(client, table, tableSql, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATIONS_LOCK_NAMESPACE, table]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // After any failure the connection is destroyed rather than pooled: it cannot keep the lock.
    if (client !== db) (client as PoolClient).release(broken);
  }
}

async function applyPending(
  client: ClientBase,
  table: string,
  tableSql: string,
  migrations: readonly MigrationWithChecksum[],
): Promise<AppliedMigration[]> {
  // Under the lock, so concurrent first runs do not race on CREATE TABLE.
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${tableSql} (
       version    bigint      PRIMARY KEY,
       name       text        NOT NULL,
       checksum   text        NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const recorded = await client.query<{ version: string; checksum: string }>(
    `SELECT version, checksum FROM ${tableSql}`,
  );
  const appliedChecksums = new Map(recorded.rows.map((row) => [Number(row.version), row.checksum]));

  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    const checksum = appliedChecksums.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum)
        throw new MigrationChecksumError(table, migration.version, migration.name);
      continue;
    }
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${tableSql} (version, name, checksum) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new MigrationFailedError(table, migration.version, migration.name, error);
    }
    applied.push({ version: migration.version, name: migration.name });
  }
  return applied;
}

interface MigrationWithChecksum extends Migration {
  readonly checksum: string;
}

async function loadMigrations(source: MigrationSource): Promise<MigrationWithChecksum[]> {
  if ((source.migrations === undefined) === (source.dir === undefined)) {
    throw new Error('runMigrations: pass either `migrations` or `dir`, not both or neither');
  }
  const migrations = source.migrations ?? (await readMigrationDir(source.dir as string));
  const seen = new Set<number>();
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw new Error(`migration "${m.name}": version ${m.version} is not a positive integer`);
    }
    if (seen.has(m.version)) throw new Error(`migration version ${m.version} is defined twice`);
    if (m.name.trim() === '') throw new Error(`migration ${m.version} has an empty name`);
    seen.add(m.version);
  }
  return [...migrations]
    .sort((a, b) => a.version - b.version)
    .map((m) => ({ version: m.version, name: m.name, sql: m.sql, checksum: checksumOf(m.sql) }));
}

async function readMigrationDir(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => MIGRATION_FILE.test(file));
  return Promise.all(
    files.map(async (file) => {
      const [, version, name] = MIGRATION_FILE.exec(file) as RegExpExecArray;
      return { version: Number(version), name, sql: await readFile(join(dir, file), 'utf8') };
    }),
  );
}

/** Line endings normalised, so a checkout with CRLF does not look like an edited migration. */
function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

function quoteQualifiedName(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new Error(
      `migrations table "${name}" must be a plain or schema-qualified identifier ([A-Za-z_][A-Za-z0-9_]*)`,
    );
  }
  return parts.map((part) => `"${part}"`).join('.');
}

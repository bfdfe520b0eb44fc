/**
 * Least privilege in PostgreSQL. Schemas are migrated by the owner (the embedded server's superuser,
 * or DATABASE_MIGRATION_URL); the engine then works as a runtime role that may read events and
 * append them (never UPDATE, DELETE or TRUNCATE them, nor alter the store's functions), use the
 * tables of its side records, and create and own the read-model schemas (`rm_*`), which projection
 * rebuilds recreate and swap. The embedded mode creates the role itself, with a password generated
 * in DATA_DIR/secrets; docs/operations.md gives the SQL for an external server.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client, Pool } from 'pg';
import {
  EVENT_STORE_MIGRATIONS_TABLE,
  eventStoreMigrations,
  runMigrations,
  type Migration,
} from '@appeal-ledger/event-store';
import { REMINDER_DELIVERY_MIGRATIONS, REMINDER_MIGRATIONS_TABLE } from '@appeal-ledger/reminders';
import { APPLICANT_INDEX_MIGRATIONS } from '../applicant-matching/blind-index';
import { REGISTRATION_LOOKUP_MIGRATIONS } from '../applicant-matching/registration-candidates';
import {
  DUPLICATE_LINKS_MIGRATIONS,
  DUPLICATE_LINKS_MIGRATIONS_TABLE,
} from '../duplicates/duplicate-links.migrations';
import { REGISTRATION_COUNTER_MIGRATIONS } from '../appeals/register-appeal/registration-counter';
import { IDEMPOTENCY_MIGRATIONS } from '../idempotency/idempotency.store';
import type { Logger } from '../logging/logger';
import { PERSONAL_DATA_MIGRATIONS } from '../personal-data/personal-data.vault';
import { ACCOUNTS_MIGRATIONS } from '../../../web/src/accounts/accounts.migrations';
import { RETENTION_MIGRATIONS } from '../retention/retention.migrations';

/** The runtime role the embedded mode creates. */
export const EMBEDDED_RUNTIME_ROLE = 'appeal_ledger_app';
export const runtimePasswordFile = (dataDir: string): string =>
  join(dataDir, 'secrets', 'postgres-app-password');

/**
 * Every schema the owner migrates, in order. A new table of the engine's own goes here (as a
 * migration), never into a runtime-role migration: the runtime role cannot create tables outside
 * its `rm_*` schemas.
 */
export function ownerMigrations(options: { eventStoreInPostgres: boolean }): {
  table: string;
  migrations: readonly Migration[];
}[] {
  return [
    ...(options.eventStoreInPostgres
      ? [{ table: EVENT_STORE_MIGRATIONS_TABLE, migrations: eventStoreMigrations }]
      : []),
    { table: 'personal_data_migrations', migrations: PERSONAL_DATA_MIGRATIONS },
    { table: 'idempotency_migrations', migrations: IDEMPOTENCY_MIGRATIONS },
    { table: 'registration_counter_migrations', migrations: REGISTRATION_COUNTER_MIGRATIONS },
    { table: REMINDER_MIGRATIONS_TABLE, migrations: REMINDER_DELIVERY_MIGRATIONS },
    { table: 'accounts_migrations', migrations: ACCOUNTS_MIGRATIONS },
    { table: 'retention_migrations', migrations: RETENTION_MIGRATIONS },
    { table: 'applicant_index_migrations', migrations: APPLICANT_INDEX_MIGRATIONS },
    { table: 'registration_lookup_migrations', migrations: REGISTRATION_LOOKUP_MIGRATIONS },
    { table: DUPLICATE_LINKS_MIGRATIONS_TABLE, migrations: DUPLICATE_LINKS_MIGRATIONS },
  ];
}

export function readOrCreateRuntimePassword(dataDir: string): string {
  const file = runtimePasswordFile(dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('hex');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/** `url` with another user and password. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

const RACE_CODES = new Set([
  '42710', // duplicate_object: another database's engine created the role first
  '23505', // unique_violation on pg_authid: the same race, caught one step later
  'XX000', // "tuple concurrently updated": two ALTER ROLE at once
  '40001',
]);

/**
 * Creates the runtime role, or sets its password; a login role with no other attribute. Roles are
 * cluster-wide and advisory locks are per database, so engines of several databases on one server
 * may race here: the loser of a race retries (and then finds the role).
 */
export async function ensureRuntimeRole(ownerUrl: string, role: string, password: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await client.query<{ sql: string }>(
          `SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                  THEN format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', $1::text, $2::text)
                  ELSE format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', $1::text, $2::text)
                  END AS sql`,
          [role, password],
        );
        await client.query(rows[0].sql);
        // Lets the readers' boundary (events_visible_boundary) see which running transactions
        // belong to other databases and to background workers, as the owner does.
        await client.query(`GRANT pg_read_all_stats TO ${quoteIdent(role)}`);
        return;
      } catch (error) {
        if (attempt >= 10 || !RACE_CODES.has((error as { code?: string }).code ?? '')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * What the runtime role may do in this database, granted by the owner after every migration run
 * (idempotent, so tables added by later migrations are covered at the next start):
 * - events: SELECT and INSERT (appends go through append_events(), which it may execute); no
 *   UPDATE, DELETE, TRUNCATE, and, not owning them, no ALTER or DROP of the table or its functions;
 * - checkpoints of the store and the personal-data access log: SELECT, INSERT (heads also UPDATE);
 *   migration records: SELECT;
 * - the expert commission's acts (retention_*): SELECT and INSERT;
 * - every other table of the schema (keys, idempotency, counters, deliveries): read and write;
 * - CREATE on the database: it creates, owns, rebuilds and swaps the `rm_*` read-model schemas.
 *   Read-model schemas made earlier by another role are handed over to it.
 */
export async function grantRuntimePrivileges(owner: Pool, role: string, log: Logger): Promise<void> {
  const r = quoteIdent(role);
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    // Concurrent starts of several instances grant at once; one at a time avoids catalog races.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('appeal-ledger:grants', 0))");
    const { rows } = await client.query<{ db: string; schema: string }>(
      'SELECT current_database() AS db, current_schema() AS schema',
    );
    const schema = quoteIdent(rows[0].schema);
    await client.query(`GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${quoteIdent(rows[0].db)} TO ${r}`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${r}`);
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')`,
    );
    for (const { name } of tables) {
      const table = `${schema}.${quoteIdent(name)}`;
      await client.query(`REVOKE ALL ON ${table} FROM ${r}`);
      const privileges =
        name === 'events' || name === 'event_store_checkpoints' || name === 'personal_data_access_log'
          ? 'SELECT, INSERT'
          : name === 'event_store_stream_heads'
            ? 'SELECT, INSERT, UPDATE'
            : name.endsWith('_migrations')
              ? 'SELECT'
              : name.startsWith('retention_')
                ? 'SELECT, INSERT' // the commission's acts are never changed
                : 'SELECT, INSERT, UPDATE, DELETE';
      await client.query(`GRANT ${privileges} ON ${table} TO ${r}`);
    }
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${r}`);
    await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${r}`);
    // Read-model schemas created before the runtime role existed (by the owner) become its own.
    const { rows: foreign } = await client.query<{ name: string }>(
      `SELECT n.nspname AS name FROM pg_namespace n
        WHERE n.nspname LIKE 'rm\\_%' AND n.nspowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [role],
    );
    for (const { name } of foreign) {
      await client.query(`ALTER SCHEMA ${quoteIdent(name)} OWNER TO ${r}`);
      const { rows: owned } = await client.query<{ name: string; kind: string }>(
        `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
          WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v', 'm')`,
        [name],
      );
      for (const rel of owned) {
        const kind =
          rel.kind === 'S'
            ? 'SEQUENCE'
            : rel.kind === 'v'
              ? 'VIEW'
              : rel.kind === 'm'
                ? 'MATERIALIZED VIEW'
                : 'TABLE';
        await client.query(`ALTER ${kind} ${quoteIdent(name)}.${quoteIdent(rel.name)} OWNER TO ${r}`);
      }
      log.warn({ schema: name, role }, 'read-model schema handed over to the runtime role');
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface PreparedDatabase {
  /** what the engine's pool and sessions connect with */
  runtimeUrl: string;
  /** the runtime role, when it is not the owner */
  runtimeRole?: string;
}

/**
 * Runs before the engine's pool is used: as the owner, creates the runtime role (embedded mode),
 * migrates every schema, grants the runtime role its privileges. Returns the runtime connection.
 * - embedded (no DATABASE_URL): owner = the embedded superuser, runtime = `appeal_ledger_app`;
 * - DATABASE_URL + DATABASE_MIGRATION_URL: owner = the latter, runtime = the former (a role the
 *   administrator created, docs/operations.md);
 * - DATABASE_URL alone: one role for both (not least privilege; the engine logs a warning).
 */
export async function prepareDatabase(
  options: {
    embedded: boolean;
    /** the embedded server's URL, or DATABASE_URL */
    databaseUrl: string;
    migrationUrl?: string;
    dataDir: string;
    eventStoreInPostgres: boolean;
  },
  log: Logger,
): Promise<PreparedDatabase> {
  let ownerUrl: string;
  let runtimeUrl: string;
  if (options.embedded) {
    ownerUrl = options.databaseUrl;
    const password = readOrCreateRuntimePassword(options.dataDir);
    await ensureRuntimeRole(ownerUrl, EMBEDDED_RUNTIME_ROLE, password);
    runtimeUrl = withCredentials(options.databaseUrl, EMBEDDED_RUNTIME_ROLE, password);
  } else {
    ownerUrl = options.migrationUrl ?? options.databaseUrl;
    runtimeUrl = options.databaseUrl;
  }
  const owner = new Pool({ connectionString: ownerUrl, max: 2 });
  owner.on('error', () => undefined);
  try {
    for (const { table, migrations } of ownerMigrations(options))
      await runMigrations(owner, { table, migrations });
    const { rows } = await owner.query<{ owner: string }>('SELECT current_user AS owner');
    const runtimeRole = userOf(runtimeUrl);
    if (runtimeRole === rows[0].owner) {
      log.warn(
        { role: runtimeRole },
        'the engine works as the schema owner: set DATABASE_MIGRATION_URL and a DATABASE_URL of a runtime role (docs/operations.md)',
      );
      return { runtimeUrl };
    }
    await grantRuntimePrivileges(owner, runtimeRole, log);
    return { runtimeUrl, runtimeRole };
  } finally {
    await owner.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

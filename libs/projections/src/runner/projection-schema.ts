/**
 * Where a projection lives: its live schema `rm_<name>` holding its tables and its checkpoint, a
 * `rm_<name>__rebuild` schema while it is rebuilt, and `rm_<name>__retired` for the moment after a
 * swap. The checkpoint and the quarantine (events the projection could not apply) sit inside the
 * schema, so a swap moves tables, checkpoint and quarantine together.
 */
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { qualified } from '../shared/sql';
import { QUARANTINE_TABLE, quarantineTableDdl } from './projection-quarantine';

export const CHECKPOINT_TABLE = 'projection_checkpoint';
/** NOTIFY channel: payload `<projection>:<position>` after each committed batch and each swap */
export const PROGRESS_CHANNEL = 'appeal_ledger_projection_progress';

export const rebuildSchema = (name: string): string => `${liveSchema(name)}__rebuild`;
export const retiredSchema = (name: string): string => `${liveSchema(name)}__retired`;

/** Advisory-lock names (hashed to a bigint by PostgreSQL's hashtextextended). */
export const lockNames = {
  runner: (name: string) => `appeal-ledger:projection:${name}`,
  rebuild: (name: string) => `appeal-ledger:projection-rebuild:${name}`,
  setup: 'appeal-ledger:projections:setup',
} as const;

export interface Checkpoint {
  version: number;
  position: number;
}

/** The runner's own tables in every projection schema, besides the projection's. */
export const RUNNER_TABLES = [CHECKPOINT_TABLE, QUARANTINE_TABLE] as const;

/**
 * Creates `schema` with the projection's tables, its checkpoint at 0, an empty quarantine, and
 * optionally its indexes.
 */
export async function createProjectionSchema(
  tx: SqlExecutor,
  projection: Projection,
  schema: string,
  options: { indexes: boolean; unlogged: boolean },
): Promise<void> {
  qualified(schema, CHECKPOINT_TABLE); // checks the name
  await tx.query(`CREATE SCHEMA ${schema}`);
  for (const ddl of projection.createTables(schema)) await tx.query(ddl);
  await tx.query(`CREATE TABLE ${schema}.${CHECKPOINT_TABLE} (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    projection text NOT NULL,
    version integer NOT NULL,
    position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await tx.query(
    `INSERT INTO ${schema}.${CHECKPOINT_TABLE} (projection, version, position) VALUES ($1, $2, 0)`,
    [projection.name, projection.version],
  );
  await tx.query(quarantineTableDdl(schema));
  if (options.unlogged) {
    // a rebuild that dies is thrown away, so its replay need not be crash-safe (no WAL)
    for (const table of [...projection.tables, ...RUNNER_TABLES])
      await tx.query(`ALTER TABLE ${qualified(schema, table)} SET UNLOGGED`);
  }
  if (options.indexes) for (const ddl of projection.createIndexes(schema)) await tx.query(ddl);
}

/**
 * The checkpoint, in one query, for a caller outside a transaction (a pool): a missing table (a
 * schema not made yet) answers null. Read on every registration and every wait for a read model,
 * so it costs one round trip, not two.
 */
export async function readCommittedCheckpoint(pool: SqlExecutor, schema: string): Promise<Checkpoint | null> {
  try {
    const result = await pool.query<{ version: number; position: string }>(
      `SELECT version, position::text AS position FROM ${schema}.${CHECKPOINT_TABLE}`,
    );
    const row = result.rows[0];
    return row ? { version: row.version, position: Number(row.position) } : null;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return null;
    throw error;
  }
}

/** SQLSTATE of a relation (or its schema) that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** The checkpoint inside a transaction (a missing table must not abort it: looked up first). */
export async function readCheckpoint(
  db: SqlExecutor,
  schema: string,
  forUpdate = false,
): Promise<Checkpoint | null> {
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `${schema}.${CHECKPOINT_TABLE}`,
  ]);
  if (!exists.rows[0]?.t) return null;
  const result = await db.query<{ version: number; position: string }>(
    `SELECT version, position::text AS position FROM ${schema}.${CHECKPOINT_TABLE}${forUpdate ? ' FOR UPDATE' : ''}`,
  );
  const row = result.rows[0];
  return row ? { version: row.version, position: Number(row.position) } : null;
}

/**
 * Makes every projection's live schema exist (new ones are created empty, at position 0, in one
 * transaction) so that read-model queries work on every instance, active runner or not. Leftover
 * retired schemas of an interrupted swap are dropped.
 */
export async function ensureProjectionSchemas(
  /** one session (a Client or a checked-out PoolClient), not a Pool: this runs a transaction */
  db: SqlExecutor,
  projections: readonly Projection[],
): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockNames.setup]);
    for (const projection of projections) {
      const schema = liveSchema(projection.name);
      const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
        `${schema}.${CHECKPOINT_TABLE}`,
      ]);
      if (!exists.rows[0]?.t) {
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); // a half-made schema cannot exist, but a hand-made one might
        await createProjectionSchema(db, projection, schema, { indexes: true, unlogged: false });
      } else {
        // schemas made before the quarantine existed get its (empty) table
        await db.query(quarantineTableDdl(schema));
      }
      await db.query(`DROP SCHEMA IF EXISTS ${retiredSchema(projection.name)} CASCADE`);
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

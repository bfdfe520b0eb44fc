/** Test helper: a projection's live schema in a test database, fed events directly (no store, no runner). */
import type { Pool } from 'pg';
import type { Projection } from '../projection.port';
import { liveSchema } from '../projection.port';
import { createProjectionSchema } from '../runner/projection-schema';
import type { RecordedEvent } from '../shared/event-store';

async function inTransaction(
  pool: Pool,
  work: (client: import('pg').PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Creates the projection's live schema (tables, indexes, checkpoint at 0). */
export async function createReadModel(
  pool: Pool,
  projection: Projection,
  schema = liveSchema(projection.name),
): Promise<void> {
  await inTransaction(pool, (client) =>
    createProjectionSchema(client, projection, schema, { indexes: true, unlogged: false }),
  );
}

/** Applies events in transactions of `batchSize` events (all in one by default). */
export async function applyEvents(
  pool: Pool,
  projection: Projection,
  events: readonly RecordedEvent[],
  options: { batchSize?: number; schema?: string } = {},
): Promise<void> {
  const size = options.batchSize ?? Math.max(1, events.length);
  const schema = options.schema ?? liveSchema(projection.name);
  for (let i = 0; i < events.length; i += size) {
    await inTransaction(pool, (client) => projection.handle(events.slice(i, i + size), client, schema));
  }
}

/** Every row of the tables, as JSON, in a stable order: for "same tables" comparisons. */
export async function dumpTables(
  pool: Pool,
  schema: string,
  tables: readonly string[],
): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const result = await pool.query<{ row: unknown }>(
      `SELECT row_to_json(t) AS row FROM ${schema}.${table} t ORDER BY t::text`,
    );
    dump[table] = result.rows.map((r) => r.row);
  }
  return dump;
}

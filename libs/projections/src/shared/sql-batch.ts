/** Set-based writes for projections: a batch of rows goes to PostgreSQL as one JSON parameter. */
import type { HandleContext } from '../projection.port';
import type { SqlExecutor } from './sql';

export { qualified } from './sql';

/**
 * Inserts rows (objects keyed by column name) into `table`; on a conflict on `key`, either updates
 * every other column or does nothing. Rows sharing a key must be merged by the caller first.
 *
 * With `context.newStreams` (a stream-order rebuild's page into empty tables: every row the caller
 * writes is of a stream the tables hold nothing of) and `update`, the rows are inserted plainly, without
 * `ON CONFLICT` (its speculative insertion costs PostgreSQL more than the insert): a key already
 * there is then a unique violation (a data error), which cannot happen for a projection whose rows
 * are keyed by their stream. `nothing` keeps its `ON CONFLICT DO NOTHING` whatever the context.
 */
export async function upsertRows(
  tx: SqlExecutor,
  table: string,
  key: readonly string[],
  columns: readonly string[],
  rows: readonly object[],
  onConflict: 'update' | 'nothing' = 'update',
  context?: HandleContext,
): Promise<void> {
  if (rows.length === 0) return;
  const others = columns.filter((c) => !key.includes(c));
  const action =
    onConflict === 'update' && context?.newStreams
      ? ''
      : onConflict === 'nothing' || others.length === 0
        ? `ON CONFLICT (${key.join(', ')}) DO NOTHING`
        : `ON CONFLICT (${key.join(', ')}) DO UPDATE SET (${others.join(', ')}) = ROW(${others.map((c) => `EXCLUDED.${c}`).join(', ')})`;
  await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)
     ${action}`,
    [JSON.stringify(rows)],
  );
}

/**
 * Loads rows by primary key as plain objects (dates as `YYYY-MM-DD`, bigint as number), by key. Reads
 * nothing when `context` says the tables hold none of these streams yet (a stream-order rebuild's page).
 */
export async function loadRows<R extends Record<K, string>, K extends string = 'appeal_id'>(
  tx: SqlExecutor,
  table: string,
  keyColumn: K,
  keys: readonly string[],
  context?: HandleContext,
): Promise<Map<string, R>> {
  if (keys.length === 0 || context?.newStreams) return new Map();
  const result = await tx.query<{ row: R }>(
    `SELECT row_to_json(t) AS row FROM ${table} t WHERE ${keyColumn} = ANY($1::text[])`,
    [keys],
  );
  return new Map(result.rows.map(({ row }) => [row[keyColumn], row]));
}

/** Keeps the last row per key, so one statement never touches a row twice. */
export function lastPerKey<R>(rows: readonly R[], keyOf: (row: R) => string): R[] {
  const byKey = new Map<string, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return [...byKey.values()];
}

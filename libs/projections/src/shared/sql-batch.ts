/**
 * Set-based writes for projections: a batch of rows goes to PostgreSQL as one array parameter per
 * column (`unnest($1::text[], $2::date[], …)`), each column's values parsed by its type's own input
 * function (docs/benchmarks.md, "Replay, session 13": what it measured against one JSON document).
 */
import type { HandleContext } from '../projection.port';
import type { SqlExecutor } from './sql';

export { qualified } from './sql';

/** The PostgreSQL type of a column written by `upsertRows` / `arrayColumns`. */
export type ColumnType =
  'text' | 'uuid' | 'date' | 'boolean' | 'integer' | 'bigint' | 'jsonb' | 'text[]' | 'date[]';

/**
 * A table's written columns and their types, in the order they are sent (each row's value under the
 * column's name; `jsonb` values are any JSON value, `text[]` / `date[]` arrays of strings).
 */
export type ColumnTypes<R = Record<string, unknown>> = { readonly [K in keyof R & string]?: ColumnType };

/**
 * One column's values as a PostgreSQL array literal. JSON.stringify writes an array of strings,
 * numbers, booleans and nulls in the array literal's own syntax except for its brackets — `"…"` with
 * `\"` and `\\` escaped alike, and an unquoted `null` that array input reads as NULL — as long as no
 * other escape (`\n`, `\u0001`, a lone surrogate's `\udc00`) is in it: array input would read those
 * as the bare letter. Then the values go as they are and pg writes the literal itself (slower, exact).
 */
function arrayParameter(values: readonly unknown[]): string | readonly unknown[] {
  const json = JSON.stringify(values);
  return /\\[^"\\]/.test(json) ? values : `{${json.slice(1, -1)}}`;
}

/** A `text[]` / `date[]` column's value: the array's own literal, cast back to its type in the SELECT. */
const nestedArray = (value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  const literal = arrayParameter(value as readonly unknown[]);
  // pg's own literal of an array of strings when a value needs escapes JSON cannot give
  return typeof literal === 'string'
    ? literal
    : `{${(literal as readonly string[]).map(quoteElement).join(',')}}`;
};

/** An array literal's element, quoted (`"` and `\\` escaped), NULL unquoted. */
const quoteElement = (value: string | null): string =>
  value === null ? 'NULL' : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * The parameters and the `SELECT` list of rows sent as one array per column: `from` is
 * `unnest($1::text[], …) AS u(a, b, …)` (the statement's only parameters), `select` the columns
 * with their own types.
 */
export function arrayColumns(
  columns: ColumnTypes,
  rows: readonly object[],
): { from: string; select: string; values: unknown[] } {
  const names = Object.keys(columns);
  const values: unknown[] = [];
  const parameters: string[] = [];
  const select: string[] = [];
  names.forEach((name, i) => {
    const type = columns[name] as ColumnType;
    const column = rows.map((row) => (row as Record<string, unknown>)[name] ?? null);
    // an array column goes as its literal's text (unnest would flatten an array of arrays), a jsonb
    // one as its JSON text
    const nested = type.endsWith('[]');
    values.push(
      arrayParameter(
        nested
          ? column.map(nestedArray)
          : type === 'jsonb'
            ? column.map((v) => (v === null ? null : JSON.stringify(v)))
            : column,
      ),
    );
    parameters.push(`$${i + 1}::${nested ? 'text' : type}[]`);
    select.push(nested ? `u.${name}::${type}` : `u.${name}`);
  });
  return {
    from: `unnest(${parameters.join(', ')}) AS u(${names.join(', ')})`,
    select: select.join(', '),
    values,
  };
}

/**
 * Inserts rows (objects keyed by column name) into `table`; on a conflict on `key`, either updates
 * every other column or does nothing. Rows sharing a key must be merged by the caller first. With
 * no `key`, `nothing` skips a row conflicting on any unique index (`ON CONFLICT DO NOTHING`).
 *
 * With `context.newStreams` (a stream-order rebuild's page into empty tables: every row the caller
 * writes is of a stream the tables hold nothing of) and `update`, the rows are inserted plainly, without
 * `ON CONFLICT` (its speculative insertion costs PostgreSQL more than the insert): a key already
 * there is then a unique violation (a data error), which cannot happen for a projection whose rows
 * are keyed by their stream. `nothing` keeps its `ON CONFLICT DO NOTHING` whatever the context.
 */
export async function upsertRows<R extends object>(
  tx: SqlExecutor,
  table: string,
  key: readonly (keyof R & string)[],
  columns: ColumnTypes<R>,
  rows: readonly R[],
  onConflict: 'update' | 'nothing' = 'update',
  context?: HandleContext,
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const others = names.filter((c) => !(key as readonly string[]).includes(c));
  const target = key.length > 0 ? ` (${key.join(', ')})` : '';
  if (onConflict === 'update' && key.length === 0)
    throw new Error(`upsertRows into ${table}: an update needs a key`);
  const action =
    onConflict === 'update' && context?.newStreams
      ? ''
      : onConflict === 'nothing' || others.length === 0
        ? `ON CONFLICT${target} DO NOTHING`
        : `ON CONFLICT${target} DO UPDATE SET (${others.join(', ')}) = ROW(${others.map((c) => `EXCLUDED.${c}`).join(', ')})`;
  const { from, select, values } = arrayColumns(columns, rows);
  await tx.query(
    `INSERT INTO ${table} (${names.join(', ')}) SELECT ${select} FROM ${from} ${action}`,
    values,
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

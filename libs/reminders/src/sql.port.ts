/** The part of a pg Pool / Client the reminder library needs (structurally the projections' SqlExecutor). */
import type { QueryResult, QueryResultRow } from 'pg';

export interface SqlExecutor {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** `schema.table` from plain identifiers (checked, so they can be spliced into SQL). */
export function qualified(schema: string, table: string): string {
  for (const name of [schema, table]) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: "${name}"`);
  }
  return `${schema}.${table}`;
}

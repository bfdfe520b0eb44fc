/** What the libraries need of PostgreSQL: a query runner, and table names safe to splice into SQL. */
import type { QueryResult, QueryResultRow } from 'pg';

/** The part of a pg Client / PoolClient / Pool a projection, a consumer or a query needs. */
export interface SqlExecutor {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** `schema.table`; names are checked, not quoted, so they stay plain identifiers in SQL and DDL. */
export function qualified(schema: string, table: string): string {
  for (const name of [schema, table]) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: "${name}"`);
  }
  return `${schema}.${table}`;
}

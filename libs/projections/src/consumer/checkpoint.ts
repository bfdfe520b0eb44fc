/**
 * The one checkpoint rule of every checkpointed consumer (projections and deliveries): a
 * checkpoint row is moved only by its writer, and only from the position the writer last saw
 * there (a fenced update). Anything else having moved it — a rebuild swapped in, an operator — makes
 * the move fail with CheckpointMovedError; the consumer then starts again from what is stored.
 */
import type { SqlExecutor } from '../shared/sql';

/** The checkpoint is not where this writer left it. Start again from the stored one. */
export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
  constructor(
    readonly expected: number,
    /** what is stored now (null: no row) */
    readonly actual: number | null,
  ) {
    super(`checkpoint moved from ${expected} to ${actual ?? 'nowhere'}`);
  }
}

/** Throws CheckpointMovedError unless the stored position is the expected one. */
export function expectCheckpoint(expected: number, actual: number | null): void {
  if (actual !== expected) throw new CheckpointMovedError(expected, actual);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * One checkpoint row: `position bigint` and `updated_at timestamptz` in `table` (`name` or
 * `schema.name`, plain identifiers), the row picked by `key` (a column and its value) or the
 * table's only row.
 */
export class CheckpointRow {
  private readonly where: string;
  private readonly keyValues: unknown[];

  constructor(
    private readonly table: string,
    key?: { column: string; value: string },
  ) {
    for (const name of [...table.split('.'), ...(key ? [key.column] : [])])
      if (!IDENTIFIER.test(name) || table.split('.').length > 2)
        throw new Error(`not a plain identifier: "${name}"`);
    this.where = key ? `${key.column} = $1` : 'true';
    this.keyValues = key ? [key.value] : [];
  }

  /** The stored position, null when there is no row; `lock` takes the row lock (in a transaction). */
  async read(db: SqlExecutor, options: { lock?: boolean } = {}): Promise<number | null> {
    const { rows } = await db.query<{ position: string }>(
      `SELECT position::text AS position FROM ${this.table} WHERE ${this.where}${options.lock ? ' FOR UPDATE' : ''}`,
      this.keyValues,
    );
    return rows[0] ? Number(rows[0].position) : null;
  }

  /** The fenced move from `expected` to `to` (in the caller's transaction, if any). */
  async move(db: SqlExecutor, expected: number, to: number): Promise<void> {
    const n = this.keyValues.length;
    const moved = await db.query(
      `UPDATE ${this.table} SET position = $${n + 1}, updated_at = now() WHERE ${this.where} AND position = $${n + 2}`,
      [...this.keyValues, to, expected],
    );
    if (moved.rowCount !== 1) throw new CheckpointMovedError(expected, await this.read(db));
  }
}

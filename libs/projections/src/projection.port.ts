/**
 * What a projection is to the runner: a named, versioned owner of read-model tables in its own
 * PostgreSQL schema, applying batches of recorded events inside the runner's transaction.
 */
import type { RecordedEvent } from './shared/event-store';
import type { SqlExecutor } from './shared/sql';

export type { SqlExecutor } from './shared/sql';

export interface Projection {
  /** stable name: `[a-z][a-z0-9_]*`; its live schema is `rm_<name>` */
  readonly name: string;
  /** bump when the tables or the event handling change: the runner then rebuilds from position 0 */
  readonly version: number;
  /** the tables it owns in its schema (besides the runner's `projection_checkpoint`) */
  readonly tables: readonly string[];
  /** DDL creating the owned tables with their primary keys in `schema` (an empty schema) */
  createTables(schema: string): readonly string[];
  /**
   * DDL creating the secondary indexes. Kept apart so a rebuild replays into bare tables and
   * indexes them once at the end, which is several times faster than maintaining them per row.
   */
  createIndexes(schema: string): readonly string[];
  /**
   * Applies events (ascending positions, possibly from any stream) to the tables in `schema`
   * inside the caller's transaction; must ignore events it does not know.
   */
  handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void>;
}

/** The live schema of a projection. Read-model queries use it; a rebuild swaps it. */
export const liveSchema = (projectionName: string): string => `rm_${projectionName}`;

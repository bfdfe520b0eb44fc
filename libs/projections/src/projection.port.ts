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
   * Set only when every row the projection writes belongs to one stream and depends on that
   * stream's events alone, in revision order — never read or written across streams — and whatever
   * it keeps over many streams is a sum (counters). Then the order *between* streams does not matter,
   * and a rebuild may replay in stream order, folding each stream whole (runner/projection-rebuild.ts).
   */
  readonly foldsPerStream?: boolean;
  /**
   * Set only when `handle` reads of each event nothing but its `id`, `streamId`, `revision`,
   * `position`, `type` and `data` — never `metadata` nor `recordedAt`. Then the replays of `$all` it is
   * given read the store's lean fields (`fields: 'fold'`, whose events carry placeholders for those
   * two): its catch-up, and a rebuild when every projection of it says so. Live batches (from the
   * subscription) carry every field.
   */
  readonly foldsFromDataAlone?: boolean;
  /**
   * Applies events (ascending positions, possibly from any stream) to the tables in `schema`
   * inside the caller's transaction; must ignore events it does not know. In a stream-order rebuild
   * (`foldsPerStream`) the events come grouped by stream instead, each stream's in revision order.
   */
  handle(
    events: readonly RecordedEvent[],
    tx: SqlExecutor,
    schema: string,
    context?: HandleContext,
  ): Promise<void>;
}

/** What the runner knows about a batch beyond its events. */
export interface HandleContext {
  /**
   * The tables hold nothing yet of any stream of these events (a stream-order rebuild's page into
   * empty tables): the projection need not load its rows first. Never set for live batches.
   */
  newStreams?: boolean;
}

/** The live schema of a projection. Read-model queries use it; a rebuild swaps it. */
export const liveSchema = (projectionName: string): string => `rm_${projectionName}`;

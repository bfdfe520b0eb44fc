/**
 * The quarantine of a projection: `rm_<name>.projection_quarantine`, one row per event the
 * projection could not apply (a data failure, see shared/event-failure.ts). It lives in the
 * projection's schema next to the checkpoint and is written in the same transaction as the
 * checkpoint that moves past the event, so a rebuild (a fresh schema, swapped in) comes with its
 * own quarantine: the rows always name exactly the events the tables in force lack.
 * It holds no event data — only where the event is and why it failed; the store keeps the event.
 */
import type { SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import type { RecordedEvent } from '../shared/event-store';
import { qualified } from '../shared/sql';

export const QUARANTINE_TABLE = 'projection_quarantine';

export interface QuarantinedEvent {
  projection: string;
  /** global position in `$all` */
  position: number;
  streamId: string;
  eventId: string;
  type: string;
  /** short message: SQLSTATE and primary message, or the exception's name and message */
  error: string;
  quarantinedAt: string;
  lastFailedAt: string;
  /** failed attempts to apply it on its own (1 when quarantined, +1 per failed retry) */
  attempts: number;
}

/** DDL of the quarantine table in `schema` (idempotent, so it also upgrades older schemas). */
export const quarantineTableDdl = (schema: string): string =>
  `CREATE TABLE IF NOT EXISTS ${qualified(schema, QUARANTINE_TABLE)} (
    position bigint PRIMARY KEY,
    projection text NOT NULL,
    stream_id text NOT NULL,
    event_id text NOT NULL,
    event_type text NOT NULL,
    error text NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 1
  )`;

/** Records (or re-records) an event the projection cannot apply, inside the caller's transaction. */
export async function quarantineEvent(
  tx: SqlExecutor,
  projection: string,
  schema: string,
  event: RecordedEvent,
  error: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${qualified(schema, QUARANTINE_TABLE)} AS q (position, projection, stream_id, event_id, event_type, error)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (position) DO UPDATE SET error = EXCLUDED.error, last_failed_at = now(),
       attempts = q.attempts + 1`,
    [event.position, projection, event.streamId, event.id, event.type, error],
  );
}

interface QuarantineRow {
  projection: string;
  position: string;
  stream_id: string;
  event_id: string;
  event_type: string;
  error: string;
  quarantined_at: Date;
  last_failed_at: Date;
  attempts: number;
}

const toQuarantined = (row: QuarantineRow): QuarantinedEvent => ({
  projection: row.projection,
  position: Number(row.position),
  streamId: row.stream_id,
  eventId: row.event_id,
  type: row.event_type,
  error: row.error,
  quarantinedAt: row.quarantined_at.toISOString(),
  lastFailedAt: row.last_failed_at.toISOString(),
  attempts: row.attempts,
});

/** The quarantined events of a projection's live schema in position order (at most `limit`). */
export async function listQuarantine(
  db: SqlExecutor,
  projection: string,
  options: { limit?: number; schema?: string; forUpdate?: boolean } = {},
): Promise<QuarantinedEvent[]> {
  const table = qualified(options.schema ?? liveSchema(projection), QUARANTINE_TABLE);
  const result = await db.query<QuarantineRow>(
    `SELECT projection, position::text AS position, stream_id, event_id, event_type, error,
            quarantined_at, last_failed_at, attempts
       FROM ${table} ORDER BY position${options.limit !== undefined ? ' LIMIT $1' : ''}${options.forUpdate ? ' FOR UPDATE' : ''}`,
    options.limit !== undefined ? [options.limit] : [],
  );
  return result.rows.map(toQuarantined);
}

/** Quarantined events per projection (live schemas), in one round trip. */
export async function countQuarantine(
  db: SqlExecutor,
  projections: readonly string[],
): Promise<Record<string, number>> {
  if (projections.length === 0) return {};
  const result = await db.query<{ name: string; n: string }>(
    projections
      .map(
        (name, i) =>
          `SELECT $${i + 1}::text AS name, count(*)::text AS n FROM ${qualified(liveSchema(name), QUARANTINE_TABLE)}`,
      )
      .join(' UNION ALL '),
    [...projections],
  );
  return Object.fromEntries(result.rows.map((r) => [r.name, Number(r.n)]));
}

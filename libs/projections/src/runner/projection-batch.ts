/**
 * How a batch of events reaches a projection's tables, live or in a rebuild: one transaction that
 * takes the checkpoint row (the checkpoint rule of consumer/checkpoint.ts, plus the projection's
 * version), applies the events, quarantines those that cannot be applied (a data error, see
 * shared/event-failure.ts) and moves the checkpoint past them.
 */
import type { Client } from 'pg';
import type { HandleContext, Projection } from '../projection.port';
import { CheckpointMovedError, CheckpointRow, expectCheckpoint } from '../consumer/checkpoint';
import type { EngineLogger } from '../consumer/logger';
import type { RecordedEvent } from '../shared/event-store';
import { classifyFailure, shortErrorMessage } from '../shared/event-failure';
import { qualified } from '../shared/sql';
import { quarantineEvent, type QuarantinedEvent } from './projection-quarantine';
import { CHECKPOINT_TABLE, PROGRESS_CHANNEL } from './projection-schema';

/**
 * Applies `events` inside the caller's transaction, all at once under a savepoint. When that fails
 * for anything but a transient reason, the savepoint is rolled back and the events are bisected:
 * each half is applied under its own savepoint, and a failing half split again, down to single
 * events. An event failing on its own with a data error is quarantined (same transaction) and
 * skipped, so the others of the batch are not lost; one poison event in a batch of n costs about
 * 2·log2(n) attempts. Transient and fault errors are thrown: the caller rolls back and retries
 * from the checkpoint.
 */
async function applyEvents(
  client: Client,
  projection: Projection,
  schema: string,
  events: readonly RecordedEvent[],
  context?: HandleContext,
): Promise<QuarantinedEvent[]> {
  const quarantined: QuarantinedEvent[] = [];
  const apply = async (slice: readonly RecordedEvent[]): Promise<void> => {
    const [single] = slice;
    if (!single) return;
    await client.query('SAVEPOINT projection_apply');
    try {
      // the context is the whole batch's: a part of it (after a failure) may follow another part of
      // the same streams, so its rows are loaded
      await (context && slice === events
        ? projection.handle(slice, client, schema, context)
        : projection.handle(slice, client, schema));
      await client.query('RELEASE SAVEPOINT projection_apply');
      return;
    } catch (error) {
      const kind = classifyFailure(error);
      if (kind === 'transient' || (slice.length === 1 && kind !== 'data')) throw error;
      // a dead session cannot roll back: then the failure was not the event's
      await rollbackTo(client, 'projection_apply', error);
      if (slice.length === 1) {
        const message = shortErrorMessage(error);
        await quarantineEvent(client, projection.name, schema, single, message);
        const now = new Date().toISOString();
        quarantined.push({
          projection: projection.name,
          position: single.position,
          streamId: single.streamId,
          eventId: single.id,
          type: single.type,
          error: message,
          quarantinedAt: now,
          lastFailedAt: now,
          attempts: 1,
        });
        return;
      }
    }
    const middle = Math.ceil(slice.length / 2);
    await apply(slice.slice(0, middle));
    await apply(slice.slice(middle));
  };
  await apply(events);
  return quarantined;
}

/** Rolls back to `savepoint`; when even that fails (a dead session), throws `cause`. */
export async function rollbackTo(client: Client, savepoint: string, cause: unknown): Promise<void> {
  try {
    await client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    await client.query(`RELEASE SAVEPOINT ${savepoint}`);
  } catch {
    throw cause;
  }
}

/**
 * Takes the checkpoint row and moves it from `expected` to `to` in one statement — a fenced update
 * of this projection's version — and queues the progress NOTIFY with it (sent at commit, like the
 * rows): one round trip where a locking read, the move and the NOTIFY took three. The row's lock
 * fences a concurrent swap as the locking read did; the events are applied after it, in the same
 * transaction, so nothing of the batch commits without the move. When the row is not moved (moved by
 * another writer, another version, no row) the reason is read and thrown, nothing committed.
 */
async function takeAndMoveCheckpoint(
  client: Client,
  projection: Projection,
  schema: string,
  expected: number,
  to: number,
  notify: boolean,
): Promise<void> {
  const checkpointTable = qualified(schema, CHECKPOINT_TABLE);
  const moved = await client.query(
    `WITH moved AS (
       UPDATE ${checkpointTable} SET position = $2, updated_at = now()
        WHERE position = $1 AND version = $3 RETURNING position)
     SELECT CASE WHEN $4::boolean THEN pg_notify($5, $6) END AS notified FROM moved`,
    [expected, to, projection.version, notify, PROGRESS_CHANNEL, `${projection.name}:${to}`],
  );
  if (moved.rowCount === 1) return;
  await lockCheckpoint(client, projection, schema, expected); // throws the reason
  throw new CheckpointMovedError(expected, null);
}

/**
 * Takes the checkpoint row (its lock also fences a concurrent swap) and checks the projection's
 * version and that the checkpoint is still at `expected`.
 */
async function lockCheckpoint(
  client: Client,
  projection: Projection,
  schema: string,
  expected: number,
): Promise<void> {
  const checkpointTable = qualified(schema, CHECKPOINT_TABLE);
  const found = await client.query<{ version: number; position: string }>(
    `SELECT version, position::text AS position FROM ${checkpointTable} FOR UPDATE`,
  );
  const row = found.rows[0];
  if (!row) throw new Error(`${checkpointTable} has no row`);
  if (row.version !== projection.version) {
    throw new Error(
      `${schema} holds version ${row.version} of projection "${projection.name}"; this instance runs version ${projection.version}`,
    );
  }
  expectCheckpoint(expected, Number(row.position));
}

export interface BatchOptions {
  /** BEGIN and COMMIT here (false: the caller holds a transaction) */
  ownTransaction: boolean;
  /** NOTIFY the progress channel with the new checkpoint */
  notify: boolean;
  logger: EngineLogger;
}

/**
 * One transaction (unless the caller holds one): take the checkpoint row (its lock also fences a
 * concurrent swap, which locks this table before renaming schemas) and move it from `expected` (it
 * must still be there) to the last event's position, with the NOTIFY — one statement — then apply
 * the events after `expected` (quarantining those that cannot be applied). Returns the checkpoint now.
 */
export async function applyBatch(
  client: Client,
  projection: Projection,
  schema: string,
  expected: number,
  events: readonly RecordedEvent[],
  options: BatchOptions,
): Promise<number> {
  const last = events[events.length - 1];
  if (!last) return expected;
  if (options.ownTransaction) await client.query('BEGIN');
  try {
    await takeAndMoveCheckpoint(client, projection, schema, expected, last.position, options.notify);
    const quarantined = await applyEvents(
      client,
      projection,
      schema,
      events.filter((e) => e.position > expected),
    );
    if (options.ownTransaction) await client.query('COMMIT');
    logQuarantined(options.logger, schema, quarantined);
    return last.position;
  } catch (error) {
    if (options.ownTransaction) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function logQuarantined(
  logger: EngineLogger,
  schema: string,
  quarantined: readonly QuarantinedEvent[],
): void {
  for (const q of quarantined) {
    logger.error(
      {
        projection: q.projection,
        schema,
        position: q.position,
        streamId: q.streamId,
        eventId: q.eventId,
        type: q.type,
        error: q.error,
      },
      'projection cannot apply an event: quarantined, the read model goes on without it',
    );
  }
}

/**
 * A page of a stream-order rebuild (consumer/replay.ts `streamOrderPages`) into a shadow schema, in
 * its own transaction: the events are applied and quarantined exactly as `applyBatch` does (each
 * stream's events in revision order, so every event meets the state of its stream it would meet in
 * position order), but the checkpoint does not move — the positions are not in order. It stays
 * where the stream-order replay started (checked, with the projection's version) and is moved to the
 * replay's head once every page is in (`moveCheckpoint`).
 */
export async function applyStreamPage(
  client: Client,
  projection: Projection,
  schema: string,
  expected: number,
  page: { events: readonly RecordedEvent[]; newStreams: boolean },
  logger: EngineLogger,
): Promise<void> {
  if (page.events.length === 0) return;
  await client.query('BEGIN');
  try {
    await lockCheckpoint(client, projection, schema, expected);
    const quarantined = await applyEvents(
      client,
      projection,
      schema,
      page.events,
      page.newStreams ? { newStreams: true } : undefined,
    );
    await client.query('COMMIT');
    logQuarantined(logger, schema, quarantined);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The fenced move of a schema's checkpoint from `expected` to `to`, in its own transaction. */
export async function moveCheckpoint(
  client: Client,
  projection: Projection,
  schema: string,
  expected: number,
  to: number,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await lockCheckpoint(client, projection, schema, expected);
    await new CheckpointRow(qualified(schema, CHECKPOINT_TABLE)).move(client, expected, to);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

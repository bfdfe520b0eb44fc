/**
 * Rebuild and swap: replays `$all` from position 0 into `rm_<name>__rebuild` (bare, by default
 * unlogged tables), indexes it, replays what came meanwhile, then — briefly holding off the live
 * writer — catches up with the live checkpoint and renames the schemas in one transaction. Readers
 * see the old tables until that commit and the new ones after; a crash at any point leaves one or
 * the other. Only one rebuild per projection at a time, across instances (an advisory lock). The
 * live writer then finds its checkpoint moved (CheckpointMovedError) and goes on from the new one.
 */
import { performance } from 'node:perf_hooks';
import type { Client, ClientConfig } from 'pg';
import type { Projection } from '../projection.port';
import { liveSchema } from '../projection.port';
import type { EngineLogger } from '../consumer/logger';
import { replayPages } from '../consumer/replay';
import { openSession } from '../consumer/session';
import type { EventStore } from '../shared/event-store';
import { qualified } from '../shared/sql';
import { applyBatch } from './projection-batch';
import type { ProjectionProgress } from './projection-progress';
import { QUARANTINE_TABLE } from './projection-quarantine';
import {
  CHECKPOINT_TABLE,
  createProjectionSchema,
  lockNames,
  PROGRESS_CHANNEL,
  readCheckpoint,
  rebuildSchema,
  retiredSchema,
  RUNNER_TABLES,
} from './projection-schema';

export interface RebuildResult {
  name: string;
  version: number;
  /** checkpoint of the swapped-in tables */
  position: number;
  /** events replayed */
  events: number;
  /** events the rebuilt read model could not apply: in its quarantine, skipped */
  quarantined: number;
  durationMs: number;
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor(projection: string) {
    super(`projection "${projection}" is already being rebuilt (by this or another instance)`);
  }
}

export interface RebuildDeps {
  store: EventStore;
  connection: ClientConfig;
  /** events per page and per transaction */
  batchSize: number;
  /** replay into UNLOGGED tables, logged once before the swap */
  unlogged: boolean;
  logger: EngineLogger;
  progress: ProjectionProgress;
  /** true once the runner stops: the rebuild gives up (the live tables stay) */
  stopping(): boolean;
}

/** Rebuilds `projection` and swaps it in; `onLocked` is told once this instance holds the rebuild lock. */
export async function rebuildProjection(
  deps: RebuildDeps,
  projection: Projection,
  onLocked: () => void = () => undefined,
): Promise<RebuildResult> {
  const client = await openSession(deps.connection, () => undefined);
  try {
    const locked = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
      [lockNames.rebuild(projection.name)],
    );
    if (!locked.rows[0]?.ok) throw new RebuildInProgressError(projection.name);
    onLocked();
    return await rebuildOn(client, deps, projection);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function rebuildOn(client: Client, deps: RebuildDeps, projection: Projection): Promise<RebuildResult> {
  const started = performance.now();
  const { logger, store, batchSize } = deps;
  const live = liveSchema(projection.name);
  const shadow = rebuildSchema(projection.name);
  const retired = retiredSchema(projection.name);
  const batch = { ownTransaction: true, notify: false, logger };
  logger.info({ projection: projection.name }, 'projection rebuild started');

  await client.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
  await client.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
  await client.query('BEGIN');
  try {
    await createProjectionSchema(client, projection, shadow, { indexes: false, unlogged: deps.unlogged });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }

  let events = 0;
  const replay = async (from: number): Promise<number> => {
    let position = from;
    for await (const page of replayPages(store, { after: position, batchSize })) {
      if (deps.stopping()) throw new Error(`rebuild of "${projection.name}" stopped: the runner is stopping`);
      position = await applyBatch(client, projection, shadow, position, page, batch);
      events += page.length;
    }
    return position;
  };
  let position = await replay(0);
  if (deps.unlogged) {
    for (const table of [...projection.tables, ...RUNNER_TABLES])
      await client.query(`ALTER TABLE ${qualified(shadow, table)} SET LOGGED`);
  }
  for (const ddl of projection.createIndexes(shadow)) await client.query(ddl);
  position = await replay(position);

  let quarantined = 0;
  await client.query('BEGIN');
  try {
    const liveCheckpoint = qualified(live, CHECKPOINT_TABLE);
    const liveExists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
      liveCheckpoint,
    ]);
    if (liveExists.rows[0]?.t) {
      // waits for the live writer's batch in flight and holds off the next one until the swap commits
      await client.query(`LOCK TABLE ${liveCheckpoint} IN ACCESS EXCLUSIVE MODE`);
      const livePosition = (await readCheckpoint(client, live))?.position ?? 0;
      if (position < livePosition) {
        for await (const page of replayPages(store, { after: position, batchSize })) {
          position = await applyBatch(client, projection, shadow, position, page, {
            ...batch,
            ownTransaction: false,
          });
          events += page.length;
          if (position >= livePosition) break;
        }
      }
      if (position < livePosition)
        throw new Error(
          `the store ends at ${position} but the live checkpoint of "${projection.name}" is ${livePosition}`,
        );
      await client.query(`ALTER SCHEMA ${live} RENAME TO ${retired}`);
    }
    const counted = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${qualified(shadow, QUARANTINE_TABLE)}`,
    );
    quarantined = Number(counted.rows[0]?.n ?? 0);
    await client.query(`ALTER SCHEMA ${shadow} RENAME TO ${live}`);
    await client.query('SELECT pg_notify($1, $2)', [PROGRESS_CHANNEL, `${projection.name}:${position}`]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // readers still on the old tables finish first (DROP waits for their locks)
  await client.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
  deps.progress.reached(projection.name, position);
  const result: RebuildResult = {
    name: projection.name,
    version: projection.version,
    position,
    events,
    quarantined,
    durationMs: Math.round(performance.now() - started),
  };
  logger.info({ ...result }, 'projection rebuilt and swapped in');
  return result;
}

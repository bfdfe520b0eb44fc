/**
 * Rebuild and swap: replays `$all` from position 0 into `rm_<name>__rebuild` (bare, by default
 * unlogged tables), indexes it, replays what came meanwhile, then — briefly holding off the live
 * writer — catches up with the live checkpoint and renames the schemas in one transaction. Readers
 * see the old tables until that commit and the new ones after; a crash at any point leaves one or
 * the other. Only one rebuild per projection at a time, across instances (an advisory lock). The
 * live writer then finds its checkpoint moved (CheckpointMovedError) and goes on from the new one.
 *
 * A projection that folds per stream (`foldsPerStream`) is first replayed in stream order, when the
 * store can read that way (`readAllByStream`): the events up to a head fixed at the start, each
 * stream whole in one page, so each of its rows is written once instead of once per page its events
 * are spread over; then from that head on in position order as above. Every event meets the same
 * state of its stream either way, so the tables and the quarantine come out the same.
 */
import { performance } from 'node:perf_hooks';
import type { Client, ClientConfig } from 'pg';
import type { Projection } from '../projection.port';
import { liveSchema } from '../projection.port';
import type { EngineLogger } from '../consumer/logger';
import { replayPages, sharePages, streamOrderPages, type StreamOrderReader } from '../consumer/replay';
import { openSession } from '../consumer/session';
import { mapConcurrently, type EventStore, type RecordedEvent } from '../shared/event-store';
import { qualified } from '../shared/sql';
import { applyBatch, applyStreamPage, moveCheckpoint } from './projection-batch';
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
  /** replay the projections that fold per stream in stream order first (when the store can) */
  streamOrder: boolean;
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
  const [result] = await rebuildProjections(deps, [projection], onLocked);
  if (!result) throw new Error(`rebuild of "${projection.name}" gave no result`);
  return result;
}

/** One projection being rebuilt: its own session (holding its rebuild lock) and shadow schema. */
interface Rebuilding {
  projection: Projection;
  client: Client;
  live: string;
  shadow: string;
  retired: string;
  position: number;
  events: number;
}

/** The lean read when no projection of the group reads an event's metadata or recordedAt. */
const leanWhenAllFold = (group: readonly Pick<Rebuilding, 'projection'>[]): 'all' | 'fold' =>
  group.every((t) => t.projection.foldsFromDataAlone === true) ? 'fold' : 'all';

/**
 * Rebuilds several projections from one replay of `$all`: each page is read once and applied to
 * every shadow schema, each on its projection's own session (so PostgreSQL applies them side by
 * side) — those that fold per stream from one stream-order replay up to a head first, the others
 * meanwhile from one position-order replay; then all are logged and indexed (the statements spread
 * over their sessions and one more), and each is caught up
 * and swapped in as a rebuild of that projection alone would be. Takes every projection's rebuild lock first (RebuildInProgressError
 * for the first one held elsewhere: then none is rebuilt); `onLocked` is told once all are held.
 * A failure before the swaps leaves every live schema as it was; each swap is its own transaction,
 * in the order given.
 */
export async function rebuildProjections(
  deps: RebuildDeps,
  projections: readonly Projection[],
  onLocked: () => void = () => undefined,
): Promise<RebuildResult[]> {
  const started = performance.now();
  const clients: Client[] = [];
  try {
    const targets: Rebuilding[] = [];
    for (const projection of projections) {
      const client = await openSession(deps.connection, () => undefined);
      clients.push(client);
      const locked = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [lockNames.rebuild(projection.name)],
      );
      if (!locked.rows[0]?.ok) throw new RebuildInProgressError(projection.name);
      const name = projection.name;
      targets.push({
        projection,
        client,
        live: liveSchema(name),
        shadow: rebuildSchema(name),
        retired: retiredSchema(name),
        position: 0,
        events: 0,
      });
    }
    onLocked();
    return await rebuildOn(targets, deps, started);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

async function rebuildOn(
  targets: readonly Rebuilding[],
  deps: RebuildDeps,
  started: number,
): Promise<RebuildResult[]> {
  const { logger, store, batchSize } = deps;
  const batch = { ownTransaction: true, notify: false, logger };
  for (const { projection } of targets)
    logger.info({ projection: projection.name }, 'projection rebuild started');

  await Promise.all(
    targets.map(async ({ client, projection, shadow, retired }) => {
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
    }),
  );

  // the replays give up at their next page once the runner stops or the replay beside them failed
  let besideFailed = false;
  const stopIfAsked = (t: Rebuilding): void => {
    if (deps.stopping()) throw new Error(`rebuild of "${t.projection.name}" stopped: the runner is stopping`);
    if (besideFailed) throw new Error(`rebuild of "${t.projection.name}" stopped: another replay failed`);
  };
  // each page is read once and given to every target, each applying at its own pace (at most one
  // page ahead of the slowest); a target already past a page's events skips them
  const replay = async (group: readonly Rebuilding[]): Promise<void> => {
    if (group.length === 0) return;
    const after = Math.min(...group.map((t) => t.position));
    await sharePages(
      replayPages(store, { after, batchSize, fields: leanWhenAllFold(group) }),
      group.map((t) => async (page: readonly RecordedEvent[]) => {
        stopIfAsked(t);
        const news = page.filter((e) => e.position > t.position).length;
        if (news === 0) return;
        t.position = await applyBatch(t.client, t.projection, t.shadow, t.position, page, batch);
        t.events += news;
      }),
    );
  };
  // the events up to a head fixed now, in stream order (each stream whole in one page), into every
  // target of `group` side by side; their checkpoints then move from 0 to that head at once
  const replayByStream = async (group: readonly Rebuilding[], reader: StreamOrderReader): Promise<void> => {
    if (group.length === 0) return;
    const head = await store.headPosition();
    if (head === 0) return;
    const fields = leanWhenAllFold(group);
    await sharePages(
      streamOrderPages(reader, { upTo: head, batchSize, fields }),
      group.map((t) => async (page) => {
        stopIfAsked(t);
        await applyStreamPage(t.client, t.projection, t.shadow, t.position, page, logger);
        t.events += page.events.length;
      }),
    );
    await Promise.all(
      group.map(async (t) => {
        await moveCheckpoint(t.client, t.projection, t.shadow, t.position, head);
        t.position = head;
      }),
    );
    logger.info(
      { projections: group.map((t) => t.projection.name), position: head, fields },
      'projection rebuild: replayed in stream order up to the head',
    );
  };
  const readAllByStream = deps.streamOrder ? store.readAllByStream?.bind(store) : undefined;
  const byStream = readAllByStream ? targets.filter((t) => t.projection.foldsPerStream === true) : [];
  const byPosition = targets.filter((t) => !byStream.includes(t));
  const names = targets.map((t) => t.projection.name);
  let phase = performance.now();
  const phaseDone = (what: string): void => {
    const now = performance.now();
    logger.info({ projections: names, ms: Math.round(now - phase), position: targets[0]?.position }, what);
    phase = now;
  };
  // side by side; both end before a failure of either is thrown (their sessions close after)
  const noteFailure = (error: unknown): never => {
    besideFailed = true;
    throw error;
  };
  const replayed = await Promise.allSettled([
    replay(byPosition).catch(noteFailure),
    readAllByStream ? replayByStream(byStream, { readAllByStream }).catch(noteFailure) : Promise.resolve(),
  ]);
  // the first failure, not the other replay's giving up because of it
  const failures = replayed.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  const first = failures.find((e) => !(e instanceof Error && e.message.endsWith('another replay failed')));
  if (failures.length > 0) throw first ?? failures[0];
  phaseDone('projection rebuild: replayed into the shadow tables');
  await logAndIndex(targets, deps);
  phaseDone('projection rebuild: shadow tables logged and indexed');
  await replay(targets);
  phaseDone('projection rebuild: caught up again');

  const results: RebuildResult[] = [];
  for (const target of targets) {
    const quarantined = await swap(target, deps, batch);
    deps.progress.reached(target.projection.name, target.position);
    const result: RebuildResult = {
      name: target.projection.name,
      version: target.projection.version,
      position: target.position,
      events: target.events,
      quarantined,
      durationMs: Math.round(performance.now() - started),
    };
    logger.info({ ...result }, 'projection rebuilt and swapped in');
    results.push(result);
  }
  phaseDone('projection rebuild: swapped in');
  return results;
}

/**
 * Logs every target's shadow tables, then builds their indexes, the statements spread over the
 * targets' sessions and one more (each session takes the next statement as it is done), so no
 * session waits while another works through its own projection's list (control has seven tables and
 * sixteen indexes, statistics two and three).
 * Several indexes of one table build at once (CREATE INDEX takes a SHARE lock, which does not
 * conflict with itself); every table is logged before any index is built, so no index is written twice.
 */
async function logAndIndex(targets: readonly Rebuilding[], deps: RebuildDeps): Promise<void> {
  const extra = await openSession(deps.connection, () => undefined);
  try {
    const sessions = [...targets.map((t) => t.client), extra];
    // after a failure the other sessions take no more statements (the rebuild fails)
    const spread = async (statements: readonly string[]): Promise<void> => {
      await mapConcurrently(statements, sessions.length, (statement, _index, worker) =>
        sessions[worker].query(statement),
      );
    };
    if (deps.unlogged)
      await spread(
        targets.flatMap(({ projection, shadow }) =>
          [...projection.tables, ...RUNNER_TABLES].map(
            (table) => `ALTER TABLE ${qualified(shadow, table)} SET LOGGED`,
          ),
        ),
      );
    await spread(targets.flatMap(({ projection, shadow }) => [...projection.createIndexes(shadow)]));
  } finally {
    await extra.end().catch(() => undefined);
  }
}

/**
 * In one transaction: hold off the live writer, catch up with its checkpoint, rename the live
 * schema away and the shadow one in; then drop the retired one. Returns the quarantined count.
 */
async function swap(
  target: Rebuilding,
  deps: RebuildDeps,
  batch: { ownTransaction: boolean; notify: boolean; logger: EngineLogger },
): Promise<number> {
  const { client, projection, live, shadow, retired } = target;
  const { store, batchSize } = deps;
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
      if (target.position < livePosition) {
        for await (const page of replayPages(store, {
          after: target.position,
          batchSize,
          fields: leanWhenAllFold([target]),
        })) {
          target.position = await applyBatch(client, projection, shadow, target.position, page, {
            ...batch,
            ownTransaction: false,
          });
          target.events += page.length;
          if (target.position >= livePosition) break;
        }
      }
      if (target.position < livePosition)
        throw new Error(
          `the store ends at ${target.position} but the live checkpoint of "${projection.name}" is ${livePosition}`,
        );
      await client.query(`ALTER SCHEMA ${live} RENAME TO ${retired}`);
    }
    const counted = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${qualified(shadow, QUARANTINE_TABLE)}`,
    );
    quarantined = Number(counted.rows[0]?.n ?? 0);
    await client.query(`ALTER SCHEMA ${shadow} RENAME TO ${live}`);
    await client.query('SELECT pg_notify($1, $2)', [
      PROGRESS_CHANNEL,
      `${projection.name}:${target.position}`,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // readers still on the old tables finish first (DROP waits for their locks)
  await client.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
  return quarantined;
}

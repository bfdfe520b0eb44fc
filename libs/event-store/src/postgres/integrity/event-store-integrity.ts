/**
 * Tamper evidence of the PostgreSQL event store: the verifier of the per-stream hash chains
 * (migration 5) and the signed checkpoints of every stream's head. Hashes are recomputed here, in
 * Node, from what the database returns, so a changed `event_chain_hash()` in the database cannot
 * make a broken chain look whole; checkpoints are HMAC-SHA256-signed with a key kept outside the
 * database. See docs/event-store.md ("Tamper evidence").
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

export interface IntegrityKey {
  /** the key's fingerprint, stored with each checkpoint (first 16 hex digits of its SHA-256) */
  readonly id: string;
  readonly secret: Buffer;
}

export function integrityKey(secret: Buffer): IntegrityKey {
  if (secret.length < 32) throw new Error('the integrity key must be at least 32 bytes');
  return { id: createHash('sha256').update(secret).digest('hex').slice(0, 16), secret };
}

export type IntegrityProblemKind =
  /** the stored hash does not match the event: data, metadata, type, id, revision or position changed */
  | 'edited'
  /** a revision is absent from the middle (or the start) of a stream */
  | 'missing-event'
  /** a stream's revisions and positions disagree on the order of its events */
  | 'reordered'
  /** an event carries no hash */
  | 'unhashed'
  /** the stream ends below the revision the checkpoint signed */
  | 'tail-deleted'
  /** the checkpoint signed a stream that no longer has any event */
  | 'stream-deleted'
  /** the event at the signed head revision has another hash than the checkpoint signed */
  | 'head-rewritten'
  /** fewer or more events at or below the checkpoint's position than it counted */
  | 'event-count'
  /** the checkpoint's signature or its heads table does not verify */
  | 'checkpoint';

export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  streamId?: string;
  revision?: number;
  position?: number;
  message: string;
}

export interface CheckpointSummary {
  id: number;
  position: number;
  eventCount: number;
  streamCount: number;
  createdAt: string;
}

export interface IntegrityReport {
  ok: boolean;
  checkedEvents: number;
  checkedStreams: number;
  /** the checkpoint compared against; null when there is none yet or no key to check it with */
  checkpoint: CheckpointSummary | null;
  /** why the checkpoint was not compared, when it was not */
  checkpointNote?: string;
  /** in the order found (streams in id order, revisions ascending); at most `maxProblems` */
  problems: IntegrityProblem[];
  /** more problems were found than listed */
  truncated: boolean;
  startedAt: string;
  finishedAt: string;
}

export interface VerifyOptions {
  /** checks the latest checkpoint's signature and compares the heads it signed; without it the chains only */
  key?: IntegrityKey;
  /** events per read; default 2000 */
  pageSize?: number;
  /** problems listed at most; default 100 */
  maxProblems?: number;
  /** told after every page */
  onProgress?: (checkedEvents: number) => void;
}

interface EventRow {
  stream_id: string;
  revision: string;
  position: string;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  hash: Buffer | null;
}

interface CheckpointRow {
  id: string;
  position: string;
  event_count: string;
  stream_count: string;
  heads_digest: Buffer;
  created_at: Date;
  key_id: string;
  signature: Buffer;
}

interface HeadRow {
  stream_id: string;
  revision: string;
  position: string;
  hash: Buffer;
}

interface Head {
  revision: number;
  position: number;
  hash: Buffer;
}

const EMPTY = Buffer.alloc(0);
const NO_CHECKPOINT = 'no checkpoint written yet';
const CHECKPOINT_LOCK = [1095519043, 1] as const;

const SQL = {
  page: `SELECT stream_id, revision, position, event_id, type, data::text AS data, metadata::text AS metadata, hash
           FROM events WHERE (stream_id, revision) > ($1, $2) ORDER BY stream_id, revision LIMIT $3`,
  latestCheckpoint: `SELECT id, position, event_count, stream_count, heads_digest, created_at, key_id, signature
                       FROM event_store_checkpoints ORDER BY id DESC LIMIT 1`,
  heads: `SELECT stream_id, revision, position, hash FROM event_store_stream_heads ORDER BY stream_id COLLATE "C"`,
  countUpTo: 'SELECT count(*) AS n FROM events WHERE position <= $1',
} as const;

/** The hash migration 5 defines, computed from an event as read back (`data::text`, `metadata::text`). */
export function eventChainHash(
  previous: Buffer | null,
  event: {
    streamId: string;
    revision: number;
    id: string;
    position: number;
    type: string;
    data: string;
    metadata: string;
  },
): Buffer {
  const sha = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  const int8 = (n: number): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(n));
    return b;
  };
  return createHash('sha256')
    .update(previous ?? EMPTY)
    .update(sha(event.streamId))
    .update(int8(event.revision))
    .update(Buffer.from(event.id.replace(/-/g, ''), 'hex'))
    .update(int8(event.position))
    .update(sha(event.type))
    .update(sha(event.data))
    .update(sha(event.metadata))
    .digest();
}

/**
 * Walks every stream in id order and revision order (keyset pages of the (stream_id, revision)
 * index), recomputing each event's hash from the previous one, then compares the latest signed
 * checkpoint. Reads only; safe while the engine appends (events appended meanwhile are checked if
 * the walk reaches them).
 */
export async function verifyEventStore(pool: Pool, options: VerifyOptions = {}): Promise<IntegrityReport> {
  const startedAt = new Date().toISOString();
  const pageSize = options.pageSize ?? 2000;
  const maxProblems = options.maxProblems ?? 100;
  const problems: IntegrityProblem[] = [];
  let found = 0;
  const report = (problem: IntegrityProblem): void => {
    found++;
    if (problems.length < maxProblems) problems.push(problem);
  };

  const signed = options.key ? await loadCheckpoint(pool, options.key) : undefined;
  let checkpointNote = options.key
    ? signed?.note
    : 'no integrity key given: the chains are checked, the checkpoint is not';
  const checkpoint = signed?.checkpoint ?? null;
  if (signed?.problem) report(signed.problem);
  const heads = signed?.heads;

  let checkedEvents = 0;
  let checkedStreams = 0;
  let after: [string, number] = ['', -1];
  let previous: { streamId: string; revision: number; position: number; hash: Buffer | null } | undefined;
  /** the last event of the current stream at or below the checkpoint's position */
  let signedHead: Head | undefined;
  /** a hash mismatch is held until the next event shows whether it is a reordering */
  let pending: IntegrityProblem | undefined;
  /** after a missing or reordered event the chain resumes from the next stored hash */
  let resume = false;

  const flushPending = (): void => {
    if (pending) report(pending);
    pending = undefined;
  };
  const endStream = (streamId: string): void => {
    flushPending();
    if (!heads || !checkpoint) return;
    const head = heads.get(streamId);
    if (!head) return;
    heads.delete(streamId);
    compareHead(streamId, head, signedHead, checkpoint, report);
  };

  for (;;) {
    const { rows } = await pool.query<EventRow>({
      name: 'event_store_integrity_page',
      text: SQL.page,
      values: [after[0], after[1], pageSize],
    });
    for (const row of rows) {
      const event = {
        streamId: row.stream_id,
        revision: Number(row.revision),
        position: Number(row.position),
        id: row.event_id,
        type: row.type,
        data: row.data,
        metadata: row.metadata,
      };
      const at = { streamId: event.streamId, revision: event.revision, position: event.position };
      checkedEvents++;
      const sameStream = previous?.streamId === event.streamId;
      if (!sameStream) {
        if (previous) endStream(previous.streamId);
        checkedStreams++;
        signedHead = undefined;
        previous = undefined;
        resume = false;
      }
      let linkBroken = resume;
      resume = false;
      if (!previous && event.revision !== 0) {
        linkBroken = true;
        resume = true;
        report({
          kind: 'missing-event',
          ...at,
          message: `stream ${event.streamId}: revisions 0..${event.revision - 1} are missing before revision ${event.revision} (position ${event.position})`,
        });
      } else if (previous && event.revision !== previous.revision + 1) {
        linkBroken = true;
        resume = true;
        flushPending();
        report({
          kind: 'missing-event',
          ...at,
          message: `stream ${event.streamId}: ${range(previous.revision + 1, event.revision - 1)} missing between revision ${previous.revision} (position ${previous.position}) and revision ${event.revision} (position ${event.position})`,
        });
      } else if (previous && event.position <= previous.position) {
        linkBroken = true;
        resume = true;
        // The mismatch held for the previous event is the same reordering; name it once.
        pending = undefined;
        report({
          kind: 'reordered',
          ...at,
          message: `stream ${event.streamId}: revision ${event.revision} has position ${event.position}, below revision ${previous.revision}'s position ${previous.position}: events were reordered`,
        });
      }
      flushPending();
      if (row.hash === null) {
        report({
          kind: 'unhashed',
          ...at,
          message: `stream ${event.streamId} revision ${event.revision} (position ${event.position}) has no hash`,
        });
      } else if (!linkBroken) {
        const expected = eventChainHash(previous?.hash ?? null, event);
        if (!expected.equals(row.hash)) {
          pending = {
            kind: 'edited',
            ...at,
            message: `stream ${event.streamId} revision ${event.revision} (position ${event.position}, event ${event.id}): the stored hash does not match the event: its data, metadata, type, id, revision or position was changed since it was appended`,
          };
        }
      }
      if (checkpoint && event.position <= checkpoint.position && row.hash)
        signedHead = { revision: event.revision, position: event.position, hash: row.hash };
      previous = { ...at, hash: row.hash };
      after = [event.streamId, event.revision];
    }
    options.onProgress?.(checkedEvents);
    if (rows.length < pageSize) break;
  }
  if (previous) endStream(previous.streamId);

  if (heads && checkpoint) {
    for (const [streamId, head] of heads) compareHead(streamId, head, undefined, checkpoint, report);
    const { rows } = await pool.query<{ n: string }>(SQL.countUpTo, [checkpoint.position]);
    const count = Number(rows[0].n);
    if (count !== checkpoint.eventCount)
      report({
        kind: 'event-count',
        position: checkpoint.position,
        message: `${count} events at or below position ${checkpoint.position}; checkpoint #${checkpoint.id} of ${checkpoint.createdAt} counted ${checkpoint.eventCount}`,
      });
  }
  if (!checkpoint && options.key && !checkpointNote) checkpointNote = NO_CHECKPOINT;
  return {
    ok: found === 0,
    checkedEvents,
    checkedStreams,
    checkpoint,
    ...(checkpointNote ? { checkpointNote } : {}),
    problems,
    truncated: found > problems.length,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

function compareHead(
  streamId: string,
  signed: Head,
  now: Head | undefined,
  checkpoint: CheckpointSummary,
  report: (p: IntegrityProblem) => void,
): void {
  const cp = `checkpoint #${checkpoint.id} (${checkpoint.createdAt})`;
  if (!now) {
    report({
      kind: 'stream-deleted',
      streamId,
      revision: signed.revision,
      position: signed.position,
      message: `stream ${streamId} is gone: ${cp} signed it with revisions 0..${signed.revision} (head at position ${signed.position})`,
    });
  } else if (now.revision < signed.revision) {
    report({
      kind: 'tail-deleted',
      streamId,
      revision: now.revision + 1,
      position: signed.position,
      message: `stream ${streamId} ends at revision ${now.revision}; ${cp} signed revisions up to ${signed.revision} (position ${signed.position}): ${range(now.revision + 1, signed.revision)} deleted`,
    });
  } else if (now.revision === signed.revision && !now.hash.equals(signed.hash)) {
    report({
      kind: 'head-rewritten',
      streamId,
      revision: signed.revision,
      position: signed.position,
      message: `stream ${streamId} revision ${signed.revision} has another hash than ${cp} signed: the stream was rewritten`,
    });
  }
}

function range(from: number, to: number): string {
  return from === to ? `revision ${from} is` : `revisions ${from}..${to} are`;
}

interface LoadedCheckpoint {
  checkpoint: CheckpointSummary | null;
  heads?: Map<string, Head>;
  problem?: IntegrityProblem;
  note?: string;
}

async function loadCheckpoint(db: Pool | PoolClient, key: IntegrityKey): Promise<LoadedCheckpoint> {
  const { rows } = await db.query<CheckpointRow>(SQL.latestCheckpoint);
  if (rows.length === 0) return { checkpoint: null, note: NO_CHECKPOINT };
  const row = rows[0];
  const checkpoint: CheckpointSummary = {
    id: Number(row.id),
    position: Number(row.position),
    eventCount: Number(row.event_count),
    streamCount: Number(row.stream_count),
    createdAt: row.created_at.toISOString(),
  };
  if (row.key_id !== key.id)
    return {
      checkpoint: null,
      note: `the latest checkpoint (#${checkpoint.id}) is signed with key ${row.key_id}, not with the given key ${key.id}`,
    };
  const expected = sign(key, {
    position: checkpoint.position,
    eventCount: checkpoint.eventCount,
    streamCount: checkpoint.streamCount,
    headsDigest: row.heads_digest,
    createdAt: checkpoint.createdAt,
  });
  if (expected.length !== row.signature.length || !timingSafeEqual(expected, row.signature))
    return {
      checkpoint: null,
      problem: {
        kind: 'checkpoint',
        position: checkpoint.position,
        message: `checkpoint #${checkpoint.id} of ${checkpoint.createdAt}: its signature does not verify: the checkpoint row was altered`,
      },
    };
  const { heads, digest } = await readHeads(db);
  if (!digest.equals(row.heads_digest) || heads.size !== checkpoint.streamCount)
    return {
      checkpoint: null,
      problem: {
        kind: 'checkpoint',
        position: checkpoint.position,
        message: `checkpoint #${checkpoint.id} of ${checkpoint.createdAt}: the stream heads it signed (event_store_stream_heads) were altered`,
      },
    };
  return { checkpoint, heads };
}

async function readHeads(db: Pool | PoolClient): Promise<{ heads: Map<string, Head>; digest: Buffer }> {
  const { rows } = await db.query<HeadRow>(SQL.heads);
  const digest = createHash('sha256');
  const heads = new Map<string, Head>();
  for (const row of rows) {
    const head = { revision: Number(row.revision), position: Number(row.position), hash: row.hash };
    heads.set(row.stream_id, head);
    digest.update(headBytes(row.stream_id, head));
  }
  return { heads, digest: digest.digest() };
}

function headBytes(streamId: string, head: Head): Buffer {
  const numbers = Buffer.alloc(16);
  numbers.writeBigInt64BE(BigInt(head.revision), 0);
  numbers.writeBigInt64BE(BigInt(head.position), 8);
  return Buffer.concat([createHash('sha256').update(streamId, 'utf8').digest(), numbers, head.hash]);
}

function sign(
  key: IntegrityKey,
  c: { position: number; eventCount: number; streamCount: number; headsDigest: Buffer; createdAt: string },
): Buffer {
  return createHmac('sha256', key.secret)
    .update(
      [
        'appeal-ledger-checkpoint-v1',
        c.position,
        c.eventCount,
        c.streamCount,
        c.headsDigest.toString('hex'),
        c.createdAt,
        key.id,
      ].join('|'),
    )
    .digest();
}

export class CheckpointRefusedError extends Error {
  override readonly name = 'CheckpointRefusedError';
}

/**
 * Signs a new checkpoint at the readers' head: updates the heads of the streams appended to since
 * the last checkpoint and signs the count of events and the digest of all heads. Refuses (throws
 * CheckpointRefusedError) when what the last checkpoint signed is no longer there, so tampering is
 * never laundered into a fresh signature; run verify then. Checkpoint writers take turns (an
 * advisory lock), so several engines and the CLI may all write them.
 */
export async function writeCheckpoint(pool: Pool, key: IntegrityKey): Promise<CheckpointSummary> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...CHECKPOINT_LOCK]);
    const last = await loadCheckpoint(client, key);
    if (last.problem) throw new CheckpointRefusedError(last.problem.message);
    const previous = last.checkpoint;
    if (!previous && last.note && last.note !== NO_CHECKPOINT) throw new CheckpointRefusedError(last.note);
    const { rows: headRows } = await client.query<{ head: string }>(
      'SELECT coalesce((SELECT position FROM events WHERE tx_id < (SELECT events_visible_boundary()) ORDER BY position DESC LIMIT 1), 0) AS head',
    );
    const position = Math.max(Number(headRows[0].head), previous?.position ?? 0);
    const from = previous?.position ?? 0;
    // Every stream must still hold the head the last checkpoint signed, and streams appended to
    // since must have grown past it (one index lookup per stream).
    const { rows: broken } = await client.query<{ stream_id: string; revision: string }>(
      `WITH changed AS (
         SELECT DISTINCT ON (stream_id) stream_id, revision FROM events
          WHERE position > $1 AND position <= $2 ORDER BY stream_id, revision DESC)
       SELECT h.stream_id, h.revision FROM event_store_stream_heads h
         LEFT JOIN changed c USING (stream_id)
         LEFT JOIN events e ON e.stream_id = h.stream_id AND e.revision = h.revision
        WHERE e.hash IS DISTINCT FROM h.hash OR e.position IS DISTINCT FROM h.position OR c.revision <= h.revision
        LIMIT 1`,
      [from, position],
    );
    if (broken.length > 0)
      throw new CheckpointRefusedError(
        `stream ${broken[0].stream_id} no longer holds revision ${broken[0].revision} as the last checkpoint signed it; run verify`,
      );
    const { rows: counts } = await client.query<{ total: string; recent: string }>(
      'SELECT count(*) AS total, count(*) FILTER (WHERE position > $1) AS recent FROM events WHERE position <= $2',
      [from, position],
    );
    const eventCount = Number(counts[0].total);
    if (previous && eventCount !== previous.eventCount + Number(counts[0].recent))
      throw new CheckpointRefusedError(
        `events at or below position ${previous.position} changed in number since checkpoint #${previous.id}; run verify`,
      );
    await client.query(
      `INSERT INTO event_store_stream_heads (stream_id, revision, position, hash)
       SELECT DISTINCT ON (stream_id) stream_id, revision, position, hash FROM events
        WHERE position > $1 AND position <= $2 ORDER BY stream_id, revision DESC
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, position = excluded.position, hash = excluded.hash`,
      [from, position],
    );
    const { heads, digest } = await readHeads(client);
    const createdAt = new Date().toISOString();
    const summary = { position, eventCount, streamCount: heads.size, headsDigest: digest, createdAt };
    const { rows: inserted } = await client.query<{ id: string }>(
      `INSERT INTO event_store_checkpoints (position, event_count, stream_count, heads_digest, created_at, key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [position, eventCount, heads.size, digest, createdAt, key.id, sign(key, summary)],
    );
    await client.query('COMMIT');
    return { id: Number(inserted[0].id), position, eventCount, streamCount: heads.size, createdAt };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

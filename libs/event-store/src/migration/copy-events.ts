/**
 * Copies every event from one EventStore to another (PostgreSQL → EventStoreDB and back), then checks
 * each stream's count and content hash on both sides. Re-runs are resumable and idempotent: what the
 * target already has is skipped, the rest appended with the exact expected revision.
 */
import { createHash } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../event-store.errors';
import type { EventStore, JsonValue, NewEvent, RecordedEvent } from '../event-store.port';

export interface CopyEventsOptions {
  /** events per `$all` read of the source (default 500) */
  pageSize?: number;
  /** most events per append to the target (default 100); consecutive events of one stream share one */
  batchSize?: number;
  /** skip the verification pass (default false) */
  skipVerification?: boolean;
  /** told after every page read from the source */
  onProgress?: (progress: { eventsRead: number; eventsCopied: number; position: number }) => void;
}

export interface StreamDigest {
  count: number;
  /** SHA-256 over the stream's events in revision order: canonical JSON of id, type, data, metadata */
  sha256: string;
}

export interface StreamMismatch {
  streamId: string;
  source: StreamDigest;
  /** undefined: the stream is missing in the target */
  target: StreamDigest | undefined;
}

export interface StreamConflict {
  streamId: string;
  /** why the copy of this stream stopped */
  reason: string;
}

export interface CopyReport {
  streams: number;
  eventsRead: number;
  eventsCopied: number;
  /** already in the target (an earlier run) */
  eventsSkipped: number;
  /** streams whose target held other events, or changed during the copy: not copied further */
  conflicts: StreamConflict[];
  /** undefined when skipped */
  verification?: { streamsChecked: number; mismatches: StreamMismatch[] };
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Count and SHA-256 of a stream's events (ids lower-cased: stores differ in UUID case). */
export function digestStream(events: readonly RecordedEvent[]): StreamDigest {
  const hash = createHash('sha256');
  for (const e of [...events].sort((a, b) => a.revision - b.revision)) {
    hash.update(canonicalJson([e.id.toLowerCase(), e.type, e.data, e.metadata]));
    hash.update('\n');
  }
  return { count: events.length, sha256: hash.digest('hex') };
}

async function readStreamOrEmpty(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamId);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

/** What the target holds of one stream, learnt on the stream's first event in the source. */
interface TargetStream {
  /** revision the next copied event must have */
  next: number;
  /** ids the target already holds, by revision; dropped once the copy is past them */
  existingIds: string[] | undefined;
}

/**
 * Copies in the source's `$all` order, so the target's `$all` has the events in the same order and
 * projections rebuilt there see what they saw here. Positions and `recordedAt` are the target's own.
 */
export async function copyEvents(
  source: EventStore,
  target: EventStore,
  options: CopyEventsOptions = {},
): Promise<CopyReport> {
  const pageSize = options.pageSize ?? 500;
  const batchSize = options.batchSize ?? 100;
  const streams: string[] = [];
  const targets = new Map<string, TargetStream>();
  const conflicts = new Map<string, string>();
  const report: CopyReport = { streams: 0, eventsRead: 0, eventsCopied: 0, eventsSkipped: 0, conflicts: [] };
  let pending: { streamId: string; events: RecordedEvent[] } | undefined;

  const targetOf = async (streamId: string): Promise<TargetStream> => {
    let known = targets.get(streamId);
    if (!known) {
      const existing = await readStreamOrEmpty(target, streamId);
      known = {
        next: existing.length,
        existingIds: existing.length > 0 ? existing.map((e) => e.id.toLowerCase()) : undefined,
      };
      targets.set(streamId, known);
      streams.push(streamId);
    }
    return known;
  };

  const flush = async (): Promise<void> => {
    if (!pending) return;
    const { streamId, events } = pending;
    pending = undefined;
    const first = events[0].revision;
    const batch: NewEvent[] = events.map((e) => ({
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    }));
    try {
      await target.append(streamId, batch, first === 0 ? 'no_stream' : first - 1);
      report.eventsCopied += batch.length;
      targets.get(streamId)!.next += batch.length;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      conflicts.set(
        streamId,
        `the target stream changed during the copy (expected revision ${error.expected}, actual ${error.actual})`,
      );
    }
  };

  let after = 0;
  for (;;) {
    const page = await source.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const event of page) {
      after = event.position;
      report.eventsRead += 1;
      if (pending && (pending.streamId !== event.streamId || pending.events.length >= batchSize))
        await flush();
      const stream = await targetOf(event.streamId);
      if (conflicts.has(event.streamId)) continue;
      if (event.revision < stream.next) {
        // an earlier run copied it: the same id must be there
        if (stream.existingIds?.[event.revision] !== event.id.toLowerCase()) {
          conflicts.set(event.streamId, `the target holds another event at revision ${event.revision}`);
        } else {
          report.eventsSkipped += 1;
        }
        continue;
      }
      stream.existingIds = undefined;
      const expectedRevision = stream.next + (pending?.events.length ?? 0);
      if (event.revision !== expectedRevision) {
        conflicts.set(
          event.streamId,
          `the source gave revision ${event.revision} where ${expectedRevision} was due`,
        );
        continue;
      }
      pending ??= { streamId: event.streamId, events: [] };
      pending.events.push(event);
    }
    await flush();
    options.onProgress?.({
      eventsRead: report.eventsRead,
      eventsCopied: report.eventsCopied,
      position: after,
    });
  }
  await flush();

  report.streams = streams.length;
  report.conflicts = [...conflicts].map(([streamId, reason]) => ({ streamId, reason }));
  if (!options.skipVerification) report.verification = await verifyCopy(source, target, streams);
  return report;
}

/** Compares each stream's count and content hash in both stores. */
export async function verifyCopy(
  source: EventStore,
  target: EventStore,
  streamIds: readonly string[],
): Promise<{ streamsChecked: number; mismatches: StreamMismatch[] }> {
  const mismatches: StreamMismatch[] = [];
  for (const streamId of streamIds) {
    const expected = digestStream(await readStreamOrEmpty(source, streamId));
    const stored = await readStreamOrEmpty(target, streamId);
    const actual = stored.length > 0 ? digestStream(stored) : undefined;
    if (!actual || actual.count !== expected.count || actual.sha256 !== expected.sha256) {
      mismatches.push({ streamId, source: expected, target: actual });
    }
  }
  return { streamsChecked: streamIds.length, mismatches };
}

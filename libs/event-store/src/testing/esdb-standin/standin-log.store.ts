/**
 * The stand-in's in-memory transaction log (TEST CODE ONLY): streams, `$all` positions and the append
 * checks EventStoreDB makes (expected version, idempotent retries), as read from its
 * `IndexWriter.CheckCommit` and `StorageWriterService`.
 */
import { randomUUID } from 'node:crypto';

export type ExpectedVersion =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

export interface ProposedEvent {
  /** lower-case UUID text */
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface LogRecord {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** byte offset in the log; commit == prepare position, as for every implicit-transaction write */
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends in the `created` metadata */
  createdTicks: bigint;
}

export type AppendOutcome =
  | { kind: 'written'; currentRevision: bigint; position: bigint }
  | { kind: 'idempotent'; currentRevision: bigint; position: bigint | undefined }
  | { kind: 'wrong_expected_version'; currentRevision: bigint | undefined };

export interface StandInLogOptions {
  /** write the system events a fresh node writes at start (epoch, users, scavenge settings); default true */
  seedSystemEvents?: boolean;
  /**
   * What an idempotent retry reports as position: `last-event` (current servers: the position of the
   * last already-written event) or `none` (older servers answered `no_position`).
   */
  idempotentPosition?: 'last-event' | 'none';
}

const TICKS_PER_MS = 10_000n;
/** The log starts with a chunk header and an epoch record, so no event sits at position 0. */
const FIRST_RECORD_POSITION = 128n;
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

export class StandInLog {
  private readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  /** the server's `_committedEvents` cache; unbounded here (the real one is an LRU) */
  private readonly byEventId = new Map<string, LogRecord>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = FIRST_RECORD_POSITION;
  private readonly idempotentPosition: 'last-event' | 'none';

  constructor(options: StandInLogOptions = {}) {
    this.idempotentPosition = options.idempotentPosition ?? 'last-event';
    if (options.seedSystemEvents ?? true) this.seedSystemEvents();
  }

  /** Position where the next record will be written (the writer checkpoint). */
  get endPosition(): bigint {
    return this.nextPosition;
  }

  get allRecords(): readonly LogRecord[] {
    return this.records;
  }

  /** Called (synchronously) after every write; returns an unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  streamRecords(streamId: string): readonly LogRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /** Index of the first record with position >= `position` (binary search: positions increase). */
  indexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[mid].position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  append(streamId: string, expected: ExpectedVersion, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n; // -1: no stream
    const decision = this.checkCommit(streamId, stream, current, expected, events);
    if (decision.kind !== 'ok') return decision;
    if (events.length === 0) {
      // the server writes an empty prepare; nothing a reader sees
      return { kind: 'written', currentRevision: current, position: this.nextPosition };
    }
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    let last: LogRecord | undefined;
    for (const [i, e] of events.entries()) {
      last = {
        streamId,
        revision: current + 1n + BigInt(i),
        id: e.id,
        type: e.type,
        contentType: e.contentType,
        data: e.data,
        customMetadata: e.customMetadata,
        position: this.nextPosition,
        createdTicks: created,
      };
      // a rough record size, so positions are byte offsets with gaps, as on the real log
      this.nextPosition += BigInt(
        96 + utf8Length(streamId) + utf8Length(e.type) + e.data.length + e.customMetadata.length,
      );
      this.records.push(last);
      stream.push(last);
      this.byEventId.set(e.id, last);
    }
    this.streams.set(streamId, stream);
    for (const listener of [...this.listeners]) listener();
    // the append reply carries the commit position of the transaction's last prepare (for both fields)
    return { kind: 'written', currentRevision: last!.revision, position: last!.position };
  }

  /** EventStoreDB's CheckCommit: Ok, Idempotent, WrongExpectedVersion (incl. CorruptedIdempotency). */
  private checkCommit(
    streamId: string,
    stream: readonly LogRecord[],
    current: bigint,
    expected: ExpectedVersion,
    events: readonly ProposedEvent[],
  ): AppendOutcome | { kind: 'ok' } {
    const wrong = (): AppendOutcome => ({
      kind: 'wrong_expected_version',
      currentRevision: current < 0n ? undefined : current,
    });
    if (current < 0n) {
      // a new stream: no idempotency check, only `any` and `no_stream` may create it
      return expected.kind === 'any' || expected.kind === 'no_stream' ? { kind: 'ok' } : wrong();
    }
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      // ids looked up wherever they are in this stream; the first unknown id decides
      let start: LogRecord | undefined;
      let end: LogRecord | undefined;
      for (const e of events) {
        const found = this.byEventId.get(e.id);
        if (!found || found.streamId !== streamId) return start ? wrong() : { kind: 'ok' };
        start ??= found;
        end = found;
      }
      if (!end) return { kind: 'ok' };
      return this.idempotent(end);
    }
    const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
    if (expectedRevision < current) {
      // a retry must find the same ids at the same revisions, starting right after the expectation
      let revision = expectedRevision;
      for (const e of events) {
        revision += 1n;
        const existing = stream[Number(revision)];
        if (existing?.id === e.id) continue;
        return wrong(); // first mismatch: WrongExpectedVersion; later mismatch: CorruptedIdempotency
      }
      if (revision === expectedRevision) return wrong(); // nothing proposed
      return this.idempotent(stream[Number(revision)]);
    }
    if (expectedRevision > current) return wrong();
    return { kind: 'ok' };
  }

  private idempotent(last: LogRecord): AppendOutcome {
    return {
      kind: 'idempotent',
      currentRevision: last.revision,
      position: this.idempotentPosition === 'last-event' ? last.position : undefined,
    };
  }

  private seedSystemEvents(): void {
    const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value), 'utf8');
    const system = (streamId: string, type: string, data: unknown): void => {
      this.append(streamId, { kind: 'any' }, [
        {
          id: randomUUID(),
          type,
          contentType: 'application/json',
          data: json(data),
          customMetadata: new Uint8Array(),
        },
      ]);
    };
    system('$epoch-information', '$epoch-information', { epochNumber: 0 });
    system('$$$scavenges', '$metadata', { $maxAge: 2592000 });
    system('$users', '$User', { loginName: 'admin' });
    system('$user-admin', '$user', { loginName: 'admin', fullName: 'Event Store Administrator' });
    system('$users', '$User', { loginName: 'ops' });
    system('$user-ops', '$user', { loginName: 'ops', fullName: 'Event Store Operations' });
  }
}

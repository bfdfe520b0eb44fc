/**
 * The stand-in's `event_store.client.streams.Streams` service (TEST CODE ONLY): Read (stream and `$all`
 * reads, subscriptions with filters, checkpoints and caught-up), Append and BatchAppend, speaking the
 * wire format of the client's own compiled protobuf definitions.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import {
  Metadata,
  status,
  type ServerDuplexStream,
  type ServerErrorResponse,
  type ServerReadableStream,
  type ServerWritableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import {
  AllStreamPosition,
  Empty,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import type {
  AppendOutcome,
  ExpectedVersion,
  LogRecord,
  ProposedEvent,
  StandInLog,
} from './standin-log.store';
import { UUID_PATTERN } from '../../deterministic-event-id.util';

/** A failure the test asks the next call(s) to suffer. */
export interface InjectedFault {
  method: 'append' | 'read';
  code: status;
  details?: string;
  /** for appends: write the events first, then fail (the reply is lost) */
  afterWrite?: boolean;
}

export interface StreamsHandlerContext {
  log: StandInLog;
  /** takes the next injected fault for `method`, if any */
  takeFault(method: InjectedFault['method']): InjectedFault | undefined;
  /** every open subscription registers here so a stopping node can end them */
  onStop(listener: () => void): () => void;
  /** observations for tests: a subscription started (from `start`, `end` or a position) */
  subscriptionStarted(from: string): void;
  /** observations for tests: a Read call waits for the client to take more (flow control) */
  writeBlocked(): void;
}

/** EventStoreDB's catch-up page size and default filter search window (`ReadBatchSize`). */
const READ_BATCH_SIZE = 32;

function serviceError(code: status, details: string, metadata = new Metadata()): ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, metadata });
}

function asServiceError(error: unknown): ServerErrorResponse {
  return error instanceof Error && 'code' in error
    ? (error as ServerErrorResponse)
    : serviceError(status.INTERNAL, String(error));
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
}

/** Parses a UUID sent as text or as two signed 64-bit halves; the server answers in lower case. */
function parseUuid(uuid: UUID | undefined): string {
  if (uuid?.hasStructured()) {
    const s = uuid.getStructured()!;
    const buf = Buffer.alloc(16);
    buf.writeBigInt64BE(BigInt(s.getMostSignificantBits()), 0);
    buf.writeBigInt64BE(BigInt(s.getLeastSignificantBits()), 8);
    const hex = buf.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const text = uuid?.getString() ?? '';
  // the server's Guid parser throws on anything else; the call fails as an unhandled exception would
  if (!UUID_PATTERN.test(text))
    throw serviceError(status.UNKNOWN, `Exception was thrown by handler: bad UUID '${text}'`);
  return text.toLowerCase();
}

function formatUuid(id: string, option: ReadReq.Options.UUIDOption | undefined): UUID {
  const uuid = new UUID();
  if (option?.hasStructured()) {
    const buf = Buffer.from(id.replace(/-/g, ''), 'hex');
    uuid.setStructured(
      new UUID.Structured()
        .setMostSignificantBits(buf.readBigInt64BE(0).toString())
        .setLeastSignificantBits(buf.readBigInt64BE(8).toString()),
    );
  } else {
    uuid.setString(id);
  }
  return uuid;
}

function proposedEvent(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) {
    throw serviceError(
      status.INVALID_ARGUMENT,
      `Required Metadata Property '${type === undefined ? 'type' : 'content-type'}' is missing`,
      metadataOf({
        exception: 'missing-required-metadata-property',
        'required-metadata-properties': 'type,content-type',
      }),
    );
  }
  return {
    id: parseUuid(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function metadataOf(entries: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.add(key, value);
  return metadata;
}

function toReadResp(record: LogRecord, uuidOption: ReadReq.Options.UUIDOption | undefined): ReadResp {
  const position = record.position.toString();
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(formatUuid(record.id, uuidOption))
    .setStreamIdentifier(streamIdentifier(record.streamId))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('created', record.createdTicks.toString())
    .set('content-type', record.contentType);
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position));
}

function checkpointResp(position: bigint): ReadResp {
  const p = position.toString();
  return new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(p).setPreparePosition(p));
}

/** A server filter: EventStoreDB's prefix or regex strategy on stream name or event type. */
type RecordFilter = (record: LogRecord) => boolean;

/**
 * `$all` reads, filtered or not, never return `$epoch-information` nor the checkpoints and parked
 * messages of persistent subscriptions to `$all` (the server's DefaultAllFilter).
 */
const defaultAllFilter: RecordFilter = (r) =>
  r.streamId !== '$epoch-information' &&
  !(r.streamId.startsWith('$persistentsubscription-$all::') && /-(checkpoint|parked)$/.test(r.streamId));

function toRecordFilter(options: ReadReq.Options.FilterOptions): RecordFilter {
  const byStream = options.getFilterCase() === ReadReq.Options.FilterOptions.FilterCase.STREAM_IDENTIFIER;
  const expression = byStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw serviceError(status.INVALID_ARGUMENT, 'filter expression is missing');
  const subject = (r: LogRecord): string => (byStream ? r.streamId : r.type);
  const regex = expression.getRegex();
  if (regex) {
    const re = new RegExp(regex);
    return (r) => defaultAllFilter(r) && re.test(subject(r));
  }
  const prefixes = expression.getPrefixList();
  return (r) => defaultAllFilter(r) && prefixes.some((p) => subject(r).startsWith(p));
}

export function createStreamsHandler(ctx: StreamsHandlerContext): IStreamsServer {
  const { log } = ctx;

  /** Resolves when the call can take more (HTTP/2 flow control), or when it is gone. */
  async function send(call: ServerWritableStream<ReadReq, ReadResp>, message: ReadResp): Promise<void> {
    if (call.cancelled || call.destroyed) return;
    if (!call.write(message)) {
      ctx.writeBlocked();
      const done = new AbortController();
      const { signal } = done;
      await Promise.race([
        once(call, 'drain', { signal }),
        once(call, 'cancelled', { signal }),
        once(call, 'close', { signal }),
      ]).finally(
        () => done.abort(), // the losers' listeners go with it
      );
    }
  }

  async function read(call: ServerWritableStream<ReadReq, ReadResp>): Promise<void> {
    const fault = ctx.takeFault('read');
    if (fault) throw serviceError(fault.code, fault.details ?? 'injected fault');
    const options = call.request.getOptions();
    if (!options) throw serviceError(status.INVALID_ARGUMENT, 'options are required');
    const uuidOption = options.getUuidOption();
    const isAll = options.getStreamOptionCase() === ReadReq.Options.StreamOptionCase.ALL;
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;

    if (options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION) {
      if (backwards) throw serviceError(status.INVALID_ARGUMENT, 'subscriptions read forwards only');
      await subscribe(call, options, isAll);
      return;
    }
    if (options.getFilterOptionCase() === ReadReq.Options.FilterOptionCase.FILTER && !isAll) {
      throw serviceError(status.INVALID_ARGUMENT, 'The combination of (Stream, Count, Filter) is invalid.');
    }
    const filter = options.hasFilter()
      ? toRecordFilter(options.getFilter()!)
      : isAll
        ? defaultAllFilter
        : undefined;
    let remaining = BigInt(options.getCount() || '0');
    const emit = async (record: LogRecord): Promise<boolean> => {
      if (remaining <= 0n) return false;
      if (filter && !filter(record)) return true;
      remaining -= 1n;
      await send(call, toReadResp(record, uuidOption));
      return !call.cancelled;
    };

    if (isAll) {
      const all = options.getAll()!;
      const records = log.allRecords;
      const from =
        all.getAllOptionCase() === ReadReq.Options.AllOptions.AllOptionCase.POSITION
          ? BigInt(all.getPosition()!.getCommitPosition())
          : undefined;
      if (!backwards) {
        // forwards from a position includes the record at that position
        const start = all.hasEnd() ? records.length : from === undefined ? 0 : log.indexAtOrAfter(from);
        for (let i = start; i < records.length; i++) if (!(await emit(records[i]))) break;
      } else {
        // backwards from a position starts with the record before it
        const start = all.hasStart()
          ? -1
          : from === undefined
            ? records.length - 1
            : log.indexAtOrAfter(from) - 1;
        for (let i = start; i >= 0; i--) if (!(await emit(records[i]))) break;
      }
    } else {
      const stream = options.getStream()!;
      const name = streamName(stream.getStreamIdentifier());
      const records = log.streamRecords(name);
      if (!records) {
        await send(
          call,
          new ReadResp().setStreamNotFound(
            new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)),
          ),
        );
      } else {
        const last = records.length - 1;
        const revision = stream.hasRevision() ? Number(BigInt(stream.getRevision())) : undefined;
        if (!backwards) {
          const start = stream.hasEnd() ? records.length : (revision ?? 0);
          for (let i = start; i <= last; i++) if (!(await emit(records[i]))) break;
        } else {
          // backwards from START reads the first event only
          const start = stream.hasStart() ? 0 : Math.min(revision ?? last, last);
          for (let i = start; i >= 0; i--) if (!(await emit(records[i]))) break;
        }
      }
    }
    call.end();
  }

  /** Confirmation, catch-up (checkpoints every window), caught-up, then live; until cancelled. */
  async function subscribe(
    call: ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    isAll: boolean,
  ): Promise<void> {
    const uuidOption = options.getUuidOption();
    let stopped = false;
    let wake: (() => void) | undefined;
    const stop = (): void => {
      stopped = true;
      wake?.();
    };
    call.once('cancelled', stop);
    call.once('close', stop);
    const offStop = ctx.onStop(stop);
    const offAppend = log.onAppend(() => wake?.());
    try {
      const filterOptions = isAll && options.hasFilter() ? options.getFilter()! : undefined;
      const filter = filterOptions ? toRecordFilter(filterOptions) : isAll ? defaultAllFilter : undefined;
      const window = filterOptions?.hasMax() ? filterOptions.getMax() : READ_BATCH_SIZE;
      const checkpointInterval = filterOptions ? filterOptions.getCheckpointintervalmultiplier() * window : 0;
      if (filterOptions && checkpointInterval <= 0)
        throw serviceError(status.INVALID_ARGUMENT, 'checkpoint interval must be positive');

      // the cursor: records strictly after it are delivered (subscriptions start exclusive)
      let source: () => readonly LogRecord[];
      let next: number;
      if (isAll) {
        const all = options.getAll()!;
        ctx.subscriptionStarted(
          all.hasEnd() ? 'end' : all.hasPosition() ? all.getPosition()!.getCommitPosition() : 'start',
        );
        source = () => log.allRecords;
        if (all.hasEnd()) next = log.allRecords.length;
        else if (all.hasPosition()) {
          const from = BigInt(all.getPosition()!.getCommitPosition());
          next = log.indexAtOrAfter(from);
          if (log.allRecords[next]?.position === from) next += 1;
        } else next = 0;
      } else {
        const stream = options.getStream()!;
        const name = streamName(stream.getStreamIdentifier());
        source = () => log.streamRecords(name) ?? [];
        if (stream.hasEnd()) next = source().length;
        else if (stream.hasRevision()) next = Number(BigInt(stream.getRevision())) + 1;
        else next = 0;
      }

      await send(
        call,
        new ReadResp().setConfirmation(
          new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID()),
        ),
      );
      let caughtUp = false;
      let considered = 0;
      let lastConsidered: bigint | undefined;
      while (!stopped) {
        const records = source();
        while (next < records.length && !stopped) {
          const record = records[next++];
          lastConsidered = record.position;
          if (!filter || filter(record)) await send(call, toReadResp(record, uuidOption));
          if (checkpointInterval > 0 && ++considered >= checkpointInterval) {
            considered = 0;
            await send(call, checkpointResp(record.position));
          }
        }
        if (stopped) break;
        if (!caughtUp) {
          // a filtered catch-up ends with a checkpoint, then the subscription is live
          if (checkpointInterval > 0 && lastConsidered !== undefined)
            await send(call, checkpointResp(lastConsidered));
          await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
          caughtUp = true;
        }
        if (next >= source().length) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      }
    } finally {
      offAppend();
      offStop();
    }
    if (!call.cancelled && !call.destroyed) {
      // a stopping node cuts its subscriptions off as a crashed one would
      call.emit('error', serviceError(status.UNAVAILABLE, 'Server is shutting down'));
    }
  }

  function expectedOf(options: AppendReq.Options | BatchAppendReq.Options): ExpectedVersion {
    if (options.hasAny()) return { kind: 'any' };
    if (options.hasNoStream()) return { kind: 'no_stream' };
    if (options.hasStreamExists()) return { kind: 'stream_exists' };
    const revision =
      options instanceof AppendReq.Options ? options.getRevision() : options.getStreamPosition();
    return { kind: 'revision', revision: BigInt(revision) };
  }

  function appendWithFault(name: string, expected: ExpectedVersion, events: ProposedEvent[]): AppendOutcome {
    const fault = ctx.takeFault('append');
    if (fault && !fault.afterWrite) throw serviceError(fault.code, fault.details ?? 'injected fault');
    const outcome = log.append(name, expected, events);
    if (fault) throw serviceError(fault.code, fault.details ?? 'injected fault after write');
    return outcome;
  }

  function append(
    call: ServerReadableStream<AppendReq, AppendResp>,
    callback: sendUnaryData<AppendResp>,
  ): void {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      callback(asServiceError(error));
    };
    call.on('data', (req: AppendReq) => {
      try {
        if (!options) {
          if (!req.hasOptions())
            throw serviceError(status.INVALID_ARGUMENT, 'the first message must carry the options');
          options = req.getOptions();
        } else if (req.hasProposedMessage()) {
          events.push(proposedEvent(req.getProposedMessage()!));
        } else {
          throw serviceError(status.INVALID_ARGUMENT, 'expected a proposed message');
        }
      } catch (error) {
        fail(error);
      }
    });
    call.on('error', fail);
    call.on('end', () => {
      if (failed) return;
      try {
        if (!options) throw serviceError(status.INVALID_ARGUMENT, 'no options sent');
        const name = streamName(options.getStreamIdentifier());
        const expected = expectedOf(options);
        const outcome = appendWithFault(name, expected, events);
        callback(null, toAppendResp(outcome, expected));
      } catch (error) {
        fail(error);
      }
    });
  }

  function batchAppend(call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    // the client keeps this call open for its lifetime; a stopping node drops it
    const offStop = ctx.onStop(() =>
      call.emit('error', serviceError(status.UNAVAILABLE, 'Server is shutting down')),
    );
    call.once('close', offStop);
    call.once('cancelled', offStop);
    // requests are grouped by correlation id until `is_final`
    const pending = new Map<
      string,
      { name: string; expected: ExpectedVersion; events: ProposedEvent[]; identifier: StreamIdentifier }
    >();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId();
      const response = new BatchAppendResp().setCorrelationId(correlation);
      let key = '';
      try {
        key = parseUuid(correlation);
        let write = pending.get(key);
        if (req.hasOptions()) {
          const options = req.getOptions()!;
          const identifier = options.getStreamIdentifier();
          if (!identifier)
            throw serviceError(status.INVALID_ARGUMENT, 'Required field StreamIdentifier not set.');
          write ??= { name: streamName(identifier), expected: expectedOf(options), events: [], identifier };
          pending.set(key, write);
        }
        if (!write) return;
        for (const message of req.getProposedMessagesList()) write.events.push(proposedEvent(message));
        if (!req.getIsFinal()) return;
        pending.delete(key);
        response.setStreamIdentifier(write.identifier);
        const outcome = appendWithFault(write.name, write.expected, write.events);
        if (outcome.kind === 'wrong_expected_version') {
          response.setError(wrongExpectedVersionStatus(outcome.currentRevision, write.expected));
        } else {
          const success = new BatchAppendResp.Success();
          success.setCurrentRevision(outcome.currentRevision.toString());
          if (outcome.position === undefined) success.setNoPosition(new GoogleEmpty());
          else {
            const p = outcome.position.toString();
            success.setPosition(new AllStreamPosition().setCommitPosition(p).setPreparePosition(p));
          }
          response.setSuccess(success);
        }
        call.write(response);
      } catch (error) {
        const e = asServiceError(error);
        if (e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED) {
          // a transport failure ends the whole duplex call, as a dropped connection does
          call.emit('error', e);
          return;
        }
        pending.delete(key);
        // per-request failures travel as a google.rpc.Status in the response (BadRequest, Unknown)
        response.setError(
          new Status()
            .setCode(e.code === status.INVALID_ARGUMENT ? Code.INVALID_ARGUMENT : Code.UNKNOWN)
            .setMessage(e.details ?? e.message),
        );
        call.write(response);
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  function wrongExpectedVersionStatus(current: bigint | undefined, expected: ExpectedVersion): Status {
    const details = new WrongExpectedVersion();
    if (current === undefined) details.setCurrentNoStream(new GoogleEmpty());
    else details.setCurrentStreamRevision(current.toString());
    switch (expected.kind) {
      case 'any':
        details.setExpectedAny(new GoogleEmpty());
        break;
      case 'no_stream':
        details.setExpectedNoStream(new GoogleEmpty());
        break;
      case 'stream_exists':
        details.setExpectedStreamExists(new GoogleEmpty());
        break;
      case 'revision':
        details.setExpectedStreamPosition(expected.revision.toString());
        break;
    }
    const any = new Any();
    any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
    return new Status().setCode(Code.ALREADY_EXISTS).setMessage('WrongExpectedVersion').setDetails(any);
  }

  function toAppendResp(outcome: AppendOutcome, expected: ExpectedVersion): AppendResp {
    const response = new AppendResp();
    if (outcome.kind === 'wrong_expected_version') {
      const wrong = new AppendResp.WrongExpectedVersion();
      switch (expected.kind) {
        case 'any':
          wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
          break;
        case 'stream_exists':
          wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
          break;
        case 'no_stream':
          wrong.setExpectedNoStream(new Empty());
          break;
        case 'revision':
          wrong.setExpectedRevision(expected.revision.toString());
          break;
      }
      if (outcome.currentRevision === undefined)
        wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
      else wrong.setCurrentRevision(outcome.currentRevision.toString());
      return response.setWrongExpectedVersion(wrong);
    }
    const success = new AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else {
      const p = outcome.position.toString();
      success.setPosition(new AppendResp.Position().setCommitPosition(p).setPreparePosition(p));
    }
    return response.setSuccess(success);
  }

  const unimplemented = (_call: unknown, callback: sendUnaryData<never>): void =>
    callback(serviceError(status.UNIMPLEMENTED, 'not reproduced by the EventStoreDB stand-in'));

  return {
    read: (call: ServerWritableStream<ReadReq, ReadResp>) => {
      read(call).catch((error: unknown) => {
        if (!call.cancelled) call.emit('error', asServiceError(error));
      });
    },
    append,
    batchAppend,
    delete: unimplemented,
    tombstone: unimplemented,
  };
}

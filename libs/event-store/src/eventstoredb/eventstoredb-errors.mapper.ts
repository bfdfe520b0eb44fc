/** Maps `@eventstore/db-client` failures to the port's own errors. */
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';

/** gRPC codes meaning "the node could not answer now": try again, perhaps on another node. */
const TRANSIENT_GRPC_CODES = new Set([
  1, // CANCELLED by the server (node shutting down)
  4, // DEADLINE_EXCEEDED
  10, // ABORTED: the server's own write timeout (the write may or may not have happened)
  14, // UNAVAILABLE
]);

/**
 * True for failures a retry may fix: connection loss, leader change, timeouts. The client converts most
 * gRPC errors to its own classes, but passes some through raw (e.g. a refused connection during its
 * capabilities probe), and discovery failures are plain errors.
 */
export function isTransient(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  if (!(error instanceof Error)) return false;
  if ('code' in error && typeof error.code === 'number' && TRANSIENT_GRPC_CODES.has(error.code)) return true;
  return /^Failed to discover after \d+ attempts/.test(error.message);
}

export interface ErrorContext {
  streamId?: string;
  expected?: string | number;
}

/** The port's error for `error`, or `error` itself when the port has none. */
export function mapEsdbError(error: unknown, context: ErrorContext = {}): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion === 'no_stream' ? -1 : Number(error.actualVersion);
    return new WrongExpectedRevisionError(
      context.streamId ?? error.streamName,
      context.expected ?? String(error.expectedVersion),
      actual,
    );
  }
  if (error instanceof EsdbStreamNotFoundError) {
    return new StreamNotFoundError(context.streamId ?? error.streamName);
  }
  if (isTransient(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${message}`, { cause: error });
  }
  return error;
}

/** Maps `pg` driver failures to the port's errors: connection trouble becomes EventStoreUnavailableError. */
import { EventStoreUnavailableError } from '../event-store.errors';

/** Node socket errors and SQLSTATEs that mean "the server cannot be reached or is going away". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const SERVER_UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']); // shutdown, crash, starting, too many connections
const DRIVER_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection error/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
];

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  errors?: unknown;
}

// Duck-typed, not `instanceof Error`: socket errors may come from another realm (e.g. under Jest).
function asErrorLike(error: unknown): ErrorLike | undefined {
  return typeof error === 'object' && error !== null ? error : undefined;
}

export function isConnectionFailure(error: unknown): boolean {
  const e = asErrorLike(error);
  if (!e) return false;
  const code = e.code;
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || SERVER_UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))
  ) {
    return true;
  }
  const message = e.message;
  if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // AggregateError from a dual-stack connect attempt carries the socket errors inside.
  return Array.isArray(e.errors) && e.errors.some(isConnectionFailure);
}

/** The error to throw for a failed call: the port's when the store is unreachable, else the original. */
export function toEventStoreError(error: unknown, action: string): unknown {
  if (error instanceof EventStoreUnavailableError || !isConnectionFailure(error)) return error;
  const e = asErrorLike(error);
  const reason = typeof e?.message === 'string' && e.message !== '' ? e.message : String(e?.code);
  return new EventStoreUnavailableError(`event store unavailable while ${action}: ${reason}`, {
    cause: error,
  });
}

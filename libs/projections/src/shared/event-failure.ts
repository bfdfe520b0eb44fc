/**
 * Why applying an event failed, and whether skipping it (quarantine) is the right answer.
 *
 * - `data`: the event itself is the problem — a value the read model's columns refuse (SQLSTATE
 *   class 22 data exception, 23 integrity violation, 54 program limit such as an oversized index
 *   row) or an exception thrown by the projection's own code (a malformed or unknown-schema event).
 *   Retrying the same event gives the same failure: it is quarantined, the read model moves on.
 * - `transient`: the database or the connection is the problem (08 connection, 40 serialization
 *   failure / deadlock, 53 insufficient resources, 55 lock not available, 57 operator intervention
 *   such as admin shutdown or a cancelled statement, 58 system error, XX internal error, a socket
 *   error, the pg client's "connection terminated"). Retrying later succeeds: never quarantined.
 * - `fault`: any other SQLSTATE (42 syntax or undefined column…): the projection's SQL is wrong for
 *   every event. Quarantining would empty the read model event by event, so it is retried like a
 *   transient error and reported as failing until the code is fixed.
 */
import { DatabaseError } from 'pg';

export type FailureKind = 'data' | 'transient' | 'fault';

const DATA_CLASSES = new Set(['22', '23', '54']);
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '55', '57', '58', 'XX']);
/** Errors the pg client raises itself when its connection is gone (they carry no SQLSTATE). */
const CONNECTION_MESSAGE =
  /connection terminated|not queryable|connection error|connection refused|timeout exceeded|query read timeout|socket/i;
const MAX_MESSAGE = 300;

/** The SQLSTATE of an error PostgreSQL sent, or null. */
export function sqlStateOf(error: unknown): string | null {
  return error instanceof DatabaseError && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code)
    ? error.code
    : null;
}

/** Node's system errors (ECONNRESET, EPIPE, ETIMEDOUT…): `code` plus `syscall` or `errno`. */
function isSystemError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; syscall?: unknown; errno?: unknown };
  return (
    typeof e.code === 'string' &&
    /^E[A-Z]+$/.test(e.code) &&
    (e.syscall !== undefined || e.errno !== undefined)
  );
}

export function classifyFailure(error: unknown): FailureKind {
  const state = sqlStateOf(error);
  if (state !== null) {
    const cls = state.slice(0, 2);
    if (DATA_CLASSES.has(cls)) return 'data';
    if (TRANSIENT_CLASSES.has(cls)) return 'transient';
    return 'fault';
  }
  if (isSystemError(error)) return 'transient';
  if (error instanceof AggregateError) return 'transient'; // e.g. every address of the server refused
  if (error instanceof Error && !(error instanceof TypeError) && !(error instanceof RangeError)) {
    if (CONNECTION_MESSAGE.test(error.message)) return 'transient';
  }
  return 'data';
}

/**
 * A short, single-line description fit for a log line, a quarantine row and an HTTP answer: the
 * SQLSTATE and PostgreSQL's primary message only (never its detail, context, statement or hint, which
 * can hold fragments of the event), with quoted values other than plain identifiers masked.
 */
export function shortErrorMessage(error: unknown): string {
  const state = sqlStateOf(error);
  const raw =
    error instanceof Error
      ? state
        ? `SQLSTATE ${state}: ${error.message}`
        : `${error.name}: ${error.message}`
      : String(error);
  const masked = raw
    .replace(/"([^"]*)"/g, (quoted, inner: string) =>
      /^[A-Za-z_][A-Za-z0-9_.]{0,62}$/.test(inner) ? quoted : '"…"',
    )
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return masked.length > MAX_MESSAGE ? `${masked.slice(0, MAX_MESSAGE - 1)}…` : masked;
}

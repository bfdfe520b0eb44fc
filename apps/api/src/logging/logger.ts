/**
 * Structured JSON logs (pino). Request bodies are never logged: they hold personal data. Neither is
 * anything a database error carries beyond its code and message: PostgreSQL's `detail`, `where`
 * (context), `internalQuery` and the statement can quote the event JSON being written.
 */
import pino from 'pino';

export type Logger = pino.Logger;

/** What a log line keeps of an error; driver fields (detail, where, query, parameters, client…) never. */
export interface LoggedError {
  type?: string;
  message: string;
  code?: string;
  severity?: string;
  routine?: string;
  stack?: string;
  cause?: LoggedError;
  errors?: LoggedError[];
}

const MAX_DEPTH = 4;

/** An error as a log line needs it: type, message, SQLSTATE and severity, stack, causes. */
export function serializeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { message: typeof error === 'string' ? error : String(error) };
  const { code, severity, routine } = error as Error & {
    code?: unknown;
    severity?: unknown;
    routine?: unknown;
  };
  const nested = depth < MAX_DEPTH;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof severity === 'string' ? { severity } : {}),
    ...(typeof routine === 'string' ? { routine } : {}),
    stack: error.stack,
    ...(nested && error.cause !== undefined ? { cause: serializeError(error.cause, depth + 1) } : {}),
    ...(nested && error instanceof AggregateError && Array.isArray(error.errors)
      ? { errors: (error.errors as unknown[]).map((e) => serializeError(e, depth + 1)) }
      : {}),
  };
}

/**
 * An Error under any key of a log call (not only `err`) is reduced the same way: pino would otherwise
 * write its own enumerable fields, which for a pg error include `where` and `internalQuery`.
 */
function reduceErrors(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    if (value instanceof Error) {
      out ??= { ...object };
      out[key] = serializeError(value);
    }
  }
  return out ?? object;
}

const reduceValue = (value: unknown): unknown => (value instanceof Error ? serializeError(value) : value);

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'appeal-ledger' },
    redact: ['req.headers.authorization'],
    // Formatters run before serializers here, so these see what reduceErrors already reduced.
    serializers: { err: reduceValue, error: reduceValue },
    formatters: { log: reduceErrors },
  };
  return destination ? pino(options, destination) : pino(options);
}

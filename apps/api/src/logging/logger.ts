/** Structured JSON logs (pino). Request bodies are never logged: they hold personal data. */
import pino from 'pino';

export type Logger = pino.Logger;

/** An error as a log line needs it; never the objects a driver hangs on it (clients, queries, rows). */
function errorSerializer(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, severity } = error as Error & { code?: string; severity?: string };
  return {
    type: error.name,
    message: error.message,
    ...(code ? { code } : {}),
    ...(severity ? { severity } : {}),
    stack: error.stack,
    ...(error.cause ? { cause: errorSerializer(error.cause) } : {}),
  };
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'appeal-ledger' },
    redact: ['req.headers.authorization'],
    serializers: { err: errorSerializer },
  });
}

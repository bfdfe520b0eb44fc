/** Structured JSON logs (pino). Request bodies are never logged: they hold personal data. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'appeal-ledger' }, redact: ['req.headers.authorization'] });
}

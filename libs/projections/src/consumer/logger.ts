/**
 * The one logger the libraries take: pino's argument order (context first, then the message), so
 * the engine's pino logger (or a child of it) is passed as it is.
 */
export interface EngineLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

/** The default when no logger is given: info is dropped, warnings and errors go to the console. */
export const consoleWarnings: EngineLogger = {
  info: () => undefined,
  warn: (context, message) => console.warn(message, context),
  error: (context, message) => console.error(message, context),
};

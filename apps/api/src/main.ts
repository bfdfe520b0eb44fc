/** `npm start`: the engine on PORT, with embedded PostgreSQL in DATA_DIR unless DATABASE_URL is set. */
import 'reflect-metadata';
import { createEngine } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { createLogger } from './logging/logger';

async function main(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(2);
    }
    throw error;
  }
  const engine = await createEngine(config, logger);
  logger.info(
    { url: engine.url, dataDir: config.dataDir, docs: `${engine.url}/docs` },
    'Appeal Ledger is listening',
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    engine.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Appeal Ledger failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

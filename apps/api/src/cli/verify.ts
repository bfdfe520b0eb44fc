/**
 * Verifies the PostgreSQL event store: every stream's hash chain, then the latest signed checkpoint
 * (a deleted tail event or a deleted stream shows only there). Names the first broken link.
 *   npm run build && npm run verify                  # the engine's DATA_DIR (running or not)
 *   npm run verify -- --checkpoint                   # then sign a new checkpoint if all is well
 *   DATABASE_URL=postgres://… npm run verify -- --json
 * Connects with DATABASE_MIGRATION_URL, else DATABASE_URL, else to the embedded server of DATA_DIR:
 * the running one (port from its postmaster.pid), or it starts it and stops it after. The key is
 * EVENT_STORE_INTEGRITY_KEY or DATA_DIR/secrets/event-store-integrity.key.
 * Exit codes: 0 intact, 1 broken (or a checkpoint refused), 2 could not verify.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import {
  CheckpointRefusedError,
  verifyEventStore,
  writeCheckpoint,
  type IntegrityReport,
} from '@appeal-ledger/event-store';
import { loadConfig } from '../config/app-config';
import { openDatabaseServer, type DatabaseServer } from '../database/database-server';
import { loadIntegrityKey } from '../integrity/integrity-key';
import { createLogger } from '../logging/logger';

/** The embedded server of DATA_DIR if it runs: its port is line 4 of postmaster.pid. */
function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const password = readFileSync(join(dataDir, 'secrets', 'postgres-password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function print(report: IntegrityReport): void {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  const cp = report.checkpoint
    ? `checkpoint #${report.checkpoint.id} (position ${report.checkpoint.position}, ${report.checkpoint.eventCount} events, ${report.checkpoint.createdAt})`
    : `no checkpoint compared (${report.checkpointNote ?? 'none'})`;
  if (report.ok) {
    out(`intact: ${report.checkedEvents} events in ${report.checkedStreams} streams; ${cp}`);
    return;
  }
  out(`BROKEN: ${report.problems[0].message}`);
  out(`checked ${report.checkedEvents} events in ${report.checkedStreams} streams; ${cp}`);
  for (const p of report.problems)
    out(
      `  ${p.kind.padEnd(15)} ${[p.streamId && `stream ${p.streamId}`, p.revision !== undefined && `revision ${p.revision}`, p.position !== undefined && `position ${p.position}`].filter(Boolean).join(', ')}: ${p.message}`,
    );
  if (report.truncated) out('  … more problems not listed');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      checkpoint: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'page-size': { type: 'string', default: '2000' },
    },
  });
  // `npm run verify --checkpoint` (without `--`) reaches us as npm's config, not as an argument.
  const checkpoint = values.checkpoint || process.env.npm_config_checkpoint === 'true';
  const json = values.json || process.env.npm_config_json === 'true';
  const config = loadConfig();
  const key = loadIntegrityKey({ dataDir: config.dataDir, integrityKey: config.integrityKey }, false);
  let server: DatabaseServer | undefined;
  let url = config.databaseMigrationUrl ?? config.databaseUrl ?? runningEmbeddedUrl(config.dataDir);
  if (!url) {
    if (!existsSync(join(config.dataDir, 'postgres', 'PG_VERSION'))) {
      process.stderr.write(`no DATABASE_URL and no embedded database in ${config.dataDir}\n`);
      return 2;
    }
    server = await openDatabaseServer({ dataDir: config.dataDir }, createLogger('warn'));
    url = server.url;
  }
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const report = await verifyEventStore(pool, {
      key,
      pageSize: Number(values['page-size']),
      onProgress: (n) => {
        if (!json && process.stderr.isTTY) process.stderr.write(`\rchecked ${n} events`);
      },
    });
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    let signed: unknown;
    if (checkpoint && report.ok) {
      if (!key) {
        process.stderr.write(
          'no integrity key (EVENT_STORE_INTEGRITY_KEY or the one in DATA_DIR): cannot sign\n',
        );
        return 2;
      }
      try {
        signed = await writeCheckpoint(pool, key);
      } catch (error) {
        if (!(error instanceof CheckpointRefusedError)) throw error;
        process.stdout.write(`checkpoint refused: ${error.message}\n`);
        return 1;
      }
    }
    if (json)
      process.stdout.write(`${JSON.stringify({ ...report, ...(signed ? { signed } : {}) }, null, 2)}\n`);
    else {
      print(report);
      if (signed) process.stdout.write(`signed checkpoint ${JSON.stringify(signed)}\n`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await pool.end();
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

/**
 * Test support: the whole engine in this process on a fresh database of the run's PostgreSQL,
 * listening on a free loopback port, plus HS256 tokens minted the way any client would.
 */
import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type RunningEngine } from '../../apps/api/src/bootstrap';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config';
import { createLogger } from '../../apps/api/src/logging/logger';
import type { Clock } from '../../apps/api/src/shared/clock';
import { ReminderRuntime } from '../../apps/api/src/reminders/reminder-runtime.service';
import { startEsdbStandIn, type EsdbStandIn } from '@appeal-ledger/event-store/testing';
import { ensureRuntimeRole, withCredentials } from '../../apps/api/src/infrastructure/database-roles';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_JWT_SECRET = 'appeal-ledger-e2e-secret-0123456789abcdef';
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
/** The engines of a run work as this role (one for the server; the owner migrates and grants). */
export const TEST_RUNTIME_ROLE = 'appeal_ledger_test_app';
const TEST_RUNTIME_PASSWORD = 'appeal-ledger-test-app';

/** The runtime role's URL to `database` (the role is created on first use; races are safe). */
export async function runtimeUrlOf(database: TestDatabase): Promise<string> {
  await ensureRuntimeRole(database.url, TEST_RUNTIME_ROLE, TEST_RUNTIME_PASSWORD);
  return withCredentials(database.url, TEST_RUNTIME_ROLE, TEST_RUNTIME_PASSWORD);
}

export interface TestEngine {
  url: string;
  engine: RunningEngine;
  config: AppConfig;
  database: TestDatabase;
  dataDir: string;
  token(sub: string, roles: string[], extra?: { name?: string; department?: string }): string;
  stop(): Promise<void>;
}

export async function startTestEngine(
  options: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase } = {},
): Promise<TestEngine> {
  const database = options.database ?? (await createTestDatabase('e2e'));
  const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-e2e-'));
  // The `e2e-esdb` Jest project runs the same suites with events in EventStoreDB (the stand-in).
  let standIn: EsdbStandIn | undefined;
  if (process.env.E2E_EVENT_STORE === 'esdb' && !options.env?.EVENTSTORE_URL)
    standIn = await startEsdbStandIn();
  const config = loadConfig({
    ...(standIn ? { EVENTSTORE_URL: standIn.url } : {}),
    // Least privilege as in production: the owner migrates and grants, the engine works as a runtime role.
    DATABASE_MIGRATION_URL: database.url,
    DATABASE_URL: await runtimeUrlOf(database),
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    // Suites that test the rate limits turn them on; the others send hundreds of requests a minute.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
    DATABASE_POOL_SIZE: '8',
    // Suites that test reminders turn them on; others must not get reminders from the real clock.
    RUN_REMINDERS: 'false',
    // One key for every engine of the run, so an engine restarted on the same database can read it.
    PERSONAL_DATA_MASTER_KEY: TEST_MASTER_KEY,
    ...options.env,
  });
  const engine = await createEngine(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), {
    clock: options.clock,
  });
  // A suite's own passes must not race the start-up tick (it could issue what the suite expects
  // its first pass to issue): the engine is handed over once that tick has ended.
  if (config.runReminders) await engine.app.get(ReminderRuntime).settled();
  const jwt = new JwtService({ secret: TEST_JWT_SECRET });
  return {
    url: engine.url,
    engine,
    config,
    database,
    dataDir,
    token: (sub, roles, extra = {}) =>
      jwt.sign(
        {
          sub,
          name: extra.name ?? sub,
          roles,
          ...(extra.department ? { department: extra.department } : {}),
        },
        { expiresIn: '1h' },
      ),
    stop: async () => {
      await engine.stop();
      await standIn?.stop();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tiny JSON client over fetch: what every suite needs, nothing more. */
export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function http<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') && text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T };
}

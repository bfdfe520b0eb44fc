/**
 * Least privilege in PostgreSQL: the engine works as a runtime role that can append and read events,
 * write its read models and side records, and gets a permission error for every way of changing
 * history (UPDATE, DELETE, TRUNCATE, ALTER of the table or of append_events(), disabling the
 * immutability trigger) — with DATABASE_URL + DATABASE_MIGRATION_URL, and in the embedded mode,
 * which creates the role itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client, Pool } from 'pg';
import { actors, assignBody, command, done, registered, type Actors } from './support/appeals';
import { startEngineProcess, type EngineProcess } from './support/engine-process';
import {
  http,
  runtimeUrlOf,
  startTestEngine,
  TEST_RUNTIME_ROLE,
  type TestEngine,
} from './support/test-engine';

/** What the runtime role must not be able to do to history; each must fail with 42501. */
const FORBIDDEN: [string, string][] = [
  ['UPDATE events', `UPDATE events SET data = '{}'`],
  ['DELETE FROM events', 'DELETE FROM events'],
  ['TRUNCATE events', 'TRUNCATE events'],
  ['ALTER TABLE events DISABLE TRIGGER', 'ALTER TABLE events DISABLE TRIGGER events_are_immutable'],
  ['DROP TABLE events', 'DROP TABLE events'],
  [
    'ALTER FUNCTION append_events',
    'ALTER FUNCTION append_events(text, bigint, uuid[], text[], jsonb[], jsonb[]) RESET enable_seqscan',
  ],
  [
    'CREATE OR REPLACE FUNCTION event_chain_hash',
    `CREATE OR REPLACE FUNCTION event_chain_hash(
      bytea, text, bigint, uuid, bigint, text, jsonb, jsonb) RETURNS bytea LANGUAGE sql AS 'SELECT NULL::bytea'`,
  ],
  ['UPDATE event_store_checkpoints', 'UPDATE event_store_checkpoints SET event_count = 0'],
  ['DELETE FROM event_store_stream_heads', 'DELETE FROM event_store_stream_heads'],
  ['INSERT INTO a migrations table', `INSERT INTO event_store_migrations VALUES (99, 'x', 'x')`],
  ['CREATE TABLE in the public schema', 'CREATE TABLE public.sneaky (id int)'],
];

async function refusals(url: string): Promise<[string, string | undefined][]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const out: [string, string | undefined][] = [];
    for (const [what, sql] of FORBIDDEN) {
      const code = await client.query(sql).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      out.push([what, code]);
    }
    return out;
  } finally {
    await client.end();
  }
}

const allRefused = FORBIDDEN.map(([what]) => [what, '42501']);

describe('with DATABASE_URL (runtime role) and DATABASE_MIGRATION_URL (owner)', () => {
  let t: TestEngine;
  let who: Actors;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('the engine connects as the runtime role and does its work: commands, erasure, read models, a rebuild', async () => {
    const appeal = await registered(t, who.registrar);
    await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
    expect(
      (await http(t.url, 'DELETE', `/appeals/${appeal.id}/personal-data`, { token: who.admin })).status,
    ).toBe(200);
    expect(
      (await http(t.url, 'POST', '/admin/projections/control/rebuild', { token: who.admin })).status,
    ).toBe(200);
    const control = await http<{ items: unknown[] }>(t.url, 'GET', '/control', { token: who.supervisor });
    expect(control.status).toBe(200);

    const admin = new Pool({ connectionString: t.database.url, max: 1 });
    try {
      // the engine's sessions (an autovacuum worker on this database shows here too, with no user)
      const { rows } = await admin.query<{ usename: string }>(
        `SELECT DISTINCT usename FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      expect(rows.map((r) => r.usename)).toEqual([TEST_RUNTIME_ROLE]);
      // The read-model schemas (rebuilt and swapped above) belong to the runtime role.
      const { rows: schemas } = await admin.query<{ owner: string }>(
        "SELECT DISTINCT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname LIKE 'rm\\_%'",
      );
      expect(schemas).toEqual([{ owner: TEST_RUNTIME_ROLE }]);
    } finally {
      await admin.end();
    }
  });

  it('the runtime role gets a permission error for every way of rewriting history', async () => {
    expect(await refusals(await runtimeUrlOf(t.database))).toEqual(allRefused);
  });

  it('the runtime role can still append through append_events() and read events', async () => {
    const client = new Client({ connectionString: await runtimeUrlOf(t.database) });
    await client.connect();
    try {
      const { rows } = await client.query<{ outcome: string }>(
        `SELECT outcome FROM append_events('probe-1', -1, ARRAY[gen_random_uuid()], ARRAY['Probe'], ARRAY['{}'::jsonb], ARRAY['{}'::jsonb])`,
      );
      expect(rows).toEqual([{ outcome: 'ok' }]);
      const read = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM events WHERE stream_id = 'probe-1'",
      );
      expect(read.rows).toEqual([{ n: '1' }]);
    } finally {
      await client.end();
    }
  });
});

describe('embedded mode', () => {
  let dataDir: string;
  let engine: EngineProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-roles-'));
  });

  afterAll(async () => {
    if (engine && engine.child.exitCode === null) {
      engine.child.kill('SIGTERM');
      await engine.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the runtime role with a generated password in DATA_DIR/secrets and works as it', async () => {
    const secret = 'least-privilege-secret-0123456789abcdef';
    engine = await startEngineProcess({ DATA_DIR: dataDir, AUTH_JWT_SECRET: secret, DATABASE_URL: '' });
    const token = new JwtService({ secret }).sign(
      { sub: 'ivanova', name: 'Иванова', roles: ['registrar'] },
      {
        expiresIn: '1h',
      },
    );
    const reg = await http(engine.url, 'POST', '/appeals', {
      token,
      body: {
        receivedAt: '2018-03-05',
        registeredAt: '2018-03-06',
        channel: 'written',
        kind: 'complaint',
        applicants: [{ name: 'Петров П.П.', address: 'п. Елань, ул. Ленина, 1' }],
        questions: [{ code: '0005.0005.0056.1149', summary: 'нет отопления' }],
        territory: 'п. Елань',
      },
    });
    expect(reg.status).toBe(201);

    const port = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
    const password = readFileSync(join(dataDir, 'secrets', 'postgres-app-password'), 'utf8').trim();
    const runtimeUrl = `postgres://appeal_ledger_app:${password}@127.0.0.1:${port}/postgres`;
    expect(await refusals(runtimeUrl)).toEqual(allRefused);

    const owner = new Client({
      connectionString: `postgres://postgres:${readFileSync(join(dataDir, 'secrets', 'postgres-password'), 'utf8').trim()}@127.0.0.1:${port}/postgres`,
    });
    await owner.connect();
    try {
      // A backend still authenticating shows no user yet (seen once in a full run): ask again until
      // every client backend has one, then every one of them must be the runtime role.
      const sessionUsers = async (): Promise<(string | null)[]> =>
        (
          await owner.query<{ usename: string | null }>(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
          )
        ).rows.map((r) => r.usename);
      let users = await sessionUsers();
      for (let attempt = 0; attempt < 50 && users.includes(null); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        users = await sessionUsers();
      }
      expect(users).toEqual(['appeal_ledger_app']);
      const { rows: role } = await owner.query(
        "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'appeal_ledger_app'",
      );
      expect(role).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    } finally {
      await owner.end();
    }
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
    // initdb and a first start of PostgreSQL: slow on a loaded machine
  }, 180_000);
});

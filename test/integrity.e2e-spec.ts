/**
 * Tamper evidence end to end: GET /admin/integrity (401/403, a whole store, an edited event named)
 * and `npm run verify` (exit codes, the first broken link, `--checkpoint` then a deleted tail),
 * with an erasure in between that must leave every hash valid.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { IntegrityService } from '../apps/api/src/integrity/integrity.service';
import { actors, assignBody, command, done, registered, type Actors } from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const ROOT = join(__dirname, '..');

interface IntegrityBody {
  status: 'done' | 'running';
  report: {
    ok: boolean;
    checkedEvents: number;
    checkedStreams: number;
    problems: { kind: string; streamId?: string; revision?: number; position?: number; message: string }[];
  };
}

let t: TestEngine;
let who: Actors;
let db: Pool;

beforeAll(async () => {
  t = await startTestEngine();
  who = actors(t);
  db = new Pool({ connectionString: t.database.url, max: 2 });
});

afterAll(async () => {
  await db.end();
  await t.stop();
});

/** `npm run verify`'s command against the test database, with the engine's DATA_DIR (its key). */
function verifyCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', './scripts/register-paths.js', 'dist/apps/api/src/cli/verify.js', ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: t.database.url,
          DATABASE_MIGRATION_URL: '',
          DATA_DIR: t.dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function tamper(sql: string): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

it('is described in the OpenAPI document', async () => {
  const doc = await http<{ paths: Record<string, { get?: { responses: Record<string, unknown> } }> }>(
    t.url,
    'GET',
    '/docs-json',
  );
  expect(Object.keys(doc.body.paths['/admin/integrity']?.get?.responses ?? {})).toEqual(
    expect.arrayContaining(['200', '202', '501']),
  );
});

it('answers 401 without a token and 403 to roles other than admin and supervisor', async () => {
  expect((await http(t.url, 'GET', '/admin/integrity')).status).toBe(401);
  expect((await http(t.url, 'GET', '/admin/integrity', { token: who.registrar })).status).toBe(403);
  expect((await http(t.url, 'GET', '/admin/integrity', { token: who.executor('sidorov') })).status).toBe(403);
});

it('verifies the store, survives an erasure, and names an event edited in SQL; verify exits 0, then 1', async () => {
  const first = await registered(t, who.registrar);
  const second = await registered(t, who.registrar);
  await done(command(t, who.controller, second.id, 'assignment', assignBody()));
  // Erasure destroys keys, never events: every hash stays valid.
  expect(
    (await http(t.url, 'DELETE', `/appeals/${first.id}/personal-data`, { token: who.admin })).status,
  ).toBe(200);

  const intact = await http<IntegrityBody>(t.url, 'GET', '/admin/integrity', { token: who.supervisor });
  expect(intact.status).toBe(200);
  expect(intact.body).toMatchObject({
    status: 'done',
    report: { ok: true, checkedStreams: 2, problems: [] },
  });
  expect(intact.body.report.checkedEvents).toBeGreaterThanOrEqual(3);
  const clean = await verifyCli();
  expect([clean.code, clean.stdout]).toEqual([0, expect.stringMatching(/^intact: \d+ events in 2 streams/)]);

  const where = `stream_id = 'appeal-${second.id}' AND revision = 0`;
  const original = (await db.query<{ data: string }>(`SELECT data::text AS data FROM events WHERE ${where}`))
    .rows[0].data;
  await tamper(`UPDATE events SET data = jsonb_set(data, '{tampered}', 'true') WHERE ${where}`);
  const broken = await http<IntegrityBody>(t.url, 'GET', '/admin/integrity', { token: who.admin });
  expect(broken.status).toBe(200);
  expect(broken.body.report.ok).toBe(false);
  expect(broken.body.report.problems[0]).toMatchObject({
    kind: 'edited',
    streamId: `appeal-${second.id}`,
    revision: 0,
    message: expect.stringContaining(`stream appeal-${second.id} revision 0`) as string,
  });
  const cli = await verifyCli();
  expect(cli.code).toBe(1);
  expect(cli.stdout).toMatch(new RegExp(`^BROKEN: stream appeal-${second.id} revision 0 \\(position \\d+`));

  // Put it back (the hash is over what was appended), so the next test starts from an intact store.
  await tamper(`UPDATE events SET data = '${original.replace(/'/g, "''")}'::jsonb WHERE ${where}`);
});

it('`verify --checkpoint` signs the heads; a tail deleted later is named by the next verify', async () => {
  const restored = await verifyCli('--json');
  const report = JSON.parse(restored.stdout) as IntegrityBody['report'];
  if (!report.ok) throw new Error(`store not restored: ${restored.stdout}`);
  const signed = await verifyCli('--checkpoint');
  expect(signed.code).toBe(0);
  expect(signed.stdout).toContain('signed checkpoint');

  const appeal = await registered(t, who.registrar);
  await done(command(t, who.controller, appeal.id, 'assignment', assignBody()));
  // The engine's own (periodic) checkpoint, written as its runtime role. It signs up to the readers'
  // head, which stays below transactions still in flight (a projection batch): sign until it covers
  // the assignment.
  const { rows } = await db.query<{ position: string }>(
    `SELECT position FROM events WHERE stream_id = 'appeal-${appeal.id}' AND revision = 1`,
  );
  const service = t.engine.app.get(IntegrityService);
  for (let cp = await service.checkpoint(); cp.position < Number(rows[0].position);) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    cp = await service.checkpoint();
    expect(cp.streamCount).toBe(3);
  }
  await tamper(`DELETE FROM events WHERE stream_id = 'appeal-${appeal.id}' AND revision = 1`);
  const cli = await verifyCli();
  expect(cli.code).toBe(1);
  expect(cli.stdout).toMatch(new RegExp(`^BROKEN: stream appeal-${appeal.id} ends at revision 0`));
  expect(cli.stdout).toContain('tail-deleted');
  const res = await http<IntegrityBody>(t.url, 'GET', '/admin/integrity', { token: who.admin });
  expect(res.body.report.problems.map((p) => [p.kind, p.streamId ?? null])).toEqual([
    ['tail-deleted', `appeal-${appeal.id}`],
    ['event-count', null],
  ]);
  // A refused checkpoint: nothing is signed over tampering.
  const refused = await verifyCli('--checkpoint');
  expect(refused.code).toBe(1);
});

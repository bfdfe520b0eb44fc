/**
 * Applicants' personal data (docs/domain.md "Personal data and retention", 152-FZ): never stored in plain
 * text — neither in any table of the engine's database nor in its data folder — readable through the
 * API by those allowed, and erased for good by DELETE /appeals/{id}/personal-data while the appeal's
 * other facts and its history remain.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  expectProblem,
  finalAnswerBody,
  getAppeal,
  history,
  register,
  registered,
  registration,
  type Actors,
  type AppealSummary,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const APPLICANTS = [
  {
    name: 'Уникальнов Зиновий Аристархович',
    address: 'п. Кедровка, ул. Неповторимая, д. 77, кв. 3',
    email: 'zinoviy.unikalnov@example.org',
    phone: '+7 913 555-77-99',
  },
  { name: 'Редкостная Аглая Фоминична', address: 'с. Мохово, пер. Небывалый, 12', phone: '8-384-2-90-17-63' },
];
/** Fragments that occur nowhere but in the applicants' fields above. */
const SECRETS = [
  'Уникальнов',
  'Аристархович',
  'Неповторимая',
  'zinoviy.unikalnov',
  '555-77-99',
  'Редкостная',
  'Небывалый',
  '90-17-63',
];
/** Stored in plain text on purpose (territory is not personal data): proves the scan can find things. */
const CONTROL = 'Посёлок-Контрольный-Ориентир';

interface Hit {
  table: string;
  needle: string;
}

/** Every table of every user schema, every column (the whole row as text, and bytea columns as bytes). */
async function scanDatabase(url: string, needles: string[]): Promise<{ hits: Hit[]; tables: number }> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const tables = await db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND table_schema NOT LIKE 'pg_toast%'`,
    );
    const hits: Hit[] = [];
    for (const { schema, name } of tables.rows) {
      const table = `"${schema.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}"`;
      const binary = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND data_type = 'bytea'`,
        [schema, name],
      );
      for (const needle of needles) {
        const asText = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${table} t WHERE t::text ILIKE $1`,
          [`%${needle}%`],
        );
        let found = Number(asText.rows[0].n) > 0;
        for (const { column_name } of binary.rows) {
          const col = `"${column_name.replace(/"/g, '""')}"`;
          const asBytes = await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${table} WHERE position(convert_to($1, 'UTF8') IN ${col}) > 0`,
            [needle],
          );
          found ||= Number(asBytes.rows[0].n) > 0;
        }
        if (found) hits.push({ table: `${schema}.${name}`, needle });
      }
    }
    return { hits, tables: tables.rows.length };
  } finally {
    await db.end();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('personal data over HTTP and at rest', () => {
  let t: TestEngine;
  let who: Actors;
  let appeal: AppealSummary;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    // every path that writes: registration with an Idempotency-Key, commands, a replay
    const key = randomUUID();
    const body = registration({ applicants: APPLICANTS, territory: CONTROL });
    const res = await register(t, who.registrar, body, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    appeal = res.body;
    expect((await register(t, who.registrar, body, { 'idempotency-key': key })).body.id).toBe(appeal.id);
    await done(
      command(t, who.controller, appeal.id, 'assignment', assignBody(), { 'idempotency-key': randomUUID() }),
    );
    await done(command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', finalAnswerBody()));
  });
  afterAll(async () => {
    await t.stop();
  });

  it('stores no applicant name, address, e-mail or phone in plain text in any table of the database', async () => {
    const { hits, tables } = await scanDatabase(t.database.url, SECRETS);
    expect(tables).toBeGreaterThan(0);
    expect(hits).toEqual([]);
    // the scan does see plain text where it is stored (the territory is in the event)
    const control = await scanDatabase(t.database.url, [CONTROL]);
    expect(control.hits.map((h) => h.table)).toContain('public.events');
  });

  // The engine's own data folder (embedded PostgreSQL included) is scanned in engine-process.e2e-spec.ts;
  // here it holds whatever the engine wrote beside an external database.
  it('keeps no applicant data in plain text in the data folder', () => {
    const leaks = filesUnder(t.dataDir).flatMap((file) => {
      const content = readFileSync(file);
      return SECRETS.filter((secret) => content.includes(Buffer.from(secret, 'utf8'))).map((secret) => ({
        file,
        secret,
      }));
    });
    expect(leaks).toEqual([]);
  });

  it('shows the applicants decrypted in the summary and in the history for a supervisor', async () => {
    const summary = await getAppeal(t, who.supervisor, appeal.id);
    expect(summary.body.applicants).toEqual(APPLICANTS);
    const trail = await history(t, who.supervisor, appeal.id);
    expect(trail.body[0].data.applicants).toEqual(
      APPLICANTS.map((a) => expect.objectContaining(a) as unknown),
    );
  });

  describe('DELETE /appeals/{id}/personal-data', () => {
    it('is refused to everyone but an admin, and to an unknown appeal', async () => {
      for (const token of [who.registrar, who.controller, who.supervisor, who.executor(EXECUTOR.id)]) {
        expectProblem(await http(t.url, 'DELETE', `/appeals/${appeal.id}/personal-data`, { token }), 403);
      }
      expectProblem(
        await http(t.url, 'DELETE', `/appeals/${randomUUID()}/personal-data`, { token: who.admin }),
        404,
      );
      expect((await getAppeal(t, who.supervisor, appeal.id)).body.applicants).toEqual(APPLICANTS);
    });

    it('erases the applicants everywhere they are shown while the appeal and its history remain', async () => {
      const other = await registered(t, who.registrar, registration({ applicants: [APPLICANTS[0]] }));
      const before = (await getAppeal(t, who.supervisor, appeal.id)).body;
      const trailBefore = (await history(t, who.supervisor, appeal.id)).body;

      const res = await http<{ id: string; keysDestroyed: number }>(
        t.url,
        'DELETE',
        `/appeals/${appeal.id}/personal-data`,
        {
          token: who.admin,
        },
      );

      expect(res.status).toBe(200);
      // the two applicants' keys and the appeal's own, which sealed its free text
      expect(res.body).toEqual({ id: appeal.id, keysDestroyed: 3 });

      const after = (await getAppeal(t, who.supervisor, appeal.id)).body;
      expect(after.applicants).toEqual([{ erased: true }, { erased: true }]);
      const { applicants: _a, ...factsAfter } = after;
      const { applicants: _b, ...factsBefore } = before;
      expect(factsAfter).toEqual(factsBefore);
      expect(after).toMatchObject({
        state: 'final_answered',
        collective: true,
        questions: before.questions,
        executor: EXECUTOR,
      });

      const trail = (await history(t, who.supervisor, appeal.id)).body;
      expect(trail.map((e) => e.type)).toEqual(trailBefore.map((e) => e.type));
      expect(trail[0].data.applicants).toEqual([
        expect.objectContaining({ erased: true }),
        expect.objectContaining({ erased: true }),
      ]);
      expect(trail[0].data.number).toBe(appeal.number);
      for (const text of [JSON.stringify(after), JSON.stringify(trail)]) {
        for (const secret of SECRETS) expect(text).not.toContain(secret);
      }

      // another appeal of the same person is a separate record: it keeps its data
      expect((await getAppeal(t, who.supervisor, other.id)).body.applicants).toEqual([APPLICANTS[0]]);
    });

    it('is idempotent: erasing again destroys nothing more', async () => {
      const res = await http<{ id: string; keysDestroyed: number }>(
        t.url,
        'DELETE',
        `/appeals/${appeal.id}/personal-data`,
        {
          token: who.admin,
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.keysDestroyed).toBe(0);
      expect((await getAppeal(t, who.admin, appeal.id)).body.applicants).toEqual([
        { erased: true },
        { erased: true },
      ]);
    });

    it('stays erased for an engine started afresh on the same database and data folder', async () => {
      const second = await startTestEngine({ database: t.database, env: { DATA_DIR: t.dataDir } });
      try {
        const res = await getAppeal(second, actors(second).supervisor, appeal.id);
        expect(res.status).toBe(200);
        expect(res.body.number).toBe(appeal.number);
        expect(res.body.applicants).toEqual([{ erased: true }, { erased: true }]);
        const trail = await history(second, actors(second).supervisor, appeal.id);
        expect(JSON.stringify(trail.body)).not.toContain('Уникальнов');
      } finally {
        await second.stop();
      }
    });

    it('leaves no plain text behind in the database', async () => {
      expect((await scanDatabase(t.database.url, SECRETS)).hits).toEqual([]);
    });
  });
});

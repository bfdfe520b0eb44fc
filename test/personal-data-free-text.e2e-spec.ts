/**
 * Issue 12, finding 5: every free-text field is personal data — the appeal's summary, the questions'
 * summaries, instructions, reasons, interim and final answers are sealed under the appeal's key when
 * stored, opened for those allowed, and gone after erasure (the history shows a placeholder). Neither
 * the events table nor the PostgreSQL data folder (its files and WAL, after a CHECKPOINT) holds them;
 * reports keep working; events stored before (schema version 1, plain text) still fold and read.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  furtherControlSet,
  QUESTION_CODES,
  registered as registeredEvent,
} from '@appeal-ledger/appeal/testing';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { appendAppealEvents } from '../libs/reminders/src/testing';
import { ERASED_TEXT } from '../apps/api/src/personal-data/personal-data.vault';
import {
  actors,
  assignBody,
  command,
  done,
  EXECUTOR,
  finalAnswerBody,
  getAppeal,
  history,
  registered,
  registration,
  type Actors,
  type AppealSummary,
  type HistoryEntry,
  EXTENSION_DECISION,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const run = randomBytes(4).toString('hex');
/** Marker texts that occur nowhere else: one per free-text field. */
const TEXT = {
  summary: `Паспорт-серия-Маркер-${run}`,
  question: `Диагноз-Маркер-${run}`,
  instructions: `Поручение-Маркер-${run}`,
  extension: `Продление-Маркер-${run}`,
  interim: `Промежуточный-Маркер-${run}`,
  final: `Окончательный-Маркер-${run}`,
  rework: `Доработка-Маркер-${run}`,
  withdrawal: `Отзыв-Маркер-${run}`,
  further: `Доп-контроль-Маркер-${run}`,
  resolution: `Резолюция-Маркер-${run}`,
  contribution: `Соисполнитель-Маркер-${run}`,
};
/** The appeal of the resolution, the co-executor's part and the further control (its own, to erase apart). */
const CO_EXECUTOR = { id: 'petrov', name: 'Петров П.П.', department: 'Дорожный отдел' };
/** Stored in plain text on purpose (the territory is no personal data): proves the scans find text. */
const PLAIN = `Территория-Ориентир-${run}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('free text is personal data', () => {
  let t: TestEngine;
  let who: Actors;
  let appeal: AppealSummary;
  let withdrawn: AppealSummary;
  let further: AppealSummary;
  type Further = AppealSummary & { furtherControl: { reason: string } | null };
  const post = (token: string, id: string, path: string, body: unknown) =>
    http<AppealSummary>(t.url, 'POST', `/appeals/${id}/${path}`, { token, body });
  const furtherReason = async (token: string, id: string): Promise<string | undefined> => {
    const res = await http<Further>(t.url, 'GET', `/appeals/${id}`, { token });
    expect(res.status).toBe(200);
    return res.body.furtherControl?.reason;
  };

  const trail = async (id: string): Promise<HistoryEntry[]> => {
    const res = await history(t, who.supervisor, id);
    expect(res.status).toBe(200);
    return res.body;
  };
  const dataOf = (entries: HistoryEntry[], type: string, nth = 0): Record<string, unknown> =>
    entries.filter((e) => e.type === type)[nth]?.data ?? {};

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    const executor = who.executor(EXECUTOR.id);
    appeal = await registered(
      t,
      who.registrar,
      registration({
        summary: TEXT.summary,
        questions: [{ code: '0005.0005.0056.1149', summary: TEXT.question }],
        territory: PLAIN,
      }),
    );
    await done(
      command(t, who.controller, appeal.id, 'assignment', {
        ...assignBody(),
        instructions: TEXT.instructions,
      }),
    );
    await done(
      command(t, who.controller, appeal.id, 'deadline-extensions', {
        ...EXTENSION_DECISION,
        days: 10,
        reason: TEXT.extension,
      }),
    );
    await done(
      command(t, executor, appeal.id, 'interim-answers', { sentAt: '2018-03-20', summary: TEXT.interim }),
    );
    await done(
      command(t, executor, appeal.id, 'final-answer', { ...finalAnswerBody(), summary: TEXT.final }),
    );
    await done(
      command(t, who.controller, appeal.id, 'rework', { reason: TEXT.rework, returnedAt: '2018-03-29' }),
    );
    withdrawn = await registered(t, who.registrar, registration({ summary: 'другое обращение' }));
    await done(
      command(t, who.registrar, withdrawn.id, 'withdrawal', {
        withdrawnAt: '2018-03-07',
        reason: TEXT.withdrawal,
      }),
    );
    further = await registered(t, who.registrar, registration({ summary: 'обращение с резолюцией' }));
    await done(
      post(who.controller, further.id, 'resolution', {
        author: { name: 'Кузнецов К.К.', position: 'глава района' },
        text: TEXT.resolution,
        decidedAt: '2018-03-07',
        responsible: { ...EXECUTOR, department: 'Отдел ЖКХ' },
        coExecutors: [CO_EXECUTOR],
      }),
    );
    await done(
      post(who.executor(CO_EXECUTOR.id), further.id, 'contributions', {
        text: TEXT.contribution,
        sentAt: '2018-03-20',
      }),
    );
    await done(command(t, executor, further.id, 'final-answer', finalAnswerBody()));
    await done(
      post(who.controller, further.id, 'further-control', {
        until: '2018-06-30',
        reason: TEXT.further,
        setAt: '2018-03-29',
      }),
    );
  });
  afterAll(async () => {
    await t.stop();
  });

  it('shows every free-text field opened to those who may read the history', async () => {
    const entries = await trail(appeal.id);
    expect(dataOf(entries, 'AppealRegistered')).toMatchObject({
      summary: TEXT.summary,
      questions: [{ summary: TEXT.question }],
      territory: PLAIN,
    });
    expect(dataOf(entries, 'ExecutorAssigned').instructions).toBe(TEXT.instructions);
    expect(dataOf(entries, 'DeadlineExtended').reason).toBe(TEXT.extension);
    expect(dataOf(entries, 'InterimAnswerSent').summary).toBe(TEXT.interim);
    expect(dataOf(entries, 'FinalAnswerSent').summary).toBe(TEXT.final);
    expect(dataOf(entries, 'AnswerReturnedForRework').reason).toBe(TEXT.rework);
    expect(dataOf(await trail(withdrawn.id), 'AppealWithdrawn').reason).toBe(TEXT.withdrawal);
    const resolved = await trail(further.id);
    expect(dataOf(resolved, 'ResolutionRecorded').text).toBe(TEXT.resolution);
    expect(dataOf(resolved, 'ContributionRecorded').text).toBe(TEXT.contribution);
    expect(dataOf(resolved, 'FurtherControlSet').reason).toBe(TEXT.further);
  });

  it("shows the further control's reason opened in the summary (GET /appeals/{id} and the card) to those who may read the appeal", async () => {
    expect(await furtherReason(who.supervisor, further.id)).toBe(TEXT.further);
    expect(await furtherReason(who.executor(EXECUTOR.id), further.id)).toBe(TEXT.further);
    const card = await http<string>(t.url, 'GET', `/ui/appeals/${further.id}`, {
      token: who.controller,
      headers: { accept: 'text/html' },
    });
    expect(card.status).toBe(200);
    expect(card.body).toContain(TEXT.further);
    // nobody else reads the appeal at all
    expect((await getAppeal(t, who.executor('stranger'), further.id)).status).toBe(403);
  });

  it('stores none of it in plain text in any row of the events table (the territory is)', async () => {
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      const found = async (needle: string) =>
        Number(
          (
            await db.query<{ n: string }>(`SELECT count(*) AS n FROM events e WHERE e::text LIKE $1`, [
              `%${needle}%`,
            ])
          ).rows[0].n,
        );
      for (const [field, text] of Object.entries(TEXT))
        expect({ field, rows: await found(text) }).toEqual({ field, rows: 0 });
      expect(await found(PLAIN)).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  });

  it("leaves none of it in the PostgreSQL data folder — the database's files and the WAL — after a CHECKPOINT", async () => {
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    let dir: string;
    let oid: string;
    try {
      await db.query('CHECKPOINT');
      dir = (await db.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0].d;
      oid = (
        await db.query<{ oid: string }>(
          'SELECT oid::text FROM pg_database WHERE datname = current_database()',
        )
      ).rows[0].oid;
    } finally {
      await db.end();
    }
    // Read every file once, straight after listing: the server keeps working (other suites share it),
    // and a file may go between the listing and the read (the relcache's pg_internal.init is rewritten,
    // WAL segments are recycled) — such a file is skipped, not an error.
    const files = [...filesUnder(join(dir, 'base', oid)), ...filesUnder(join(dir, 'pg_wal'))].flatMap(
      (file) => {
        try {
          return [{ file, bytes: readFileSync(file) }];
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
          throw error;
        }
      },
    );
    const seen = (needle: string) => {
      const bytes = Buffer.from(needle, 'utf8');
      return files.filter((f) => f.bytes.includes(bytes)).map((f) => f.file);
    };
    expect(seen(PLAIN).length).toBeGreaterThan(0); // the scan reads the right files
    for (const [field, text] of Object.entries(TEXT))
      expect({ field, files: seen(text) }).toEqual({ field, files: [] });
  });

  it('after erasure the history shows the placeholder, while the appeal, its control and the reports still work', async () => {
    const erase = await http<{ keysDestroyed: number }>(
      t.url,
      'DELETE',
      `/appeals/${appeal.id}/personal-data`,
      {
        token: who.admin,
      },
    );
    expect(erase.status).toBe(200);
    const entries = await trail(appeal.id);
    const json = JSON.stringify(entries);
    for (const text of Object.values(TEXT).filter((x) => x !== TEXT.withdrawal))
      expect(json).not.toContain(text);
    expect(dataOf(entries, 'AppealRegistered')).toMatchObject({
      summary: ERASED_TEXT,
      questions: [{ summary: ERASED_TEXT }],
      territory: PLAIN,
    });
    expect(dataOf(entries, 'FinalAnswerSent').summary).toBe(ERASED_TEXT);
    expect(dataOf(entries, 'ExecutorAssigned').instructions).toBe(ERASED_TEXT);
    expect((await getAppeal(t, who.supervisor, appeal.id)).status).toBe(200);
    // a command after erasure still works, and its text is unreadable at once
    await done(
      command(t, who.executor(EXECUTOR.id), appeal.id, 'final-answer', {
        ...finalAnswerBody(),
        summary: `после удаления ${run}`,
      }),
    );
    expect(dataOf(await trail(appeal.id), 'FinalAnswerSent', 1).summary).toBe(ERASED_TEXT);
    const weekly = await http(t.url, 'GET', '/reports/weekly?week=2018-W12', { token: who.supervisor });
    expect(weekly.status).toBe(200);
    const annual = await http(t.url, 'GET', '/reports/annual?year=2018', { token: who.supervisor });
    expect(annual.status).toBe(200);
    // the other appeal is untouched
    expect(dataOf(await trail(withdrawn.id), 'AppealWithdrawn').reason).toBe(TEXT.withdrawal);
  });

  it("after erasure the further control's reason, the resolution's and the part's text are gone from the summary, the card and the history", async () => {
    const erase = await http(t.url, 'DELETE', `/appeals/${further.id}/personal-data`, { token: who.admin });
    expect(erase.status).toBe(200);
    expect(await furtherReason(who.supervisor, further.id)).toBe(ERASED_TEXT);
    const card = await http<string>(t.url, 'GET', `/ui/appeals/${further.id}`, {
      token: who.controller,
      headers: { accept: 'text/html' },
    });
    expect(card.status).toBe(200);
    const entries = await trail(further.id);
    for (const text of [TEXT.further, TEXT.resolution, TEXT.contribution]) {
      expect(card.body).not.toContain(text);
      expect(JSON.stringify(entries)).not.toContain(text);
    }
    expect(dataOf(entries, 'FurtherControlSet').reason).toBe(ERASED_TEXT);
    expect(dataOf(entries, 'ResolutionRecorded').text).toBe(ERASED_TEXT);
    expect(dataOf(entries, 'ContributionRecorded').text).toBe(ERASED_TEXT);
  });

  it('reads events stored before free text was sealed (schema version 1), and hides their text after erasure', async () => {
    const store = t.engine.app.get<EventStore>(EVENT_STORE);
    const id = randomUUID();
    const old = `Старый-открытый-текст-${run}`;
    await appendAppealEvents(store, id, [
      registeredEvent({
        appealId: id,
        number: `Х/${run}`,
        registeredAt: '2018-03-06',
        receivedAt: '2018-03-05',
        nominalDueDate: '2018-04-05',
        dueDate: '2018-04-05',
        applicants: [{ applicantId: randomUUID() }],
        summary: old,
      }),
    ]);
    expect((await getAppeal(t, who.supervisor, id)).status).toBe(200);
    await done(
      command(t, who.controller, id, 'assignment', { ...assignBody(), instructions: TEXT.instructions }),
    );
    let entries = await trail(id);
    expect(dataOf(entries, 'AppealRegistered').summary).toBe(old);
    expect(dataOf(entries, 'ExecutorAssigned').instructions).toBe(TEXT.instructions);
    const erase = await http<{ keysDestroyed: number }>(t.url, 'DELETE', `/appeals/${id}/personal-data`, {
      token: who.admin,
    });
    expect(erase.body.keysDestroyed).toBe(1); // the appeal's key, made for its first sealed text
    entries = await trail(id);
    expect(dataOf(entries, 'AppealRegistered').summary).toBe(ERASED_TEXT);
    expect(dataOf(entries, 'ExecutorAssigned').instructions).toBe(ERASED_TEXT);
  });
  it("a further control's reason stored in the clear (schema version 1) still folds and reads, and reads as erased after erasure", async () => {
    const store = t.engine.app.get<EventStore>(EVENT_STORE);
    const id = randomUUID();
    const old = `Старая-мера-${run}`;
    await appendAppealEvents(store, id, [
      registeredEvent({
        appealId: id,
        number: `Х2/${run}`,
        registeredAt: '2018-03-06',
        receivedAt: '2018-03-05',
        nominalDueDate: '2018-04-05',
        dueDate: '2018-04-05',
        applicants: [{ applicantId: randomUUID() }],
      }),
    ]);
    await done(command(t, who.controller, id, 'assignment', assignBody()));
    await done(
      command(t, who.executor(EXECUTOR.id), id, 'final-answer', finalAnswerBody([...QUESTION_CODES])),
    );
    await appendAppealEvents(store, id, [furtherControlSet({ reason: old })], '2018-03-29T10:00:00+07:00');
    expect(await furtherReason(who.supervisor, id)).toBe(old);
    expect(dataOf(await trail(id), 'FurtherControlSet').reason).toBe(old);
    const erase = await http(t.url, 'DELETE', `/appeals/${id}/personal-data`, { token: who.admin });
    expect(erase.status).toBe(200);
    expect(await furtherReason(who.supervisor, id)).toBe(ERASED_TEXT);
    expect(dataOf(await trail(id), 'FurtherControlSet').reason).toBe(ERASED_TEXT);
  });
});

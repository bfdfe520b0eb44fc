/**
 * Issue 12, findings 1–4: one access policy (docs/access.md), enforced on every endpoint. Signs in as
 * each role and department (and with no role, and an unknown one) and tries every read — the appeal,
 * its history, /control, /reminders, the reports and the web pages — for appeals it must not see;
 * then sends commands to appeals the caller may not act on, which must be refused with 403 before
 * anything about the appeal (revision, state, questions) is consulted.
 */
import { randomUUID } from 'node:crypto';
import type { Reminder } from '@appeal-ledger/reminders';
import ExcelJS from 'exceljs';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { committedHead } from '../libs/reminders/src/testing';
import {
  assignBody,
  command,
  done,
  expectProblem,
  finalAnswerBody,
  getAppeal,
  history,
  ManualClock,
  registered,
  registration,
  ROADS,
  type AppealSummary,
  EXTENSION_DECISION,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const ZHKH = 'Отдел ЖКХ';
const EDU = 'Отдел образования';

describe('access control: who sees and does what (docs/access.md)', () => {
  // Mon 2 April 2018, 10:00 in Novokuznetsk: the appeals below are due on Thu 5 April
  const clock = new ManualClock(new Date('2018-04-02T10:00:00+07:00'));
  let t: TestEngine;
  let db: Pool;
  let head: number;
  let x: AppealSummary; // ЖКХ, assigned to exec-a
  let y: AppealSummary; // образования, assigned to exec-b
  let u: AppealSummary; // not assigned yet

  const tokens: Record<string, string> = {};
  /** who may read which of the appeals (x, y, u), as docs/access.md states it */
  const READS: Record<string, ('x' | 'y' | 'u')[]> = {
    admin: ['x', 'y', 'u'],
    supervisor: ['x', 'y', 'u'],
    head: ['x', 'y', 'u'],
    'organisational controller': ['x', 'y', 'u'],
    'organisational registrar': ['x', 'y', 'u'],
    'controller of Организационный отдел': ['x', 'y', 'u'],
    'controller of ЖКХ': ['x'],
    'controller of образования': ['y'],
    'registrar of образования': ['y'],
    'executor a': ['x'],
    'executor b': ['y'],
    'no role': [],
    'unknown role': [],
  };
  const HISTORY = new Set([
    'controller of Организационный отдел',
    'admin',
    'supervisor',
    'head',
    'organisational controller',
    'controller of ЖКХ',
    'controller of образования',
  ]);
  const REMINDERS = new Set([
    'controller of Организационный отдел',
    'admin',
    'supervisor',
    'head',
    'organisational controller',
    'controller of ЖКХ',
    'controller of образования',
    'executor a',
    'executor b',
  ]);
  const CONTROL = new Set(Object.keys(READS).filter((w) => w !== 'no role' && w !== 'unknown role'));
  const WEEKLY = new Set([
    'controller of Организационный отдел',
    'admin',
    'supervisor',
    'head',
    'organisational controller',
    'organisational registrar',
    'controller of ЖКХ',
    'controller of образования',
    'registrar of образования',
  ]);
  const SUMMARY = new Set([
    'controller of Организационный отдел',
    'admin',
    'supervisor',
    'head',
    'organisational controller',
    'organisational registrar',
  ]);

  const who = Object.keys(READS);
  const idOf = (k: 'x' | 'y' | 'u') => ({ x, y, u })[k].id;

  beforeAll(async () => {
    t = await startTestEngine({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    db = new Pool({ connectionString: t.database.url, max: 2 });
    Object.assign(tokens, {
      admin: t.token('root', ['admin']),
      supervisor: t.token('apparatus', ['supervisor']),
      head: t.token('glava', ['head']),
      'organisational controller': t.token('org-controller', ['controller']),
      'organisational registrar': t.token('org-registrar', ['registrar']),
      'controller of Организационный отдел': t.token('org-controller-2', ['controller'], {
        department: 'Организационный отдел',
      }),
      'controller of ЖКХ': t.token('zhkh-controller', ['controller'], { department: ZHKH }),
      'controller of образования': t.token('edu-controller', ['controller'], { department: EDU }),
      'registrar of образования': t.token('edu-registrar', ['registrar'], { department: EDU }),
      'executor a': t.token('exec-a', ['executor'], { department: ZHKH }),
      'executor b': t.token('exec-b', ['executor'], { department: EDU }),
      'no role': t.token('nobody', []),
      'unknown role': t.token('chief', ['chief']),
    });
    const registrar = tokens['organisational registrar'];
    const controller = tokens['organisational controller'];
    x = await registered(t, registrar, registration({ summary: 'ЖКХ: нет горячей воды' }));
    x = await done(
      command(t, controller, x.id, 'assignment', assignBody({ id: 'exec-a', name: 'Исполнитель А' }, ZHKH)),
    );
    y = await registered(t, registrar, registration({ summary: 'образование: место в детском саду' }));
    y = await done(
      command(t, controller, y.id, 'assignment', assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU)),
    );
    u = await registered(t, registrar, registration({ summary: 'ещё не назначено' }));
    await t.engine.app.get(ReminderRuntime).runPass({ minPosition: await committedHead(db) });
    head = await committedHead(db);
  });

  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  /** A refusal must not carry the appeal's number, state, revision, people or questions. */
  function revealsNothing(body: unknown, appeal: AppealSummary): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const secrets = [appeal.number, `"${appeal.state}"`, '"state"', '"revision"', 'Петров', 'allowedActions'];
    for (const secret of [...secrets, appeal.questions[0].code]) {
      expect({ text, leaks: text.includes(secret) }).toEqual({ text, leaks: false });
    }
    if (appeal.executor) expect(text).not.toContain(appeal.executor.name);
  }

  describe.each(who)('%s', (name) => {
    const token = () => tokens[name];

    it('reads exactly the appeals it may: GET /appeals/{id} (now and ?asOf=) is 200 or 403', async () => {
      for (const k of ['x', 'y', 'u'] as const) {
        const appeal = { x, y, u }[k];
        for (const asOf of [undefined, '2018-03-10']) {
          const res = await getAppeal(t, token(), appeal.id, asOf);
          if (READS[name].includes(k)) {
            expect({ k, asOf, status: res.status }).toEqual({ k, asOf, status: 200 });
            expect(res.body.applicants?.[0]?.name).toBe('Петров П.П.');
          } else {
            expect({ k, asOf, status: res.status }).toEqual({ k, asOf, status: 403 });
            revealsNothing(res.body, appeal);
          }
        }
      }
    });

    it('reads the history of exactly the appeals it may', async () => {
      for (const k of ['x', 'y', 'u'] as const) {
        const res = await history(t, token(), idOf(k));
        const allowed = HISTORY.has(name) && READS[name].includes(k);
        expect({ k, status: res.status }).toEqual({ k, status: allowed ? 200 : 403 });
        if (!allowed) revealsNothing(res.body, { x, y, u }[k]);
      }
    });

    it('/control lists exactly those appeals (whatever filter it asks for)', async () => {
      for (const query of ['', `&department=${encodeURIComponent(ZHKH)}`, '&executorId=exec-a']) {
        const res = await http<{ rows: { id: string }[] }>(
          t.url,
          'GET',
          `/control?minPosition=${head}${query}`,
          {
            token: token(),
          },
        );
        if (!CONTROL.has(name)) {
          expect(res.status).toBe(403);
          continue;
        }
        expect(res.status).toBe(200);
        const seen = res.body.rows.map((r) => r.id);
        for (const k of ['x', 'y', 'u'] as const) {
          if (!READS[name].includes(k))
            expect({ k, query, seen: seen.includes(idOf(k)) }).toEqual({ k, query, seen: false });
        }
        if (query === '') expect(seen.sort()).toEqual(READS[name].map(idOf).sort());
      }
    });

    it('/reminders and its SSE stream carry reminders about exactly those appeals', async () => {
      const res = await http<Reminder[]>(t.url, 'GET', `/reminders?minPosition=${head}`, { token: token() });
      if (!REMINDERS.has(name)) {
        expect(res.status).toBe(403);
        return;
      }
      expect(res.status).toBe(200);
      expect(res.body.map((r) => r.appealId).sort()).toEqual(READS[name].map(idOf).sort());
      // the stream: read until it has sent what the feed has, then close
      const controller = new AbortController();
      const stream = await fetch(`${t.url}/reminders/stream`, {
        headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      let text = '';
      const expected = res.body.length;
      while ((text.match(/^data:/gm) ?? []).length < expected) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += Buffer.from(chunk.value).toString('utf8');
      }
      controller.abort();
      for (const k of ['x', 'y', 'u'] as const) {
        expect({ k, streamed: text.includes(idOf(k)) }).toEqual({ k, streamed: READS[name].includes(k) });
      }
    });

    it('the weekly report shows exactly those appeals and departments; the summary only whole-administration readers', async () => {
      const weekly = await http<{
        overdue: { id: string }[];
        byDepartment: { department: string | null }[];
        onControl: number;
      }>(t.url, 'GET', `/reports/weekly?week=2018-W14&minPosition=${head}`, { token: token() });
      if (!WEEKLY.has(name)) {
        expect(weekly.status).toBe(403);
      } else {
        expect(weekly.status).toBe(200);
        expect(weekly.body.overdue.map((r) => r.id).sort()).toEqual(READS[name].map(idOf).sort());
        expect(weekly.body.onControl).toBe(READS[name].length);
        if (READS[name].length === 1) {
          expect(weekly.body.byDepartment.map((l) => l.department)).toEqual([
            READS[name][0] === 'x' ? ZHKH : EDU,
          ]);
        }
      }
      const summary = await http(t.url, 'GET', `/reports/annual?year=2018&minPosition=${head}`, {
        token: token(),
      });
      expect(summary.status).toBe(SUMMARY.has(name) ? 200 : 403);
    });

    it('the web pages (card, journal, control, reminders) show exactly those appeals', async () => {
      // with a bearer token the shared paths answer as the API: ask for the pages at their own paths
      const page = (path: string) =>
        http<string>(t.url, 'GET', `/ui${path}`, { token: token(), headers: { accept: 'text/html' } });
      for (const k of ['x', 'y', 'u'] as const) {
        const card = await page(`/appeals/${idOf(k)}`);
        expect({ k, status: card.status }).toEqual({ k, status: READS[name].includes(k) ? 200 : 403 });
        if (!READS[name].includes(k)) revealsNothing(card.body, { x, y, u }[k]);
      }
      for (const path of ['/appeals', '/control', '/reminders', '/reports?week=2018-W14']) {
        const res = await page(path);
        if (res.status !== 200) {
          expect({ path, status: res.status }).toEqual({ path, status: 403 });
          continue;
        }
        for (const k of ['x', 'y', 'u'] as const) {
          if (READS[name].includes(k)) continue;
          expect({ path, k, shown: res.body.includes(idOf(k)) }).toEqual({ path, k, shown: false });
        }
      }
    });
  });

  describe('commands: authorisation before anything that reveals the appeal (finding 4)', () => {
    it('an unassigned executor gets 403 — not 400 with the question codes, not 409 with the state, not 412 with the revision', async () => {
      const b = tokens['executor b'];
      const wrongQuestion = await command(t, b, x.id, 'final-answer', finalAnswerBody([ROADS]));
      revealsNothing(expectProblem(wrongQuestion, 403), x);
      const wrongRevision = await command(t, b, x.id, 'final-answer', finalAnswerBody(), {
        'if-match': '"999"',
      });
      revealsNothing(expectProblem(wrongRevision, 403), x);
      const notAllowedNow = await command(t, b, u.id, 'interim-answers', {
        sentAt: '2018-03-20',
        summary: 'промежуточный ответ',
      });
      revealsNothing(expectProblem(notAllowedNow, 403), u);
      // the assigned executor, with the same wrong question, is told what is wrong
      const assigned = await command(t, tokens['executor a'], x.id, 'final-answer', finalAnswerBody([ROADS]));
      expect(assigned.status).toBe(400);
    });

    it("a department's controller acts only on its department's appeals, and assigns only within it", async () => {
      const revisionBefore = (await getAppeal(t, tokens.admin, x.id)).body.revision;
      const edu = tokens['controller of образования'];
      revealsNothing(
        expectProblem(
          await command(t, edu, x.id, 'deadline-extensions', {
            ...EXTENSION_DECISION,
            days: 10,
            reason: 'x',
          }),
          403,
        ),
        x,
      );
      revealsNothing(
        expectProblem(await command(t, edu, u.id, 'assignment', assignBody(undefined, EDU)), 403),
        u,
      );
      const zhkh = tokens['controller of ЖКХ'];
      expectProblem(
        await command(t, zhkh, x.id, 'assignment', assignBody({ id: 'exec-c', name: 'Исполнитель В' }, EDU)),
        403,
      );
      const after = (await getAppeal(t, tokens.admin, x.id)).body;
      expect(after.executor?.id).toBe('exec-a');
      expect(after.revision).toBe(revisionBefore);
    });

    it('supervisors, the head and registrars of another department act on nothing', async () => {
      for (const reader of [tokens.supervisor, tokens.head])
        revealsNothing(expectProblem(await command(t, reader, x.id, 'assignment', assignBody()), 403), x);
      revealsNothing(
        expectProblem(
          await command(t, tokens['registrar of образования'], x.id, 'withdrawal', {
            withdrawnAt: '2018-03-20',
          }),
          403,
        ),
        x,
      );
    });
  });

  describe('visibility follows the assignment now, also with ?asOf= (finding 2)', () => {
    it('after reassignment the former executor reads nothing, not even the past; the new one reads the past with applicants', async () => {
      await done(
        command(
          t,
          tokens['controller of ЖКХ'],
          x.id,
          'assignment',
          assignBody({ id: 'exec-c', name: 'Исполнитель В' }, ZHKH, '2018-03-20'),
        ),
      );
      const former = tokens['executor a'];
      expect((await getAppeal(t, former, x.id)).status).toBe(403);
      const past = await getAppeal(t, former, x.id, '2018-03-10');
      expect(past.status).toBe(403);
      revealsNothing(past.body, x);
      const successor = t.token('exec-c', ['executor']);
      const then = await getAppeal(t, successor, x.id, '2018-03-10');
      expect(then.status).toBe(200);
      expect(then.body.executor?.id).toBe('exec-a'); // the state as it was
      expect(then.body.applicants?.[0]?.name).toBe('Петров П.П.'); // opened on today's assignment
      // and the former executor's answer is refused before validation
      expectProblem(await command(t, former, x.id, 'final-answer', finalAnswerBody([ROADS])), 403);
      // the web card, now and on a date when they were assigned: refused, showing nothing of the appeal
      for (const query of ['', '?asOf=2018-03-10']) {
        const card = await http<string>(t.url, 'GET', `/ui/appeals/${x.id}${query}`, {
          token: former,
          headers: { accept: 'text/html' },
        });
        expect({ query, status: card.status }).toEqual({ query, status: 403 });
        revealsNothing(card.body, x);
        expect(card.body).not.toContain('Исполнитель А');
      }
      const successorCard = await http<string>(t.url, 'GET', `/ui/appeals/${x.id}?asOf=2018-03-10`, {
        token: successor,
        headers: { accept: 'text/html' },
      });
      expect(successorCard.status).toBe(200);
      expect(successorCard.body).toContain('Петров П.П.');
    });
  });
  /** The cells of a CSV (`;`), the text nodes of an HTML page: exact values, so «П/1» is not found in «П/12». */
  const csvCells = (text: string): string[] =>
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .flatMap((line) => line.split(';'))
      .map((c) => c.replace(/^"|"$/g, '').trim());
  const htmlCells = (text: string): string[] => text.split(/<[^>]*>/).map((c) => c.trim());
  const xlsxCells = async (bytes: ArrayBuffer): Promise<string[]> => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes);
    const cells: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          cells.push(String(cell.text).trim());
        }),
      ),
    );
    return cells;
  };
  const page = (token: string, path: string, accept = 'text/html') =>
    http<string>(t.url, 'GET', `/ui${path}`, { token, headers: { accept } });

  describe('a repeated request (Idempotency-Key) is authorised on the assignment now (docs/access.md)', () => {
    it('an executor reassigned since gets 403 for the repeat of their own interim answer — not the first answer with the applicants', async () => {
      const controller = tokens['organisational controller'];
      const appeal = await registered(
        t,
        tokens['organisational registrar'],
        registration({ summary: 'повтор' }),
      );
      await done(
        command(
          t,
          controller,
          appeal.id,
          'assignment',
          assignBody({ id: 'exec-r1', name: 'Исполнитель Р1' }, ZHKH),
        ),
      );
      const former = t.token('exec-r1', ['executor']);
      const key = randomUUID();
      const body = { sentAt: '2018-03-20', summary: 'промежуточный ответ' };
      const first = await command(t, former, appeal.id, 'interim-answers', body, { 'idempotency-key': key });
      expect(first.status).toBe(200);
      expect(first.body.applicants?.[0]?.name).toBe('Петров П.П.');
      // still assigned: the repeat answers the first outcome
      const repeat = await command(t, former, appeal.id, 'interim-answers', body, { 'idempotency-key': key });
      expect(repeat.status).toBe(200);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(repeat.body.revision).toBe(first.body.revision);
      expect(repeat.body.applicants?.[0]?.name).toBe('Петров П.П.');
      const moved = await done(
        command(
          t,
          controller,
          appeal.id,
          'assignment',
          assignBody({ id: 'exec-r2', name: 'Исполнитель Р2' }, ZHKH, '2018-03-21'),
        ),
      );
      const again = await command(t, former, appeal.id, 'interim-answers', body, { 'idempotency-key': key });
      revealsNothing(expectProblem(again, 403), moved);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
      expect((await getAppeal(t, tokens.admin, appeal.id)).body.revision).toBe(moved.revision);
      // the executor assigned now repeats nothing of it: a key is the caller's, the same key from them is 422
      expect(
        (
          await command(t, t.token('exec-r2', ['executor']), appeal.id, 'interim-answers', body, {
            'idempotency-key': key,
          })
        ).status,
      ).toBe(422);
    });

    it("a department's controller gets 403 for the repeat of its extension once the appeal left the department", async () => {
      const org = tokens['organisational controller'];
      const zhkh = tokens['controller of ЖКХ'];
      const appeal = await registered(
        t,
        tokens['organisational registrar'],
        registration({ summary: 'продление' }),
      );
      await done(
        command(t, org, appeal.id, 'assignment', assignBody({ id: 'exec-a', name: 'Исполнитель А' }, ZHKH)),
      );
      const key = randomUUID();
      const body = { ...EXTENSION_DECISION, days: 10, reason: 'запрос в управляющую компанию' };
      const first = await command(t, zhkh, appeal.id, 'deadline-extensions', body, {
        'idempotency-key': key,
      });
      expect(first.status).toBe(200);
      expect(first.body.applicants?.[0]?.name).toBe('Петров П.П.');
      const moved = await done(
        command(
          t,
          org,
          appeal.id,
          'assignment',
          assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU, '2018-03-21'),
        ),
      );
      const again = await command(t, zhkh, appeal.id, 'deadline-extensions', body, {
        'idempotency-key': key,
      });
      revealsNothing(expectProblem(again, 403), moved);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
      expect((await getAppeal(t, tokens.admin, appeal.id)).body.revision).toBe(moved.revision);
    });
  });

  describe('references to other appeals: shown only to those who may read them (docs/access.md)', () => {
    it('repeatOf is named to whole-administration readers, and to an executor or department only once the earlier appeal is theirs — in the API, the card and the history', async () => {
      const registrar = tokens['organisational registrar'];
      const org = tokens['organisational controller'];
      const applicants = [{ name: 'Орлова О.О.', address: 'п. Елань, ул. Лесная, 9' }];
      const earlier = await registered(t, registrar, registration({ applicants, summary: 'первое' }));
      await done(
        command(t, org, earlier.id, 'assignment', assignBody({ id: 'exec-a', name: 'Исполнитель А' }, ZHKH)),
      );
      const later = await registered(
        t,
        registrar,
        registration({
          applicants,
          receivedAt: '2018-03-12',
          registeredAt: '2018-03-12',
          repeatOf: earlier.id,
        }),
      );
      await done(
        command(
          t,
          org,
          later.id,
          'assignment',
          assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU, '2018-03-13'),
        ),
      );
      for (const name of ['admin', 'supervisor', 'organisational controller', 'organisational registrar']) {
        const res = await getAppeal(t, tokens[name], later.id);
        expect({ name, repeatOf: res.body.repeatOf }).toEqual({ name, repeatOf: earlier.id });
      }
      for (const name of ['executor b', 'controller of образования', 'registrar of образования']) {
        const res = await getAppeal(t, tokens[name], later.id);
        expect({ name, status: res.status, repeat: res.body.repeat }).toEqual({
          name,
          status: 200,
          repeat: true,
        });
        expect({ name, api: JSON.stringify(res.body).includes(earlier.id) }).toEqual({ name, api: false });
        const card = await page(tokens[name], `/appeals/${later.id}`);
        expect(card.status).toBe(200);
        expect({ name, card: card.body.includes(earlier.id) }).toEqual({ name, card: false });
      }
      const trail = await history(t, tokens['controller of образования'], later.id);
      expect(trail.status).toBe(200);
      expect(JSON.stringify(trail.body)).not.toContain(earlier.id);
      // once the earlier appeal is assigned to the same executor, they are told which it is
      await done(
        command(
          t,
          org,
          earlier.id,
          'assignment',
          assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU, '2018-03-14'),
        ),
      );
      expect((await getAppeal(t, tokens['executor b'], later.id)).body.repeatOf).toBe(earlier.id);
      expect(
        (await history(t, tokens['controller of образования'], later.id)).body.map((e) => e.data.repeatOf),
      ).toContain(earlier.id);
    });

    it('the termination of correspondence names its appeal and the earlier ones only to those who may read them; the decision itself is told to all', async () => {
      const registrar = tokens['organisational registrar'];
      const org = tokens['organisational controller'];
      const her = [{ name: 'Белова Вера Ивановна', address: 'п. Елань, ул. Школьная, д. 5' }];
      const on = (day: string) => registration({ applicants: her, receivedAt: day, registeredAt: day });
      const answeredIn = async (day: string, answeredOn: string): Promise<AppealSummary> => {
        const appeal = await registered(t, registrar, on(day));
        await done(
          command(
            t,
            org,
            appeal.id,
            'assignment',
            assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU, day),
          ),
        );
        return done(
          command(t, tokens['executor b'], appeal.id, 'final-answer', finalAnswerBody(undefined, answeredOn)),
        );
      };
      const first = await answeredIn('2018-01-10', '2018-01-25');
      const second = await answeredIn('2018-02-01', '2018-02-15');
      const terminating = await registered(t, registrar, on('2018-03-01'));
      await done(
        command(
          t,
          org,
          terminating.id,
          'assignment',
          assignBody({ id: 'exec-a', name: 'Исполнитель А' }, ZHKH, '2018-03-01'),
        ),
      );
      const decided = await http<AppealSummary>(
        t.url,
        'POST',
        `/appeals/${terminating.id}/correspondence-termination`,
        {
          token: org,
          body: {
            decidedBy: { name: 'Кузнецов К.К.', position: 'глава района' },
            decidedAt: '2018-03-05',
            earlierAppealIds: [first.id, second.id],
            grounds: 'ответы по существу даны дважды, новых доводов нет',
          },
        },
      );
      expect(decided.status).toBe(200);
      const later = await registered(t, registrar, on('2018-03-12'));
      const laterAssigned = await done(
        command(
          t,
          org,
          later.id,
          'assignment',
          assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU, '2018-03-12'),
        ),
      );
      type Flagged = AppealSummary & {
        correspondenceTerminated?: {
          terminationAppealId?: string;
          decidedAt: string;
          questionCodes: string[];
        };
        correspondenceTermination?: { earlierAppealIds: string[] } | null;
      };
      const read = (name: string, id: string) =>
        http<Flagged>(t.url, 'GET', `/appeals/${id}`, { token: tokens[name] });
      // the whole administration: the flag names the terminating appeal, the decision its earlier ones
      const byAdmin = await read('admin', later.id);
      expect(byAdmin.body.correspondenceTerminated?.terminationAppealId).toBe(terminating.id);
      expect((await read('admin', terminating.id)).body.correspondenceTermination?.earlierAppealIds).toEqual([
        first.id,
        second.id,
      ]);
      // образования reads the later appeal: told of the decision, not which appeal it was taken on (ЖКХ's)
      for (const name of ['executor b', 'controller of образования']) {
        const res = await read(name, later.id);
        expect(res.status).toBe(200);
        expect({ name, flag: res.body.correspondenceTerminated }).toEqual({
          name,
          flag: expect.objectContaining({
            decidedAt: byAdmin.body.correspondenceTerminated?.decidedAt,
          }) as unknown,
        });
        expect({ name, leaks: JSON.stringify(res.body).includes(terminating.id) }).toEqual({
          name,
          leaks: false,
        });
        const card = await page(tokens[name], `/appeals/${later.id}`);
        expect(card.status).toBe(200);
        expect({ name, card: card.body.includes(terminating.id) }).toEqual({ name, card: false });
      }
      const relatedEdu = await http<{ correspondenceTerminated?: { terminationAppealId?: string } }>(
        t.url,
        'GET',
        `/appeals/${later.id}/related?minPosition=${laterAssigned.position}`,
        { token: tokens['controller of образования'] },
      );
      expect(relatedEdu.status).toBe(200);
      expect(relatedEdu.body.correspondenceTerminated).toBeDefined();
      expect(JSON.stringify(relatedEdu.body)).not.toContain(terminating.id);
      const control = await http<{ rows: { id: string; correspondenceTerminated?: unknown }[] }>(
        t.url,
        'GET',
        `/control?minPosition=${laterAssigned.position}&limit=500`,
        { token: tokens['executor b'] },
      );
      expect(control.status).toBe(200);
      expect(control.body.rows.find((r) => r.id === later.id)?.correspondenceTerminated).toBeDefined();
      expect(JSON.stringify(control.body)).not.toContain(terminating.id);
      // ЖКХ reads the terminating appeal: the earlier appeals are образования's, so not named
      const byZhkh = await read('controller of ЖКХ', terminating.id);
      expect(byZhkh.status).toBe(200);
      expect(byZhkh.body.correspondenceTermination?.earlierAppealIds).toEqual([]);
      for (const id of [first.id, second.id]) expect(JSON.stringify(byZhkh.body)).not.toContain(id);
      const trail = await history(t, tokens['controller of ЖКХ'], terminating.id);
      expect(trail.status).toBe(200);
      for (const id of [first.id, second.id]) expect(JSON.stringify(trail.body)).not.toContain(id);
    });
  });

  describe('lists and reports for a department (docs/access.md)', () => {
    it("GET /appeals/{id}/related: a department's controller and registrar get 403 outside the department, and only the department's rows inside it", async () => {
      const registrar = tokens['organisational registrar'];
      const org = tokens['organisational controller'];
      const applicants = [{ name: 'Смирнова С.С.', address: 'п. Елань, ул. Речная, 3' }];
      const make = async (receivedAt: string, department: string, executor: { id: string; name: string }) => {
        const appeal = await registered(
          t,
          registrar,
          registration({ applicants, receivedAt, registeredAt: receivedAt }),
        );
        return done(command(t, org, appeal.id, 'assignment', assignBody(executor, department, receivedAt)));
      };
      const r1 = await make('2018-03-06', ZHKH, { id: 'exec-a', name: 'Исполнитель А' });
      const r2 = await make('2018-03-07', EDU, { id: 'exec-b', name: 'Исполнитель Б' });
      const r3 = await make('2018-03-12', EDU, { id: 'exec-b', name: 'Исполнитель Б' });
      const related = (token: string, id: string, position: number) =>
        http<{ complete: boolean; related: { appealId: string; number: string }[] }>(
          t.url,
          'GET',
          `/appeals/${id}/related?minPosition=${position}`,
          { token },
        );
      // the whole administration sees both earlier appeals: they are related
      const all = await related(org, r3.id, r3.position);
      expect(all.status).toBe(200);
      expect(all.body.related.map((r) => r.appealId).sort()).toEqual([r1.id, r2.id].sort());
      for (const name of ['controller of образования', 'registrar of образования']) {
        const own = await related(tokens[name], r3.id, r3.position);
        expect({ name, status: own.status, complete: own.body.complete }).toEqual({
          name,
          status: 200,
          complete: true,
        });
        expect({ name, ids: own.body.related.map((r) => r.appealId) }).toEqual({ name, ids: [r2.id] });
        expect({ name, leaks: JSON.stringify(own.body).includes(r1.id) }).toEqual({ name, leaks: false });
        const outside = await related(tokens[name], r1.id, r3.position);
        revealsNothing(expectProblem(outside, 403), r1);
      }
      const zhkh = await related(tokens['controller of ЖКХ'], r3.id, r3.position);
      revealsNothing(expectProblem(zhkh, 403), r3);
      // the executor reads no related appeals at all
      expectProblem(await related(tokens['executor b'], r3.id, r3.position), 403);
    });

    it("the weekly report of a department's controller as CSV, XLSX and HTML holds its department's appeals only", async () => {
      const zhkh = tokens['controller of ЖКХ'];
      const weekly = (format: string) =>
        fetch(`${t.url}/reports/weekly?week=2018-W14&format=${format}`, {
          headers: { authorization: `Bearer ${zhkh}` },
        });
      const csv = await weekly('csv');
      expect(csv.status).toBe(200);
      const html = await weekly('html');
      expect(html.status).toBe(200);
      const xlsx = await weekly('xlsx');
      expect(xlsx.status).toBe(200);
      const documents: Record<string, string[]> = {
        csv: csvCells(await csv.text()),
        html: htmlCells(await html.text()),
        xlsx: await xlsxCells(await xlsx.arrayBuffer()),
      };
      for (const [format, cells] of Object.entries(documents)) {
        expect({ format, own: cells.includes(x.number) }).toEqual({ format, own: true });
        for (const other of [y, u])
          expect({ format, other: other.number, shown: cells.includes(other.number) }).toEqual({
            format,
            other: other.number,
            shown: false,
          });
        expect({ format, otherDepartment: cells.some((c) => c.includes(EDU)) }).toEqual({
          format,
          otherDepartment: false,
        });
      }
    });

    it('the quarterly and monthly summaries are 403 to every account with a department (in every format)', async () => {
      const names = [
        'controller of ЖКХ',
        'controller of образования',
        'registrar of образования',
        'executor a',
      ];
      for (const name of names) {
        for (const path of [
          '/reports/quarterly?year=2018&quarter=1',
          '/reports/monthly?year=2018&month=3',
          '/reports/quarterly?year=2018&quarter=1&format=csv',
          '/reports/monthly?year=2018&month=3&format=xlsx',
        ]) {
          const res = await http(t.url, 'GET', path, { token: tokens[name] });
          expect({ name, path, status: res.status }).toEqual({ name, path, status: 403 });
        }
      }
      // the organisational controller gets them
      const org = await http(t.url, 'GET', '/reports/monthly?year=2018&month=3', {
        token: tokens['controller of Организационный отдел'],
      });
      expect(org.status).toBe(200);
    });

    it("the journal's CSV of a department's controller or registrar lists its department's appeals only", async () => {
      for (const [name, own, others] of [
        ['controller of ЖКХ', x, [y, u]],
        ['controller of образования', y, [x, u]],
        ['registrar of образования', y, [x, u]],
      ] as const) {
        const res = await page(tokens[name], '/appeals?format=csv', 'text/csv');
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
        const cells = csvCells(res.body);
        expect({ name, own: cells.includes(own.number) }).toEqual({ name, own: true });
        for (const other of others)
          expect({ name, other: other.number, shown: cells.includes(other.number) }).toEqual({
            name,
            other: other.number,
            shown: false,
          });
      }
      // the executor has no journal
      expect((await page(tokens['executor a'], '/appeals?format=csv', 'text/csv')).status).toBe(403);
    });
  });

  describe("the weekly report keeps the week's own assignment (docs/access.md: why)", () => {
    it("an appeal moved to another department after a week stays in the first department's report of that week, and in the new one's from the week of the move", async () => {
      const org = tokens['organisational controller'];
      const appeal = await registered(
        t,
        tokens['organisational registrar'],
        registration({ summary: 'перевод' }),
      );
      const assigned = await done(
        command(t, org, appeal.id, 'assignment', assignBody({ id: 'exec-a', name: 'Исполнитель А' }, ZHKH)),
      );
      const weekly = async (token: string, week: string, position: number): Promise<string> => {
        const res = await http(t.url, 'GET', `/reports/weekly?week=${week}&minPosition=${position}`, {
          token,
        });
        expect(res.status).toBe(200);
        return JSON.stringify(res.body);
      };
      const zhkh = tokens['controller of ЖКХ'];
      const edu = tokens['controller of образования'];
      const before = await weekly(zhkh, '2018-W13', assigned.position);
      expect(before).toContain(appeal.id);
      // moved on Monday 2 April (week 14); at the end of week 13 (Sunday 1 April) it was ЖКХ's
      const moved = await done(
        command(
          t,
          org,
          appeal.id,
          'assignment',
          assignBody({ id: 'exec-b', name: 'Исполнитель Б' }, EDU, '2018-04-02'),
        ),
      );
      // the past week regenerates identically after the move: still ЖКХ's, not образования's
      expect(await weekly(zhkh, '2018-W13', moved.position)).toBe(before);
      expect(await weekly(edu, '2018-W13', moved.position)).not.toContain(appeal.id);
      // from the week of the move on, it is the new department's
      expect(await weekly(edu, '2018-W14', moved.position)).toContain(appeal.id);
      expect(await weekly(zhkh, '2018-W14', moved.position)).not.toContain(appeal.id);
      // what ЖКХ's past report shows of it is the report's row only: no applicants, no free text
      expect(before).not.toContain('Петров');
      expect(before).not.toContain('перевод');
    });
  });
});

/**
 * Issue 12, findings 1–4: one access policy (docs/access.md), enforced on every endpoint. Signs in as
 * each role and department (and with no role, and an unknown one) and tries every read — the appeal,
 * its history, /control, /reminders, the reports and the web pages — for appeals it must not see;
 * then sends commands to appeals the caller may not act on, which must be refused with 403 before
 * anything about the appeal (revision, state, questions) is consulted.
 */
import type { Reminder } from '@appeal-ledger/reminders';
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
    });
  });
});

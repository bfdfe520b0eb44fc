/**
 * Deadline reminders end to end (issue 4): what a pass issues and what it does not, once per kind and
 * due date, recorded in the appeal's history, readable from GET /reminders and the SSE stream.
 */
import type { Reminder } from '@appeal-ledger/reminders';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { committedHead, storedReminders } from '../libs/reminders/src/testing';
import {
  actors,
  assignBody,
  command,
  done,
  DEPARTMENT,
  EXECUTOR,
  finalAnswerBody,
  history,
  ManualClock,
  registered,
  registration,
  type Actors,
  type AppealSummary,
  EXTENSION_DECISION,
} from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('deadline reminders', () => {
  // Mon 2 April 2018, 10:00 in Novokuznetsk (the default APPEALS_TIMEZONE)
  const clock = new ManualClock(new Date('2018-04-02T10:00:00+07:00'));
  let t: TestEngine;
  let a: Actors;
  let runtime: ReminderRuntime;
  let db: Pool;

  beforeAll(async () => {
    // a tick only at start: the passes under test are run by hand
    t = await startTestEngine({ clock, env: { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' } });
    a = actors(t);
    runtime = t.engine.app.get(ReminderRuntime);
    db = new Pool({ connectionString: t.database.url, max: 2 });
  });

  afterAll(async () => {
    await db.end();
    await t.stop();
  });

  const reminders = async (query: string, token = a.controller) => {
    const res = await http<Reminder[]>(t.url, 'GET', `/reminders${query}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const historyOf = async (id: string) => (await history(t, a.supervisor, id)).body;

  describe('one pass on 2 April 2018', () => {
    let near: AppealSummary;
    let today: AppealSummary;
    let past: AppealSummary;
    let far: AppealSummary;
    const closedOnes: AppealSummary[] = [];
    let firstIssued: Awaited<ReturnType<ReminderRuntime['runPass']>>;

    beforeAll(async () => {
      near = await registered(t, a.registrar, registration({ registeredAt: '2018-03-06' })); // due Thu 5 April
      await done(command(t, a.controller, near.id, 'assignment', assignBody()));
      today = await registered(
        t,
        a.registrar,
        registration({ receivedAt: '2018-03-02', registeredAt: '2018-03-03' }),
      ); // due Mon 2 April
      past = await registered(
        t,
        a.registrar,
        registration({ receivedAt: '2018-02-01', registeredAt: '2018-02-01' }),
      ); // due Fri 2 March
      far = await registered(
        t,
        a.registrar,
        registration({ receivedAt: '2018-03-30', registeredAt: '2018-03-30' }),
      ); // due Sat 28 April (working)
      const old = () => registration({ receivedAt: '2018-02-01', registeredAt: '2018-02-01' });
      const answered = await registered(t, a.registrar, old());
      await done(command(t, a.controller, answered.id, 'assignment', assignBody()));
      await done(
        command(
          t,
          a.executor(EXECUTOR.id),
          answered.id,
          'final-answer',
          finalAnswerBody(undefined, '2018-02-20'),
        ),
      );
      const closed = await registered(t, a.registrar, old());
      await done(command(t, a.controller, closed.id, 'assignment', assignBody()));
      await done(
        command(
          t,
          a.executor(EXECUTOR.id),
          closed.id,
          'final-answer',
          finalAnswerBody(undefined, '2018-02-20'),
        ),
      );
      await done(command(t, a.controller, closed.id, 'closure', { closedAt: '2018-02-21' }));
      const forwarded = await registered(t, a.registrar, old());
      await done(
        command(t, a.registrar, forwarded.id, 'forwarding', {
          to: 'Прокуратура района',
          sentAt: '2018-02-05',
        }),
      );
      const withdrawn = await registered(t, a.registrar, old());
      await done(command(t, a.registrar, withdrawn.id, 'withdrawal', { withdrawnAt: '2018-02-06' }));
      closedOnes.push(answered, closed, forwarded, withdrawn);
      firstIssued = await runtime.runPass({ minPosition: await committedHead(db) });
    });

    it('issues due_soon, due_today and overdue to the appeals under control they apply to', () => {
      expect(firstIssued.businessDate).toBe('2018-04-02');
      const byAppeal = Object.fromEntries(firstIssued.issued.map((r) => [r.appealId, r.kind]));
      expect(byAppeal).toEqual({ [near.id]: 'due_soon', [today.id]: 'due_today', [past.id]: 'overdue' });
    });

    it('records each as a DeadlineReminderIssued fact in the appeal history, with the reminder id as event id', async () => {
      const trail = await historyOf(near.id);
      const facts = trail.filter((e) => e.type === 'DeadlineReminderIssued');
      expect(facts).toHaveLength(1);
      expect(facts[0]).toMatchObject({
        actor: { id: 'reminder-process' },
        occurredAt: '2018-04-02T03:00:00.000Z',
        data: {
          kind: 'due_soon',
          dueDate: '2018-04-05',
          businessDate: '2018-04-02',
          department: DEPARTMENT,
          executor: EXECUTOR,
        },
      });
      const stored = await storedReminders(db);
      expect(stored.map((r) => r.eventId).sort()).toEqual(firstIssued.issued.map((r) => r.reminderId).sort());
      const ids = new Set(stored.map((s) => s.eventId));
      expect(ids.has(facts[0].data.reminderId as string)).toBe(true);
    });

    it('issues nothing far from the due date, after a final answer, forwarding, withdrawal or removal from control', async () => {
      for (const appeal of [far, ...closedOnes]) {
        const trail = await historyOf(appeal.id);
        expect({
          appeal: appeal.id,
          reminders: trail.filter((e) => e.type === 'DeadlineReminderIssued'),
        }).toEqual({
          appeal: appeal.id,
          reminders: [],
        });
      }
    });

    it('counts what it issued in GET /metrics', async () => {
      const metrics = await http<string>(t.url, 'GET', '/metrics', { token: a.admin });
      expect(metrics.body).toContain('appeal_ledger_reminders_issued_total{kind="due_soon"} 1');
      expect(metrics.body).toContain('appeal_ledger_reminders_issued_total{kind="overdue"} 1');
      expect(metrics.body).toContain('appeal_ledger_reminder_pass_duration_seconds_count');
    });

    it('issues nothing twice, however often the pass runs', async () => {
      const again = await runtime.runPass({ minPosition: await committedHead(db) });
      const third = await runtime.runPass({ minPosition: await committedHead(db) });
      expect(again.issued).toEqual([]);
      expect(third.issued).toEqual([]);
      expect(await storedReminders(db)).toHaveLength(3);
    });

    it('serves the reminders on GET /reminders in position order, with the fields docs/api.md fixes', async () => {
      const last = Math.max(...firstIssued.issued.map((r) => r.position));
      const all = await reminders(`?minPosition=${last}`);
      expect(all.map((r) => r.appealId)).toEqual(firstIssued.issued.map((r) => r.appealId));
      const positions = all.map((r) => r.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      const soon = all.find((r) => r.appealId === near.id);
      expect(soon).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        appealId: near.id,
        number: near.number,
        kind: 'due_soon',
        dueDate: '2018-04-05',
        issuedAt: '2018-04-02T03:00:00.000Z',
        department: DEPARTMENT,
        executor: EXECUTOR,
        position: expect.any(Number) as unknown,
        businessDate: '2018-04-02',
      });
      expect(all.find((r) => r.appealId === past.id)).toMatchObject({
        kind: 'overdue',
        department: null,
        executor: null,
      });

      expect(
        (await reminders(`?department=${encodeURIComponent(DEPARTMENT)}`)).map((r) => r.appealId),
      ).toEqual([near.id]);
      expect((await reminders(`?appealId=${past.id}`)).map((r) => r.kind)).toEqual(['overdue']);
      expect(await reminders(`?since=${last}`)).toEqual([]);
      expect((await reminders(`?since=${positions[0]}`)).map((r) => r.position)).toEqual(positions.slice(1));
    });

    it('lets an executor read only the reminders about their own appeals; registrars none', async () => {
      expect((await reminders('', a.executor(EXECUTOR.id))).map((r) => r.appealId)).toEqual([near.id]);
      expect(await reminders('', a.executor('someone-else'))).toEqual([]);
      expect((await http(t.url, 'GET', '/reminders', { token: a.registrar })).status).toBe(403);
      expect((await http(t.url, 'GET', '/reminders')).status).toBe(401);
      expect((await http(t.url, 'GET', '/reminders?since=-1', { token: a.controller })).status).toBe(400);
    });

    it('streams them as Server-Sent Events and resumes after Last-Event-ID', async () => {
      const all = await reminders('');
      const first = await readSse(t, a.controller, {}, all.length);
      expect(first.map((e) => e.id)).toEqual(all.map((r) => String(r.position)));
      expect(first.map((e) => e.event)).toEqual(all.map((r) => r.kind));
      expect(first.map((e) => (JSON.parse(e.data) as Reminder).id)).toEqual(all.map((r) => r.id));
      const resumed = await readSse(t, a.controller, { 'last-event-id': first[0].id }, all.length - 1);
      expect(resumed.map((e) => e.id)).toEqual(first.slice(1).map((e) => e.id));
    });
  });

  describe('deadline changes', () => {
    it('issues new reminders for an extended due date, and none after a final answer', async () => {
      clock.set('2018-04-02T10:00:00+07:00');
      const appeal = await registered(
        t,
        a.registrar,
        registration({ receivedAt: '2018-03-02', registeredAt: '2018-03-03' }),
      );
      await done(
        command(t, a.controller, appeal.id, 'assignment', assignBody(undefined, undefined, '2018-03-05')),
      );
      expect(
        (await runtime.runPass({ minPosition: await committedHead(db) })).issued
          .filter((r) => r.appealId === appeal.id)
          .map((r) => r.kind),
      ).toEqual(['due_today']);
      const extended = await done(
        command(t, a.controller, appeal.id, 'deadline-extensions', {
          ...EXTENSION_DECISION,
          days: 10,
          reason: 'запрос в РЭС',
          extendedAt: '2018-04-02',
        }),
      );
      expect(extended.dueDate).toBe('2018-04-12');
      clock.set('2018-04-09T09:00:00+07:00'); // three working days before Thu 12 April
      expect(
        (await runtime.runPass({ minPosition: await committedHead(db) })).issued
          .filter((r) => r.appealId === appeal.id)
          .map((r) => r.kind),
      ).toEqual(['due_soon']);
      await done(
        command(
          t,
          a.executor(EXECUTOR.id),
          appeal.id,
          'final-answer',
          finalAnswerBody(undefined, '2018-04-10'),
        ),
      );
      clock.set('2018-04-13T09:00:00+07:00');
      expect(
        (await runtime.runPass({ minPosition: await committedHead(db) })).issued.filter(
          (r) => r.appealId === appeal.id,
        ),
      ).toEqual([]);
      const trail = (await historyOf(appeal.id)).filter((e) => e.type === 'DeadlineReminderIssued');
      expect(trail.map((e) => [e.data.kind, e.data.dueDate, e.data.businessDate])).toEqual([
        ['due_today', '2018-04-02', '2018-04-02'],
        ['due_soon', '2018-04-12', '2018-04-09'],
      ]);
    });
  });
});

interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** Reads `count` events from GET /reminders/stream, then disconnects. */
async function readSse(
  t: TestEngine,
  token: string,
  headers: Record<string, string>,
  count: number,
): Promise<SseEvent[]> {
  const abort = new AbortController();
  // A deadline for the fact (count events), generous for a busy machine: it fails the test only when reached.
  const timer = setTimeout(() => abort.abort(), 45_000);
  const res = await fetch(`${t.url}/reminders/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        ) as Record<string, string>;
        if (fields.data !== undefined) events.push({ id: fields.id, event: fields.event, data: fields.data });
      }
      if (events.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

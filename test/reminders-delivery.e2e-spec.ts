/**
 * Reminders under several instances and restarts (issue 4): two engines on one database issue each
 * reminder once; a restart between issuing and delivering loses nothing; a webhook that fails
 * first receives everything, in order, keyed by reminder id.
 */
import type { Reminder } from '@appeal-ledger/reminders';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import {
  committedHead,
  startWebhookReceiver,
  storedReminders,
  type WebhookReceiver,
} from '../libs/reminders/src/testing';
import { actors, assignBody, command, done, ManualClock, registered, registration } from './support/appeals';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

const TODAY = '2018-04-02T10:00:00+07:00'; // Mon 2 April 2018

/** Registration dates and the reminder that applies on 2 April 2018 to the due date 30 days on. */
const MIX: [registeredAt: string, kind: string | null][] = [
  ['2018-03-07', null], // due Fri 6 April: due_soon from 3 April
  ['2018-03-06', 'due_soon'], // due Thu 5 April
  ['2018-03-05', 'due_soon'], // due Wed 4 April
  ['2018-03-04', 'due_soon'], // due Tue 3 April
  ['2018-03-03', 'due_today'], // due Mon 2 April
  ['2018-03-02', 'overdue'], // 1 April is a Sunday: due Fri 30 March
  ['2018-02-20', 'overdue'],
  ['2018-02-10', 'overdue'],
  ['2018-02-01', 'overdue'],
  ['2018-03-20', null], // due 19 April
  ['2018-03-30', null], // due Sat 28 April, a working Saturday
];
const EXPECTED = MIX.filter(([, kind]) => kind !== null).length;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function registerMix(t: TestEngine): Promise<string[]> {
  const a = actors(t);
  const ids: string[] = [];
  for (const [registeredAt] of MIX) {
    const appeal = await registered(t, a.registrar, registration({ receivedAt: registeredAt, registeredAt }));
    if (ids.length % 2 === 0)
      await done(
        command(t, a.controller, appeal.id, 'assignment', assignBody(undefined, undefined, registeredAt)),
      );
    ids.push(appeal.id);
  }
  return ids;
}

describe('reminders across instances and restarts', () => {
  let database: TestDatabase;
  let db: Pool;

  beforeEach(async () => {
    database = await createTestDatabase('reminders');
    db = new Pool({ connectionString: database.url, max: 2 });
  });

  afterEach(async () => {
    await db.end();
    await database.drop();
  });

  it('two instances ticking on one database issue each reminder once', async () => {
    const clock = new ManualClock(new Date(TODAY));
    const env = { REMINDER_TICK_MS: '100', RUN_REMINDERS: 'true' };
    const first = await startTestEngine({ clock, database, env });
    const second = await startTestEngine({ clock, database, env });
    try {
      const ids = await registerMix(first);
      // every reminder due today, whichever instance's tick issued it
      const expected = EXPECTED;
      await waitFor('the ticks to issue every reminder', async () => {
        const stored = await storedReminders(db);
        return stored.length >= expected ? stored : undefined;
      });
      // and explicit passes racing each other on both instances
      const runtimes = [first, second].map((t) => t.engine.app.get(ReminderRuntime));
      const head = await committedHead(db);
      for (let i = 0; i < 3; i++) await Promise.all(runtimes.map((r) => r.runPass({ minPosition: head })));

      const stored = await storedReminders(db);
      expect(stored).toHaveLength(expected);
      const keys = stored.map((r) => `${r.streamId}|${r.kind}|${r.dueDate}`);
      expect(new Set(keys).size).toBe(stored.length);
      expect(new Set(stored.map((r) => r.streamId)).size).toBe(expected);
      const kinds = Object.fromEntries(stored.map((r) => [r.streamId, r.kind]));
      expect(ids.map((id) => kinds[`appeal-${id}`] ?? null)).toEqual(MIX.map(([, kind]) => kind));
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('loses nothing when the engine restarts between issuing and delivering', async () => {
    const clock = new ManualClock(new Date(TODAY));
    const receiver = await startWebhookReceiver();
    receiver.failNext(Number.MAX_SAFE_INTEGER); // the department's system is down
    const env = {
      REMINDER_TICK_MS: '3600000',
      RUN_REMINDERS: 'true',
      REMINDER_WEBHOOK_URL: receiver.url,
      REMINDER_WEBHOOK_BACKOFF_MS: '20',
      REMINDER_WEBHOOK_MAX_BACKOFF_MS: '200',
    };
    let engine = await startTestEngine({ clock, database, env });
    try {
      await registerMix(engine);
      const pass = await engine.engine.app
        .get(ReminderRuntime)
        .runPass({ minPosition: await committedHead(db) });
      expect(pass.issued.length).toBe(EXPECTED);
      await receiver.waitForAttempts(1); // refused: the delivery is retrying when the engine stops
      await engine.stop();
      expect(receiver.acknowledged).toEqual([]);

      receiver.failNext(0); // back up; the engine restarts on the same data
      engine = await startTestEngine({ clock, database, env });
      const delivered = await receiver.waitForAcknowledged(pass.issued.length);
      expect(delivered.map((r) => r.id)).toEqual(pass.issued.map((r) => r.reminderId));
      // the restart issued nothing new
      expect(await storedReminders(db)).toHaveLength(pass.issued.length);
      const feed = await http<Reminder[]>(
        engine.url,
        'GET',
        `/reminders?minPosition=${pass.issued.at(-1)?.position ?? 0}`,
        {
          token: actors(engine).controller,
        },
      );
      expect(feed.body.map((r) => r.id)).toEqual(pass.issued.map((r) => r.reminderId));

      // once acknowledged, never sent again: the next start resumes from the stored checkpoint
      const requests = receiver.attempts.length;
      await engine.stop();
      engine = await startTestEngine({ clock, database, env });
      const webhook = engine.engine.app.get(ReminderRuntime).webhook;
      expect(await webhook?.waitForPosition(pass.issued.at(-1)?.position ?? 0, 30_000)).toBe(true);
      expect(receiver.attempts.length).toBe(requests);
    } finally {
      await engine.stop();
      await receiver.stop();
    }
  });

  it('a webhook that fails N times then succeeds receives every reminder in order, keyed by its id', async () => {
    const clock = new ManualClock(new Date(TODAY));
    let receiver: WebhookReceiver | undefined;
    receiver = await startWebhookReceiver({ failFirst: 5, failStatus: 500 });
    const engine = await startTestEngine({
      clock,
      database,
      env: {
        REMINDER_TICK_MS: '3600000',
        RUN_REMINDERS: 'true',
        REMINDER_WEBHOOK_URL: receiver.url,
        REMINDER_WEBHOOK_BACKOFF_MS: '10',
        REMINDER_WEBHOOK_MAX_BACKOFF_MS: '80',
      },
    });
    try {
      await registerMix(engine);
      const pass = await engine.engine.app
        .get(ReminderRuntime)
        .runPass({ minPosition: await committedHead(db) });
      const expected = pass.issued.map((r) => r.reminderId);
      const delivered = await receiver.waitForAcknowledged(expected.length);
      expect(delivered.map((r) => r.id)).toEqual(expected); // in position order, each once
      expect(delivered.map((r) => r.position)).toEqual(pass.issued.map((r) => r.position));
      const attempts = receiver.attempts;
      expect(attempts.slice(0, 6).map((x) => [x.status, x.reminder.id])).toEqual([
        ...Array.from({ length: 5 }, () => [500, expected[0]]),
        [200, expected[0]],
      ]);
      expect(attempts.every((x) => x.idempotencyKey === x.reminder.id)).toBe(true);
      expect(delivered[0]).toEqual(
        expect.objectContaining({
          appealId: pass.issued[0].appealId,
          kind: pass.issued[0].kind,
          number: expect.any(String) as unknown,
        }),
      );
    } finally {
      await engine.stop();
      await receiver.stop();
      receiver = undefined;
    }
  });

  it('ends open SSE streams when the engine stops; the feed is whole on the next start', async () => {
    const clock = new ManualClock(new Date(TODAY));
    const env = { REMINDER_TICK_MS: '3600000', RUN_REMINDERS: 'true' };
    let engine = await startTestEngine({ clock, database, env });
    try {
      await registerMix(engine);
      const pass = await engine.engine.app
        .get(ReminderRuntime)
        .runPass({ minPosition: await committedHead(db) });
      const token = actors(engine).controller;
      const stream = await fetch(`${engine.url}/reminders/stream`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes(`id: ${pass.issued[0].position}\n`)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        text += new TextDecoder().decode(value);
      }
      await engine.stop(); // must not wait for the client to hang up
      for (;;) if ((await reader.read()).done) break;
      const seen = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      expect(seen.length).toBeGreaterThan(0);

      engine = await startTestEngine({ clock, database, env });
      const rest = await http<Reminder[]>(
        engine.url,
        'GET',
        `/reminders?since=${seen[0]}&minPosition=${pass.issued.at(-1)?.position ?? 0}`,
        {
          token: actors(engine).controller,
        },
      );
      expect(rest.body.map((r) => r.position)).toEqual(pass.issued.slice(1).map((r) => r.position));
    } finally {
      await engine.stop();
    }
  });
});

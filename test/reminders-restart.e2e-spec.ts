/**
 * The judge's walk (issue 4) on the real clock: appeals near, past and far from their due dates,
 * some closed; the engine ticks, restarts on the same data, ticks again. What was issued matches the
 * schedule for today, nothing twice, the history records it, the webhook got every reminder by id.
 */
import { addDays, localDate, ProductionCalendar } from '@appeal-ledger/appeal';
import { applicableReminder, type Reminder } from '@appeal-ledger/reminders';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { committedHead, startWebhookReceiver, storedReminders } from '../libs/reminders/src/testing';
import {
  actors,
  assignBody,
  command,
  done,
  finalAnswerBody,
  history,
  registered,
  registration,
} from './support/appeals';
import { createTestDatabase } from './support/test-database';
import { startTestEngine } from './support/test-engine';

it('issues what applies today, once, across a restart, and delivers every reminder to the webhook', async () => {
  const calendar = ProductionCalendar.shipped();
  const today = localDate(new Date().toISOString(), 'Asia/Novokuznetsk');
  const database = await createTestDatabase('reminders_restart');
  const receiver = await startWebhookReceiver({ failFirst: 2 });
  const db = new Pool({ connectionString: database.url, max: 2 });
  // the database is dropped WITH (FORCE) at the end: a connection it cuts must not crash the run
  db.on('error', () => undefined);
  const env = {
    RUN_REMINDERS: 'true',
    // passes run only when the test asks (runPass): a tick between registering an appeal and
    // answering it would rightly remind of the appeal still open then
    REMINDER_TICK_MS: '3600000',
    REMINDER_WEBHOOK_URL: receiver.url,
    REMINDER_WEBHOOK_BACKOFF_MS: '20',
    // the restarted engine gets a new DATA_DIR: it must unwrap the same applicants' keys
    PERSONAL_DATA_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  let engine = await startTestEngine({ env, database });
  try {
    const a = actors(engine);
    // registered 40 … 1 days ago (due 10 days ago … 29 days on), half of them answered
    const appeals: { id: string; dueDate: string; open: boolean }[] = [];
    for (let back = 40; back >= 1; back -= 3) {
      const registeredAt = addDays(today, -back);
      const appeal = await registered(
        engine,
        a.registrar,
        registration({ receivedAt: registeredAt, registeredAt }),
      );
      const open = back % 2 === 0;
      if (!open) {
        await done(
          command(
            engine,
            a.controller,
            appeal.id,
            'assignment',
            assignBody(undefined, undefined, registeredAt),
          ),
        );
        await done(
          command(
            engine,
            a.executor('sidorov'),
            appeal.id,
            'final-answer',
            finalAnswerBody(undefined, registeredAt),
          ),
        );
      }
      appeals.push({ id: appeal.id, dueDate: appeal.dueDate, open });
    }
    const expected = appeals
      .filter((x) => x.open)
      .map((x) => ({ id: x.id, kind: applicableReminder(x.dueDate, today, 3, calendar) }))
      .filter((x) => x.kind !== null);
    expect(expected.length).toBeGreaterThan(0); // at least the appeal due 10 days ago is overdue

    // A pass first waits for the control read model to catch up.
    const ticked = await engine.engine.app
      .get(ReminderRuntime)
      .runPass({ minPosition: await committedHead(db) });
    expect(ticked.businessDate).toBe(today);
    await receiver.waitForAcknowledged(expected.length);
    await engine.stop();
    engine = await startTestEngine({ env, database });
    await engine.engine.app.get(ReminderRuntime).runPass({ minPosition: await committedHead(db) });

    const stored = await storedReminders(db);
    expect(stored.map((r) => [r.streamId, r.kind]).sort()).toEqual(
      expected.map((x) => [`appeal-${x.id}`, x.kind]).sort(),
    );
    for (const appeal of appeals) {
      const res = await history(engine, a.supervisor, appeal.id);
      expect(res.status).toBe(200);
      const trail = res.body.filter((e) => e.type === 'DeadlineReminderIssued');
      expect(trail.map((e) => e.data.kind)).toEqual(
        expected.filter((x) => x.id === appeal.id).map((x) => x.kind),
      );
    }
    const acknowledged = new Map<string, Reminder>(receiver.acknowledged.map((r) => [r.id, r]));
    expect([...acknowledged.keys()].sort()).toEqual(stored.map((r) => r.eventId).sort());
    expect(receiver.attempts.every((x) => x.idempotencyKey === x.reminder.id)).toBe(true);
  } finally {
    await engine.stop();
    await db.end();
    await receiver.stop();
    await database.drop();
  }
});

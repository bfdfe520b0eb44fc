/**
 * Reminder webhooks are signed (issue 12): a real HTTP receiver verifies every request, retries
 * included, with the check docs/webhooks.md gives receivers; a changed body, another secret or an
 * old timestamp fail it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookSignature } from '@appeal-ledger/reminders';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { resolveWebhookSecret, webhookSecretFile } from '../apps/api/src/reminders/webhook-secret';
import { committedHead, startWebhookReceiver, type WebhookReceiver } from '../libs/reminders/src/testing';
import { actors, ManualClock, registered, registration } from './support/appeals';
import { startTestEngine, type TestEngine } from './support/test-engine';
import { verifyAppealLedgerSignature } from './support/webhook-verify';
import { Pool } from 'pg';

const SECRET = 'webhook-secret-of-the-e2e-suite-0123456789';

describe('signed reminder webhooks', () => {
  const clock = new ManualClock(new Date('2018-04-02T10:00:00+07:00'));
  let t: TestEngine;
  let receiver: WebhookReceiver;
  let db: Pool;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ failFirst: 2 });
    t = await startTestEngine({
      clock,
      env: {
        REMINDER_TICK_MS: '3600000',
        RUN_REMINDERS: 'true',
        REMINDER_WEBHOOK_URL: receiver.url,
        REMINDER_WEBHOOK_BACKOFF_MS: '20',
        REMINDER_WEBHOOK_MAX_BACKOFF_MS: '100',
        WEBHOOK_SECRET: SECRET,
      },
    });
    db = new Pool({ connectionString: t.database.url, max: 2 });
  });

  afterAll(async () => {
    await db?.end();
    await t?.stop();
    await receiver?.stop();
  });

  it('every attempt carries t=…,v1=… that the receiver verifies over the exact body', async () => {
    const a = actors(t);
    // registered long ago and never assigned: overdue on 2 April 2018
    await registered(t, a.registrar, registration({ receivedAt: '2018-02-01', registeredAt: '2018-02-01' }));
    await registered(t, a.registrar, registration({ receivedAt: '2018-02-02', registeredAt: '2018-02-02' }));
    const pass = await t.engine.app.get(ReminderRuntime).runPass({ minPosition: await committedHead(db) });
    expect(pass.issued.length).toBe(2);
    await receiver.waitForAcknowledged(2);
    expect(receiver.attempts.length).toBeGreaterThanOrEqual(4); // two refused, then each delivered
    for (const attempt of receiver.attempts) {
      expect(attempt.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyAppealLedgerSignature(SECRET, attempt.signature, attempt.body)).toBe(true);
      expect(JSON.parse(attempt.body)).toEqual(attempt.reminder);
    }
    const [first] = receiver.attempts;
    expect(verifyAppealLedgerSignature(SECRET, first.signature, first.body.replace('}', ',"x":1}'))).toBe(
      false,
    );
    expect(verifyAppealLedgerSignature('another-secret-0123456789', first.signature, first.body)).toBe(false);
    expect(verifyAppealLedgerSignature(SECRET, undefined, first.body)).toBe(false);
  });

  it('an old timestamp fails the receiver check (replay protection)', () => {
    const body = '{"id":"x"}';
    const old = webhookSignature(SECRET, body, Date.now() / 1000 - 3600);
    expect(verifyAppealLedgerSignature(SECRET, old, body)).toBe(false);
    const fresh = webhookSignature(SECRET, body, Date.now() / 1000);
    expect(verifyAppealLedgerSignature(SECRET, fresh, body)).toBe(true);
  });

  it('without WEBHOOK_SECRET a key is generated once in DATA_DIR/secrets, owner-readable only', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'appeal-ledger-webhook-'));
    try {
      const secret = resolveWebhookSecret({ dataDir });
      expect(Buffer.byteLength(secret)).toBeGreaterThanOrEqual(32);
      const file = webhookSecretFile(dataDir);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toBe(secret);
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(resolveWebhookSecret({ dataDir })).toBe(secret);
      expect(resolveWebhookSecret({ dataDir, webhookSecret: SECRET })).toBe(SECRET);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * SMTP requires STARTTLS by default (issue 12): against a real SMTP server that offers no STARTTLS
 * and would accept a password in clear text, the engine sends neither credentials nor mail; with
 * SMTP_REQUIRE_TLS=false (explicitly) it does.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Pool } from 'pg';
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { committedHead, storedReminders } from '../libs/reminders/src/testing';
import { actors, ManualClock, registered, registration } from './support/appeals';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestEngine, type TestEngine } from './support/test-engine';

interface PlainServer {
  url: string;
  logins: { username: string | undefined; password: string | undefined }[];
  messages: number;
  stop(): Promise<void>;
}

/** An SMTP server without STARTTLS that takes AUTH PLAIN/LOGIN over the open connection. */
async function startPlainServer(): Promise<PlainServer> {
  const state = { logins: [] as PlainServer['logins'], messages: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      state.logins.push({ username: auth.username, password: auth.password });
      callback(null, { user: auth.username });
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        state.messages += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://mailer:s3cret-password@127.0.0.1:${port}`,
    get logins() {
      return state.logins;
    },
    get messages() {
      return state.messages;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SMTP requireTLS', () => {
  const clock = new ManualClock(new Date('2018-04-02T10:00:00+07:00')); // in office hours
  let smtp: PlainServer;
  let database: TestDatabase;
  let db: Pool;
  let t: TestEngine | undefined;

  const env = (): Record<string, string> => ({
    REMINDER_TICK_MS: '3600000',
    RUN_REMINDERS: 'true',
    SMTP_URL: smtp.url,
    REMINDER_EMAIL_TO: '*=org@adm.example',
  });

  beforeAll(async () => {
    smtp = await startPlainServer();
    database = await createTestDatabase('smtp_tls');
    db = new Pool({ connectionString: database.url, max: 2 });
  });

  afterAll(async () => {
    await t?.stop();
    await db.end();
    await database.drop();
    await smtp.stop();
  });

  /** An overdue appeal, its reminder issued and taken into the e-mail outbox. */
  async function issueOne(engine: TestEngine): Promise<void> {
    const a = actors(engine);
    await registered(
      engine,
      a.registrar,
      registration({ receivedAt: '2018-02-01', registeredAt: '2018-02-01' }),
    );
    const runtime = engine.engine.app.get(ReminderRuntime);
    await runtime.runPass({ minPosition: await committedHead(db) });
    // the store, not this pass: the start-up tick may have issued the reminder before it
    const last = (await storedReminders(db)).at(-1)?.position;
    expect(last).toBeDefined();
    expect(await runtime.emailOutbox?.waitForPosition(last ?? 0, 30_000)).toBe(true);
  }

  it('by default refuses a server without STARTTLS: no AUTH, no mail', async () => {
    t = await startTestEngine({ clock, database, env: env() });
    expect(t.config.hardening.smtpRequireTls).toBe(true);
    await issueOne(t);
    await expect(t.engine.app.get(ReminderRuntime).runDigest()).rejects.toThrow(/STARTTLS/i);
    expect(smtp.logins).toEqual([]);
    expect(smtp.messages).toBe(0);
    await t.stop();
    t = undefined;
  });

  it('with SMTP_REQUIRE_TLS=false it sends (the credentials go in clear: only for a trusted relay)', async () => {
    t = await startTestEngine({ clock, database, env: { ...env(), SMTP_REQUIRE_TLS: 'false' } });
    // the start-up tick (ended before the engine is handed over) sent today's digest
    expect(smtp.logins).toEqual([{ username: 'mailer', password: 's3cret-password' }]);
    expect(smtp.messages).toBe(1);
    expect(await t.engine.app.get(ReminderRuntime).runDigest()).toEqual([]);
    expect(smtp.messages).toBe(1);
  });
});

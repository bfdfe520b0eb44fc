/**
 * The department's e-mail digest (issue 4) against a real SMTP server started here: office hours
 * only, one per department and business day across restarts, listing what is overdue, due today
 * and due soon with executor and working days left.
 */
import { ReminderRuntime } from '../apps/api/src/reminders/reminder-runtime.service';
import { Pool } from 'pg';
import { committedHead, startSmtpSink, storedReminders, type SmtpSink } from '../libs/reminders/src/testing';
import {
  actors,
  assignBody,
  command,
  done,
  ManualClock,
  registered,
  registration,
  type AppealSummary,
} from './support/appeals';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestEngine, type TestEngine } from './support/test-engine';

describe('reminder e-mail digest', () => {
  const clock = new ManualClock(new Date('2018-04-02T07:30:00+07:00')); // Mon 2 April, before office hours
  let sink: SmtpSink;
  let database: TestDatabase;
  let t: TestEngine;
  let env: Record<string, string>;
  let db: Pool;

  beforeAll(async () => {
    sink = await startSmtpSink();
    database = await createTestDatabase('reminders_email');
    db = new Pool({ connectionString: database.url, max: 2 });
    env = {
      REMINDER_TICK_MS: '3600000',
      RUN_REMINDERS: 'true',
      SMTP_URL: sink.url,
      // the sink speaks plain SMTP (no STARTTLS, no AUTH); test/smtp-tls.e2e-spec.ts covers the default
      SMTP_REQUIRE_TLS: 'false',
      SMTP_FROM: 'kontrol@adm.example',
      REMINDER_EMAIL_TO: 'Отдел ЖКХ=zhkh@adm.example,*=org@adm.example',
      REMINDER_EMAIL_OFFICE_HOURS: '9-18',
    };
    t = await startTestEngine({ clock, database, env });
  });

  afterAll(async () => {
    await t.stop();
    await db.end();
    await database.drop();
    await sink.stop();
  });

  const runtime = (): ReminderRuntime => t.engine.app.get(ReminderRuntime);

  let storedBefore = 0;

  /**
   * A reminder pass, then the e-mail outbox has taken in what was issued; returns how many
   * reminders were issued since the last call. Counted in the store, not in this pass: the
   * start-up tick of an engine may have issued some of them before it.
   */
  async function issue(): Promise<number> {
    await runtime().runPass({ minPosition: await committedHead(db) });
    const stored = await storedReminders(db);
    const last = stored.at(-1)?.position;
    if (last !== undefined) expect(await runtime().emailOutbox?.waitForPosition(last, 30_000)).toBe(true);
    const issued = stored.length - storedBefore;
    storedBefore = stored.length;
    return issued;
  }

  let near: AppealSummary;
  let overdue: AppealSummary;
  let later: AppealSummary;

  it('sends nothing outside office hours, then one digest per department in them', async () => {
    const a = actors(t);
    near = await registered(t, a.registrar, registration({ registeredAt: '2018-03-06' })); // due Thu 5 April
    await done(command(t, a.controller, near.id, 'assignment', assignBody()));
    overdue = await registered(
      t,
      a.registrar,
      registration({ receivedAt: '2018-02-01', registeredAt: '2018-02-01' }),
    ); // due Fri 2 March, unassigned
    later = await registered(t, a.registrar, registration({ registeredAt: '2018-03-07' })); // due Fri 6 April: due_soon from 3 April
    await done(command(t, a.controller, later.id, 'assignment', assignBody()));
    expect(await issue()).toBe(2);

    expect(await runtime().runDigest()).toEqual([]);
    expect(sink.messages).toEqual([]);

    clock.set('2018-04-02T10:00:00+07:00');
    const sent = await runtime().runDigest();
    expect(sent.map((d) => [d.department, d.recipient])).toEqual([
      ['', 'org@adm.example'],
      ['Отдел ЖКХ', 'zhkh@adm.example'],
    ]);
    const mails = await sink.waitForMessages(2);
    const zhkh = mails.find((m) => m.to.includes('zhkh@adm.example'));
    const org = mails.find((m) => m.to.includes('org@adm.example'));
    expect(zhkh?.from).toBe('kontrol@adm.example');
    expect(zhkh?.subject).toContain('Отдел ЖКХ');
    expect(zhkh?.subject).toContain('02.04.2018');
    expect(zhkh?.text).toContain(`№ ${near.number} — срок 05.04.2018, Сидоров С.С., осталось 3 раб. дн.`);
    expect(zhkh?.text).toContain('Срок истекает в ближайшие дни (1)');
    expect(zhkh?.html).toContain('<td>Сидоров С.С.</td>');
    expect(zhkh?.text).not.toContain(overdue.number);
    expect(org?.text).toContain('Просрочено (1)');
    expect(org?.text).toContain(
      `№ ${overdue.number} — срок 02.03.2018, исполнитель не назначен, просрочено на 19 раб. дн.`,
    );
    expect(zhkh?.messageId).toMatch(/^<reminder-digest-[0-9a-f-]{36}@appeal-ledger>$/);
  });

  it('sends each department one digest a business day, across a restart', async () => {
    expect(await runtime().runDigest()).toEqual([]);
    await t.stop();
    clock.set('2018-04-02T11:00:00+07:00');
    t = await startTestEngine({ clock, database, env });
    expect(await issue()).toBe(0);
    expect(await runtime().runDigest()).toEqual([]);
    expect(sink.messages).toHaveLength(2);
  });

  it('lists only the reminders issued since the last digest the next working day', async () => {
    clock.set('2018-04-03T09:05:00+07:00');
    expect(await issue()).toBe(1); // due_soon for the appeal due 6 April
    const sent = await runtime().runDigest();
    expect(sent.map((d) => d.department)).toEqual(['Отдел ЖКХ']);
    const [mail] = (await sink.waitForMessages(3)).slice(2);
    expect(mail.to).toEqual(['zhkh@adm.example']);
    expect(mail.text).toContain(`№ ${later.number} — срок 06.04.2018, Сидоров С.С., осталось 3 раб. дн.`);
    expect(mail.text).not.toContain(near.number);
  });
});

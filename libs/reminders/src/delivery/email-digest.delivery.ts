/**
 * E-mail digests per department. Reminders reach an outbox through their own checkpointed
 * subscription (an idempotent insert, so at-least-once becomes exactly one row); in office hours on
 * working days one digest per department and business day lists what waits there. A digest is
 * recorded after the SMTP server accepted it: a crash in between sends it again (at-least-once),
 * with the same Message-ID so mail clients can fold the copies.
 */
import type { Pool } from 'pg';
import { localDate, workingDaysBetween, type IsoDate, type WorkingDayCalendar } from '@appeal-ledger/appeal';
import { deterministicEventId, type RecordedEvent } from '@appeal-ledger/event-store';
import type { EngineLogger } from '@appeal-ledger/projections';
import { appealIdOf, toReminder, type Reminder } from '../reminder.view';
import type { AppealNumbers } from './appeal-numbers.lookup';
import { renderDigest, type DigestMail } from './email-digest.template';

/** The part of a nodemailer transport the digest uses. */
export interface MailTransport {
  sendMail(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
  }): Promise<unknown>;
}

export interface OfficeHours {
  /** first hour (0–23), local time */
  from: number;
  /** end hour, exclusive (1–24) */
  to: number;
}

/** The outbox writer: a DeliveryConsumer handler. */
export class EmailOutbox {
  constructor(
    private readonly db: Pick<Pool, 'query'>,
    private readonly numbers: AppealNumbers,
  ) {}

  readonly handle = async (event: RecordedEvent): Promise<void> => {
    const reminder = toReminder(event, await this.numbers.numberOf(appealIdOf(event)));
    await this.db.query(
      `INSERT INTO reminder_email_outbox (reminder_id, position, department, reminder)
       VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (reminder_id) DO NOTHING`,
      [reminder.id, reminder.position, reminder.department ?? '', JSON.stringify(reminder)],
    );
  };
}

export interface EmailDigestOptions {
  pool: Pool;
  transport: MailTransport;
  from: string;
  /** department → address; `*` for every department without its own */
  recipients: Record<string, string>;
  officeHours: OfficeHours;
  timeZone: string;
  calendar: WorkingDayCalendar;
  now: () => Date;
  logger?: EngineLogger;
}

export interface SentDigest {
  department: string;
  businessDate: IsoDate;
  recipient: string;
  messageId: string;
  reminderIds: string[];
  mail: DigestMail;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The hour (0–23) of `instant` in `timeZone`. */
export function localHour(instant: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    hourFormats.set(timeZone, format);
  }
  return Number(format.format(instant));
}

/** Whether digests may go out at `instant`: a working day, within office hours, local time. */
export function inOfficeHours(
  instant: Date,
  hours: OfficeHours,
  timeZone: string,
  calendar: WorkingDayCalendar,
): boolean {
  const hour = localHour(instant, timeZone);
  return (
    calendar.isWorkingDay(localDate(instant.toISOString(), timeZone)) && hour >= hours.from && hour < hours.to
  );
}

const DIGEST_LOCK = 'appeal-ledger:reminder-email-digest';

export class EmailDigest {
  constructor(private readonly options: EmailDigestOptions) {}

  /** Sends the digests due now (none outside office hours or when another instance is sending). */
  async run(): Promise<SentDigest[]> {
    const { pool, timeZone, calendar, officeHours, logger } = this.options;
    const now = this.options.now();
    if (!inOfficeHours(now, officeHours, timeZone, calendar)) return [];
    const today = localDate(now.toISOString(), timeZone);
    const client = await pool.connect();
    let locked = false;
    try {
      const lock = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [DIGEST_LOCK],
      );
      locked = lock.rows[0]?.ok === true;
      if (!locked) return [];
      const pending = await client.query<{ department: string }>(
        `SELECT DISTINCT o.department FROM reminder_email_outbox o
          WHERE o.digest_date IS NULL
            AND NOT EXISTS (SELECT 1 FROM reminder_email_digests d WHERE d.department = o.department AND d.business_date = $1)
          ORDER BY o.department`,
        [today],
      );
      const sent: SentDigest[] = [];
      for (const { department } of pending.rows) {
        const recipient = this.options.recipients[department] ?? this.options.recipients['*'];
        if (!recipient) {
          logger?.warn({ department }, 'no e-mail address for this department (nor "*"): its reminders wait');
          continue;
        }
        sent.push(await this.send(client, department, recipient, today));
      }
      return sent;
    } finally {
      if (locked)
        await client
          .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [DIGEST_LOCK])
          .catch(() => undefined);
      client.release();
    }
  }

  private async send(
    client: Pick<Pool, 'query'>,
    department: string,
    recipient: string,
    today: IsoDate,
  ): Promise<SentDigest> {
    const { rows } = await client.query<{ reminder: Reminder }>(
      `SELECT reminder FROM reminder_email_outbox WHERE department = $1 AND digest_date IS NULL ORDER BY position`,
      [department],
    );
    const items = rows.map(({ reminder }) => ({
      reminder,
      daysLeft: workingDaysBetween(today, reminder.dueDate, this.options.calendar),
    }));
    const mail = renderDigest(department, today, items);
    const messageId = `<reminder-digest-${deterministicEventId('appeal-ledger/reminder-digests', department, today)}@appeal-ledger>`;
    const reminderIds = items.map((i) => i.reminder.id);
    await this.options.transport.sendMail({
      from: this.options.from,
      to: recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
    });
    await client.query('BEGIN');
    try {
      await client.query(
        `INSERT INTO reminder_email_digests (department, business_date, recipient, message_id, reminders)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [department, today, recipient, messageId, items.length],
      );
      await client.query(
        `UPDATE reminder_email_outbox SET digest_date = $2 WHERE reminder_id = ANY($1::uuid[])`,
        [reminderIds, today],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.options.logger?.info({ department, recipient, reminders: items.length }, 'reminder digest sent');
    return { department, businessDate: today, recipient, messageId, reminderIds, mail };
  }
}

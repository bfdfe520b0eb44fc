// Test helpers for the reminder process: a webhook receiver, an SMTP sink, the reminders in the store.
import type { SqlExecutor } from '@appeal-ledger/projections';

export type { WebhookAttempt, WebhookReceiver } from './webhook-receiver.server';
export { startWebhookReceiver } from './webhook-receiver.server';
export type { ReceivedMail, SmtpSink } from './smtp-sink.server';
export { startSmtpSink } from './smtp-sink.server';

/** DeadlineReminderIssued events in the store, oldest first (the ground truth of what was issued). */
export async function storedReminders(db: SqlExecutor): Promise<
  {
    position: number;
    eventId: string;
    streamId: string;
    kind: string;
    dueDate: string;
    businessDate: string;
  }[]
> {
  const { rows } = await db.query<{
    position: string;
    event_id: string;
    stream_id: string;
    kind: string;
    due_date: string;
    business_date: string;
  }>(
    `SELECT position::text AS position, event_id::text AS event_id, stream_id, data->>'kind' AS kind,
            data->>'dueDate' AS due_date, data->>'businessDate' AS business_date
       FROM events WHERE type = 'DeadlineReminderIssued' ORDER BY position`,
  );
  return rows.map((r) => ({
    position: Number(r.position),
    eventId: r.event_id,
    streamId: r.stream_id,
    kind: r.kind,
    dueDate: r.due_date,
    businessDate: r.business_date,
  }));
}
export { StreamAppealAccess, appendAppealEvents } from './stream-appeal-access.adapter';

/** The last committed position in the PostgreSQL event store (in flight or not elsewhere). */
export async function committedHead(db: SqlExecutor): Promise<number> {
  const { rows } = await db.query<{ head: string }>(
    'SELECT coalesce(max(position), 0)::text AS head FROM events',
  );
  return Number(rows[0].head);
}

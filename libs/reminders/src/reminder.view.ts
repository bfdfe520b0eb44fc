/**
 * A reminder as departments receive it (docs/api.md, “Reads”): GET /reminders, the SSE stream, webhook bodies and
 * e-mail digests all carry this shape, built from the `DeadlineReminderIssued` event.
 */
import type { DeadlineReminderIssued, Executor, IsoDate, ReminderKind } from '@appeal-ledger/appeal';
import { APPEAL_STREAM_PREFIX } from '@appeal-ledger/appeal';
import type { RecordedEvent } from '@appeal-ledger/event-store';

export interface Reminder {
  /** the reminder id: also its event's id and every receiver's idempotency key */
  id: string;
  appealId: string;
  /** the appeal's registration number */
  number: string;
  kind: ReminderKind;
  dueDate: IsoDate;
  issuedAt: string;
  department: string | null;
  executor: Executor | null;
  /** global position of the event: SSE event id, `since` and webhook order */
  position: number;
  /** the administration-local day the reminder was issued for */
  businessDate: IsoDate;
  /** a reminder to a co-executor of their part (issue 14): `dueDate` is the part's term */
  coExecutor?: { id: string; name: string; department: string };
}

export const REMINDER_EVENT_TYPE: DeadlineReminderIssued['type'] = 'DeadlineReminderIssued';

/** The appeal id of an event of an appeal stream. */
export function appealIdOf(event: RecordedEvent): string {
  if (!event.streamId.startsWith(APPEAL_STREAM_PREFIX))
    throw new Error(`event ${event.id} is not in an appeal stream (${event.streamId})`);
  return event.streamId.slice(APPEAL_STREAM_PREFIX.length);
}

/** The reminder a recorded `DeadlineReminderIssued` event stands for. */
export function toReminder(event: RecordedEvent, number: string): Reminder {
  if (event.type !== REMINDER_EVENT_TYPE)
    throw new Error(`event ${event.id} is ${event.type}, not ${REMINDER_EVENT_TYPE}`);
  const data = event.data as unknown as DeadlineReminderIssued['data'];
  return {
    id: data.reminderId,
    appealId: appealIdOf(event),
    number,
    kind: data.kind,
    dueDate: data.dueDate,
    issuedAt: data.issuedAt,
    department: data.department ?? null,
    executor: data.executor ? { id: data.executor.id, name: data.executor.name } : null,
    position: event.position,
    businessDate: data.businessDate,
    ...(data.coExecutor !== undefined && {
      coExecutor: {
        id: data.coExecutor.id,
        name: data.coExecutor.name,
        department: data.coExecutor.department,
      },
    }),
  };
}

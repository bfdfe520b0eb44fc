/**
 * When each deadline reminder is due, from the due date, "today" in the administration's time zone
 * and the production calendar. Pure: the reminder process, its tests and the docs share these rules.
 */
import {
  addDays,
  addWorkingDays,
  compareDates,
  nextWorkingDay,
  type IsoDate,
  type ReminderKind,
  type WorkingDayCalendar,
} from '@appeal-ledger/appeal';
import { deterministicEventId } from '@appeal-ledger/event-store';

export const REMINDER_KINDS: readonly ReminderKind[] = ['due_soon', 'due_today', 'overdue'];

/** Namespace of reminder ids: (appeal, kind, due date) → one UUID, in every instance, forever. */
export const REMINDER_ID_NAMESPACE = 'appeal-ledger/reminders';

/** The reminder's id and its event's id: at most one reminder per appeal, kind and due date. */
export function reminderId(appealId: string, kind: ReminderKind, dueDate: IsoDate): string {
  return deterministicEventId(REMINDER_ID_NAMESPACE, appealId, kind, dueDate);
}

/**
 * The first day a kind of reminder applies to a due date: `due_soon` `daysBefore` working days
 * before it, `due_today` on it, `overdue` on the first working day after it. With a running engine
 * these are the days reminders are issued (all working days, since due dates are).
 */
export function reminderStartDate(
  kind: ReminderKind,
  dueDate: IsoDate,
  daysBefore: number,
  calendar: WorkingDayCalendar,
): IsoDate {
  switch (kind) {
    case 'due_soon':
      return addWorkingDays(dueDate, -daysBefore, calendar);
    case 'due_today':
      return dueDate;
    case 'overdue':
      return nextWorkingDay(dueDate, calendar);
    default: {
      const unknown: never = kind;
      throw new RangeError(`unknown reminder kind: ${String(unknown)}`);
    }
  }
}

/**
 * The one reminder that applies on `today`, or null. Only the latest applicable kind: an engine that
 * was down for a week issues `overdue` for a long-overdue appeal, not a late `due_soon` and
 * `due_today` too. The day(s) off between a due date and the next working day issue nothing.
 * `daysBefore` 0 turns `due_soon` off.
 */
export function applicableReminder(
  dueDate: IsoDate,
  today: IsoDate,
  daysBefore: number,
  calendar: WorkingDayCalendar,
): ReminderKind | null {
  const order = compareDates(today, dueDate);
  if (order === 0) return 'due_today';
  if (order > 0)
    return compareDates(today, reminderStartDate('overdue', dueDate, daysBefore, calendar)) >= 0
      ? 'overdue'
      : null;
  if (daysBefore <= 0) return null;
  return compareDates(today, reminderStartDate('due_soon', dueDate, daysBefore, calendar)) >= 0
    ? 'due_soon'
    : null;
}

/**
 * An exclusive upper bound on the due dates that may have a reminder today: the working day after
 * the `daysBefore`-th working day from today. A due date on or after it starts its `due_soon` after
 * today; every earlier one is a candidate (overdue ones included), so the process reads
 * `due_date < horizon` from an index and nothing else.
 */
export function candidateHorizon(today: IsoDate, daysBefore: number, calendar: WorkingDayCalendar): IsoDate {
  if (daysBefore <= 0) return addDays(today, 1);
  return nextWorkingDay(addWorkingDays(today, Math.max(0, daysBefore), calendar), calendar);
}

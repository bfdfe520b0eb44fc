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
  type ReportBackReminderKind,
  type TermReminderKind,
  type WorkingDayCalendar,
} from '@appeal-ledger/appeal';
import { deterministicEventId } from '@appeal-ledger/event-store';

/** The kinds of the consideration term's reminders (the report-back ones: `reportBackReminder`). */
export const REMINDER_KINDS: readonly TermReminderKind[] = ['due_soon', 'due_today', 'overdue'];

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
  kind: TermReminderKind,
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
): TermReminderKind | null {
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

/**
 * The report-back reminder that applies on `today` to a report the sending body asked for by
 * `reportBackBy` (`source.reportBackBy`, issue 14), or null:
 *
 * - `report_back_soon` from the `daysBefore`-th **working** day before that date up to the date
 *   itself (the date is the sending body's, a calendar date never moved off a day off: the report
 *   is due by it; the lead time is counted in working days, as for the term, because a report is
 *   prepared on working days — 3 calendar days before 9 May would fall on holidays);
 * - `report_back_overdue` from the first working day after it (a reminder on a day off reaches nobody).
 *
 * Only the latest applicable one, as for the term. `daysBefore` 0 turns `report_back_soon` off.
 */
export function reportBackReminder(
  reportBackBy: IsoDate,
  today: IsoDate,
  daysBefore: number,
  calendar: WorkingDayCalendar,
): ReportBackReminderKind | null {
  if (compareDates(today, reportBackBy) > 0)
    return compareDates(today, nextWorkingDay(reportBackBy, calendar)) >= 0 ? 'report_back_overdue' : null;
  if (daysBefore <= 0) return null;
  return compareDates(today, addWorkingDays(reportBackBy, -daysBefore, calendar)) >= 0
    ? 'report_back_soon'
    : null;
}

/** Which date a reminder of `kind` is about: the consideration term or the report to the sending body. */
export type ReminderSubject = 'term' | 'report_back';

/**
 * 59-FZ art. 8 ч.2: a written appeal is registered within three days of its receipt. Calendar days
 * (the law says "дней", not working days), counted from the day after receipt (Civil Code art. 191);
 * when the third day is a day off the term ends on the next working day (Civil Code art. 193) — a flag
 * of a violation must not fire on a day the law still allows, whatever day-off rule the administration
 * plans its consideration terms by.
 */
import type { IsoDate } from './events/appeal.events';
import { REGISTRATION_TERM_DAYS } from './events/appeal.events';
import { applyNonWorkingDayRule, type WorkingDayCalendar } from './deadlines';
import { addDays, compareDates } from './iso-date';
import { CalendarYearUnknownError } from './production-calendar';

/**
 * The last day to register an appeal received on `receivedAt`. Where the calendar does not know the
 * year yet, the plain third day (registration itself is judged against its own, known, date).
 */
export function registrationDueDate(receivedAt: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  const third = addDays(receivedAt, REGISTRATION_TERM_DAYS);
  try {
    return applyNonWorkingDayRule(third, 'following', calendar);
  } catch (e) {
    if (e instanceof CalendarYearUnknownError) return third;
    throw e;
  }
}

/**
 * Whether an appeal was registered after art. 8 ч.2's three days. Events recorded before the flag
 * existed are judged by plain calendar days (receivedAt + 3, no day-off rule: the event did not record
 * one's result).
 */
export function registeredLateOf(data: {
  receivedAt: IsoDate;
  registeredAt: IsoDate;
  registeredLate?: boolean;
}): boolean {
  if (data.registeredLate !== undefined) return data.registeredLate;
  return compareDates(data.registeredAt, addDays(data.receivedAt, REGISTRATION_TERM_DAYS)) > 0;
}

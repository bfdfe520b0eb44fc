/**
 * Consideration terms under 59-FZ art. 12: calendar days from registration, moved off non-working days
 * by the configured rule, extended from the nominal end; plus working-day arithmetic for reminders.
 */
import type { IsoDate, NonWorkingDayRule } from './events/appeal.events';
import { addDays, compareDates } from './iso-date';

export { localDate } from './iso-date';

/** What deadline arithmetic needs from a calendar; ProductionCalendar implements it. */
export interface WorkingDayCalendar {
  isWorkingDay(date: IsoDate): boolean;
}

/** 59-FZ art. 12: consideration term in calendar days. */
export const DEFAULT_TERM_DAYS = 30;
/** 59-FZ art. 12: extensions of one appeal total at most 30 days. */
export const MAX_EXTENSION_DAYS = 30;
export const DEFAULT_NON_WORKING_DAY_RULE: NonWorkingDayRule = 'preceding';

export interface Term {
  /** registeredAt + termDays (+ extensions), before the day-off rule */
  nominalDueDate: IsoDate;
  /** the last day of the term after the day-off rule */
  dueDate: IsoDate;
}

// A year without a working day cannot exist; the bound turns a calendar bug into an error, not a hang.
const SEARCH_LIMIT_DAYS = 366;

export function isWorkingDay(date: IsoDate, calendar: WorkingDayCalendar): boolean {
  return calendar.isWorkingDay(date);
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  return step(date, 1, calendar);
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(date: IsoDate, calendar: WorkingDayCalendar): IsoDate {
  return step(date, -1, calendar);
}

function step(date: IsoDate, direction: 1 | -1, calendar: WorkingDayCalendar): IsoDate {
  let d = date;
  for (let i = 0; i < SEARCH_LIMIT_DAYS; i++) {
    d = addDays(d, direction);
    if (calendar.isWorkingDay(d)) return d;
  }
  throw new RangeError(`no working day within ${SEARCH_LIMIT_DAYS} days of ${date}`);
}

/** `date` itself when it is a working day, else the preceding or following one per `rule`. */
export function applyNonWorkingDayRule(
  date: IsoDate,
  rule: NonWorkingDayRule,
  calendar: WorkingDayCalendar,
): IsoDate {
  if (calendar.isWorkingDay(date)) return date;
  switch (rule) {
    case 'preceding':
      return previousWorkingDay(date, calendar);
    case 'following':
      return nextWorkingDay(date, calendar);
    default: {
      const unknown: never = rule;
      throw new RangeError(`unknown non-working-day rule: ${String(unknown)}`);
    }
  }
}

/** The term of an appeal: the day after registration is day 1 (registered 2018-03-01 → nominal 2018-03-31). */
export function computeTerm(
  registeredAt: IsoDate,
  termDays: number,
  rule: NonWorkingDayRule,
  calendar: WorkingDayCalendar,
): Term {
  if (!Number.isInteger(termDays) || termDays < 1)
    throw new RangeError(`term must be a positive whole number of days, got ${termDays}`);
  const nominalDueDate = addDays(registeredAt, termDays);
  return { nominalDueDate, dueDate: applyNonWorkingDayRule(nominalDueDate, rule, calendar) };
}

/** Whether `days` more fit within the 30-day total of extensions. */
export function extensionFits(totalExtensionDays: number, days: number): boolean {
  return totalExtensionDays + days <= MAX_EXTENSION_DAYS;
}

/**
 * Extends a term: `days` are added to the current NOMINAL end (not the adjusted one, so a term moved
 * back to Friday does not lose the weekend), then the day-off rule applies again.
 */
export function extendTerm(
  nominalDueDate: IsoDate,
  days: number,
  rule: NonWorkingDayRule,
  calendar: WorkingDayCalendar,
): Term {
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_DAYS) {
    throw new RangeError(`an extension is 1–${MAX_EXTENSION_DAYS} days, got ${days}`);
  }
  const nominal = addDays(nominalDueDate, days);
  return { nominalDueDate: nominal, dueDate: applyNonWorkingDayRule(nominal, rule, calendar) };
}

/**
 * Signed count of working days from `from` to `to`: the working days in (from, to] when to is later,
 * minus those in (to, from] when earlier. "Days left" until a due date: workingDaysBetween(today, due).
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkingDayCalendar): number {
  const order = compareDates(from, to);
  if (order === 0) return 0;
  const [start, end, sign] = order < 0 ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let d = addDays(start, 1); compareDates(d, end) <= 0; d = addDays(d, 1)) {
    if (calendar.isWorkingDay(d)) count++;
  }
  return sign * count;
}

/**
 * The n-th working day after `date` (n > 0) or before it (n < 0); `date` itself for n = 0.
 * E.g. the first reminder: addWorkingDays(dueDate, -3). From a working day it inverts workingDaysBetween.
 */
export function addWorkingDays(date: IsoDate, n: number, calendar: WorkingDayCalendar): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
  let d = date;
  const direction = n < 0 ? -1 : 1;
  for (let i = 0; i < Math.abs(n); i++) d = step(d, direction, calendar);
  return d;
}

/**
 * Report periods on `YYYY-MM-DD` strings (months, quarters, years, ISO weeks) and the conversion of
 * business times to the administration's local date; day arithmetic comes from libs/appeal.
 */
import { addDays, daysBetween, isIsoDate, isoWeekday, localDate } from './event-store';
import type { IsoDate } from './event-store';

export { addDays, daysBetween, isIsoDate, isoWeekday };

/**
 * The administration-local calendar date of a business time: a `YYYY-MM-DD` value already is one;
 * an instant with offset is converted in `timeZone`.
 */
export const toLocalDate = (value: string, timeZone: string): IsoDate =>
  isIsoDate(value) ? value : localDate(value, timeZone);

export interface DateRange {
  /** inclusive */
  from: IsoDate;
  /** inclusive */
  to: IsoDate;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const monthStart = (date: IsoDate): IsoDate => `${date.slice(0, 8)}01`;

export function monthRange(year: number, month: number): DateRange {
  const from = `${pad(year, 4)}-${pad(month)}-01`;
  const next = month === 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(month + 1)}-01`;
  return { from, to: addDays(next, -1) };
}

export const yearRange = (year: number): DateRange => ({
  from: `${pad(year, 4)}-01-01`,
  to: `${pad(year, 4)}-12-31`,
});

export function quarterRange(year: number, quarter: number): DateRange {
  const first = monthRange(year, (quarter - 1) * 3 + 1);
  const last = monthRange(year, quarter * 3);
  return { from: first.from, to: last.to };
}

/** Monday of ISO week 1 of `year` (the week holding 4 January). */
function isoWeekOneMonday(year: number): IsoDate {
  const jan4 = `${pad(year, 4)}-01-04`;
  return addDays(jan4, 1 - isoWeekday(jan4));
}

/** Number of ISO weeks (52 or 53) in `year`. */
export const isoWeeksInYear = (year: number): number =>
  daysBetween(isoWeekOneMonday(year), isoWeekOneMonday(year + 1)) / 7;

/** `2018-W50` → Monday 2018-12-10 … Sunday 2018-12-16. Throws RangeError when malformed. */
export function isoWeekRange(week: string): DateRange & { week: string } {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new RangeError(`week must look like 2018-W50, got "${week}"`);
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (number < 1 || number > isoWeeksInYear(year)) {
    throw new RangeError(`week ${week} does not exist: ${year} has ${isoWeeksInYear(year)} ISO weeks`);
  }
  const from = addDays(isoWeekOneMonday(year), (number - 1) * 7);
  return { week, from, to: addDays(from, 6) };
}

/** The ISO week (`YYYY-Www`) holding `date`. */
export function isoWeekOf(date: IsoDate): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const number = daysBetween(isoWeekOneMonday(year), thursday) / 7 + 1;
  return `${pad(year, 4)}-W${pad(Math.floor(number))}`;
}

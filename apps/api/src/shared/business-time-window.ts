/**
 * The window of business time the API accepts — the one place its bounds live (README "Limits").
 *
 * - Facts (every `…At` of a command, `receivedAt`, `registeredAt`, `source.date`, `finalAnswerBy`):
 *   from 2000-01-01 to today + 1 year, today being the engine's clock in APPEALS_TIMEZONE. An instant
 *   is judged by its calendar date in that zone.
 * - Queries (`asOf`, `dueBefore`, report `year`/`compareTo`/`week`): years 2000–2100.
 *
 * Anything outside is a 400 naming the field, before it reaches the domain, the store or a read model.
 */
import { compareDates, isInstant, isIsoDate, localDate } from '@appeal-ledger/appeal';

export const EARLIEST_BUSINESS_DATE = '2000-01-01';
/** Facts may be dated up to this many years after today (a promised answer date, a registration typed ahead). */
export const FACT_YEARS_AHEAD = 1;
export const EARLIEST_QUERY_YEAR = 2000;
export const LATEST_QUERY_YEAR = 2100;
export const LATEST_QUERY_DATE = `${LATEST_QUERY_YEAR}-12-31`;

/** `today` plus FACT_YEARS_AHEAD years (29 February becomes 28 February). */
export function latestFactDate(today: string): string {
  const year = String(Number(today.slice(0, 4)) + FACT_YEARS_AHEAD).padStart(4, '0');
  const same = `${year}${today.slice(4)}`;
  return isIsoDate(same) ? same : `${year}-02-28`;
}

/** The local calendar date of a date or an instant, or undefined when it is far outside any window. */
function calendarDateOf(value: string, timeZone: string): string | undefined {
  if (isIsoDate(value)) return value;
  const text: string = value;
  if (!isInstant(text)) return undefined;
  // Years far away never reach the zone conversion (which has its own 0001–9999 limits).
  const year = Number(text.slice(0, 4));
  if (year < EARLIEST_QUERY_YEAR - 1 || year > LATEST_QUERY_YEAR + 1) return undefined;
  return localDate(text, timeZone);
}

/**
 * Why a fact's date or instant is outside 2000-01-01 … today + 1 year, or undefined when it is
 * inside (or not a date at all: the format is another rule's business).
 */
export function factWindowProblem(value: unknown, timeZone: string, today: string): string | undefined {
  if (typeof value !== 'string' || !(isIsoDate(value) || isInstant(value))) return undefined;
  const latest = latestFactDate(today);
  const date = calendarDateOf(value, timeZone);
  if (
    date === undefined ||
    compareDates(date, EARLIEST_BUSINESS_DATE) < 0 ||
    compareDates(date, latest) > 0
  ) {
    return `must lie between ${EARLIEST_BUSINESS_DATE} and ${latest} (today + ${FACT_YEARS_AHEAD} year) in ${timeZone}${date ? `, got ${date}` : ''}`;
  }
  return undefined;
}

/** Why a query's date or instant is outside years 2000–2100, or undefined when it is inside. */
export function queryWindowProblem(value: string, timeZone: string): string | undefined {
  const date = calendarDateOf(value, timeZone);
  if (
    date === undefined ||
    compareDates(date, EARLIEST_BUSINESS_DATE) < 0 ||
    compareDates(date, LATEST_QUERY_DATE) > 0
  ) {
    return `must lie between ${EARLIEST_BUSINESS_DATE} and ${LATEST_QUERY_DATE}`;
  }
  return undefined;
}

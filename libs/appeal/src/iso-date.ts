/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings and instant checks. UTC-based internals so the
 * host's time zone never shifts a date; no clock is read here.
 */
import type { IsoDate } from './events/appeal.events';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant must carry its offset: a bare local time would be read in the server's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds of a UTC calendar time. Unlike `Date.UTC`, which reads years 0–99 as 1900–1999,
 * every year means itself (year 50 is 50, not 1950).
 */
export function utcEpochMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  // Date.UTC is exact outside 0–99 (and allocates nothing): only those years take the long way.
  if (year < 0 || year > 99) return Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** `00`…`99`: two-digit parts without padding each time (dates are written millions of times in a replay). */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/**
 * `YYYY-MM-DD` of a UTC epoch; RangeError outside years 0000–9999 (no 6-digit `+010000` years).
 * Integer arithmetic (Howard Hinnant's civil_from_days), no Date: the same answer as
 * `toISOString().slice(0, 10)` at a fraction of its cost.
 */
function isoDayOf(epochMs: number): IsoDate {
  const z = Math.floor(epochMs / MS_PER_DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!(year >= 0 && year <= 9999))
    throw new RangeError(`date outside years 0000–9999: ${new Date(epochMs).toISOString()}`);
  return `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2018-02-30). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** True for an ISO 8601 timestamp with `Z` or an explicit offset. */
export function isInstant(value: unknown): value is string {
  // Date.parse rolls 2018-04-31 over to 1 May: the calendar date must exist as written.
  return (
    typeof value === 'string' &&
    ISO_INSTANT.test(value) &&
    isIsoDate(value.slice(0, 10)) &&
    !Number.isNaN(Date.parse(value))
  );
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of `month` (1–12) in the proleptic Gregorian `year`. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function assertIsoDate(date: IsoDate): void {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(date: IsoDate): number {
  assertIsoDate(date);
  const [y, m, d] = date.split('-').map(Number);
  return utcEpochMs(y, m, d) / MS_PER_DAY;
}

/** The date `day` days after 1970-01-01; RangeError outside years 0000–9999. */
export function fromEpochDay(day: number): IsoDate {
  return isoDayOf(day * MS_PER_DAY);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Signed calendar days from `from` to `to` (to − from). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: IsoDate): boolean {
  return isoWeekday(date) >= 6;
}

export function yearOf(date: IsoDate): number {
  assertIsoDate(date);
  return Number(date.slice(0, 4));
}

/** A `YYYY-MM-DD` date as the number YYYYMMDD, whose order is the dates' order; RangeError otherwise. */
function dateNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]);
}

/**
 * Chronological order of two calendar dates, compared as dates (year, month, day as numbers), never
 * as strings, which put a malformed `50-03-05` after `2018-03-05`; RangeError for anything but
 * `YYYY-MM-DD`.
 */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return Math.sign(dateNumber(a) - dateNumber(b));
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let fmt = cache.get(timeZone);
  if (!fmt) {
    // Throws RangeError for an unknown zone, which is a configuration error worth surfacing.
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone, ...options });
    cache.set(timeZone, fmt);
  }
  return fmt;
}

/**
 * The calendar date of `epochMs` in `timeZone`, asked of Intl (exact, and several µs a call). Intl
 * writes years without leading zeros (`50`) and years before 1 as era years, so the year is padded
 * and checked: the result is always `YYYY-MM-DD` or a RangeError.
 */
function intlLocalDate(epochMs: number, timeZone: string): IsoDate {
  const fmt = formatter(dateFormatters, timeZone, {
    era: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const parts = fmt.formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const year = Number(part('year'));
  // Era "BC"/"B" (before year 1) is outside what a business date can be.
  if (!Number.isInteger(year) || year < 1 || year > 9999 || !/^A/.test(part('era'))) {
    throw new RangeError(`local date outside years 0001–9999 at ${new Date(epochMs).toISOString()}`);
  }
  const date = `${String(year).padStart(4, '0')}-${part('month')}-${part('day')}`;
  if (!isIsoDate(date)) throw new RangeError(`Intl gave no calendar date: ${JSON.stringify(parts)}`);
  return date;
}

/** The zone's offset at `epochMs` asked of Intl, in minutes east of UTC. */
function intlOffsetMinutes(timeZone: string, epochMs: number): number {
  const fmt = formatter(offsetFormatters, timeZone, {
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts = fmt.formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  // utcEpochMs, not Date.UTC: Intl's year 50 must stay 50 (Date.UTC would make it 1950). Before
  // year 1 (era BC) the year is `1 - year` in proleptic ISO numbering.
  const era = parts.find((p) => p.type === 'era')?.value ?? 'A';
  const year = /^B/.test(era) ? 1 - get('year') : get('year');
  const asUtc = utcEpochMs(year, get('month'), get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

// Since well before 1980 every zone's offset is a whole number of minutes and changes only at an
// instant on a UTC quarter hour (a local hour or half hour minus an offset in quarter hours). So the
// offset is constant within each UTC quarter hour, and one answer per zone and quarter hour is kept.
const QUARTER_HOUR_MS = 15 * 60_000;
const CACHED_FROM_MS = utcEpochMs(1980, 1, 1);
// Per zone, by quarter-hour number (a small integer key: no string built per call). 200,000 quarter
// hours are about 5.7 years of every quarter hour (a few MB); a replay of many years of business
// hours stays within it instead of clearing the cache again and again.
const OFFSET_CACHE_LIMIT = 200_000;
const offsets = new Map<string, Map<number, number>>();

/** The offset of `timeZone` (IANA name) at `epochMs`, in minutes east of UTC (+420 for UTC+7). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  if (epochMs < CACHED_FROM_MS) return intlOffsetMinutes(timeZone, epochMs);
  const quarter = Math.floor(epochMs / QUARTER_HOUR_MS);
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(quarter);
  if (offset === undefined) {
    offset = intlOffsetMinutes(timeZone, quarter * QUARTER_HOUR_MS);
    if (zone.size >= OFFSET_CACHE_LIMIT) zone.clear();
    zone.set(quarter, offset);
  }
  return offset;
}

/**
 * The calendar date of `instant` in `timeZone` (IANA name), e.g. 2018-03-31T20:00:00Z in
 * Asia/Novokuznetsk (UTC+7) is 2018-04-01. Pure: the instant comes from the caller.
 */
export function localDate(instant: string, timeZone: string): IsoDate {
  if (!isInstant(instant))
    throw new RangeError(`not an ISO 8601 instant with offset: ${JSON.stringify(instant)}`);
  const epochMs = Date.parse(instant);
  if (epochMs < CACHED_FROM_MS) return intlLocalDate(epochMs, timeZone);
  return isoDayOf(epochMs + zoneOffsetMinutes(timeZone, epochMs) * 60_000);
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Business time as the API accepts it: a local calendar date or an instant; omitted means now. */
import {
  addDays,
  isInstant,
  isIsoDate,
  localDate,
  utcEpochMs,
  zoneOffsetMinutes,
} from '@appeal-ledger/appeal';

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The instant a local calendar day starts, written with the zone's offset (e.g. 2018-03-06T00:00:00+07:00). */
export function startOfLocalDay(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  // utcEpochMs, not Date.UTC (which reads years 0–99 as 1900–1999).
  const guess = utcEpochMs(y, m, d);
  let offset = zoneOffsetMinutes(timeZone, guess);
  offset = zoneOffsetMinutes(timeZone, guess - offset * 60000);
  return `${date}T00:00:00${formatOffset(offset)}`;
}

/** An instant written in the administration's zone, e.g. 2026-11-28T07:30:00.000+07:00. */
export function inZone(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, epochMs);
  const local = new Date(epochMs + offset * 60000).toISOString().replace('Z', '');
  return `${local}${formatOffset(offset)}`;
}

/** Normalises a business time: a date becomes the start of that local day; omitted becomes now. */
export function businessInstant(value: string | undefined, timeZone: string, now: Date): string {
  if (value === undefined) return inZone(now.getTime(), timeZone);
  if (isIsoDate(value)) return startOfLocalDay(value, timeZone);
  return value;
}

/**
 * The last answer of `today`. Since 1980 a zone's offset is a whole number of minutes and changes on
 * a UTC quarter hour (iso-date.ts), so the local date is the same all through a UTC minute: one
 * computation per minute instead of one per request (the validation pipe asks on every command).
 */
let lastToday: { timeZone: string; minute: number; date: string } | undefined;
const TODAY_MEMO_FROM_MS = utcEpochMs(1980, 1, 1);

export function today(timeZone: string, now: Date): string {
  const epochMs = now.getTime();
  const minute = Math.floor(epochMs / 60_000);
  if (lastToday && lastToday.minute === minute && lastToday.timeZone === timeZone) return lastToday.date;
  const date = localDate(now.toISOString(), timeZone);
  if (epochMs >= TODAY_MEMO_FROM_MS) lastToday = { timeZone, minute, date };
  return date;
}

/**
 * Parses `asOf`: an instant, or a date meaning the end of that local day. Returns epoch ms, or
 * undefined when malformed. The caller keeps it inside the query window (business-time-window.ts),
 * so the day after is always a 4-digit-year date.
 */
export function parseAsOf(value: string, timeZone: string): number | undefined {
  if (isIsoDate(value)) return Date.parse(startOfLocalDay(addDays(value, 1), timeZone)) - 1;
  return isInstant(value) ? Date.parse(value) : undefined;
}

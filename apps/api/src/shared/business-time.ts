/** Business time as the API accepts it: a local calendar date or an instant; omitted means now. */
import { isInstant, isIsoDate, localDate, zoneOffsetMinutes } from '@appeal-ledger/appeal';

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The instant a local calendar day starts, written with the zone's offset (e.g. 2018-03-06T00:00:00+07:00). */
export function startOfLocalDay(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
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

export function today(timeZone: string, now: Date): string {
  return localDate(now.toISOString(), timeZone);
}

/** Parses `asOf`: an instant, or a date meaning the end of that local day. Returns epoch ms or undefined. */
export function parseAsOf(value: string, timeZone: string): number | undefined {
  const day: string = value.slice(0, 10);
  if (value.length === 10 && isIsoDate(value)) {
    const next = new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return Date.parse(startOfLocalDay(next, timeZone)) - 1;
  }
  return isInstant(value) && isIsoDate(day) ? Date.parse(value) : undefined;
}

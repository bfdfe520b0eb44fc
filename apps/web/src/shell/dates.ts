/**
 * Dates as officials read them: `дд.мм.гггг` (and `дд.мм.гггг чч:мм`) in the administration's time
 * zone (APPEALS_TIMEZONE). ISO calendar dates (`2026-03-01`, no time) are shown as they are, with
 * no zone shift.
 */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('ru-RU', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

function parts(date: Date, timeZone: string, withTime: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone, withTime).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** `дд.мм.гггг`; accepts a Date, an ISO timestamp or an ISO calendar date. Empty for nothing. */
export function formatDate(value: Date | string | null | undefined, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') {
    const m = CALENDAR_DATE.exec(value);
    if (m) return `${m[3]}.${m[2]}.${m[1]}`;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const p = parts(date, timeZone, false);
  return `${p.day}.${p.month}.${p.year}`;
}

/** `дд.мм.гггг чч:мм` in the time zone. */
export function formatDateTime(value: Date | string | null | undefined, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  const p = parts(date, timeZone, true);
  const hour = p.hour === '24' ? '00' : p.hour;
  return `${p.day}.${p.month}.${p.year} ${hour}:${p.minute}`;
}

/** Today's calendar date in the time zone as `гггг-мм-дд` (the value of an `<input type="date">`). */
export function isoDateIn(now: Date, timeZone: string): string {
  const p = parts(now, timeZone, false);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Instants shown in the administration's time zone: `дд.мм.гггг` and `дд.мм.гггг чч:мм`. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: string, timeZone: string): Record<string, string> | null {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return null;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
}

/** A business value that may be a calendar date or an instant → `дд.мм.гггг` in the zone */
export function ruDay(value: string | null | undefined, timeZone: string): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return `${value.slice(8, 10)}.${value.slice(5, 7)}.${value.slice(0, 4)}`;
  const p = partsIn(value, timeZone);
  return p ? `${p.day}.${p.month}.${p.year}` : value;
}

/** An instant → `дд.мм.гггг чч:мм` in the zone */
export function ruDateTime(value: string, timeZone: string): string {
  const p = partsIn(value, timeZone);
  return p ? `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}` : value;
}

/** The calendar date of an instant in the zone, `YYYY-MM-DD` */
export function isoDayIn(instant: Date, timeZone: string): string {
  const p = partsIn(instant.toISOString(), timeZone);
  return p ? `${p.year}-${p.month}-${p.day}` : instant.toISOString().slice(0, 10);
}

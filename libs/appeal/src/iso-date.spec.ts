import { localDate, zoneOffsetMinutes } from './iso-date';

/** What Intl says, asked directly (the slow, exact answer the cached one must equal). */
function intlParts(epochMs: number, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(epochMs);
  return Object.fromEntries(parts.filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

function intlDate(epochMs: number, timeZone: string): string {
  const p = intlParts(epochMs, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function intlOffset(epochMs: number, timeZone: string): number {
  const p = intlParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

// Russian zones, plus zones with DST, half- and quarter-hour offsets and the date line.
const ZONES = [
  'Asia/Novokuznetsk',
  'Europe/Moscow',
  'Europe/Kaliningrad',
  'Asia/Kamchatka',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Pacific/Apia',
  'UTC',
];

/** A fixed pseudo-random sequence (the domain library reads no randomness). */
function* instants(count: number, fromMs: number, toMs: number): Generator<number> {
  let x = 20261128;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    yield fromMs + Math.floor((x / 2 ** 32) * (toMs - fromMs));
  }
}

describe('local dates and zone offsets', () => {
  it('given Asia/Novokuznetsk, when an instant is late evening UTC, then the local date is the next day', () => {
    expect(localDate('2018-03-31T20:00:00Z', 'Asia/Novokuznetsk')).toBe('2018-04-01');
    expect(localDate('2018-03-31T16:59:59Z', 'Asia/Novokuznetsk')).toBe('2018-03-31');
    expect(zoneOffsetMinutes('Asia/Novokuznetsk', Date.parse('2018-03-31T20:00:00Z'))).toBe(420);
  });

  it('given the 2014 Russian change of zones, then offsets before and after it are both right', () => {
    // Moscow went from UTC+4 to UTC+3 at 2014-10-26 02:00 local (2014-10-25T22:00:00Z).
    expect(zoneOffsetMinutes('Europe/Moscow', Date.parse('2014-10-25T21:59:59Z'))).toBe(240);
    expect(zoneOffsetMinutes('Europe/Moscow', Date.parse('2014-10-25T22:00:00Z'))).toBe(180);
  });

  it('given DST transitions, then the instants either side of them get their own offsets', () => {
    // Berlin: 2026-03-29 01:00Z spring forward, 2026-10-25 01:00Z fall back.
    expect(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-03-29T00:59:59.999Z'))).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-03-29T01:00:00Z'))).toBe(120);
    expect(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-10-25T00:59:59Z'))).toBe(120);
    expect(zoneOffsetMinutes('Europe/Berlin', Date.parse('2026-10-25T01:00:00Z'))).toBe(60);
    // Lord Howe shifts by half an hour, at 02:00 local standard time (+10:30) = 15:30Z.
    expect(zoneOffsetMinutes('Australia/Lord_Howe', Date.parse('2026-10-03T15:29:59Z'))).toBe(630);
    expect(zoneOffsetMinutes('Australia/Lord_Howe', Date.parse('2026-10-03T15:30:00Z'))).toBe(660);
  });

  it.each(ZONES)(
    'given 1,500 instants from 1980 to 2040 in %s, then date and offset equal what Intl says',
    (zone) => {
      const from = Date.UTC(1980, 0, 1);
      const to = Date.UTC(2040, 0, 1);
      for (const ms of instants(1500, from, to)) {
        const iso = new Date(ms).toISOString();
        expect([iso, localDate(iso, zone)]).toEqual([iso, intlDate(ms, zone)]);
        expect([iso, zoneOffsetMinutes(zone, ms)]).toEqual([iso, intlOffset(ms, zone)]);
      }
    },
  );

  it.each(['Europe/Moscow', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia'])(
    'given every offset change in %s from 2010 to 2030, then the last millisecond before and the first after are right',
    (zone) => {
      const week = 7 * 86_400_000;
      let changes = 0;
      for (let ms = Date.UTC(2010, 0, 1); ms < Date.UTC(2030, 0, 1); ms += week) {
        if (intlOffset(ms, zone) === intlOffset(ms + week, zone)) continue;
        // The exact instant of the change, to the millisecond.
        let [lo, hi] = [ms, ms + week];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (intlOffset(mid, zone) === intlOffset(lo, zone)) lo = mid;
          else hi = mid;
        }
        expect([zone, lo, zoneOffsetMinutes(zone, lo)]).toEqual([zone, lo, intlOffset(lo, zone)]);
        expect([zone, hi, zoneOffsetMinutes(zone, hi)]).toEqual([zone, hi, intlOffset(hi, zone)]);
        changes++;
      }
      expect(changes).toBeGreaterThanOrEqual(2);
    },
  );

  it('given instants before 1980, then the answer comes from Intl directly (local mean time offsets)', () => {
    // Asia/Kolkata kept +05:21:10 (Calcutta time) until 1942: the date flips at 18:38:50Z.
    expect(localDate('1900-06-01T18:38:49Z', 'Asia/Kolkata')).toBe(
      intlDate(Date.parse('1900-06-01T18:38:49Z'), 'Asia/Kolkata'),
    );
    expect(localDate('1900-06-01T18:38:51Z', 'Asia/Kolkata')).toBe(
      intlDate(Date.parse('1900-06-01T18:38:51Z'), 'Asia/Kolkata'),
    );
    expect(localDate('1900-06-01T18:38:49Z', 'Asia/Kolkata')).not.toBe(
      localDate('1900-06-01T18:38:51Z', 'Asia/Kolkata'),
    );
  });
});

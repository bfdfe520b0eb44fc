import fc from 'fast-check';
import {
  addDays,
  compareDates,
  fromEpochDay,
  isInstant,
  isIsoDate,
  localDate,
  toEpochDay,
  utcEpochMs,
  zoneOffsetMinutes,
} from './iso-date';

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

/**
 * The reference: proleptic Gregorian date of a day count since 1970-01-01, by Howard Hinnant's
 * civil_from_days, in plain integer arithmetic (no Date, no Intl).
 */
function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;

describe('dates across years 1–9999', () => {
  // One instant per year at a pseudo-random moment of it, so every year, every era of the cache
  // (before and after 1980) and every century rule is crossed.
  const years = Array.from({ length: 9999 }, (_, i) => i + 1);
  const instantOf = (year: number): number => {
    const start = utcEpochMs(year, 1, 1);
    const length = utcEpochMs(year + 1, 1, 1) - start;
    return start + ((year * 7919 * 3_600_000 + 1_234_567) % length);
  };
  const written = (ms: number): string =>
    `${civilFromDays(Math.floor(ms / DAY_MS))}T${new Date(ms).toISOString().slice(11)}`;

  it('given fixed-offset zones, when any year 1–9999 is converted, then the local date equals the reference', () => {
    const zones: [string, number][] = [
      ['UTC', 0],
      ['Etc/GMT-7', 7 * 60],
      ['Etc/GMT+5', -5 * 60],
    ];
    const wrong: string[] = [];
    for (const year of years) {
      const ms = instantOf(year);
      const instant = written(ms);
      for (const [zone, offset] of zones) {
        const local = civilFromDays(Math.floor((ms + offset * 60_000) / DAY_MS));
        // Year 1 at UTC−5 can fall on 31 December of year 0, which the engine refuses.
        if (local < '0001-01-01' || local > '9999-12-31') continue;
        const got = localDate(instant, zone);
        if (got !== local) wrong.push(`${instant} ${zone}: ${got}, expected ${local}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('given Asia/Novokuznetsk before 1919 (local mean time +05:48:48), then every year keeps its leading zeros', () => {
    const wrong: string[] = [];
    for (const year of years.filter((y) => y < 1919)) {
      const ms = instantOf(year);
      const local = civilFromDays(Math.floor((ms + 20_928_000) / DAY_MS));
      const got = localDate(written(ms), 'Asia/Novokuznetsk');
      if (got !== local) wrong.push(`${written(ms)}: ${got}, expected ${local}`);
    }
    expect(wrong).toEqual([]);
    expect(localDate('0050-03-05T00:00:00Z', 'Asia/Novokuznetsk')).toBe('0050-03-05');
    expect(localDate('0005-03-05T00:00:00Z', 'Asia/Novokuznetsk')).toBe('0005-03-05');
  });

  it('given any day of years 0–9999, then epoch days and dates round-trip and agree with the reference', () => {
    const first = toEpochDay('0000-01-01');
    const last = toEpochDay('9999-12-31');
    expect(civilFromDays(first)).toBe('0000-01-01');
    expect(civilFromDays(last)).toBe('9999-12-31');
    const wrong: string[] = [];
    for (let day = first; day <= last; day += 97) {
      const date = civilFromDays(day);
      if (fromEpochDay(day) !== date || toEpochDay(date) !== day || !isIsoDate(date)) wrong.push(date);
    }
    expect(wrong).toEqual([]);
  });

  it('given years 0–99, then they mean themselves, not 1900–1999 (the Date.UTC pitfall)', () => {
    expect(utcEpochMs(50, 3, 5)).toBe(Date.parse('0050-03-05T00:00:00Z'));
    expect(isIsoDate('0000-02-29')).toBe(true); // year 0 is a leap year; 1900 was not
    expect(isIsoDate('0100-02-29')).toBe(false);
    expect(isIsoDate('0004-02-29')).toBe(true);
    expect(addDays('0000-02-28', 1)).toBe('0000-02-29');
    expect(isInstant('0005-03-05T00:00:00Z')).toBe(true);
  });

  it('given dates of different centuries, then they are compared as dates, and malformed ones are refused', () => {
    expect(compareDates('0050-03-05', '2018-03-05')).toBe(-1);
    expect(compareDates('2018-03-05', '0999-12-31')).toBe(1);
    expect(compareDates('2018-03-05', '2018-03-05')).toBe(0);
    // The old path produced "50-03-05", which a string comparison put after 2018.
    expect(() => compareDates('50-03-05', '2018-03-05')).toThrow(RangeError);
  });

  it('given a date past 9999, then it is a RangeError, never a 6-digit year', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => localDate('9999-12-31T23:00:00Z', 'Asia/Novokuznetsk')).toThrow(RangeError);
    expect(() => localDate('0000-01-01T00:00:00Z', 'Etc/GMT+5')).toThrow(RangeError);
  });
});

describe('dates by integer arithmetic', () => {
  it('fromEpochDay gives what Date.toISOString gives for every day of years 0000–9999 sampled and addDays agrees', () => {
    const yearZero = new Date(0);
    yearZero.setUTCFullYear(0, 0, 1);
    const minDay = Math.round(yearZero.getTime() / 86_400_000);
    const maxDay = Math.round(Date.UTC(9999, 11, 31) / 86_400_000);
    fc.assert(
      fc.property(
        fc.integer({ min: minDay, max: maxDay }),
        fc.integer({ min: -800, max: 800 }),
        (day, step) => {
          const expected = new Date(day * 86_400_000).toISOString().slice(0, 10);
          const date = fromEpochDay(day);
          expect(date).toBe(expected);
          expect(toEpochDay(date)).toBe(day);
          const later = day + step;
          if (later >= minDay && later <= maxDay) {
            expect(addDays(date, step)).toBe(new Date(later * 86_400_000).toISOString().slice(0, 10));
          }
        },
      ),
      { numRuns: 5_000, seed: 12 },
    );
    expect(fromEpochDay(minDay)).toBe('0000-01-01');
    expect(fromEpochDay(maxDay)).toBe('9999-12-31');
    expect(() => fromEpochDay(minDay - 1)).toThrow(RangeError);
    expect(() => fromEpochDay(maxDay + 1)).toThrow(RangeError);
  });

  it('localDate equals the date Intl gives in the zone for random instants', () => {
    const zones = ['Europe/Moscow', 'Asia/Novokuznetsk', 'Asia/Kamchatka', 'Europe/Kaliningrad', 'Etc/GMT+5'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (epochMs, zone) => {
          const expected = new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
          }).format(new Date(epochMs));
          expect(localDate(new Date(epochMs).toISOString(), zone)).toBe(expected);
        },
      ),
      { numRuns: 3_000, seed: 12 },
    );
  });
});

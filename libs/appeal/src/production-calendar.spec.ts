// The shipped production calendar, checked year by year against its own checksums and known days.
import { CalendarDataError, CalendarYearUnknownError, ProductionCalendar } from './production-calendar';
import shipped from '../reference/production-calendar-ru-2015-2027.json';

describe('ProductionCalendar (shipped data)', () => {
  const calendar = ProductionCalendar.shipped();

  it('covers 2015–2027', () => {
    expect(calendar.knownYears()).toEqual([
      2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027,
    ]);
  });

  it.each(Object.entries(shipped).map(([year, data]) => [Number(year), data.workingDays]))(
    '%i has %i working days, as the file checksum says',
    (year, workingDays) => {
      expect(calendar.workingDaysInYear(year)).toBe(workingDays);
      expect(calendar.yearInfo(year).workingDays).toBe(workingDays);
    },
  );

  it('keeps 2027 visibly partial and the rest confirmed', () => {
    expect(calendar.yearInfo(2027).confidence).toBe('partial');
    expect(calendar.yearInfo(2027).decree).toContain('1187');
    for (let y = 2015; y <= 2026; y++) expect(calendar.yearInfo(y).confidence).toBe('confirmed');
  });

  it.each([
    // 2018: three working Saturdays and their transferred days off
    ['2018-04-28', true],
    ['2018-06-09', true],
    ['2018-12-29', true],
    ['2018-03-09', false],
    ['2018-04-30', false],
    ['2018-05-01', false],
    ['2018-05-02', false],
    ['2018-05-03', true],
    ['2018-06-11', false],
    ['2018-06-12', false],
    ['2018-11-05', false],
    ['2018-12-31', false],
    ['2018-01-08', false],
    ['2018-01-09', true],
    // 2019: 5 and 6 January moved to 2–3 May, 23 February (a Saturday) to 10 May; no working Saturdays
    ['2019-05-02', false],
    ['2019-05-03', false],
    ['2019-05-10', false],
    ['2019-05-06', true],
    ['2019-02-22', true],
    // 2024: working Saturdays 27 April, 2 November, 28 December; 29–31 December… 30, 31 off
    ['2024-04-27', true],
    ['2024-11-02', true],
    ['2024-12-28', true],
    ['2024-04-29', false],
    ['2024-04-30', false],
    ['2024-12-30', false],
    ['2024-12-31', false],
    // 2025: 1 November worked, 3 November off; 2 and 8 May, 13 June, 31 December off
    ['2025-11-01', true],
    ['2025-11-03', false],
    ['2025-05-02', false],
    ['2025-05-08', false],
    ['2025-06-13', false],
    ['2025-12-31', false],
    ['2025-05-05', true],
    // plain days
    ['2018-03-12', true],
    ['2018-03-10', false],
    ['2018-03-11', false],
  ])('%s is a working day: %s', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('leaves presidential non-working days (2020, 2021) working unless configured', () => {
    expect(calendar.isWorkingDay('2020-04-01')).toBe(true);
    expect(calendar.isWorkingDay('2021-05-04')).toBe(true);
    const withPresidential = ProductionCalendar.shipped({ presidentialNonWorkingDays: true });
    expect(withPresidential.isWorkingDay('2020-04-01')).toBe(false);
    expect(withPresidential.isWorkingDay('2021-05-04')).toBe(false);
    expect(withPresidential.workingDaysInYear(2020)).toBe(248 - 29);
    expect(calendar.withOptions({ presidentialNonWorkingDays: true }).isWorkingDay('2020-07-01')).toBe(false);
  });

  it('throws for a year without data rather than assume a five-day week', () => {
    expect(() => calendar.isWorkingDay('2028-03-01')).toThrow(CalendarYearUnknownError);
    expect(() => calendar.isWorkingDay('2014-12-31')).toThrow(/no data for 2014/);
    expect(calendar.yearInfo(2028).confidence).toBe('unknown');
  });

  it('can fall back to weekends only, flagged unknown', () => {
    const lenient = ProductionCalendar.shipped({ unknownYears: 'weekends_only' });
    expect(lenient.isWorkingDay('2028-03-01')).toBe(true); // Wednesday
    expect(lenient.isWorkingDay('2028-03-04')).toBe(false); // Saturday
    expect(lenient.yearInfo(2028)).toMatchObject({ confidence: 'unknown', workingDays: 260 });
  });

  it('adds regional holidays as days off', () => {
    const regional = calendar.withRegionalHolidays(['2018-08-30']);
    expect(regional.isWorkingDay('2018-08-30')).toBe(false);
    expect(calendar.isWorkingDay('2018-08-30')).toBe(true);
    expect(regional.workingDaysInYear(2018)).toBe(246);
    expect(() => calendar.withRegionalHolidays(['30.08.2018'])).toThrow(CalendarDataError);
  });
});

describe('ProductionCalendar.extend', () => {
  const base = ProductionCalendar.shipped();
  // A plain year with only the Labour Code holidays, for the shape; 2028 checksum computed by hand:
  // 260 weekdays − holidays on weekdays (3–7 Jan, 23 Feb, 8 Mar, 1 May, 9 May, 12 Jun → 10; 4 Nov is Saturday).
  const year2028 = {
    confidence: 'partial',
    holidays: [
      '2028-01-01',
      '2028-01-02',
      '2028-01-03',
      '2028-01-04',
      '2028-01-05',
      '2028-01-06',
      '2028-01-07',
      '2028-01-08',
      '2028-02-23',
      '2028-03-08',
      '2028-05-01',
      '2028-05-09',
      '2028-06-12',
      '2028-11-04',
    ],
    extraDaysOff: [],
    workingWeekends: [],
    workingDays: 250,
  };

  it('adds a year loaded from a file', () => {
    const cal = base.extend({ '2028': year2028 });
    expect(cal.isWorkingDay('2028-03-08')).toBe(false);
    expect(cal.isWorkingDay('2028-03-09')).toBe(true);
    expect(cal.yearInfo(2028).confidence).toBe('partial');
    expect(cal.knownYears()).toContain(2028);
    expect(base.covers(2028)).toBe(false); // immutable
  });

  it('overrides an existing year', () => {
    const cal = base.extend({
      '2027': { ...shipped['2027'], confidence: 'confirmed' },
    });
    expect(cal.yearInfo(2027).confidence).toBe('confirmed');
  });

  it.each([
    [{ ...year2028, workingDays: 249 }, /checksum says 249/],
    [{ ...year2028, extraDaysOff: ['2028-03-04'] }, /extraDaysOff holds 2028-03-04, which is a weekend day/],
    [{ ...year2028, workingWeekends: ['2028-03-06'] }, /workingWeekends holds 2028-03-06, which is a Monday/],
    [{ ...year2028, holidays: ['2027-12-31'] }, /not a date in 2028/],
    [{ ...year2028, confidence: 'maybe' }, /confidence must be/],
  ])('refuses malformed data (%#)', (data, message) => {
    expect(() => base.extend({ '2028': data })).toThrow(message);
  });
});

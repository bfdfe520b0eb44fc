// Deadline rules of 59-FZ art. 12 on the 2017–2024 production calendars, and working-day arithmetic.
import {
  addWorkingDays,
  applyNonWorkingDayRule,
  computeTerm,
  extendTerm,
  extensionFits,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  workingDaysBetween,
} from './deadlines';
import { addDays, daysBetween, isInstant, isIsoDate, isoWeekday, localDate } from './iso-date';
import { ProductionCalendar } from './production-calendar';

const calendar = ProductionCalendar.shipped();

describe('computeTerm', () => {
  it.each([
    // [registeredAt, nominal, preceding, following, why]
    [
      '2018-03-01',
      '2018-03-31',
      '2018-03-30',
      '2018-04-02',
      'day after registration is day 1; ends on a Saturday',
    ],
    ['2018-04-09', '2018-05-09', '2018-05-08', '2018-05-10', 'ends on Victory Day'],
    ['2018-02-07', '2018-03-09', '2018-03-07', '2018-03-12', 'ends on a transferred day off, after 8 March'],
    ['2018-03-29', '2018-04-28', '2018-04-28', '2018-04-28', 'ends on a working Saturday: stays'],
    ['2018-11-29', '2018-12-29', '2018-12-29', '2018-12-29', 'ends on the working Saturday 29 December'],
    [
      '2018-12-01',
      '2018-12-31',
      '2018-12-29',
      '2019-01-09',
      'ends on 31 December (off): back to the working Saturday, or past the January holidays',
    ],
    [
      '2017-12-08',
      '2018-01-07',
      '2017-12-29',
      '2018-01-09',
      'crosses the year boundary into the January holidays',
    ],
    ['2024-11-28', '2024-12-28', '2024-12-28', '2024-12-28', 'ends on the working Saturday 28 December 2024'],
    [
      '2025-10-04',
      '2025-11-03',
      '2025-11-01',
      '2025-11-05',
      '2025: 3 November off, 1 November worked, 4 November holiday',
    ],
    ['2019-04-02', '2019-05-02', '2019-04-30', '2019-05-06', '2019: 2–3 May off by transfer from January'],
    ['2018-03-05', '2018-04-04', '2018-04-04', '2018-04-04', 'ends on a plain working day'],
  ])(
    'registered %s → nominal %s, preceding %s, following %s (%s)',
    (registeredAt, nominal, preceding, following) => {
      expect(computeTerm(registeredAt, 30, 'preceding', calendar)).toEqual({
        nominalDueDate: nominal,
        dueDate: preceding,
      });
      expect(computeTerm(registeredAt, 30, 'following', calendar)).toEqual({
        nominalDueDate: nominal,
        dueDate: following,
      });
    },
  );

  it('supports shorter profiles (20 days)', () => {
    expect(computeTerm('2018-03-01', 20, 'preceding', calendar)).toEqual({
      nominalDueDate: '2018-03-21',
      dueDate: '2018-03-21',
    });
  });

  it('rejects a non-positive term', () => {
    expect(() => computeTerm('2018-03-01', 0, 'preceding', calendar)).toThrow(RangeError);
  });

  it('throws outside the calendar’s years', () => {
    expect(() => computeTerm('2027-12-15', 30, 'preceding', calendar)).toThrow(/no data for 2028/);
  });
});

describe('extendTerm', () => {
  it('adds days to the NOMINAL end, then applies the rule', () => {
    // Registered 2018-03-01: nominal 31 March (Sat), due 30 March. +10 from the nominal → 10 April.
    expect(extendTerm('2018-03-31', 10, 'preceding', calendar)).toEqual({
      nominalDueDate: '2018-04-10',
      dueDate: '2018-04-10',
    });
    // +1 from the nominal Saturday is Sunday: still due Friday 30 March under "preceding".
    expect(extendTerm('2018-03-31', 1, 'preceding', calendar)).toEqual({
      nominalDueDate: '2018-04-01',
      dueDate: '2018-03-30',
    });
    expect(extendTerm('2018-03-31', 1, 'following', calendar)).toEqual({
      nominalDueDate: '2018-04-01',
      dueDate: '2018-04-02',
    });
  });

  it('moves an extended term off a holiday', () => {
    expect(extendTerm('2018-04-09', 30, 'preceding', calendar)).toEqual({
      nominalDueDate: '2018-05-09',
      dueDate: '2018-05-08',
    });
    expect(extendTerm('2018-04-09', 30, 'following', calendar)).toEqual({
      nominalDueDate: '2018-05-09',
      dueDate: '2018-05-10',
    });
  });

  it('chains several extensions from the nominal end', () => {
    const first = extendTerm('2018-03-31', 10, 'preceding', calendar);
    const second = extendTerm(first.nominalDueDate, 20, 'preceding', calendar);
    expect(second).toEqual({ nominalDueDate: '2018-04-30', dueDate: '2018-04-28' }); // 30 April off, 28th a working Saturday
  });

  it('caps the total of extensions at 30 days', () => {
    expect(extensionFits(0, 30)).toBe(true);
    expect(extensionFits(10, 20)).toBe(true);
    expect(extensionFits(10, 21)).toBe(false);
    expect(extensionFits(30, 1)).toBe(false);
    expect(() => extendTerm('2018-03-31', 31, 'preceding', calendar)).toThrow(RangeError);
    expect(() => extendTerm('2018-03-31', 0, 'preceding', calendar)).toThrow(RangeError);
  });
});

describe('working days', () => {
  it('answers isWorkingDay from the calendar', () => {
    expect(isWorkingDay('2018-04-28', calendar)).toBe(true);
    expect(isWorkingDay('2018-04-30', calendar)).toBe(false);
  });

  it('finds the next and previous working day across the New Year holidays', () => {
    expect(nextWorkingDay('2018-12-29', calendar)).toBe('2019-01-09');
    expect(previousWorkingDay('2019-01-09', calendar)).toBe('2018-12-29');
    expect(nextWorkingDay('2018-03-07', calendar)).toBe('2018-03-12');
    expect(applyNonWorkingDayRule('2018-03-12', 'preceding', calendar)).toBe('2018-03-12');
  });

  it('counts signed working days between dates (days left)', () => {
    expect(workingDaysBetween('2018-03-01', '2018-03-30', calendar)).toBe(19);
    expect(workingDaysBetween('2018-03-30', '2018-03-01', calendar)).toBe(-19);
    expect(workingDaysBetween('2018-03-30', '2018-03-30', calendar)).toBe(0);
    expect(workingDaysBetween('2018-04-27', '2018-05-04', calendar)).toBe(3); // 28 Apr (Sat), 3 and 4 May
    expect(workingDaysBetween('2017-12-25', '2018-01-15', calendar)).toBe(9);
  });

  it('adds working days forwards and backwards (reminders N working days before)', () => {
    expect(addWorkingDays('2018-05-04', -3, calendar)).toBe('2018-04-27');
    expect(addWorkingDays('2018-05-04', -2, calendar)).toBe('2018-04-28');
    expect(addWorkingDays('2018-04-27', 3, calendar)).toBe('2018-05-04');
    expect(addWorkingDays('2018-03-30', -3, calendar)).toBe('2018-03-27');
    expect(addWorkingDays('2018-03-10', 0, calendar)).toBe('2018-03-10');
    expect(addWorkingDays('2019-01-09', -1, calendar)).toBe('2018-12-29');
    expect(() => addWorkingDays('2018-03-10', 1.5, calendar)).toThrow(RangeError);
  });

  it('keeps addWorkingDays and workingDaysBetween inverse from a working day', () => {
    for (let day = 0; day < 400; day += 3) {
      const from = addDays('2017-12-01', day);
      if (!calendar.isWorkingDay(from)) continue;
      for (const n of [-12, -5, -1, 1, 3, 12]) {
        expect(workingDaysBetween(from, addWorkingDays(from, n, calendar), calendar)).toBe(n);
      }
    }
  });
});

describe('dates', () => {
  it('turns an instant into the administration-local date', () => {
    expect(localDate('2018-03-31T20:00:00Z', 'Asia/Novokuznetsk')).toBe('2018-04-01');
    expect(localDate('2018-03-31T16:59:59Z', 'Asia/Novokuznetsk')).toBe('2018-03-31');
    expect(localDate('2018-03-31T17:00:00Z', 'Asia/Novokuznetsk')).toBe('2018-04-01');
    expect(localDate('2018-04-01T00:30:00+07:00', 'Europe/Moscow')).toBe('2018-03-31');
    expect(() => localDate('2018-03-31 20:00', 'Asia/Novokuznetsk')).toThrow(RangeError);
    expect(() => localDate('2018-03-31T20:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
  });

  it('validates calendar dates and instants', () => {
    expect(isIsoDate('2018-02-28')).toBe(true);
    expect(isIsoDate('2018-02-29')).toBe(false);
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2018-13-01')).toBe(false);
    expect(isIsoDate('1.3.2018')).toBe(false);
    expect(isInstant('2018-03-06T10:00:00+07:00')).toBe(true);
    expect(isInstant('2018-03-06T10:00:00.123Z')).toBe(true);
    expect(isInstant('2018-03-06T10:00:00')).toBe(false); // no offset: ambiguous
    expect(isInstant('2018-03-06')).toBe(false);
  });

  it('does calendar arithmetic independent of the host zone', () => {
    expect(addDays('2018-02-28', 1)).toBe('2018-03-01');
    expect(addDays('2018-12-31', 1)).toBe('2019-01-01');
    expect(addDays('2018-03-01', -1)).toBe('2018-02-28');
    expect(daysBetween('2018-03-01', '2018-03-31')).toBe(30);
    expect(isoWeekday('2018-03-01')).toBe(4);
    expect(isoWeekday('2018-04-29')).toBe(7);
    expect(isoWeekday('1969-12-29')).toBe(1);
  });
});

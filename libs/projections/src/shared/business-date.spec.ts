import {
  isoWeekOf,
  isoWeekRange,
  isoWeeksInYear,
  monthRange,
  quarterRange,
  toLocalDate,
  yearRange,
} from './business-date';

describe('report periods', () => {
  it('ISO weeks: 2018-W50 is Monday 10 to Sunday 16 December', () => {
    expect(isoWeekRange('2018-W50')).toEqual({ week: '2018-W50', from: '2018-12-10', to: '2018-12-16' });
    expect(isoWeekRange('2019-W01')).toEqual({ week: '2019-W01', from: '2018-12-31', to: '2019-01-06' });
    expect(isoWeekRange('2020-W53')).toEqual({ week: '2020-W53', from: '2020-12-28', to: '2021-01-03' });
    expect(isoWeeksInYear(2018)).toBe(52);
    expect(isoWeeksInYear(2020)).toBe(53);
  });

  it('rejects malformed and non-existent weeks', () => {
    expect(() => isoWeekRange('2018-50')).toThrow(RangeError);
    expect(() => isoWeekRange('2018-W53')).toThrow(/52 ISO weeks/);
    expect(() => isoWeekRange('2018-W00')).toThrow(RangeError);
  });

  it('finds the ISO week of a date, across year ends', () => {
    expect(isoWeekOf('2018-12-16')).toBe('2018-W50');
    expect(isoWeekOf('2018-12-31')).toBe('2019-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
  });

  it('months, quarters and years', () => {
    expect(monthRange(2018, 2)).toEqual({ from: '2018-02-01', to: '2018-02-28' });
    expect(monthRange(2020, 2)).toEqual({ from: '2020-02-01', to: '2020-02-29' });
    expect(monthRange(2018, 12)).toEqual({ from: '2018-12-01', to: '2018-12-31' });
    expect(quarterRange(2018, 2)).toEqual({ from: '2018-04-01', to: '2018-06-30' });
    expect(yearRange(2017)).toEqual({ from: '2017-01-01', to: '2017-12-31' });
  });

  it('business times become local dates in the administration’s zone', () => {
    expect(toLocalDate('2018-03-31T20:00:00Z', 'Asia/Novokuznetsk')).toBe('2018-04-01');
    expect(toLocalDate('2018-03-31T20:00:00Z', 'Europe/Moscow')).toBe('2018-03-31');
    expect(toLocalDate('2018-03-31', 'Asia/Novokuznetsk')).toBe('2018-03-31');
  });

  it('given years 0–99, then weeks and local dates keep their year (no Date.UTC 1900s)', () => {
    // 1 January of year 1 was a Monday in the proleptic Gregorian calendar.
    expect(isoWeekRange('0001-W01')).toEqual({ week: '0001-W01', from: '0001-01-01', to: '0001-01-07' });
    expect(isoWeekOf('0050-03-05')).toMatch(/^0050-W\d{2}$/);
    expect(monthRange(50, 2)).toEqual({ from: '0050-02-01', to: '0050-02-28' });
    expect(toLocalDate('0050-03-05T00:00:00Z', 'Asia/Novokuznetsk')).toBe('0050-03-05');
  });
});

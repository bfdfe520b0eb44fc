import { factWindowProblem, latestFactDate, queryWindowProblem } from './business-time-window';

const ZONE = 'Asia/Novokuznetsk';
const TODAY = '2026-12-02';

describe('the business time window', () => {
  it('given today, then facts may be dated up to a year ahead (29 February becomes 28 February)', () => {
    expect(latestFactDate('2026-12-02')).toBe('2027-12-02');
    expect(latestFactDate('2028-02-29')).toBe('2029-02-28');
  });

  it.each([
    ['2000-01-01'],
    ['2018-03-05'],
    ['2027-12-02'],
    ['2018-03-20T10:00:00+07:00'],
    // 1999-12-31T17:00Z is already 2000-01-01 in UTC+7.
    ['1999-12-31T17:00:00Z'],
    ['2027-12-02T16:59:59Z'],
  ])('given the fact %s inside the window, then it is accepted', (value) => {
    expect(factWindowProblem(value, ZONE, TODAY)).toBeUndefined();
  });

  it.each([
    ['1999-12-31'],
    ['2027-12-03'],
    ['0050-03-05T00:00:00Z'],
    ['0005-03-05T00:00:00Z'],
    ['0001-01-01'],
    ['9999-12-31'],
    ['9999-12-31T23:59:59Z'],
    ['1999-12-31T16:59:59Z'],
    ['2027-12-02T17:00:00Z'],
  ])('given the fact %s outside the window, then it is refused with the bounds', (value) => {
    expect(factWindowProblem(value, ZONE, TODAY)).toMatch(/between 2000-01-01 and 2027-12-02/);
  });

  it('given something that is not a date, then the window leaves it to the format rule', () => {
    expect(factWindowProblem('yesterday', ZONE, TODAY)).toBeUndefined();
    expect(factWindowProblem(42, ZONE, TODAY)).toBeUndefined();
  });

  it('given query dates, then years 2000–2100 are accepted and others refused', () => {
    expect(queryWindowProblem('2000-01-01', ZONE)).toBeUndefined();
    expect(queryWindowProblem('2100-12-31', ZONE)).toBeUndefined();
    expect(queryWindowProblem('2018-03-21T10:00:00+07:00', ZONE)).toBeUndefined();
    expect(queryWindowProblem('9999-12-31', ZONE)).toMatch(/between 2000-01-01 and 2100-12-31/);
    expect(queryWindowProblem('1999-12-31', ZONE)).toBeDefined();
    expect(queryWindowProblem('0000-01-01T00:00:00Z', ZONE)).toBeDefined();
    expect(queryWindowProblem('2101-01-01', ZONE)).toBeDefined();
  });
});

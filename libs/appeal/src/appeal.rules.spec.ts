// The administration's configuration is checked once, when the app builds it.
import { appealRules } from './appeal.rules';
import { ProductionCalendar } from './production-calendar';

describe('appealRules', () => {
  it('defaults to the shipped data, Novokuznetsk, preceding, 30 days, {initial}/{seq}', () => {
    expect(appealRules()).toMatchObject({
      timeZone: 'Asia/Novokuznetsk',
      nonWorkingDayRule: 'preceding',
      termDays: 30,
      numberPattern: '{initial}/{seq}',
      anonymousInitial: 'А',
    });
    expect(appealRules().calendar.isWorkingDay('2018-04-28')).toBe(true);
  });

  it('takes overrides', () => {
    const calendar = ProductionCalendar.shipped().withRegionalHolidays(['2018-08-30']);
    expect(appealRules({ calendar }).calendar.isWorkingDay('2018-08-30')).toBe(false);
  });

  it('refuses an unusable configuration with every problem named', () => {
    expect(() =>
      appealRules({
        timeZone: 'Asia/Nowhere',
        numberPattern: '{initial}',
        termDays: 0,
        nonWorkingDayRule: 'nearest' as 'preceding',
      }),
    ).toThrow(
      'invalid appeal rules: numberPattern: pattern must contain {seq}, or numbers would repeat; timeZone: unknown IANA zone Asia/Nowhere; termDays: must be a whole number from 1 to 30 (59-FZ art. 12 ч.1); nonWorkingDayRule: must be preceding or following',
    );
  });
});

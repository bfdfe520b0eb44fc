import { ConfigError, loadConfig } from './app-config';

describe('DEADLINE_TERM_DAYS (59-FZ art. 12 ч.1: 30 days at most)', () => {
  it.each([
    [undefined, 30],
    ['30', 30],
    ['20', 20],
  ])('%s → %s days', (value, days) => {
    expect(loadConfig(value === undefined ? {} : { DEADLINE_TERM_DAYS: value }).termDays).toBe(days);
  });

  it.each(['31', '60', '90'])('refuses %s at startup, saying why', (value) => {
    expect(() => loadConfig({ DEADLINE_TERM_DAYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DEADLINE_TERM_DAYS: value })).toThrow(
      /DEADLINE_TERM_DAYS must be at most 30, got ".*": 59-FZ art\. 12 ч\.1/,
    );
  });

  it.each(['0', 'abc', '2.5'])('refuses %s as not a number of days', (value) => {
    expect(() => loadConfig({ DEADLINE_TERM_DAYS: value })).toThrow(
      /DEADLINE_TERM_DAYS must be an integer from 1 to 30/,
    );
  });
});

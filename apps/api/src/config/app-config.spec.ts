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

describe('REGISTRATION_BATCH (group commit of registrations)', () => {
  it.each([
    [{}, { maxSize: 64, maxInFlight: 2 }],
    [{ REGISTRATION_BATCH: 'on' }, { maxSize: 64, maxInFlight: 2 }],
    [{ REGISTRATION_BATCH: 'Off' }, false],
    [
      { REGISTRATION_BATCH: '8', REGISTRATION_BATCHES_IN_FLIGHT: '1' },
      { maxSize: 8, maxInFlight: 1 },
    ],
  ])('%j → %j', (env, expected) => {
    expect(loadConfig(env).registrationBatch).toEqual(expected);
  });

  it.each(['1', 'yes', '1001', '2.5'])('refuses %s', (value) => {
    expect(() => loadConfig({ REGISTRATION_BATCH: value })).toThrow(/REGISTRATION_BATCH must be on, off/);
  });

  it('refuses REGISTRATION_BATCHES_IN_FLIGHT out of range', () => {
    expect(() => loadConfig({ REGISTRATION_BATCHES_IN_FLIGHT: '0' })).toThrow(
      /REGISTRATION_BATCHES_IN_FLIGHT must be an integer from 1 to 64/,
    );
  });
});

describe('EVENT_STORE_APPEND_BATCH (group commit of appends)', () => {
  it.each([
    [{}, { maxSize: 64, maxInFlight: 2 }],
    [{ EVENT_STORE_APPEND_BATCH: 'on' }, { maxSize: 64, maxInFlight: 2 }],
    [{ EVENT_STORE_APPEND_BATCH: 'OFF' }, false],
    [
      { EVENT_STORE_APPEND_BATCH: '16', EVENT_STORE_APPEND_BATCHES_IN_FLIGHT: '1' },
      { maxSize: 16, maxInFlight: 1 },
    ],
  ])('%j → %j', (env, expected) => {
    expect(loadConfig(env).eventStoreAppendBatch).toEqual(expected);
  });

  it.each(['1', 'yes', '2000'])('refuses %s', (value) => {
    expect(() => loadConfig({ EVENT_STORE_APPEND_BATCH: value })).toThrow(
      /EVENT_STORE_APPEND_BATCH must be on, off/,
    );
  });
});

describe('PROJECTION_BATCH_SIZE and PROJECTION_CATCH_UP_BATCH_SIZE (pages read, catch-up transactions)', () => {
  it.each([
    [{}, [5000, 10_000]],
    [{ PROJECTION_BATCH_SIZE: '100', PROJECTION_CATCH_UP_BATCH_SIZE: '300' }, [100, 300]],
  ])('%j → %j', (env, [page, catchUp]) => {
    const config = loadConfig(env);
    expect([config.projectionBatchSize, config.projectionCatchUpBatchSize]).toEqual([page, catchUp]);
  });

  it.each(['0', '200001', 'many'])('refuses PROJECTION_CATCH_UP_BATCH_SIZE=%s', (value) => {
    expect(() => loadConfig({ PROJECTION_CATCH_UP_BATCH_SIZE: value })).toThrow(
      /PROJECTION_CATCH_UP_BATCH_SIZE must be an integer from 1 to 200000/,
    );
  });
});

import { localDate } from '@appeal-ledger/appeal';
import { businessInstant, inZone, parseAsOf, startOfLocalDay, today } from './business-time';

describe('business time', () => {
  it('starts a local day at the zone offset', () => {
    expect(startOfLocalDay('2018-03-06', 'Asia/Novokuznetsk')).toBe('2018-03-06T00:00:00+07:00');
    expect(startOfLocalDay('2018-03-06', 'Europe/Moscow')).toBe('2018-03-06T00:00:00+03:00');
    expect(startOfLocalDay('2018-07-01', 'America/New_York')).toBe('2018-07-01T00:00:00-04:00');
  });

  it('given seconds around local midnights and offset changes, zone by zone and in turn, then today is the local date of each', () => {
    const around = [
      '2018-03-31T17:00:00Z', // midnight in Novokuznetsk (+07)
      '2018-03-11T05:00:00Z', // midnight in New York, the day it moves to −04
      '2018-03-11T07:00:00Z', // the move itself (02:00 −05)
      '2014-10-25T21:00:00Z', // midnight in Moscow, the day it moves from +04 to +03
      '2014-10-25T22:00:00Z', // the move itself
      '1975-06-01T00:00:00Z', // before the minute memo applies
    ];
    const zones = ['Asia/Novokuznetsk', 'America/New_York', 'Europe/Moscow', 'Asia/Kathmandu'];
    const instants = around.flatMap((at) =>
      Array.from({ length: 181 }, (_, k) => new Date(Date.parse(at) + (k - 90) * 1000 + (k % 7) * 13)),
    );
    // one zone at a time (the same minute asked again and again), then the zones in turn
    for (const zone of zones)
      for (const now of instants) expect(today(zone, now)).toBe(localDate(now.toISOString(), zone));
    for (const now of instants)
      for (const zone of zones) expect(today(zone, now)).toBe(localDate(now.toISOString(), zone));
  });

  it('writes now in the zone and derives today from it', () => {
    const now = new Date('2018-03-31T20:00:00Z');
    expect(inZone(now.getTime(), 'Asia/Novokuznetsk')).toBe('2018-04-01T03:00:00.000+07:00');
    expect(today('Asia/Novokuznetsk', now)).toBe('2018-04-01');
    expect(businessInstant(undefined, 'Asia/Novokuznetsk', now)).toBe('2018-04-01T03:00:00.000+07:00');
    expect(businessInstant('2018-03-20', 'Asia/Novokuznetsk', now)).toBe('2018-03-20T00:00:00+07:00');
    expect(businessInstant('2018-03-20T10:00:00+03:00', 'Asia/Novokuznetsk', now)).toBe(
      '2018-03-20T10:00:00+03:00',
    );
  });

  it('reads asOf as an instant, or a date as the end of that local day', () => {
    expect(parseAsOf('2018-03-06', 'Asia/Novokuznetsk')).toBe(Date.parse('2018-03-07T00:00:00+07:00') - 1);
    expect(parseAsOf('2018-03-06T10:00:00Z', 'Asia/Novokuznetsk')).toBe(Date.parse('2018-03-06T10:00:00Z'));
    expect(parseAsOf('yesterday', 'Asia/Novokuznetsk')).toBeUndefined();
    expect(parseAsOf('2018-02-30T00:00:00Z', 'Asia/Novokuznetsk')).toBeUndefined();
  });

  it('given years 0–99, then the start of the day keeps its year (no Date.UTC 1900s)', () => {
    expect(startOfLocalDay('0050-03-05', 'UTC')).toBe('0050-03-05T00:00:00+00:00');
    expect(startOfLocalDay('0050-03-05', 'Etc/GMT-7')).toBe('0050-03-05T00:00:00+07:00');
    expect(parseAsOf('0050-03-05', 'UTC')).toBe(Date.parse('0050-03-06T00:00:00Z') - 1);
  });
});

import { changePercent, compare } from './comparison';

describe('comparison figures', () => {
  it('1270 appeals against 2077 is −807, −38.9 %', () => {
    expect(compare(1270, 2077)).toEqual({
      current: 1270,
      previous: 2077,
      change: -807,
      changePercent: -38.9,
    });
  });

  it('is null when the previous period had none', () => {
    expect(compare(5, 0)).toEqual({ current: 5, previous: 0, change: 5, changePercent: null });
    expect(changePercent(0, 0)).toBeNull();
  });

  it('rounds half away from zero, exactly, to one decimal', () => {
    expect(changePercent(2001, 2000)).toBe(0.1); // +0.05 %
    expect(changePercent(1999, 2000)).toBe(-0.1); // −0.05 %
    expect(changePercent(1408, 1270)).toBe(10.9); // 10.866…
    expect(changePercent(1, 3)).toBe(-66.7);
    expect(changePercent(3, 3)).toBe(0);
    expect(Object.is(changePercent(3, 3), -0)).toBe(false);
    expect(changePercent(30, 10)).toBe(200);
  });
});

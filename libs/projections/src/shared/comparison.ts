/** The report figure: this period against the previous one. */

export interface Comparison {
  current: number;
  previous: number;
  change: number;
  /** (current − previous) / previous × 100, one decimal, half away from zero; null when previous is 0 */
  changePercent: number | null;
}

/** Integer arithmetic, so 1270 vs 2077 is −38.9 exactly and no x.x5 case rounds the wrong way. */
export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  const numerator = (current - previous) * 1000;
  const tenths = Math.floor((2 * Math.abs(numerator) + previous) / (2 * previous));
  const result = (Math.sign(numerator) * tenths) / 10;
  return result === 0 ? 0 : result; // no −0
}

export const compare = (current: number, previous: number): Comparison => ({
  current,
  previous,
  change: current - previous,
  changePercent: changePercent(current, previous),
});

/**
 * The p-quantile (0 <= p <= 1) of ascending `sorted` values by linear interpolation between
 * closest ranks (the method of spreadsheets' PERCENTILE.INC / MEDIAN, "R-7"), so a supervisor
 * can check a report's figure in a spreadsheet. Null for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be between 0 and 1');
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo];
  const b = sorted[hi];
  return a + (h - lo) * (b - a);
}

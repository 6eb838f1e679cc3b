import { percentile } from '../../../src/domain/reports/percentile';

describe('percentile (linear between closest ranks, as PERCENTILE.INC and MEDIAN)', () => {
  it('is null for no values and the value itself for one', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([4], 0.5)).toBe(4);
    expect(percentile([4], 0.9)).toBe(4);
  });

  it('median of an odd count is the middle value, of an even count the mean of the two middle ones', () => {
    expect(percentile([1, 2, 10], 0.5)).toBe(2);
    expect(percentile([1, 2, 4, 10], 0.5)).toBe(3);
  });

  it('p90 interpolates: [1..10] gives 9.1 (rank 0.9 * 9 = 8.1), as a spreadsheet does', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    // [0, 10]: rank 0.9 of the way from 0 to 10.
    expect(percentile([0, 10], 0.9)).toBeCloseTo(9, 10);
  });

  it('p0 and p1 are the extremes; p outside [0, 1] is refused', () => {
    expect(percentile([3, 5, 8], 0)).toBe(3);
    expect(percentile([3, 5, 8], 1)).toBe(8);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('works on typed arrays', () => {
    expect(percentile(Float64Array.from([2, 4, 6]), 0.5)).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { estimateDistinct } from './profile/compute-profile.ts';
import { BandProblem, judgeMetric, quantile, resolveBand } from './metric-bands.ts';

describe('metric bands', () => {
  const history = (values: number[]) => (runs: number) => values.slice(0, runs);

  it('resolves numbers and $parameters; a parameter without a value is no bound, a non-number is an error', () => {
    expect(resolveBand({ lower: 0, upper: '$max' }, { max: 5 }, history([]), 'bounds')).toEqual({ lower: 0, upper: 5 });
    expect(resolveBand({ upper: '$max' }, { max: null }, history([]), 'bounds')).toBeUndefined();
    expect(() => resolveBand({ upper: '$max' }, { max: 'lots' }, history([]), 'bounds')).toThrow(new BandProblem('bounds.upper $max is "lots" in this run, not a number'));
  });

  it('learns mean ± k·σ or quantiles from enough earlier values, nothing from too few', () => {
    const h = { runs: 4, method: 'sigma' as const, k: 2, quantiles: [0.25, 0.75] as [number, number], min_runs: 3 };
    expect(resolveBand({ history: h }, {}, history([10, 12, 8, 10, 99]), 'bounds')).toMatchObject({ learnedFrom: 4, lower: 10 - 2 * Math.sqrt(8 / 3), upper: 10 + 2 * Math.sqrt(8 / 3) });
    expect(resolveBand({ history: { ...h, method: 'quantile' } }, {}, history([10, 12, 8, 10]), 'bounds')).toEqual({ lower: 9.5, upper: 10.5, learnedFrom: 4 });
    expect(resolveBand({ history: h }, {}, history([10, 12]), 'bounds')).toBeUndefined();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('judges the error band first, then the warning band', () => {
    expect(judgeMetric('m', 11, { upper: 10 }, { upper: 5 })).toEqual({ passed: false, band: 'bounds', message: 'metric m = 11 is above its upper bound 10' });
    expect(judgeMetric('m', 7, { upper: 10 }, { upper: 5 })).toEqual({ passed: false, band: 'warn_bounds', message: 'metric m = 7 is above its upper warning bound 5' });
    expect(judgeMetric('m', 1, { lower: 0, learnedFrom: 3 }, { lower: 2, learnedFrom: 3 }).message).toBe('metric m = 1 is below its lower warning bound 2 (learned from the last 3 runs)');
    expect(judgeMetric('m', 4, { upper: 10 }, { upper: 5 })).toEqual({ passed: true });
  });
});

describe('estimateDistinct', () => {
  it('takes a sample where every value differs for a key, and keeps the estimate between what was seen and what is possible', () => {
    expect(estimateDistinct(1000, 1000, 1000, 50_000)).toBe(50_000);
    expect(estimateDistinct(7, 0, 1000, 50_000)).toBe(7);
    // GEE: sqrt(N/n)·f1 + (d − f1)
    expect(estimateDistinct(600, 400, 1000, 100_000)).toBe(Math.round(10 * 400 + 200));
    expect(estimateDistinct(0, 0, 0, 0)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricValue } from '../../stores/api-types.ts';
import { pickMainMetric, sparklinePoints } from './sparkline.ts';

const mv = (nodeId: string, value: number | null, i: number, passed = true): MetricValue => ({ runId: `r${i}`, nodeId, value, passed, ts: i });

describe('pickMainMetric', () => {
  it('prefers the named metric when it has history, else the one with most values', () => {
    const values = [mv('a', 1, 1), mv('b', 1, 1), mv('b', 2, 2), mv('a', null, 2)];
    expect(pickMainMetric(values)).toBe('b');
    expect(pickMainMetric(values, 'a')).toBe('a');
    expect(pickMainMetric(values, 'missing')).toBe('b');
    expect(pickMainMetric([])).toBeUndefined();
  });
});

describe('sparklinePoints', () => {
  it('spreads the last values across the box, higher values higher up, keeping pass/fail', () => {
    const values = [mv('m', 0, 1), mv('x', 9, 1), mv('m', 10, 2, false), mv('m', 5, 3)];
    expect(sparklinePoints(values, 'm', { width: 80, height: 24, pad: 2 })).toEqual([
      { x: 2, y: 22, value: 0, passed: true, runId: 'r1' },
      { x: 40, y: 2, value: 10, passed: false, runId: 'r2' },
      { x: 78, y: 12, value: 5, passed: true, runId: 'r3' },
    ]);
  });

  it('keeps only the last `max`, centres a single or flat series, and skips nulls', () => {
    const many = Array.from({ length: 20 }, (_, i) => mv('m', i, i));
    const pts = sparklinePoints(many, 'm', { width: 80, height: 24, max: 12 });
    expect(pts).toHaveLength(12);
    expect(pts[0]!.value).toBe(8);
    expect(sparklinePoints([mv('m', 3, 1), mv('m', null, 2)], 'm', { width: 80, height: 24 })).toEqual([{ x: 40, y: 12, value: 3, passed: true, runId: 'r1' }]);
    expect(sparklinePoints([mv('m', 3, 1), mv('m', 3, 2)], 'm', { width: 80, height: 24 }).map((p) => p.y)).toEqual([12, 12]);
  });
});

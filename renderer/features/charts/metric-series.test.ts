// Metric history as chart series and check history as a timeline.
import { describe, expect, it } from 'vitest';
import { chartLines, checkTimeline, metricSeries, paramChoices } from './metric-series.ts';

describe('metricSeries', () => {
  it('gives one point per run per metric, oldest first, with the bounds', () => {
    const s = metricSeries(
      [
        { runId: 'r2', nodeId: 'm', value: 0.9, passed: false, ts: 20, lower: 0, upper: 0.5 },
        { runId: 'r1', nodeId: 'm', value: 0.3, passed: true, ts: 10, lower: 0, upper: 0.5 },
        { runId: 'r1', nodeId: 'a', value: 5, passed: true, ts: 10 },
      ],
      { a: { lower: 1 } },
    );
    expect(s.map((x) => x.nodeId)).toEqual(['a', 'm']);
    expect(s[1]!.points.map((p) => [p.run, p.runId, p.value])).toEqual([
      [1, 'r1', 0.3],
      [2, 'r2', 0.9],
    ]);
    expect(s[1]).toMatchObject({ lower: 0, upper: 0.5, failing: 1 });
    expect(s[0]).toMatchObject({ lower: 1, upper: undefined });
  });
});

describe('metricSeries bands', () => {
  it('bounds that vary per run (learned, or from parameters) become a band; fixed ones stay lines', () => {
    const values = [
      { runId: 'r1', nodeId: 'learned', value: 10, passed: true, ts: 1 },
      { runId: 'r2', nodeId: 'learned', value: 11, passed: true, ts: 2, lower: 7, upper: 13 },
      { runId: 'r3', nodeId: 'learned', value: 40, passed: false, ts: 3, lower: 7.5, upper: 12.5 },
      { runId: 'r1', nodeId: 'fixed', value: 1, passed: true, ts: 1, lower: 0, upper: 2 },
    ];
    const [fixed, learned] = metricSeries(values, { fixed: { lower: 0, upper: 2 } });
    expect(learned!.banded).toBe(true);
    expect(learned!.points.map((p) => p.band)).toEqual([undefined, [7, 13], [7.5, 12.5]]);
    expect(fixed!.banded).toBe(false);
  });
});

describe('metric charts by parameter', () => {
  const values = [
    { runId: 'r1', nodeId: 'm', value: 3, passed: true, ts: 1, params: { threshold: 0.5, region: 'north' } },
    { runId: 'r2', nodeId: 'm', value: 1, passed: true, ts: 2, params: { threshold: 0.3, region: 'south' } },
    { runId: 'r3', nodeId: 'm', value: 2, passed: true, ts: 3, params: { threshold: 0.4, region: 'north' } },
  ];
  const [series] = metricSeries(values);

  it('knows which parameters can be an x axis', () => {
    expect(paramChoices(values)).toEqual([
      { name: 'region', numeric: false, distinct: 2 },
      { name: 'threshold', numeric: true, distinct: 3 },
    ]);
  });

  it('places points by run, or by a parameter in its order', () => {
    expect(chartLines(series!)[0]!.points.map((p) => [p.x, p.value])).toEqual([[1, 3], [2, 1], [3, 2]]);
    expect(chartLines(series!, 'threshold')[0]!.points.map((p) => [p.x, p.value])).toEqual([[0.3, 1], [0.4, 2], [0.5, 3]]);
  });

  it('splits into one line per value of a parameter', () => {
    const lines = chartLines(series!, undefined, 'region');
    expect(lines.map((l) => [l.label, l.points.map((p) => p.runId)])).toEqual([
      ['region = north', ['r1', 'r3']],
      ['region = south', ['r2']],
    ]);
  });
});

describe('checkTimeline', () => {
  it('lines up each check across runs and grades warnings', () => {
    const t = checkTimeline([
      { runId: 'r1', nodeId: 'c', passed: true, severity: 'error', ts: 1 },
      { runId: 'r2', nodeId: 'c', passed: false, severity: 'error', ts: 2 },
      { runId: 'r2', nodeId: 'w', passed: false, severity: 'warning', ts: 2 },
    ]);
    expect(t.runs.map((r) => r.runId)).toEqual(['r1', 'r2']);
    expect(t.rows.map((r) => [r.nodeId, r.cells.map((c) => c?.outcome ?? null)])).toEqual([
      ['c', ['pass', 'fail']],
      ['w', [null, 'warn']],
    ]);
  });
});

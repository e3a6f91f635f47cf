// Metric and check history reshaped for charts: one series per metric node (one point
// per run, oldest first, with the run's parameters), drawn against the run number or a
// numeric parameter and split into one line per value of a parameter; and one row per
// check node across the runs. Pure: unit-tested.
import type { CheckResult, MetricValue, ParamValue } from '../../stores/api-types.ts';

export interface MetricPoint {
  run: number;
  runId: string;
  ts: number;
  value: number | null;
  passed: boolean;
  /** the bounds this run judged by (from parameters or learned from history), when both sides are set */
  band?: [number, number];
  params: Record<string, ParamValue>;
}

export interface MetricSeries {
  nodeId: string;
  points: MetricPoint[];
  lower?: number;
  upper?: number;
  failing: number;
  banded?: boolean;
  /** the warning band of the latest run, when the metric has one */
  warnLower?: number;
  warnUpper?: number;
}

export function metricSeries(values: MetricValue[], bounds: Record<string, { lower?: number; upper?: number }> = {}): MetricSeries[] {
  const byNode = new Map<string, MetricValue[]>();
  for (const v of values) byNode.set(v.nodeId, [...(byNode.get(v.nodeId) ?? []), v]);
  return [...byNode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([nodeId, vs]) => {
      const sorted = [...vs].sort((a, b) => a.ts - b.ts);
      const last = sorted[sorted.length - 1];
      const b = bounds[nodeId];
      return {
        nodeId,
        points: sorted.map((v, i) => ({
          run: i + 1, runId: v.runId, ts: v.ts, value: v.value, passed: v.passed, params: v.params ?? {},
          band: v.lower !== undefined && v.upper !== undefined ? ([v.lower, v.upper] as [number, number]) : undefined,
        })),
        /** per-run bounds vary (learned, or from parameters): drawn as a band instead of lines */
        banded: !b && sorted.some((v) => v.lower !== undefined && v.upper !== undefined),
        warnLower: last?.warnLower,
        warnUpper: last?.warnUpper,
        lower: b ? b.lower : last?.lower,
        upper: b ? b.upper : last?.upper,
        failing: sorted.filter((v) => !v.passed).length,
      };
    });
}

/** The parameters seen in the history: each with whether all its values are numbers (it can be an x axis). */
export function paramChoices(values: Pick<MetricValue, 'params'>[]): { name: string; numeric: boolean; distinct: number }[] {
  const seen = new Map<string, Set<string>>();
  const numeric = new Map<string, boolean>();
  for (const v of values) {
    for (const [name, value] of Object.entries(v.params ?? {})) {
      if (!seen.has(name)) seen.set(name, new Set());
      seen.get(name)!.add(JSON.stringify(value));
      numeric.set(name, (numeric.get(name) ?? true) && typeof value === 'number');
    }
  }
  return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([name, set]) => ({ name, numeric: numeric.get(name) ?? false, distinct: set.size }));
}

export interface ChartPoint extends MetricPoint {
  /** where the point sits on the x axis: the run number or the parameter's value */
  x: number;
}

export interface ChartLine {
  key: string;
  /** "high_risk_threshold = 0.4", or the metric's name when not split */
  label: string;
  points: ChartPoint[];
}

/** The lines of one metric's chart: x by run number or a numeric parameter; one line, or one per value of `splitBy`. */
export function chartLines(series: MetricSeries, xParam?: string, splitBy?: string): ChartLine[] {
  const placed: ChartPoint[] = series.points.flatMap((p) => {
    const x = xParam ? p.params[xParam] : p.run;
    return typeof x === 'number' && Number.isFinite(x) ? [{ ...p, x }] : [];
  });
  const byX = (a: ChartPoint, b: ChartPoint) => a.x - b.x || a.run - b.run;
  if (!splitBy) return [{ key: 'all', label: series.nodeId, points: placed.sort(byX) }];
  const groups = new Map<string, ChartPoint[]>();
  for (const p of placed) {
    const v = p.params[splitBy];
    const label = `${splitBy} = ${v === undefined ? '(not set)' : String(v)}`;
    groups.set(label, [...(groups.get(label) ?? []), p]);
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([label, points], i) => ({ key: `s${i}`, label, points: points.sort(byX) }));
}

export type CheckOutcome = 'pass' | 'warn' | 'fail';

export interface CheckTimeline {
  runs: { runId: string; ts: number }[];
  rows: { nodeId: string; severity: 'error' | 'warning'; cells: (CheckResult & { outcome: CheckOutcome } | undefined)[] }[];
}

export function checkOutcome(c: Pick<CheckResult, 'passed' | 'severity'>): CheckOutcome {
  return c.passed ? 'pass' : c.severity === 'warning' ? 'warn' : 'fail';
}

export function checkTimeline(results: CheckResult[]): CheckTimeline {
  const runTs = new Map<string, number>();
  for (const c of results) runTs.set(c.runId, Math.min(runTs.get(c.runId) ?? Infinity, c.ts));
  const runs = [...runTs.entries()].map(([runId, ts]) => ({ runId, ts })).sort((a, b) => a.ts - b.ts);
  const index = new Map(runs.map((r, i) => [r.runId, i]));
  const rows = new Map<string, CheckTimeline['rows'][number]>();
  for (const c of results) {
    const row = rows.get(c.nodeId) ?? { nodeId: c.nodeId, severity: c.severity, cells: new Array(runs.length).fill(undefined) };
    row.cells[index.get(c.runId)!] = { ...c, outcome: checkOutcome(c) };
    row.severity = c.severity;
    rows.set(c.nodeId, row);
  }
  return { runs, rows: [...rows.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId)) };
}

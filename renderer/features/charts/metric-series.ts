// Metric and check history reshaped for charts: one series per metric node (one point
// per run, oldest first) and one row per check node across the runs. Pure: unit-tested.
import type { CheckResult, MetricValue } from '../../stores/api-types.ts';

export interface MetricPoint {
  run: number;
  runId: string;
  ts: number;
  value: number | null;
  passed: boolean;
  /** the bounds this run judged by (from parameters or learned from history), when both sides are set */
  band?: [number, number];
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
          run: i + 1, runId: v.runId, ts: v.ts, value: v.value, passed: v.passed,
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

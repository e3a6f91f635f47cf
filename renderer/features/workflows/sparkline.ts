// The numbers behind a workflow's sparkline on the home page: which metric stands for the
// workflow (the one the definition lists first, else the one with the most history), and
// where its last runs' values fall in a tiny box. Pure, so it is unit-tested.
import type { MetricValue } from '../../stores/api-types.ts';

export interface SparkPoint {
  x: number;
  y: number;
  value: number;
  passed: boolean;
  runId: string;
}

/** The metric a row shows: `preferred` when it has history, else the one with the most values (first seen wins a tie). */
export function pickMainMetric(values: MetricValue[], preferred?: string): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v.value !== null) counts.set(v.nodeId, (counts.get(v.nodeId) ?? 0) + 1);
  if (preferred && counts.has(preferred)) return preferred;
  let best: string | undefined;
  for (const [id, n] of counts) if (best === undefined || n > counts.get(best)!) best = id;
  return best;
}

/** The last `max` values of `nodeId` (oldest first) placed in a width×height box with `pad` around; a flat series sits mid-height. */
export function sparklinePoints(values: MetricValue[], nodeId: string, o: { width: number; height: number; pad?: number; max?: number }): SparkPoint[] {
  const pad = o.pad ?? 2;
  const series = values.filter((v): v is MetricValue & { value: number } => v.nodeId === nodeId && v.value !== null).slice(-(o.max ?? 12));
  if (series.length === 0) return [];
  const lo = Math.min(...series.map((v) => v.value));
  const hi = Math.max(...series.map((v) => v.value));
  const w = o.width - 2 * pad;
  const h = o.height - 2 * pad;
  const round = (n: number) => Math.round(n * 10) / 10;
  return series.map((v, i) => ({
    x: round(pad + (series.length === 1 ? w / 2 : (i * w) / (series.length - 1))),
    y: round(hi === lo ? pad + h / 2 : pad + h - ((v.value - lo) / (hi - lo)) * h),
    value: v.value,
    passed: v.passed,
    runId: v.runId,
  }));
}

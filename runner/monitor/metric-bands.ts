// A metric's two bands, resolved for one run and judged: `bounds` (outside: the metric's
// severity) and `warn_bounds` (outside, but inside bounds: a warning). A bound is a number,
// a parameter ($name, its value in this run), or learned from the metric's values in its
// last runs (mean ± k·σ, or quantiles). The bundle gets learned bounds as numbers baked
// in at export, and judges them with the same sentences (aqueduct_runtime/kinds.py).
import type { ParamValue } from '../api/types.ts';
import type { Band } from '../spec/monitor-schema.ts';
import { PARAM_REF } from '../spec/monitor-schema.ts';

export interface ResolvedBand {
  lower?: number;
  upper?: number;
  /** set when the bounds were learned: from how many earlier values */
  learnedFrom?: number;
}

export class BandProblem extends Error {}

function boundValue(v: number | string | undefined, params: Record<string, ParamValue>, field: string): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const name = PARAM_REF.exec(v)?.[1] ?? v;
  const value = params[name];
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new BandProblem(`${field} ${v} is ${JSON.stringify(value)} in this run, not a number`);
  return n;
}

/** Linear interpolation between closest ranks (numpy's default, DuckDB's quantile_cont). */
export function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The band's bounds in this run; `history` gives the metric's earlier values (newest first). */
export function resolveBand(band: Band | undefined, params: Record<string, ParamValue>, history: (runs: number) => number[], field: string): ResolvedBand | undefined {
  if (!band) return undefined;
  if (band.history) {
    const h = band.history;
    const values = history(h.runs);
    if (values.length < h.min_runs) return undefined;
    if (h.method === 'quantile') {
      const sorted = [...values].sort((a, b) => a - b);
      return { lower: quantile(sorted, h.quantiles[0]), upper: quantile(sorted, h.quantiles[1]), learnedFrom: values.length };
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    return { lower: mean - h.k * sd, upper: mean + h.k * sd, learnedFrom: values.length };
  }
  const lower = boundValue(band.lower, params, `${field}.lower`);
  const upper = boundValue(band.upper, params, `${field}.upper`);
  if (lower === undefined && upper === undefined) return undefined;
  return { lower, upper };
}

export interface MetricJudgement {
  passed: boolean;
  /** which band the value is outside of */
  band?: 'bounds' | 'warn_bounds';
  message?: string;
}

export function judgeMetric(id: string, value: number, bounds?: ResolvedBand, warn?: ResolvedBand): MetricJudgement {
  const learned = (b: ResolvedBand) => (b.learnedFrom ? ` (learned from the last ${b.learnedFrom} runs)` : '');
  if (bounds?.lower !== undefined && value < bounds.lower) return { passed: false, band: 'bounds', message: `metric ${id} = ${value} is below its lower bound ${bounds.lower}${learned(bounds)}` };
  if (bounds?.upper !== undefined && value > bounds.upper) return { passed: false, band: 'bounds', message: `metric ${id} = ${value} is above its upper bound ${bounds.upper}${learned(bounds)}` };
  if (warn?.lower !== undefined && value < warn.lower) return { passed: false, band: 'warn_bounds', message: `metric ${id} = ${value} is below its lower warning bound ${warn.lower}${learned(warn)}` };
  if (warn?.upper !== undefined && value > warn.upper) return { passed: false, band: 'warn_bounds', message: `metric ${id} = ${value} is above its upper warning bound ${warn.upper}${learned(warn)}` };
  return { passed: true };
}

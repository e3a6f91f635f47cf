// check and metric nodes: one value from SQL (a query giving one row with one column) or
// Python (what run() returns). A check passes on true; a metric is a finite number and
// passes inside its bounds. The bundle runtime mirrors these rules (aqueduct_runtime/kinds.py).
import type { ParamValue } from '../../api/types.ts';
import { queryScalar, withConnection } from '../duck.ts';
import { pythonScalar } from './python.ts';
import { sqlFailure } from './sql.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';
import { runTemplateCheck } from './template-check.ts';
import { BandProblem, judgeMetric, resolveBand } from '../../monitor/metric-bands.ts';
import { NO_HISTORY } from '../../monitor/history.ts';

const EXAMPLE = { check: 'SELECT count(*) = 0 FROM …', metric: 'SELECT avg(x) FROM …' };

async function scalarOf(ctx: NodeContext, kind: 'check' | 'metric'): Promise<ParamValue> {
  if (ctx.node.language === 'python') return pythonScalar(ctx);
  const what = kind === 'check' ? 'a boolean' : 'a number';
  try {
    const r = await withConnection(ctx.duck, ctx.inputs, ctx.signal, (c) => queryScalar(c, ctx.node.source ?? '', ctx.params));
    if (r.empty) throw new NodeFailure(`${ctx.node.codeFile} returned no rows`, undefined, `return one row with ${what}`);
    if (r.moreRows || r.columnCount > 1) {
      const shape = [r.moreRows ? 'more than one row' : '', r.columnCount > 1 ? `${r.columnCount} columns` : ''].filter(Boolean).join(' and ');
      throw new NodeFailure(
        `${ctx.node.codeFile} returned ${shape}; a ${kind} must return one row with one column`,
        undefined,
        `return one row with ${what}, e.g. ${EXAMPLE[kind]}`,
      );
    }
    return r.value as ParamValue;
  } catch (e) {
    throw sqlFailure(ctx, e);
  }
}

export async function runCheck(ctx: NodeContext): Promise<NodeOutcome> {
  if (ctx.node.kind === 'check' && ctx.node.template) return runTemplateCheck(ctx, ctx.node.template);
  const v = await scalarOf(ctx, 'check');
  if (typeof v !== 'boolean') {
    throw new NodeFailure(
      `check ${ctx.node.id} gave ${JSON.stringify(v)}, not true/false`,
      undefined,
      'make the query return a boolean, e.g. SELECT count(*) = 0 FROM ...',
    );
  }
  return { type: 'check', passed: v, value: v, message: v ? undefined : `check ${ctx.node.id} is false` };
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

export async function runMetric(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'metric') throw new Error('not a metric node');
  const raw = await scalarOf(ctx, 'metric');
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (raw === null || !Number.isFinite(value)) {
    // SQL NULL and Python None, NaN and infinities fail alike: a metric is one finite number
    const shown = raw === null ? 'no value (null)' : typeof raw === 'string' && NON_FINITE.has(raw) ? raw : JSON.stringify(raw);
    throw new NodeFailure(`metric ${node.id} gave ${shown}, not a number`, undefined, 'return one finite number, e.g. coalesce(avg(x), 0) in SQL or a default in Python');
  }
  const history = (runs: number) => (ctx.history ?? NO_HISTORY).metricValues(node.id, runs);
  let bounds, warnBounds;
  try {
    bounds = resolveBand(node.bounds, ctx.params, history, 'bounds');
    warnBounds = resolveBand(node.warn_bounds, ctx.params, history, 'warn_bounds');
  } catch (e) {
    if (e instanceof BandProblem) throw new NodeFailure(`metric ${node.id}: ${e.message}`, undefined, 'give the parameter a number, or make the bound a number');
    throw e;
  }
  const j = judgeMetric(node.id, value, bounds, warnBounds);
  const plain = (b?: { lower?: number; upper?: number }) => (b ? { lower: b.lower, upper: b.upper } : undefined);
  return { type: 'metric', value, passed: j.passed, message: j.message, warningOnly: j.band === 'warn_bounds', bounds: plain(bounds), warnBounds: plain(warnBounds) };
}

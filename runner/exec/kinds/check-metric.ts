// check and metric nodes: one value from SQL (first column of the first row) or Python
// (what run() returns). A check passes on true; a metric passes inside its bounds.
import type { ParamValue } from '../../api/types.ts';
import { queryScalar, withConnection } from '../duck.ts';
import { pythonScalar } from './python.ts';
import { sqlFailure } from './sql.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

async function scalarOf(ctx: NodeContext, what: string): Promise<ParamValue> {
  if (ctx.node.language === 'python') return pythonScalar(ctx);
  try {
    const r = await withConnection(ctx.duck, ctx.inputs, ctx.signal, (c) => queryScalar(c, ctx.node.source ?? '', ctx.params));
    if (r.empty) throw new NodeFailure(`${ctx.node.codeFile} returned no rows`, undefined, `return one row with ${what}`);
    return r.value as ParamValue;
  } catch (e) {
    throw sqlFailure(ctx, e);
  }
}

export async function runCheck(ctx: NodeContext): Promise<NodeOutcome> {
  const v = await scalarOf(ctx, 'a boolean');
  if (typeof v !== 'boolean') {
    throw new NodeFailure(
      `check ${ctx.node.id} gave ${JSON.stringify(v)}, not true/false`,
      undefined,
      'make the query return a boolean, e.g. SELECT count(*) = 0 FROM ...',
    );
  }
  return { type: 'check', passed: v, value: v, message: v ? undefined : `check ${ctx.node.id} is false` };
}

export async function runMetric(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'metric') throw new Error('not a metric node');
  const raw = await scalarOf(ctx, 'a number');
  const value = raw === null ? null : typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (value !== null && !Number.isFinite(value)) {
    throw new NodeFailure(`metric ${node.id} gave ${JSON.stringify(raw)}, not a number`, undefined, 'return a single number');
  }
  const { lower, upper } = node.bounds ?? {};
  let message: string | undefined;
  if (value === null && (lower !== undefined || upper !== undefined)) message = `metric ${node.id} is null`;
  else if (value !== null && lower !== undefined && value < lower) message = `metric ${node.id} = ${value} is below its lower bound ${lower}`;
  else if (value !== null && upper !== undefined && value > upper) message = `metric ${node.id} = ${value} is above its upper bound ${upper}`;
  return { type: 'metric', value, passed: !message, message };
}

// python nodes (and Python checks and metrics): run(**inputs, **params) in the warm
// worker pool; tables travel as Parquet files, so nothing big crosses a pipe.
import type { ParamValue } from '../../api/types.ts';
import { PythonCancelledError, PythonError, PythonTimeoutError, type PythonResult } from '../python/pool.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

export async function callPython(ctx: NodeContext): Promise<PythonResult> {
  const inputs = Object.fromEntries([...ctx.inputs].map(([id, t]) => [id, t.path]));
  try {
    return await ctx.python().call({
      nodeId: ctx.node.id,
      code: ctx.node.source ?? '',
      file: ctx.node.codeFile ?? `nodes/${ctx.node.id}.py`,
      inputs,
      params: ctx.params,
      outputPath: ctx.outputPath,
      signal: ctx.signal,
      onLog: (stream, line) => ctx.log(stream, line),
    });
  } catch (e) {
    if (e instanceof PythonError && e.pythonType === 'NodeProblem') throw new NodeFailure(e.message);
    if (e instanceof PythonError) {
      throw new NodeFailure(`${ctx.node.codeFile}: ${e.message}`, whereOnly(e.traceback, e.message), undefined);
    }
    if (e instanceof PythonTimeoutError || e instanceof PythonCancelledError) throw e;
    throw new NodeFailure((e as Error).message);
  }
}

/**
 * The traceback without its last line(s) when they only repeat the message, which is shown
 * right above it: a long exception text is then printed and stored once.
 */
export function whereOnly(traceback: string, message: string): string {
  const t = traceback.trimEnd();
  const m = message.trimEnd();
  return m && t.endsWith(m) && t.length > m.length ? `${t.slice(0, t.length - m.length).trimEnd()}\n` : traceback;
}

export async function runPython(ctx: NodeContext): Promise<NodeOutcome> {
  const r = await callPython(ctx);
  if (r.kind === 'figure') {
    ctx.log('system', `figure saved (${r.width}×${r.height} PNG) for a report`);
    return { type: 'figure', path: r.path, bytes: r.bytes };
  }
  if (r.kind !== 'table') {
    throw new NodeFailure(
      `run() in ${ctx.node.codeFile} returned a ${typeof r.value === 'object' ? 'None' : typeof r.value}, but a python node must return a pandas DataFrame`,
      undefined,
      'return a DataFrame, or make this node a metric or check',
    );
  }
  const { statSync } = await import('node:fs');
  return {
    type: 'table',
    table: { path: ctx.outputPath, rows: r.rows, columns: r.columns },
    bytes: statSync(ctx.outputPath).size,
  };
}

/** What run() returned; NaN and infinities as the text SQL gives for them ("NaN", "Infinity"). */
export async function pythonScalar(ctx: NodeContext): Promise<ParamValue> {
  const r = await callPython(ctx);
  if (r.kind === 'table' || r.kind === 'figure') {
    throw new NodeFailure(
      `run() in ${ctx.node.codeFile} returned a ${r.kind}, but a ${ctx.node.kind} must return a single ${ctx.node.kind === 'check' ? 'True/False' : 'number'}`,
    );
  }
  return r.nonFinite ?? r.value;
}

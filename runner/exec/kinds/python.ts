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
    if (e instanceof PythonError) {
      throw new NodeFailure(`${ctx.node.codeFile}: ${e.message}`, e.traceback, undefined);
    }
    if (e instanceof PythonTimeoutError || e instanceof PythonCancelledError) throw e;
    throw new NodeFailure((e as Error).message);
  }
}

export async function runPython(ctx: NodeContext): Promise<NodeOutcome> {
  const r = await callPython(ctx);
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

export async function pythonScalar(ctx: NodeContext): Promise<ParamValue> {
  const r = await callPython(ctx);
  if (r.kind === 'table') {
    throw new NodeFailure(
      `run() in ${ctx.node.codeFile} returned a table, but a ${ctx.node.kind} must return a single ${ctx.node.kind === 'check' ? 'True/False' : 'number'}`,
    );
  }
  return r.value;
}

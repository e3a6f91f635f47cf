// sql nodes: a DuckDB query over the upstream tables (each a view named by its node id),
// with workflow parameters bound as $name.
import { withConnection, writeQueryToParquet } from '../duck.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

export async function runSql(ctx: NodeContext): Promise<NodeOutcome> {
  const code = ctx.node.source ?? '';
  if (!code.trim()) throw new NodeFailure(`${ctx.node.codeFile} is empty`, undefined, 'write a SELECT query');
  try {
    const out = await withConnection(ctx.duck, ctx.inputs, ctx.signal, (c) =>
      writeQueryToParquet(c, code, ctx.params, ctx.outputPath),
    );
    return { type: 'table', ...out };
  } catch (e) {
    throw sqlFailure(ctx, e);
  }
}

/** A DuckDB error as the user should read it: the file, DuckDB's message, and a hint. */
export function sqlFailure(ctx: NodeContext, e: unknown): NodeFailure {
  if (e instanceof NodeFailure) return e;
  const msg = (e as Error).message ?? String(e);
  const tables = [...ctx.inputs.keys()];
  let fix: string | undefined;
  if (/Table with name .* does not exist/i.test(msg)) {
    fix = tables.length
      ? `this node can read the tables ${tables.join(', ')}; add the table's node to inputs:`
      : 'this node has no inputs: add the upstream node ids under inputs:';
  } else if (/not a parameter of this workflow/.test(msg)) {
    fix = 'declare it under parameters: in workflow.yaml';
  } else if (/INTERRUPT/i.test(msg)) {
    return new NodeFailure('query interrupted');
  }
  return new NodeFailure(`SQL error in ${ctx.node.codeFile}: ${msg.split('\n')[0]}`, msg, fix);
}

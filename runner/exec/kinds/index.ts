// Dispatch from a node's kind to the code that runs it.
import type { NodeKind } from '../../spec/schema.ts';
import { runCheck, runMetric } from './check-metric.ts';
import { runPublish } from './publish.ts';
import { runPython } from './python.ts';
import { runReport } from './report.ts';
import { runSource } from './source.ts';
import { runSql } from './sql.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

const KINDS: Record<NodeKind, (ctx: NodeContext) => Promise<NodeOutcome>> = {
  source: runSource,
  sql: runSql,
  python: runPython,
  check: runCheck,
  metric: runMetric,
  publish: runPublish,
  report: runReport,
};

export function runNodeKind(ctx: NodeContext): Promise<NodeOutcome> {
  // a python node that returned a figure gives no table: only a report can show it
  if (ctx.node.kind !== 'report') {
    const figure = [...ctx.upstream].find(([id, rec]) => rec.kind === 'python' && !ctx.inputs.has(id) && rec.status === 'succeeded');
    if (figure) {
      throw new NodeFailure(`input "${figure[0]}" returned a figure, not a table`, undefined, 'show the figure in a report node (charts: [{ figure: ' + figure[0] + ' }]), or return a DataFrame from it');
    }
  }
  return KINDS[ctx.node.kind](ctx);
}

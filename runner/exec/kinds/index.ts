// Dispatch from a node's kind to the code that runs it.
import type { NodeKind } from '../../spec/schema.ts';
import { runCheck, runMetric } from './check-metric.ts';
import { runPublish } from './publish.ts';
import { runPython } from './python.ts';
import { runSource } from './source.ts';
import { runSql } from './sql.ts';
import type { NodeContext, NodeOutcome } from './types.ts';

const KINDS: Record<NodeKind, (ctx: NodeContext) => Promise<NodeOutcome>> = {
  source: runSource,
  sql: runSql,
  python: runPython,
  check: runCheck,
  metric: runMetric,
  publish: runPublish,
};

export function runNodeKind(ctx: NodeContext): Promise<NodeOutcome> {
  return KINDS[ctx.node.kind](ctx);
}

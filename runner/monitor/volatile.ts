// Nodes whose result depends on more than their code, settings, parameters and inputs:
// the run's time (built-in parameters), or earlier runs (history-based templates, learned
// metric bounds). An earlier run's output of such a node is never reused.
import type { LoadedNode } from '../spec/workflow.ts';
import { HISTORY_TEMPLATES } from '../spec/monitor-schema.ts';
import { BUILTIN_PARAMS } from './builtins.ts';

const USES_BUILTIN = new RegExp(`\\b(${BUILTIN_PARAMS.join('|')})\\b`);

export function isVolatile(node: LoadedNode): boolean {
  if (node.source !== undefined && USES_BUILTIN.test(node.source)) return true;
  if (node.kind === 'check' && node.template) return HISTORY_TEMPLATES.has(node.template.type) || node.template.type === 'freshness';
  if (node.kind === 'metric') return !!(node.bounds?.history || node.warn_bounds?.history);
  return false;
}

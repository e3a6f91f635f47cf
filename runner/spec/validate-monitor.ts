// The rules for checks without code and metric bands that the schema cannot express: a
// template check reads exactly one table; a bound given as $name names a number
// parameter; a band is either fixed bounds or learned from history, with lower ≤ upper;
// a metric read by another node does not share its name with a parameter.
import type { Band } from './monitor-schema.ts';
import { PARAM_REF } from './monitor-schema.ts';
import type { WorkflowFile } from './schema.ts';
import { TABLE_KINDS } from './validate.ts';
import type { LoadedNode, SpecProblem } from './workflow.ts';

const FILE = 'workflow.yaml';

export function monitorProblems(def: WorkflowFile, nodes: LoadedNode[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const params = def.parameters;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const paramBound = (v: number | string | undefined, id: string, field: string) => {
    if (typeof v !== 'string') return;
    const name = PARAM_REF.exec(v)?.[1] ?? '';
    const spec = params[name];
    if (!spec) {
      problems.push({ file: FILE, nodeId: id, field, message: `${v} is not a parameter of this workflow`, fix: `declare ${name} under parameters: (type: number), or write a number` });
    } else if (spec.type !== 'number' && spec.type !== 'integer') {
      problems.push({ file: FILE, nodeId: id, field, message: `${v} is a ${spec.type} parameter; a bound needs a number`, fix: `make ${name} type: number, or write a number` });
    }
  };
  const band = (b: Band | undefined, id: string, field: string) => {
    if (!b) return;
    if (b.history && (b.lower !== undefined || b.upper !== undefined)) {
      problems.push({ file: FILE, nodeId: id, field, message: `${field.split('.').pop()} has both fixed bounds and history`, fix: 'keep lower/upper or history, not both' });
    }
    paramBound(b.lower, id, `${field}.lower`);
    paramBound(b.upper, id, `${field}.upper`);
    if (typeof b.lower === 'number' && typeof b.upper === 'number' && b.lower > b.upper) {
      problems.push({ file: FILE, nodeId: id, field, message: `lower bound ${b.lower} is above upper bound ${b.upper}` });
    }
    if (b.history && b.history.min_runs > b.history.runs) {
      problems.push({ file: FILE, nodeId: id, field: `${field}.history.min_runs`, message: `min_runs ${b.history.min_runs} is more than runs ${b.history.runs}`, fix: `make min_runs at most ${b.history.runs}` });
    }
  };
  nodes.forEach((n, i) => {
    const at = `nodes[${i}]`;
    if (n.kind === 'metric') {
      band(n.bounds, n.id, `${at}.bounds`);
      band(n.warn_bounds, n.id, `${at}.warn_bounds`);
      if (n.id in params && nodes.some((m) => m.inputs.includes(n.id))) {
        problems.push({ file: FILE, nodeId: n.id, field: `${at}.id`, message: `metric "${n.id}" has the name of a parameter, and nodes read it as $${n.id}`, fix: 'rename the metric or the parameter' });
      }
    }
    if (n.kind === 'check' && n.template) {
      const tables = n.inputs.filter((id) => TABLE_KINDS.has(byId.get(id)?.kind ?? ''));
      if (n.inputs.length !== 1 || tables.length !== 1) {
        problems.push({ file: FILE, nodeId: n.id, field: `${at}.inputs`, message: `a ${n.template.type} check reads exactly one table, got ${n.inputs.length} inputs`, fix: 'give it one input: the table it checks' });
      }
      if (n.template.type === 'range') {
        paramBound(n.template.min, n.id, `${at}.template.min`);
        paramBound(n.template.max, n.id, `${at}.template.max`);
        if (n.template.min === undefined && n.template.max === undefined) {
          problems.push({ file: FILE, nodeId: n.id, field: `${at}.template`, message: 'a range check needs min, max or both', fix: 'add e.g. min: 0' });
        }
      }
    }
  });
  return problems;
}

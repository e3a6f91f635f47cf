// Checks the schema cannot express: the graph (unique ids, inputs that exist and carry
// tables, no cycles), publish targets, parameter values against their declared types, the
// $parameters SQL code uses, and the schedule block (by the scheduler's own rule).
import type { ParamValue } from '../api/types.ts';
import { FILE_DESTINATIONS, canonicalDestinationType } from '../connectors/destination-types.ts';
import { definitionPaths, fileTargetProblem, realTarget } from '../connectors/file-target.ts';
import { queryParamNames } from '../connectors/query-params.ts';
import { compileCron, checkTimeZone, ScheduleInvalidError } from '../schedule/cron.ts';
import type { ParameterSpec, WorkflowFile } from './schema.ts';
import { checkReports, isDelivery } from './validate-report.ts';
import type { LoadedNode, SpecProblem } from './workflow.ts';
import { isBuiltinParam } from '../monitor/builtins.ts';
import { monitorProblems } from './validate-monitor.ts';

const FILE = 'workflow.yaml';
/** Kinds whose output is a table another node can read. */
export const TABLE_KINDS = new Set(['source', 'sql', 'python']);

export function checkGraph(def: WorkflowFile, nodes: LoadedNode[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const byId = new Map<string, LoadedNode>();
  nodes.forEach((n, i) => {
    if (byId.has(n.id)) {
      problems.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].id`, message: `duplicate node id "${n.id}"`, fix: 'give each node its own id' });
    }
    byId.set(n.id, n);
  });
  nodes.forEach((n, i) => {
    n.inputs.forEach((input, j) => {
      const field = `nodes[${i}].inputs[${j}]`;
      const up = byId.get(input);
      if (!up) {
        problems.push({ file: FILE, nodeId: n.id, field, message: `input "${input}" is not a node of this workflow`, fix: `add a node "${input}" or remove the input` });
      } else if (up.kind === 'metric' && (n.kind === 'check' || n.kind === 'metric') && !(n.kind === 'check' && n.template)) {
        // a metric input is a value: $name in SQL, an argument in Python
      } else if (!TABLE_KINDS.has(up.kind) && !takesNonTables(n) && !(n.kind === 'publish' && up.kind === 'report')) {
        const also = n.kind === 'check' || n.kind === 'metric' ? ' (a check or metric written in SQL or Python may also read metric nodes)' : '';
        problems.push({ file: FILE, nodeId: n.id, field, message: `input "${input}" is a ${up.kind} node, which gives no table`, fix: `take inputs from source, sql or python nodes${also}` });
      } else if (input === n.id) {
        problems.push({ file: FILE, nodeId: n.id, field, message: 'a node cannot be its own input' });
      }
    });
    if (n.kind === 'source' && !n.file && !n.connection) {
      problems.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].file`, message: 'a source needs a file or a connection with a query', fix: 'set file: data/my.csv' });
    }
    if (n.kind === 'source' && n.connection && !n.query) {
      problems.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].query`, message: 'a connection source needs a query' });
    }
    if (n.kind === 'publish' && n.inputs.length !== 1) {
      problems.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].inputs`, message: `a publish node takes exactly one input table, got ${n.inputs.length}` });
    }
    if (n.kind === 'publish' && n.mode === 'upsert' && !n.key?.length) {
      problems.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].key`, message: 'mode upsert needs key: [columns]' });
    }
  });
  problems.push(...monitorProblems(def, nodes));
  const cycle = findCycle(nodes);
  if (cycle) {
    problems.push({ file: FILE, nodeId: cycle[0], field: 'nodes', message: `cycle: ${cycle.join(' → ')}`, fix: 'remove one of these inputs' });
  }
  for (const [name, spec] of Object.entries(def.parameters)) {
    if (spec.default === undefined || spec.default === null) continue;
    const r = coerceParam(spec, spec.default);
    if (!r.ok) problems.push({ file: FILE, field: `parameters.${name}.default`, message: r.message });
  }
  problems.push(...checkSqlParams(def, nodes), ...checkSchedule(def), ...checkReports(def, nodes));
  return problems;
}

/** Reports read metric and check values too, and deliveries take a report: validate-report.ts checks those inputs. */
function takesNonTables(n: LoadedNode): boolean {
  return n.kind === 'report' || (n.kind === 'publish' && isDelivery(n.destination));
}

/** Every $name a SQL code file uses must be a declared parameter (the run would fail on it). */
function checkSqlParams(def: WorkflowFile, nodes: LoadedNode[]): SpecProblem[] {
  const declared = Object.keys(def.parameters);
  const problems: SpecProblem[] = [];
  nodes.forEach((n, i) => {
    if (n.language !== 'sql' || n.source === undefined) return;
    const metricInputs = n.inputs.filter((id) => nodes.some((m) => m.id === id && m.kind === 'metric'));
    for (const name of queryParamNames(n.source)) {
      if (declared.includes(name) || isBuiltinParam(name) || metricInputs.includes(name)) continue;
      problems.push({
        file: n.codeFile ?? FILE,
        nodeId: n.id,
        field: `nodes[${i}].code`,
        message: `${n.codeFile} uses $${name}, which is not a parameter of this workflow`,
        fix: `declare ${name} under parameters: in workflow.yaml (declared: ${declared.join(', ') || 'none'}), or fix the name`,
      });
    }
  });
  return problems;
}

/** The schedule block, with the rule the scheduler applies (so it is never dropped later with only a log line). */
function checkSchedule(def: WorkflowFile): SpecProblem[] {
  if (!def.schedule) return [];
  const problems: SpecProblem[] = [];
  const asProblem = (e: unknown) => {
    if (!(e instanceof ScheduleInvalidError)) throw e;
    problems.push({ file: FILE, field: `schedule.${e.field}`, message: e.reason, fix: e.example ? `use e.g. ${e.example}` : undefined });
  };
  try {
    compileCron(def.schedule.cron, 'UTC');
  } catch (e) {
    asProblem(e);
  }
  if (def.schedule.timezone !== undefined) {
    try {
      checkTimeZone(def.schedule.timezone);
    } catch (e) {
      asProblem(e);
    }
  }
  return problems;
}

/** What identifies a destination: two publishes of one run may not write the same one. */
function destinationKey(folder: string, n: Extract<LoadedNode, { kind: 'publish' }>): string {
  const d = n.destination;
  const type = canonicalDestinationType(d.type);
  let place = d.path ?? '';
  if (FILE_DESTINATIONS.has(type) && d.path) {
    try {
      place = realTarget(d.path, folder);
    } catch {
      // an unresolvable path is reported by the target check
    }
  }
  const part = type === 'excel' || type === 'google_sheets' ? (d.sheet ?? d.table ?? 'Sheet1') : (d.table ?? '');
  return JSON.stringify([FILE_DESTINATIONS.has(type) ? 'file' : type, place, d.connection ?? '', part]);
}

/**
 * Publish targets: a file destination may not be the workflow's own definition (workflow.yaml,
 * node code, nodes/) nor anything but a regular file; two publishes may not share a destination.
 */
export function checkPublishTargets(folder: string, nodes: LoadedNode[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const protect = definitionPaths(folder, nodes.map((n) => n.codeFile));
  const seen = new Map<string, string>();
  nodes.forEach((n, i) => {
    if (n.kind !== 'publish') return;
    const d = n.destination;
    if (FILE_DESTINATIONS.has(canonicalDestinationType(d.type)) && d.path !== undefined) {
      const p = fileTargetProblem(d.path, folder, protect);
      if (p) problems.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].destination.path`, message: p.message, fix: p.fix });
    }
    const key = destinationKey(folder, n);
    const first = seen.get(key);
    if (first) {
      problems.push({
        file: FILE, nodeId: n.id, field: `nodes[${i}].destination`,
        message: `publishes to the same destination as node "${first}"`,
        fix: 'give each publish a destination of its own (one publish per file, sheet or table)',
      });
    } else {
      seen.set(key, n.id);
    }
  });
  return problems;
}

/** A cycle as a path of node ids that ends where it starts, or undefined. */
export function findCycle(nodes: Pick<LoadedNode, 'id' | 'inputs'>[]): string[] | undefined {
  const inputs = new Map(nodes.map((n) => [n.id, n.inputs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const up of inputs.get(id) ?? []) {
      if (!inputs.has(up)) continue;
      const c = visit(up);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of nodes) {
    const c = visit(n.id);
    // found walking inputs (downstream → upstream): reverse to read in data-flow order
    if (c) return c.reverse();
  }
  return undefined;
}

export type Coerced = { ok: true; value: ParamValue } | { ok: false; message: string };

export function coerceParam(spec: ParameterSpec, value: unknown): Coerced {
  const bad = (what: string): Coerced => ({ ok: false, message: `${JSON.stringify(value)} is not ${what}` });
  if (value === null) return { ok: true, value: null };
  const s = typeof value === 'string' ? value.trim() : undefined;
  switch (spec.type) {
    case 'string':
      return { ok: true, value: String(value) };
    case 'integer': {
      const n = typeof value === 'number' ? value : s !== undefined && s !== '' ? Number(s) : NaN;
      return Number.isInteger(n) ? { ok: true, value: n } : bad('an integer');
    }
    case 'number': {
      const n = typeof value === 'number' ? value : s !== undefined && s !== '' ? Number(s) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : bad('a number');
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (s === 'true' || s === '1' || s === 'yes') return { ok: true, value: true };
      if (s === 'false' || s === '0' || s === 'no') return { ok: true, value: false };
      return bad('a boolean (true/false)');
    case 'date':
      return s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? { ok: true, value: s } : bad('a date (YYYY-MM-DD)');
  }
}

/**
 * The parameter values of one run: defaults overridden by what the trigger gave. Unknown
 * names and badly typed values are errors naming the parameter.
 */
export function resolveParams(
  declared: Record<string, ParameterSpec>,
  overrides: Record<string, unknown>,
): { ok: true; values: Record<string, ParamValue> } | { ok: false; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const values: Record<string, ParamValue> = {};
  for (const name of Object.keys(overrides)) {
    if (!(name in declared)) {
      const known = Object.keys(declared);
      problems.push({ file: FILE, field: `parameters.${name}`, message: `unknown parameter "${name}"`, fix: known.length ? `use one of ${known.join(', ')}` : 'declare it under parameters:' });
    }
  }
  for (const [name, spec] of Object.entries(declared)) {
    const given = name in overrides ? overrides[name] : spec.default;
    if (given === undefined) {
      problems.push({ file: FILE, field: `parameters.${name}`, message: `parameter "${name}" has no default and no value was given`, fix: `pass --param ${name}=…` });
      continue;
    }
    const r = coerceParam(spec, given);
    if (r.ok) values[name] = r.value;
    else problems.push({ file: FILE, field: `parameters.${name}`, message: `parameter "${name}": ${r.message}` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

// Zod's issues retold for people: one sentence naming the field as the user wrote it
// (relative to its node), what was wrong, and a fix with an example to copy. Zod's own
// wording ("expected string, received undefined") never reaches a user.
import type { z } from 'zod';
import {
  CheckNode, Destination, MetricNode, NODE_KINDS, Owner, ParameterSpec, PublishNode, PythonNode, ReportChart, ReportNode, ReportTable, ScheduleSpec, SourceNode, SqlNode, WorkflowFile,
} from './schema.ts';
import type { SpecProblem } from './workflow.ts';
import { CHECK_TEMPLATE_TYPES } from './monitor-schema.ts';

type Path = readonly PropertyKey[];

const FILE = 'workflow.yaml';
const README = 'see the README for the format of workflow.yaml';

/** What to write, by field name: the example a fix shows. */
const EXAMPLES: Record<string, string> = {
  name: 'My workflow', description: 'what it does', id: 'my_node', kind: 'sql', inputs: '[upstream_node]', code: 'nodes/my_node.sql',
  timeout: '300', retries: '1', file: 'data/my.csv', format: 'csv', sheet: 'Sheet1', connection: 'warehouse', query: 'SELECT * FROM orders',
  severity: 'error', bounds: '{ lower: 0, upper: 1 }', lower: '0', upper: '1', mode: 'replace', key: '[id]',
  destination: '{ type: csv, path: out/result.csv }', path: 'out/result.csv', table: 'results', nodes: '[{ id: my_node, kind: sql }]',
  parameters: '{ since: { type: date } }', schedule: '{ cron: "0 6 * * *" }', cron: '"0 6 * * *"', timezone: 'Europe/Berlin',
  paused: 'false', catchup: 'skip', overlap: 'skip', layout: '{}', x: '0', y: '0', default: '0',
  title: 'Churn this week', text: '"Mean churn: {{mean_churn}}"', tables: '[{ input: predictions, rows: 10 }]', charts: '[{ input: by_band, vega_lite: { mark: bar } }]',
  rows: '20', to: '[ana@example.com]', subject: '"Churn report {{date}}"', attach: '[pdf]',
  channel: '"#reports"', owner: '{ name: Ana Lima, email: ana@example.com }', email: 'ana@example.com', watchers: '[ben@example.com]', endpoints: '[predictions]',
  template: '{ type: not_null, columns: [id] }', columns: '[id]', column: 'amount', values: '[paid, refunded]', pattern: "'^[^@]+@.+$'",
  min: '0', max: '100', max_change_percent: '20', runs: '5', max_z: '3', measure: 'mean', max_age_hours: '24',
  warn_bounds: '{ lower: 0.1, upper: 0.9 }', history: '{ runs: 20, method: sigma, k: 3 }',
  null_values: '["", NA, "-"]', delimiter: '";"', header: 'true', encoding: 'utf-8', skip_rows: '2', column_types: '{ zip: string }',
};

const NODE_SCHEMAS = { source: SourceNode, sql: SqlNode, python: PythonNode, check: CheckNode, metric: MetricNode, publish: PublishNode, report: ReportNode } as const;

/** `at`: where the parsed value sits in workflow.yaml, when it is only a part (e.g. ['schedule']). */
export function zodProblems(raw: unknown, error: z.ZodError, at: PropertyKey[] = []): SpecProblem[] {
  const whole = at.reduceRight<unknown>((inner, key) => ({ [key]: inner }), raw);
  return error.issues.flatMap((issue) => describeIssue(whole, { ...issue, path: [...at, ...issue.path] } as z.core.$ZodIssue));
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): SpecProblem[] {
  const path = issue.path;
  const value = valueAt(raw, path);
  const problem = (message: string, fix: string | undefined, at: Path = path): SpecProblem => ({
    file: FILE, nodeId: nodeIdAt(raw, at), field: fieldPath(at) || undefined, message, fix,
  });
  const f = relativeField(path);
  switch (issue.code) {
    case 'invalid_type': {
      if (path.length === 0) {
        return value === null || value === undefined
          ? [problem(`${FILE} is empty`, 'write at least name: and nodes: (see the README for the format)')]
          : [problem(`${FILE} must be a mapping with name: and nodes:, not ${describeValue(value)}`, README)];
      }
      if (value === undefined) return [problem(`${f} is required`, addExample(path, 'add'))];
      return [problem(`${f} must be ${describeExpected(issue.expected)}, not ${describeValue(value)}`, addExample(path, 'write'))];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      if (value === undefined) return [problem(`${f} is required`, `add e.g. ${String(path.at(-1))}: ${allowed[0]} (one of ${allowed.join(', ')})`)];
      return [problem(`${f} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`, `use one of: ${allowed.join(', ')}`)];
    }
    case 'invalid_union': {
      if (path.at(-1) === 'kind') {
        const kinds = NODE_KINDS.join(', ');
        return value === undefined
          ? [problem('kind is required', `add e.g. kind: sql (one of ${kinds})`)]
          : [problem(`kind ${JSON.stringify(value)} is an unknown node kind; use one of ${kinds}`, 'write e.g. kind: sql')];
      }
      if (path.at(-1) === 'type' && path.at(-2) === 'template') {
        const types = CHECK_TEMPLATE_TYPES.join(', ');
        return value === undefined
          ? [problem('template.type is required', `add e.g. type: not_null (one of ${types})`)]
          : [problem(`template type ${JSON.stringify(value)} is unknown; use one of ${types}`, 'write e.g. type: not_null')];
      }
      if (path.at(-1) === 'default') return [problem(`${f} must be text, a number or true/false, not ${describeValue(value)}`, addExample(path, 'write'))];
      return [problem(`${f} cannot be ${describeValue(value)}`, README)];
    }
    case 'unrecognized_keys': {
      const known = knownFields(raw, path);
      const owner = ownerName(raw, path);
      const list = known && `${owner} has the fields ${known.join(', ')}`;
      return issue.keys.map((key) => {
        const near = known ? closest(key, known) : undefined;
        const fix = near ? `did you mean ${near}?${list ? ` ${list[0]!.toUpperCase()}${list.slice(1)}` : ''}` : list ? `remove it; ${list}` : 'remove it';
        return problem(`unknown field ${key}`, fix, [...path, key]);
      });
    }
    case 'too_small':
    case 'too_big': {
      if (!isDefaultMessage(issue.message)) return [problem(issue.message, addExample(path, value === undefined ? 'add' : 'write'))];
      const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      if (issue.origin === 'string' && issue.code === 'too_small' && n === 1) return [problem(`${f} must not be empty`, addExample(path, 'add'))];
      const rule = issue.origin === 'array' || issue.origin === 'string'
        ? `${issue.code === 'too_small' ? 'at least' : 'at most'} ${n} ${issue.origin === 'array' ? 'item' : 'character'}${n === 1 ? '' : 's'}`
        : issue.code === 'too_small' ? (issue.inclusive ? `at least ${n}` : `above ${n}`) : (issue.inclusive ? `at most ${n}` : `below ${n}`);
      return [problem(`${f} must ${issue.origin === 'array' || issue.origin === 'string' ? 'have' : 'be'} ${rule}`, addExample(path, 'write'))];
    }
    case 'invalid_format': {
      const leaf = String(path.at(-1) ?? '');
      if (['lower', 'upper', 'min', 'max'].includes(leaf)) return [problem(`${f} ${JSON.stringify(value)} ${issue.message}`, `write e.g. ${leaf}: 1 or ${leaf}: $max_rate`)];
      const suggestion = typeof value === 'string' ? snakeCase(value) : undefined;
      return [problem(`${f} ${JSON.stringify(value)} ${issue.message}`, suggestion ? `write e.g. ${leaf}: ${suggestion}` : addExample(path, 'write'))];
    }
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? 'is not allowed';
      const key = String(path.at(-1) ?? '');
      const parent = relativeField(path.slice(0, -1));
      return [problem(`${parent}: the name ${JSON.stringify(key)} ${inner.replace(/^parameter names /, '')}`, `rename it to e.g. ${snakeCase(key)}`)];
    }
    case 'custom': {
      const fix = (issue.params as { fix?: string } | undefined)?.fix;
      return [problem(`${f} ${issue.message}`, fix ?? README)];
    }
    default:
      return [problem(`${f || FILE} is not valid here`, README)];
  }
}

/** Zod's built-in messages; a schema's own message (e.g. "a workflow needs at least one node") is already for people. */
function isDefaultMessage(m: string): boolean {
  return /^(Too small|Too big|Invalid)/.test(m);
}

function valueAt(raw: unknown, path: Path): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function nodeIdAt(raw: unknown, path: Path): string | undefined {
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return undefined;
  const id = valueAt(raw, ['nodes', path[1], 'id']);
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** nodes[2].destination.type: the dotted path `SpecProblem.field` carries. */
export function fieldPath(path: Path): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** The field as the user sees it inside its node: destination.type, not nodes[2].destination.type. */
function relativeField(path: Path): string {
  const inNode = path[0] === 'nodes' && typeof path[1] === 'number' && path.length > 2;
  return fieldPath(inNode ? path.slice(2) : path);
}

function addExample(path: Path, verb: 'add' | 'write'): string {
  const leaf = path.at(-1);
  if (typeof leaf === 'number') return path[0] === 'nodes' && path.length === 2 ? `write each node as e.g. { id: my_node, kind: sql }` : README;
  const key = String(leaf);
  const inDestination = path.includes('destination');
  const example = key === 'type' ? (inDestination ? 'csv' : 'string') : EXAMPLES[key];
  return example === undefined ? README : `${verb} e.g. ${key}: ${example}`;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string': return 'text';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object':
    case 'record': return 'a mapping (key: value lines)';
    default: return `a ${expected}`;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string': return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v)}`;
    case 'number': return `the number ${v}`;
    case 'boolean': return `the value ${v}`;
    case 'object': return 'a mapping';
    default: return `a ${typeof v}`;
  }
}

/** The fields the schema allows at `path` (the object holding the unknown key), or undefined. */
function knownFields(raw: unknown, path: Path): string[] | undefined {
  const keys = (shape: object) => {
    const all = Object.keys(shape);
    return ['id', 'kind'].filter((k) => all.includes(k)).concat(all.filter((k) => k !== 'id' && k !== 'kind'));
  };
  if (path.length === 0) return keys(WorkflowFile.shape);
  if (path[0] === 'schedule' && path.length === 1) return keys(ScheduleSpec.shape);
  if (path[0] === 'parameters' && path.length === 2) return keys(ParameterSpec.shape);
  if (path[0] === 'layout' && path.length === 2) return ['x', 'y'];
  if (path[0] === 'owner' && path.length === 1) return keys(Owner.shape);
  if (path[0] !== 'nodes' || typeof path[1] !== 'number') return undefined;
  if (path.length === 3 && path[2] === 'destination') return keys(Destination.shape);
  if (path.length === 4 && path[2] === 'tables') return keys(ReportTable.shape);
  if (path.length === 4 && path[2] === 'charts') return keys(ReportChart.shape);
  if (path.length === 3 && (path[2] === 'bounds' || path[2] === 'warn_bounds')) return ['lower', 'upper', 'history'];
  const kind = valueAt(raw, ['nodes', path[1], 'kind']);
  return path.length === 2 && typeof kind === 'string' && kind in NODE_SCHEMAS ? keys(NODE_SCHEMAS[kind as keyof typeof NODE_SCHEMAS].shape) : undefined;
}

/** Who owns the fields at `path`, as a fix names it: "a sql node", "the destination". */
function ownerName(raw: unknown, path: Path): string {
  if (path.length === 0) return FILE;
  if (path[0] === 'nodes' && path.length === 2) {
    const kind = String(valueAt(raw, [...path, 'kind']));
    return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} node`;
  }
  return relativeField(path);
}

/** The known field within two edits of `key`, if there is one. */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k);
    if (d <= Math.min(2, Math.floor(k.length / 3)) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Bad-Id → bad_id: the nearest name the id rule accepts. */
function snakeCase(s: string): string {
  const out = s.trim().toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return !out ? 'my_node' : /^[0-9]/.test(out) ? `_${out}` : out;
}

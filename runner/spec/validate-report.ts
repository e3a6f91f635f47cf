// What the schema cannot say about reports, their deliveries, owners and endpoints: a
// report reads tables and metric/check values of its inputs, each table or chart names one
// of them, placeholders name something that exists, a chart never loads data from a URL;
// an email, Slack or folder destination delivers exactly one report; owners and watchers
// are email addresses; an endpoint serves a table output.
import { BUILTIN_PLACEHOLDERS, placeholderProblems } from '../reports/placeholders.ts';
import type { Destination, WorkflowFile } from './schema.ts';
import type { LoadedNode, SpecProblem } from './workflow.ts';

const FILE = 'workflow.yaml';
const TABLES = new Set(['source', 'sql', 'python']);
const VALUES = new Set(['metric', 'check']);
/** Destinations that deliver a report to people rather than a table to a system. */
export const DELIVERY_TYPES = ['email', 'slack', 'folder'] as const;
const DELIVERY_FIELDS = ['to', 'cc', 'subject', 'attach', 'max_size_mb', 'channel', 'name', 'optional'] as const;
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;

export function isDelivery(d: Pick<Destination, 'type'>): boolean {
  return (DELIVERY_TYPES as readonly string[]).includes(d.type.trim().toLowerCase());
}

/** An address as written ("Ana <ana@x.org>" or "ana@x.org"), or undefined when it is none. */
export function emailOf(text: string): string | undefined {
  const m = /^\s*(?:[^<>]*<\s*([^<>\s]+)\s*>|([^<>\s]+))\s*$/.exec(text);
  const addr = m?.[1] ?? m?.[2];
  return addr && EMAIL.test(addr) ? addr : undefined;
}

export const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkReports(def: WorkflowFile, nodes: LoadedNode[]): SpecProblem[] {
  const out: SpecProblem[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const params = Object.keys(def.parameters);
  nodes.forEach((n, i) => {
    const at = (field: string, message: string, fix?: string) => out.push({ file: FILE, nodeId: n.id, field: `nodes[${i}]${field ? `.${field}` : ''}`, message, fix });
    if (n.kind === 'report') {
      n.inputs.forEach((input, j) => {
        const up = byId.get(input);
        if (up && !TABLES.has(up.kind) && !VALUES.has(up.kind)) {
          at(`inputs[${j}]`, `input "${input}" is a ${up.kind} node; a report reads tables and metric or check values`, 'take inputs from source, sql, python, metric or check nodes');
        }
      });
      const tableInputs = n.inputs.filter((x) => TABLES.has(byId.get(x)?.kind ?? ''));
      const known = [...n.inputs.filter((x) => VALUES.has(byId.get(x)?.kind ?? '')), ...params, ...BUILTIN_PLACEHOLDERS];
      for (const m of placeholderProblems(n.title, known)) at('title', m);
      for (const m of placeholderProblems(n.text ?? '', known)) at('text', m);
      (n.tables ?? []).forEach((t, j) => {
        if (!tableInputs.includes(t.input)) at(`tables[${j}].input`, `table input "${t.input}" is not a table input of this report`, `add "${t.input}" to inputs: (tables come from source, sql or python nodes)`);
      });
      (n.charts ?? []).forEach((c, j) => {
        const f = `charts[${j}]`;
        if ((c.vega_lite ? 1 : 0) + (c.figure ? 1 : 0) !== 1) {
          at(f, 'a chart is either a Vega-Lite spec (vega_lite:) or a figure from a python node (figure:)', 'give exactly one of vega_lite: or figure:');
          return;
        }
        if (c.figure) {
          const up = byId.get(c.figure);
          if (!n.inputs.includes(c.figure)) at(`${f}.figure`, `figure "${c.figure}" is not an input of this report`, `add "${c.figure}" to inputs:`);
          else if (up && up.kind !== 'python') at(`${f}.figure`, `figure "${c.figure}" is a ${up.kind} node; figures come from python nodes`, 'return a matplotlib or plotly figure (or PNG bytes) from a python node');
          return;
        }
        const data = c.vega_lite?.data as { url?: unknown; values?: unknown } | undefined;
        if (data && typeof data === 'object' && 'url' in data) {
          at(`${f}.vega_lite.data`, 'a chart cannot load data from a URL or file', 'remove data: and set input: to the table the chart shows');
        }
        if (c.input === undefined && !(data && Array.isArray(data.values))) {
          at(`${f}.input`, 'a Vega-Lite chart needs the table it shows', `set input: to one of ${tableInputs.join(', ') || 'the report\'s table inputs'}`);
        } else if (c.input !== undefined && !tableInputs.includes(c.input)) {
          at(`${f}.input`, `chart input "${c.input}" is not a table input of this report`, `add "${c.input}" to inputs:`);
        }
      });
    }
    if (n.kind === 'publish') out.push(...checkDestination(n, i, byId, params));
  });
  out.push(...checkPeople(def), ...checkEndpoints(def, byId));
  return out;
}

function checkDestination(n: Extract<LoadedNode, { kind: 'publish' }>, i: number, byId: Map<string, LoadedNode>, params: string[]): SpecProblem[] {
  const out: SpecProblem[] = [];
  const d = n.destination;
  const at = (field: string, message: string, fix?: string) => out.push({ file: FILE, nodeId: n.id, field: `nodes[${i}].${field}`, message, fix });
  const input = byId.get(n.inputs[0] ?? '');
  const type = d.type.trim().toLowerCase();
  if (!isDelivery(d)) {
    for (const f of DELIVERY_FIELDS) {
      if (d[f] !== undefined) at(`destination.${f}`, `destination.${f} is for email, slack and folder destinations, not ${d.type}`, `remove ${f}:`);
    }
    if (input?.kind === 'report') at('inputs[0]', `input "${input.id}" is a report; a ${d.type} destination takes a table`, 'deliver a report with destination type email, slack or folder');
    return out;
  }
  if (input && input.kind !== 'report') {
    at('inputs[0]', `a ${type} destination delivers a report, but input "${input.id}" is a ${input.kind} node`, 'add a report node that reads it, and deliver that report');
  }
  if (n.mode !== 'replace') at('mode', `mode ${n.mode} does not apply to deliveries (${type})`, 'remove mode:');
  for (const f of ['table', 'sheet'] as const) if (d[f] !== undefined) at(`destination.${f}`, `destination.${f} does not apply to a ${type} delivery`, `remove ${f}:`);
  const known = [...(input?.kind === 'report' ? input.inputs.filter((x) => VALUES.has(byId.get(x)?.kind ?? '')) : []), ...params, ...BUILTIN_PLACEHOLDERS];
  const tableInputs = input?.kind === 'report' ? input.inputs.filter((x) => TABLES.has(byId.get(x)?.kind ?? '')) : [];
  if (type === 'email') {
    if (!d.connection) at('destination.connection', 'an email delivery needs an SMTP connection', 'set connection: to a saved SMTP connection (Connections → SMTP)');
    const to = asList(d.to);
    if (to.length === 0) at('destination.to', 'an email delivery needs recipients', 'set to: [ana@example.com] (or owner, watchers)');
    [...to, ...asList(d.cc)].forEach((r) => {
      if (r !== 'owner' && r !== 'watchers' && !emailOf(r)) at('destination.to', `"${r}" is not an email address`, 'write e.g. ana@example.com or "Ana <ana@example.com>", or owner / watchers');
    });
    for (const m of placeholderProblems(d.subject ?? '', known)) at('destination.subject', m);
  }
  if (type === 'slack') {
    if (!d.connection) at('destination.connection', 'a Slack delivery needs a Slack connection (a bot token)', 'set connection: to a saved Slack connection (Connections → Slack)');
    if (!d.channel?.trim()) at('destination.channel', 'a Slack delivery needs a channel', 'set channel: "#reports" (invite the bot to it)');
  }
  if (type === 'folder') {
    if (!d.path) at('destination.path', 'a folder delivery needs the folder to copy the report into', 'set path: /shared/reports (or a path relative to the workflow folder)');
    if (d.connection) at('destination.connection', 'a folder delivery uses no connection', 'remove connection:');
    for (const m of placeholderProblems(d.name ?? '', known)) at('destination.name', m);
  }
  if (type !== 'email') {
    for (const f of ['to', 'cc', 'subject', 'max_size_mb'] as const) if (d[f] !== undefined) at(`destination.${f}`, `destination.${f} is for email deliveries`, `remove ${f}:`);
  }
  if (type !== 'slack' && d.channel !== undefined) at('destination.channel', 'destination.channel is for Slack deliveries', 'remove channel:');
  (d.attach ?? []).forEach((a, j) => {
    const m = /^([a-z_][a-z0-9_]*)\.(csv|xlsx)$/.exec(a);
    if (a === 'pdf' || a === 'html') return;
    if (!m) at(`destination.attach[${j}]`, `"${a}" is not something to attach`, `use pdf, html, or <table>.csv / <table>.xlsx of the report's tables (${tableInputs.join(', ') || 'none'})`);
    else if (!tableInputs.includes(m[1]!)) at(`destination.attach[${j}]`, `"${m[1]}" is not a table input of report "${input?.id ?? '?'}"`, `attach one of ${tableInputs.map((t) => `${t}.csv`).join(', ') || 'its table inputs'}`);
  });
  return out;
}

function checkPeople(def: WorkflowFile): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (def.owner && !emailOf(def.owner.email)) {
    out.push({ file: FILE, field: 'owner.email', message: `"${def.owner.email}" is not an email address`, fix: 'write e.g. owner: { name: Ana Lima, email: ana@example.com }' });
  }
  (def.watchers ?? []).forEach((w, i) => {
    if (!emailOf(w)) out.push({ file: FILE, field: `watchers[${i}]`, message: `"${w}" is not an email address`, fix: 'write e.g. watchers: [ben@example.com, "Chloé <chloe@example.com>"]' });
  });
  return out;
}

function checkEndpoints(def: WorkflowFile, byId: Map<string, LoadedNode>): SpecProblem[] {
  const out: SpecProblem[] = [];
  (def.endpoints ?? []).forEach((id, i) => {
    const n = byId.get(id);
    if (!n) out.push({ file: FILE, field: `endpoints[${i}]`, message: `endpoint "${id}" is not a node of this workflow`, fix: 'list node ids of source, sql or python nodes' });
    else if (!TABLES.has(n.kind)) out.push({ file: FILE, nodeId: id, field: `endpoints[${i}]`, message: `endpoint "${id}" is a ${n.kind} node, which gives no table`, fix: 'serve the output of a source, sql or python node' });
  });
  return out;
}

// What `aqueduct validate` says about reports, deliveries, owners and endpoints: every
// mistake at once, each naming the node, the field and the fix.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../../test/helpers/home.ts';
import { loadWorkflow } from './load.ts';
import { formatProblem } from './workflow.ts';

const FILES = { 'data/t.csv': 'a,b\n1,2\n', 'nodes/agg.sql': 'SELECT a, sum(b) AS b FROM t GROUP BY a\n', 'nodes/total.sql': 'SELECT sum(b) FROM t\n', 'nodes/ok.sql': 'SELECT true\n', 'nodes/fig.py': 'def run(t):\n    return b""\n' };
const NODES = [
  { id: 't', kind: 'source', file: 'data/t.csv' },
  { id: 'agg', kind: 'sql', inputs: ['t'] },
  { id: 'total', kind: 'metric', inputs: ['t'] },
  { id: 'ok', kind: 'check', inputs: ['t'] },
  { id: 'fig', kind: 'python', inputs: ['t'] },
];

function problems(extra: Record<string, unknown>, nodes: Record<string, unknown>[]): string[] {
  const dir = tempHome('validate-report');
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), YAML.stringify({ name: 'W', parameters: { since: { type: 'date', default: '2024-01-01' } }, ...extra, nodes: [...NODES, ...nodes] }));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const r = loadWorkflow(dir);
  return r.ok ? [] : r.problems.map(formatProblem);
}

const report = (extra: Record<string, unknown> = {}) => ({ id: 'rep', kind: 'report', inputs: ['t', 'agg', 'total', 'ok', 'fig'], title: 'Total {{total}} since {{since}}', ...extra });

describe('validating reports and their deliveries', () => {
  it('accepts a report of tables, metric and check values and a figure, delivered by email, Slack and to a folder', () => {
    expect(
      problems({ owner: { name: 'Ana', email: 'ana@example.com' }, watchers: ['Ben <ben@example.com>'], endpoints: ['agg'] }, [
        report({ text: '{{ok}} on {{date}} in {{workflow}}', tables: [{ input: 'agg', format: { b: 'number:1' } }], charts: [{ input: 'agg', vega_lite: { mark: 'bar' } }, { figure: 'fig' }] }),
        { id: 'mail', kind: 'publish', inputs: ['rep'], destination: { type: 'email', connection: 'smtp', to: ['owner', 'watchers', 'cy@example.com'], subject: '{{title}}', attach: ['pdf', 'agg.csv', 't.xlsx'] } },
        { id: 'chat', kind: 'publish', inputs: ['rep'], destination: { type: 'slack', connection: 'slack', channel: '#reports' } },
        { id: 'drive', kind: 'publish', inputs: ['rep'], destination: { type: 'folder', path: 'out/reports', name: 'rep-{{date}}' } },
      ]),
    ).toEqual([]);
  });

  it('lists every mistake of a report at once', () => {
    expect(
      problems({}, [
        { id: 'csv', kind: 'publish', inputs: ['t'], destination: { type: 'csv', path: 'out/t.csv' } },
        report({
          inputs: ['t', 'csv', 'total'],
          title: '{{totl}}',
          text: '{{total|percentage}}',
          tables: [{ input: 'agg' }],
          charts: [{ input: 't' }, { input: 't', vega_lite: { mark: 'bar', data: { url: 'https://example.com/x.csv' } } }, { figure: 't' }],
        }),
      ]),
    ).toEqual([
      'workflow.yaml, node "rep", field nodes[6].inputs[1]: input "csv" is a publish node; a report reads tables and metric or check values (fix: take inputs from source, sql, python, metric or check nodes)',
      'workflow.yaml, node "rep", field nodes[6].title: {{totl}} names no metric or check input, parameter or run fact (known: total, since, workflow, run_id, date, title)',
      'workflow.yaml, node "rep", field nodes[6].text: {{total|percentage}}: "percentage" is not a format (use percent, number, integer, text, date or datetime, e.g. percent:1)',
      'workflow.yaml, node "rep", field nodes[6].tables[0].input: table input "agg" is not a table input of this report (fix: add "agg" to inputs: (tables come from source, sql or python nodes))',
      'workflow.yaml, node "rep", field nodes[6].charts[0]: a chart is either a Vega-Lite spec (vega_lite:) or a figure from a python node (figure:) (fix: give exactly one of vega_lite: or figure:)',
      'workflow.yaml, node "rep", field nodes[6].charts[1].vega_lite.data: a chart cannot load data from a URL or file (fix: remove data: and set input: to the table the chart shows)',
      'workflow.yaml, node "rep", field nodes[6].charts[2].figure: figure "t" is a source node; figures come from python nodes (fix: return a matplotlib or plotly figure (or PNG bytes) from a python node)',
    ]);
  });

  it('lists every mistake of a delivery, owner and endpoint at once', () => {
    expect(
      problems({ owner: { name: 'Ana', email: 'ana-at-example' }, watchers: ['nobody'], endpoints: ['total', 'gone'] }, [
        report(),
        { id: 'mail', kind: 'publish', inputs: ['rep'], mode: 'append', destination: { type: 'email', to: ['not an address'], subject: '{{nope}}', attach: ['agg.pdf', 'total.csv'], channel: '#x' } },
        { id: 'chat', kind: 'publish', inputs: ['t'], destination: { type: 'slack', connection: 'slack' } },
        { id: 'file', kind: 'publish', inputs: ['rep'], destination: { type: 'csv', path: 'out/x.csv', to: 'a@b.co' } },
      ]),
    ).toEqual([
      'workflow.yaml, node "mail", field nodes[6].mode: mode append does not apply to deliveries (email) (fix: remove mode:)',
      'workflow.yaml, node "mail", field nodes[6].destination.connection: an email delivery needs an SMTP connection (fix: set connection: to a saved SMTP connection (Connections → SMTP))',
      'workflow.yaml, node "mail", field nodes[6].destination.to: "not an address" is not an email address (fix: write e.g. ana@example.com or "Ana <ana@example.com>", or owner / watchers)',
      'workflow.yaml, node "mail", field nodes[6].destination.subject: {{nope}} names no metric or check input, parameter or run fact (known: total, ok, since, workflow, run_id, date, title)',
      'workflow.yaml, node "mail", field nodes[6].destination.channel: destination.channel is for Slack deliveries (fix: remove channel:)',
      'workflow.yaml, node "mail", field nodes[6].destination.attach[0]: "agg.pdf" is not something to attach (fix: use pdf, html, or <table>.csv / <table>.xlsx of the report\'s tables (t, agg, fig))',
      'workflow.yaml, node "mail", field nodes[6].destination.attach[1]: "total" is not a table input of report "rep" (fix: attach one of t.csv, agg.csv, fig.csv)',
      'workflow.yaml, node "chat", field nodes[7].inputs[0]: a slack destination delivers a report, but input "t" is a source node (fix: add a report node that reads it, and deliver that report)',
      'workflow.yaml, node "chat", field nodes[7].destination.channel: a Slack delivery needs a channel (fix: set channel: "#reports" (invite the bot to it))',
      'workflow.yaml, node "file", field nodes[8].destination.to: destination.to is for email, slack and folder destinations, not csv (fix: remove to:)',
      'workflow.yaml, node "file", field nodes[8].inputs[0]: input "rep" is a report; a csv destination takes a table (fix: deliver a report with destination type email, slack or folder)',
      'workflow.yaml, field owner.email: "ana-at-example" is not an email address (fix: write e.g. owner: { name: Ana Lima, email: ana@example.com })',
      'workflow.yaml, field watchers[0]: "nobody" is not an email address (fix: write e.g. watchers: [ben@example.com, "Chloé <chloe@example.com>"])',
      'workflow.yaml, node "total", field endpoints[0]: endpoint "total" is a metric node, which gives no table (fix: serve the output of a source, sql or python node)',
      'workflow.yaml, field endpoints[1]: endpoint "gone" is not a node of this workflow (fix: list node ids of source, sql or python nodes)',
    ]);
  });
});

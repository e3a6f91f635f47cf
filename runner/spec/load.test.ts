import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN, tempHome } from '../../test/helpers/home.ts';
import { loadWorkflow } from './load.ts';
import { formatProblem } from './workflow.ts';
import { resolveParams } from './validate.ts';

function folderWith(yaml: string, files: Record<string, string> = {}): string {
  const dir = tempHome('spec');
  fs.writeFileSync(path.join(dir, 'workflow.yaml'), yaml);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function problems(yaml: string, files: Record<string, string> = {}): string[] {
  const r = loadWorkflow(folderWith(yaml, files));
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
}

describe('loading a workflow folder', () => {
  it('loads the bundled example with every node and its code', () => {
    const r = loadWorkflow(EXAMPLE_CHURN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.workflow.nodes.map((n) => n.id)).toContain('churn_model');
    const model = r.workflow.nodes.find((n) => n.id === 'churn_model')!;
    expect(model.language).toBe('python');
    expect(model.source).toContain('def run(');
    expect(r.workflow.definition.parameters.high_risk_threshold?.default).toBe(0.5);
  });

  it('names the node and field of an unknown node kind', () => {
    const p = problems('name: w\nnodes:\n  - id: a\n    kind: spreadsheet\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toContain('node "a"');
    expect(p[0]).toContain('nodes[0].kind');
    expect(p[0]).toMatch(/unknown node kind; use one of source, sql, python/);
  });

  it('reports a missing input with the fix', () => {
    const p = problems('name: w\nnodes:\n  - id: b\n    kind: sql\n    inputs: [a]\n', { 'nodes/b.sql': 'select 1' });
    expect(p[0]).toBe('workflow.yaml, node "b", field nodes[0].inputs[0]: input "a" is not a node of this workflow (fix: add a node "a" or remove the input)');
  });

  it('reports duplicate ids', () => {
    const p = problems('name: w\nnodes:\n  - {id: a, kind: source, file: x.csv}\n  - {id: a, kind: source, file: y.csv}\n');
    expect(p.join('\n')).toContain('duplicate node id "a"');
  });

  it('reports a cycle with its path', () => {
    const yaml = 'name: w\nnodes:\n  - {id: a, kind: sql, inputs: [c]}\n  - {id: b, kind: sql, inputs: [a]}\n  - {id: c, kind: sql, inputs: [b]}\n';
    const p = problems(yaml, { 'nodes/a.sql': 'select 1', 'nodes/b.sql': 'select 1', 'nodes/c.sql': 'select 1' });
    expect(p.join('\n')).toMatch(/cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/);
  });

  it('reports a parameter default of the wrong type', () => {
    const p = problems('name: w\nparameters:\n  n: {type: integer, default: "many"}\nnodes:\n  - {id: a, kind: source, file: x.csv}\n');
    expect(p.join('\n')).toContain('parameters.n.default: "many" is not an integer');
  });

  it('reports a missing code file and says which files it looked for', () => {
    const p = problems('name: w\nnodes:\n  - {id: a, kind: sql}\n');
    expect(p[0]).toContain('expected nodes/a.sql or nodes/a.py');
  });

  it('bounds a node timeout to what the timer can wait (2,147,483 s), naming the node, the field and the maximum', () => {
    const p = problems('name: w\nnodes:\n  - {id: a, kind: source, file: x.csv}\n  - {id: slow, kind: sql, inputs: [a], timeout: 2147484}\n', { 'nodes/slow.sql': 'SELECT 1' });
    expect(p).toEqual(['workflow.yaml, node "slow", field nodes[1].timeout: timeout can be at most 2147483 seconds (about 24 days) (fix: write e.g. timeout: 300)']);
    const ok = loadWorkflow(folderWith('name: w\nnodes:\n  - {id: a, kind: source, file: x.csv, timeout: 2147483}\n'));
    expect(ok.ok).toBe(true);
  });

  it('reports unknown fields and YAML syntax errors with a position', () => {
    expect(problems('name: w\nnodes:\n  - {id: a, kind: source, file: x.csv, colour: red}\n')[0]).toContain('unknown field colour');
    expect(problems('name: w\nnodes: [\n')[0]).toMatch(/not valid YAML at line \d+/);
  });

  it('refuses input from a node that gives no table', () => {
    const yaml = 'name: w\nnodes:\n  - {id: a, kind: source, file: x.csv}\n  - {id: c, kind: check, inputs: [a]}\n  - {id: d, kind: sql, inputs: [c]}\n';
    const p = problems(yaml, { 'nodes/c.sql': 'select true', 'nodes/d.sql': 'select 1' });
    expect(p.join('\n')).toContain('input "c" is a check node, which gives no table');
  });

  it('says when the folder has no workflow.yaml', () => {
    const r = loadWorkflow(tempHome('empty'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/no workflow.yaml/);
  });
});

describe('run parameters', () => {
  const declared = { n: { type: 'integer' as const, default: 3 }, when: { type: 'date' as const }, on: { type: 'boolean' as const, default: false } };

  it('coerces CLI strings to the declared types and fills defaults', () => {
    expect(resolveParams(declared, { n: '7', when: '2026-01-31', on: 'true' })).toEqual({ ok: true, values: { n: 7, when: '2026-01-31', on: true } });
  });

  it('refuses unknown names, bad values and missing required ones, naming each', () => {
    const r = resolveParams(declared, { n: '7.5', nope: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.map(formatProblem).join('\n');
    expect(text).toContain('unknown parameter "nope"');
    expect(text).toContain('parameter "n": "7.5" is not an integer');
    expect(text).toContain('parameter "when" has no default');
  });
});

// The editor's rules as pure functions: connections refused with a reason (cycles named),
// fresh ids on add and paste, renames that carry inputs/layout/code along, templates.
import { describe, expect, it } from 'vitest';
import { starterCode, type GraphDoc, type NodeSpec } from './graph-doc.ts';
import * as ops from './graph-ops.ts';

const node = (id: string, kind: NodeSpec['kind'], inputs: string[] = []): NodeSpec =>
  ({ id, kind, inputs, retries: 0, ...(kind === 'check' || kind === 'metric' ? { severity: 'error' } : {}), ...(kind === 'source' ? { file: 'd.csv' } : {}), ...(kind === 'publish' ? { destination: { type: 'csv', path: 'o.csv' }, mode: 'replace' } : {}) }) as NodeSpec;

function doc(nodes: NodeSpec[], code: Record<string, string> = {}): GraphDoc {
  const languages = Object.fromEntries(Object.keys(code).map((id) => [id, nodes.find((n) => n.id === id)?.kind === 'python' ? 'python' : 'sql'] as const));
  const layout = Object.fromEntries(nodes.map((n, i) => [n.id, { x: i * 250, y: 0 }]));
  return { definition: { name: 'w', parameters: {}, nodes, layout }, code, languages };
}

// src → a → b → c, and a metric m on c
const chain = () =>
  doc([node('src', 'source'), node('a', 'sql', ['src']), node('b', 'sql', ['a']), node('c', 'python', ['b']), node('m', 'metric', ['c'])], {
    a: 'SELECT * FROM src',
    b: 'SELECT x, a.y, src.a FROM a JOIN src USING (x)',
    c: 'def run(b):\n    return b\n',
    m: 'SELECT count(*) FROM c',
  });

describe('canConnect', () => {
  it('lets a check or metric in SQL or Python read a metric, but not a template check', () => {
    const d = doc([...chain().definition.nodes, node('ok', 'check', ['c']), node('ratio', 'metric', ['c']), { ...node('t', 'check', ['c']), template: { type: 'not_null', columns: ['x'] } } as NodeSpec]);
    expect(ops.canConnect(d, 'm', 'ok')).toEqual({ ok: true });
    expect(ops.canConnect(d, 'm', 'ratio')).toEqual({ ok: true });
    expect(ops.canConnect(d, 'm', 't')).toMatchObject({ ok: false, reason: expect.stringContaining('m is a metric node, which gives no table') });
  });
  it('refuses a cycle and names it in data-flow order', () => {
    const r = ops.canConnect(chain(), 'c', 'a');
    expect(r).toEqual({ ok: false, reason: 'it would create a cycle: a → b → c → a' });
  });
  it('refuses self-loops, tables from check/metric/publish, inputs into sources, a second publish input', () => {
    const d = ops.connect(doc([...chain().definition.nodes, node('p', 'publish', ['a'])]), 'a', 'a');
    expect(d).toMatchObject({ ok: false, reason: 'a node cannot be its own input' });
    expect(ops.canConnect(chain(), 'm', 'b')).toMatchObject({ ok: false, reason: expect.stringContaining('m is a metric node, which gives no table') });
    expect(ops.canConnect(chain(), 'a', 'src')).toMatchObject({ ok: false, reason: expect.stringContaining('takes no inputs') });
    const withPublish = doc([...chain().definition.nodes, node('p', 'publish', ['a'])]);
    expect(ops.canConnect(withPublish, 'b', 'p')).toMatchObject({ ok: false, reason: 'a publish node takes exactly one input, and p already reads a' });
    expect(ops.canConnect(chain(), 'src', 'a')).toMatchObject({ ok: false, reason: 'a already reads src' });
  });
  it('connects, and starter code follows the new inputs until it is edited', () => {
    const added = ops.addNode(chain(), 'sql', { x: 0, y: 300 });
    expect(added.id).toBe('sql_1');
    expect(added.doc.code.sql_1).toBe(starterCode('sql', 'sql', []));
    const r = ops.connect(added.doc, 'b', 'sql_1');
    if (!r.ok) throw new Error(r.reason);
    expect(r.doc.definition.nodes.find((n) => n.id === 'sql_1')!.inputs).toEqual(['b']);
    expect(r.doc.code.sql_1).toBe('SELECT *\nFROM b\n');
    const edited = ops.setCode(r.doc, 'sql_1', 'SELECT 1');
    const again = ops.connect(edited, 'a', 'sql_1');
    expect(again.ok && again.doc.code.sql_1).toBe('SELECT 1');
  });
});

describe('add, delete', () => {
  it('gives each new node a fresh id and a free position', () => {
    let d = chain();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = ops.addNode(d, 'python', { x: 0, y: 0 });
      d = r.doc;
      ids.push(r.id);
    }
    expect(ids).toEqual(['python_1', 'python_2', 'python_3']);
    const spots = ids.map((id) => JSON.stringify(d.definition.layout[id]));
    expect(new Set(spots).size).toBe(3);
    expect(d.code.python_1).toMatch(/^import pandas as pd\n\n\ndef run\(\):/);
  });
  it('deleting a node removes its code, position and the inputs naming it', () => {
    const d = ops.removeNodes(chain(), ['b']);
    expect(d.definition.nodes.map((n) => n.id)).toEqual(['src', 'a', 'c', 'm']);
    expect(d.definition.nodes.find((n) => n.id === 'c')!.inputs).toEqual([]);
    expect(d.code.b).toBeUndefined();
    expect(d.definition.layout.b).toBeUndefined();
  });
  it('deleting an edge removes just that input', () => {
    const d = ops.removeEdges(chain(), [{ source: 'a', target: 'b' }]);
    expect(d.definition.nodes.find((n) => n.id === 'b')!.inputs).toEqual([]);
    expect(d.definition.nodes).toHaveLength(5);
  });
});

describe('renameNode', () => {
  it('moves inputs, layout, code and table names in the readers’ code', () => {
    const r = ops.renameNode(chain(), 'a', 'clean');
    if (!r.ok) throw new Error(r.reason);
    const d = r.doc;
    expect(d.definition.nodes.map((n) => n.id)).toEqual(['src', 'clean', 'b', 'c', 'm']);
    expect(d.definition.nodes.find((n) => n.id === 'b')!.inputs).toEqual(['clean']);
    expect(d.definition.layout.clean).toEqual({ x: 250, y: 0 });
    expect(d.definition.layout.a).toBeUndefined();
    expect(d.code.clean).toBe('SELECT * FROM src');
    // `a.y` is qualified by the table and follows it; `src.a` is a column named a: left alone
    expect(d.code.b).toBe('SELECT x, clean.y, src.a FROM clean JOIN src USING (x)');
    expect(d.languages.clean).toBe('sql');
  });
  it('renames a conventional code file and keeps a custom one', () => {
    const base = chain();
    base.definition.nodes[1] = { ...base.definition.nodes[1]!, code: 'nodes/a.sql' };
    base.definition.nodes[2] = { ...base.definition.nodes[2]!, code: 'queries/b.sql' };
    const r1 = ops.renameNode(base, 'a', 'a2');
    const r2 = ops.renameNode(base, 'b', 'b2');
    expect(r1.ok && r1.doc.definition.nodes[1]!.code).toBe('nodes/a2.sql');
    expect(r2.ok && r2.doc.definition.nodes[2]!.code).toBe('queries/b.sql');
  });
  it('refuses taken and invalid ids', () => {
    expect(ops.renameNode(chain(), 'a', 'b')).toEqual({ ok: false, reason: 'there is already a node b' });
    expect(ops.renameNode(chain(), 'a', 'Bad Name')).toMatchObject({ ok: false, reason: expect.stringContaining('not a valid id') });
  });
});

describe('copy and paste', () => {
  it('pastes copies with new ids; inputs inside the copy point at the copies', () => {
    const d0 = chain();
    const clip = ops.copyNodes(d0, ['a', 'b']);
    const r = ops.pasteNodes(d0, clip, { x: 40, y: 40 });
    expect(r.ids).toEqual(['a_copy', 'b_copy']);
    const byId = new Map(r.doc.definition.nodes.map((n) => [n.id, n]));
    expect(byId.get('a_copy')!.inputs).toEqual(['src']); // outside input kept
    expect(byId.get('b_copy')!.inputs).toEqual(['a_copy']);
    expect(r.doc.code.b_copy).toBe('SELECT x, a_copy.y, src.a FROM a_copy JOIN src USING (x)');
    // the group moves together to where it overlaps nothing, keeping its shape
    const [pa, pb] = [r.doc.definition.layout.a_copy!, r.doc.definition.layout.b_copy!];
    expect(pa.x).toBe(290);
    expect(pb.x - pa.x).toBe(250);
    expect(pb.y).toBe(pa.y);
    expect(pa.y).toBeGreaterThanOrEqual(62);
    // pasting again gives other fresh ids
    const again = ops.pasteNodes(r.doc, clip, { x: 40, y: 40 });
    expect(again.ids).toEqual(['a_copy_2', 'b_copy_2']);
    const ids = again.doc.definition.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('settings', () => {
  it('switching a metric to Python swaps untouched starter code and names a .py file', () => {
    const added = ops.addNode(chain(), 'metric', { x: 0, y: 0 });
    const c = ops.connect(added.doc, 'b', 'metric_1');
    if (!c.ok) throw new Error(c.reason);
    const d = ops.setLanguage(c.doc, 'metric_1', 'python');
    expect(d.languages.metric_1).toBe('python');
    expect(d.code.metric_1).toBe(starterCode('metric', 'python', ['b']));
    expect(d.definition.nodes.find((n) => n.id === 'metric_1')!.code).toBe('nodes/metric_1.py');
  });
  it('auto layout places every node, left to right', () => {
    const d = ops.autoLayout(chain());
    const l = d.definition.layout;
    expect(l.src!.x).toBeLessThan(l.a!.x);
    expect(l.a!.x).toBeLessThan(l.b!.x);
  });
});

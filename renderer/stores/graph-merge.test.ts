// Merging edits made in another editor with unsaved edits here: different nodes both
// kept, the same change taken once, a clash on one node's code reported with both sides,
// and undo/redo over documents with typing joined into one step.
import { describe, expect, it } from 'vitest';
import type { GraphDoc, NodeSpec } from './graph-doc.ts';
import * as ops from './graph-ops.ts';
import { emptyHistory, record, redo, undo } from './graph-history.ts';
import { mergeDocs, resolveConflict } from './graph-merge.ts';

const sql = (id: string, inputs: string[] = []): NodeSpec => ({ id, kind: 'sql', inputs, retries: 0 });
const base: GraphDoc = {
  definition: { name: 'w', parameters: {}, nodes: [sql('a'), sql('b', ['a']), sql('c', ['a'])], layout: { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 300, y: 100 } } },
  code: { a: 'SELECT 1 AS x', b: 'SELECT * FROM a', c: 'SELECT x FROM a' },
  languages: { a: 'sql', b: 'sql', c: 'sql' },
};

describe('mergeDocs', () => {
  it('keeps their change to one node and ours to another', () => {
    const ours = ops.setCode(base, 'b', 'SELECT x * 2 AS y FROM a');
    const theirs = ops.setCode(base, 'c', 'SELECT x + 1 AS z FROM a');
    const m = mergeDocs(base, ours, theirs);
    expect(m.conflicts).toEqual([]);
    expect(m.doc.code).toMatchObject({ b: 'SELECT x * 2 AS y FROM a', c: 'SELECT x + 1 AS z FROM a' });
  });

  it('takes nodes they added and keeps nodes we added; a setting and an input on one node merge by field', () => {
    const ours = ops.connect(ops.addNode(base, 'sql', { x: 0, y: 300 }).doc, 'b', 'sql_1');
    if (!ours.ok) throw new Error(ours.reason);
    const theirs: GraphDoc = { ...base, definition: { ...base.definition, nodes: [...base.definition.nodes.map((n) => (n.id === 'b' ? { ...n, description: 'theirs' } : n)), sql('d', ['c'])] }, code: { ...base.code, d: 'SELECT 2' } };
    const oursWithTimeout = ops.updateNode(ours.doc, 'b', { ...sql('b', ['a']), timeout: 30 });
    const m = mergeDocs(base, oursWithTimeout, theirs);
    expect(m.conflicts).toEqual([]);
    expect(m.doc.definition.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'sql_1', 'd']);
    expect(m.doc.definition.nodes.find((n) => n.id === 'b')).toMatchObject({ description: 'theirs', timeout: 30 });
    expect(m.doc.code.d).toBe('SELECT 2');
  });

  it('reports different edits of the same code with both sides, and settles either way', () => {
    const ours = ops.setCode(base, 'b', 'SELECT ours FROM a');
    const theirs = ops.setCode(base, 'b', 'SELECT theirs FROM a');
    const m = mergeDocs(base, ours, theirs);
    expect(m.conflicts).toEqual([{ nodeId: 'b', part: 'code', ours: { code: 'SELECT ours FROM a', language: 'sql' }, theirs: { code: 'SELECT theirs FROM a', language: 'sql' } }]);
    expect(m.doc.code.b).toBe('SELECT ours FROM a');
    expect(resolveConflict(m.doc, m.conflicts[0]!, 'theirs').code.b).toBe('SELECT theirs FROM a');
    expect(resolveConflict(m.doc, m.conflicts[0]!, 'ours').code.b).toBe('SELECT ours FROM a');
  });

  it('takes the same edit made on both sides once, without a conflict', () => {
    const both = ops.setCode(base, 'a', 'SELECT 2 AS x');
    expect(mergeDocs(base, both, both)).toEqual({ doc: both, conflicts: [] });
  });

  it('a node deleted there but edited here is kept; deleted there and untouched here goes', () => {
    const theirs = ops.removeNodes(base, ['b', 'c']);
    const ours = ops.setCode(base, 'b', 'SELECT 42 FROM a');
    const m = mergeDocs(base, ours, theirs);
    expect(m.doc.definition.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(m.doc.code.b).toBe('SELECT 42 FROM a');
    expect(m.doc.code.c).toBeUndefined();
  });

  it('drops inputs that name a node gone from the merge', () => {
    const theirs = ops.removeNodes(base, ['a']);
    const ours = ops.addNode(base, 'sql', { x: 0, y: 0 }).doc;
    const m = mergeDocs(base, ours, theirs);
    expect(m.doc.definition.nodes.every((n) => !n.inputs.includes('a'))).toBe(true);
  });
});

describe('history', () => {
  it('undoes and redoes whole documents; typing in one place joins into one step', () => {
    let h = emptyHistory();
    let d = base;
    const step = (next: GraphDoc, key: string | undefined, t: number) => {
      h = record(h, d, key, t);
      d = next;
    };
    step(ops.addNode(d, 'sql', { x: 0, y: 0 }).doc, undefined, 0);
    step(ops.setCode(d, 'a', 'S'), 'code:a', 10);
    step(ops.setCode(d, 'a', 'SE'), 'code:a', 20);
    step(ops.setCode(d, 'a', 'SEL'), 'code:a', 30);
    expect(h.past).toHaveLength(2);
    const u1 = undo(h, d)!;
    expect(u1.doc.code.a).toBe('SELECT 1 AS x');
    expect(u1.doc.code.sql_1).toBeDefined();
    const u2 = undo(u1.history, u1.doc)!;
    expect(u2.doc).toBe(base);
    expect(undo(u2.history, u2.doc)).toBeUndefined();
    const r1 = redo(u2.history, u2.doc)!;
    const r2 = redo(r1.history, r1.doc)!;
    expect(r2.doc.code.a).toBe('SEL');
    expect(redo(r2.history, r2.doc)).toBeUndefined();
  });
});

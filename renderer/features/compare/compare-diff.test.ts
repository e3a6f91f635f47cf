// Comparing two runs: line diffs of code, node settings that differ, and per output the
// row count and schema changes.
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../stores/api-types.ts';
import { compareOutputs, compareVersions, lineDiff, rowDelta } from './compare-diff.ts';

describe('lineDiff', () => {
  it('keeps common lines and marks the rest', () => {
    const d = lineDiff('SELECT a\nFROM t\nWHERE x', 'SELECT a, b\nFROM t\nWHERE x\nLIMIT 5');
    expect(d.map((l) => `${l.type[0]}${l.text}`)).toEqual(['dSELECT a', 'aSELECT a, b', 'sFROM t', 'sWHERE x', 'aLIMIT 5']);
    expect(d.filter((l) => l.type === 'same').map((l) => [l.a, l.b])).toEqual([[2, 2], [3, 3]]);
  });
  it('is all "same" for equal text', () => {
    expect(lineDiff('a\nb', 'a\nb').every((l) => l.type === 'same')).toBe(true);
  });
});

describe('compareVersions', () => {
  it('lists added, removed and changed nodes with the code diff and the settings that differ', () => {
    const a = { nodes: [{ id: 's', kind: 'source', file: 'a.csv' }, { id: 'q', kind: 'sql', inputs: ['s'] }, { id: 'old', kind: 'sql' }], code: { q: 'SELECT 1', old: 'SELECT 0' } };
    const b = { nodes: [{ id: 's', kind: 'source', file: 'b.csv' }, { id: 'q', kind: 'sql', inputs: ['s'] }, { id: 'new', kind: 'python' }], code: { q: 'SELECT 2', new: 'def run():\n    pass' } };
    const c = compareVersions(a, b);
    expect(c.map((n) => [n.id, n.change, n.settings])).toEqual([
      ['s', 'changed', ['file']],
      ['q', 'changed', []],
      ['new', 'added', []],
      ['old', 'removed', []],
    ]);
    expect(c[1]!.diff!.map((l) => l.type)).toEqual(['del', 'add']);
  });
});

describe('compareOutputs', () => {
  const run = (nodes: RunDetail['nodes']): RunDetail => ({ nodes }) as RunDetail;
  it('reports rows and columns added, removed and retyped', () => {
    const a = run([
      { runId: 'a', nodeId: 't', kind: 'sql', status: 'succeeded', attempts: 1, rows: 100, columns: [{ name: 'id', type: 'INTEGER' }, { name: 'x', type: 'DOUBLE' }, { name: 'gone', type: 'VARCHAR' }] },
      { runId: 'a', nodeId: 'm', kind: 'metric', status: 'succeeded', attempts: 1, value: 0.4 },
    ]);
    const b = run([
      { runId: 'b', nodeId: 't', kind: 'sql', status: 'succeeded', attempts: 1, rows: 120, columns: [{ name: 'id', type: 'BIGINT' }, { name: 'x', type: 'DOUBLE' }, { name: 'y', type: 'VARCHAR' }] },
      { runId: 'b', nodeId: 'm', kind: 'metric', status: 'succeeded', attempts: 1, value: 0.5 },
      { runId: 'b', nodeId: 'n', kind: 'sql', status: 'succeeded', attempts: 1, rows: 3, columns: [{ name: 'k', type: 'INTEGER' }] },
    ]);
    const [t, m, n] = compareOutputs(a, b);
    expect(t).toMatchObject({ id: 't', rowsA: 100, rowsB: 120, added: [{ name: 'y' }], removed: [{ name: 'gone' }], retyped: [{ name: 'id', from: 'INTEGER', to: 'BIGINT' }] });
    expect(m).toMatchObject({ id: 'm', valueA: 0.4, valueB: 0.5 });
    expect(n).toMatchObject({ id: 'n', only: 'b', added: [] });
    expect(rowDelta(100, 120)).toBe('+20 (+20.0%)');
    expect(rowDelta(5, 5)).toBe('no change');
  });
});

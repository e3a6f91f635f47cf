import { describe, expect, it } from 'vitest';
import type { LoadedNode } from '../../stores/api-types.ts';
import { asStoredVersion, differsFromCurrent, versionNodes } from './version-model.ts';

const stored = {
  name: 'wf',
  parameters: {},
  nodes: [
    { id: 'customers', kind: 'source', inputs: [], retries: 0, file: 'data/c.csv' },
    { id: 'features', kind: 'sql', inputs: ['customers'], retries: 0 },
    { id: 'mean_p', kind: 'metric', inputs: ['features'], retries: 0, severity: 'error' },
    { id: 'model', kind: 'python', inputs: ['features'], retries: 0 },
  ],
  code: { features: 'SELECT 1', mean_p: 'import pandas\ndef metric(df): return 1', model: 'x = 1' },
  layout: { customers: { x: 0, y: 0 } },
};

describe('versionNodes', () => {
  it('puts each node’s code as it ran on it, with its language', () => {
    const v = asStoredVersion(stored)!;
    const nodes = versionNodes(v);
    expect(nodes.map((n) => [n.id, n.source, n.language])).toEqual([
      ['customers', undefined, undefined],
      ['features', 'SELECT 1', 'sql'],
      ['mean_p', 'import pandas\ndef metric(df): return 1', 'python'],
      ['model', 'x = 1', 'python'],
    ]);
    expect(nodes[1]!.inputs).toEqual(['customers']);
  });

  it('rejects what is not a workflow', () => {
    expect(asStoredVersion(null)).toBeUndefined();
    expect(asStoredVersion({ name: 'x' })).toBeUndefined();
  });
});

describe('differsFromCurrent', () => {
  const current = (): LoadedNode[] => versionNodes(asStoredVersion(stored)!).map((n) => ({ ...n, codeFile: `nodes/${n.id}` }) as LoadedNode);

  it('is false for the same nodes and code (layout, code file paths and empty defaults aside)', () => {
    const now = current().map((n) => (n.id === 'customers' ? ({ ...n, retries: undefined, inputs: [] } as unknown as LoadedNode) : n));
    expect(differsFromCurrent(asStoredVersion({ ...stored, layout: {} })!, { nodes: now })).toBe(false);
  });

  it('is true when code, wiring or settings changed', () => {
    const v = asStoredVersion(stored)!;
    expect(differsFromCurrent(v, { nodes: current().map((n) => (n.id === 'features' ? { ...n, source: 'SELECT 2' } : n)) })).toBe(true);
    expect(differsFromCurrent(v, { nodes: current().map((n) => (n.id === 'model' ? { ...n, inputs: ['customers'] } : n)) })).toBe(true);
    expect(differsFromCurrent(v, { nodes: current().slice(1) })).toBe(true);
  });
});

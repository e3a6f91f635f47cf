// Reports in the editor's model: which connections a report takes (tables, metric and
// check values) and gives (a publish that delivers it), and its references following a
// rename or a removal, as the served outputs do.
import { describe, expect, it } from 'vitest';
import type { GraphDoc } from './graph-doc.ts';
import { canConnect, removeNodes, renameNode } from './graph-ops.ts';

const doc: GraphDoc = {
  definition: {
    name: 'W',
    parameters: {},
    layout: {},
    endpoints: ['t', 'agg'],
    nodes: [
      { id: 't', kind: 'source', inputs: [], retries: 0, file: 'data/t.csv' },
      { id: 'agg', kind: 'sql', inputs: ['t'], retries: 0 },
      { id: 'total', kind: 'metric', inputs: ['t'], retries: 0, severity: 'error' },
      { id: 'rep', kind: 'report', inputs: ['agg'], retries: 0, title: 'R', tables: [{ input: 'agg' }], charts: [{ input: 'agg', vega_lite: { mark: 'bar' } }] },
      { id: 'mail', kind: 'publish', inputs: [], retries: 0, destination: { type: 'email' }, mode: 'replace' },
      { id: 'csv', kind: 'publish', inputs: [], retries: 0, destination: { type: 'csv', path: 'x.csv' }, mode: 'replace' },
    ],
  },
  code: { agg: 'SELECT * FROM t', total: 'SELECT count(*) FROM t' },
  languages: { agg: 'sql', total: 'sql' },
};

describe('reports in the graph', () => {
  it('take metric values and tables, and are delivered by a publish node', () => {
    expect(canConnect(doc, 'total', 'rep')).toEqual({ ok: true });
    expect(canConnect(doc, 'rep', 'mail')).toEqual({ ok: true });
    expect(canConnect(doc, 'total', 'agg')).toEqual({ ok: false, reason: 'total is a metric node, which gives no table: inputs come from source, sql or python nodes' });
    expect(canConnect(doc, 'rep', 'agg')).toEqual({ ok: false, reason: 'rep is a report node, which gives no table: inputs come from source, sql or python nodes (deliver a report with a publish node)' });
  });

  it('keep their tables, charts and the served outputs pointing at a renamed node', () => {
    const r = renameNode(doc, 'agg', 'by_band');
    if (!r.ok) throw new Error(r.reason);
    const rep = r.doc.definition.nodes.find((n) => n.id === 'rep');
    expect(rep).toMatchObject({ inputs: ['by_band'], tables: [{ input: 'by_band' }], charts: [{ input: 'by_band' }] });
    expect(r.doc.definition.endpoints).toEqual(['t', 'by_band']);
  });

  it('stop serving a removed node', () => {
    expect(removeNodes(doc, ['agg']).definition.endpoints).toEqual(['t']);
    expect(removeNodes(doc, ['agg', 't']).definition.endpoints).toBeUndefined();
  });
});

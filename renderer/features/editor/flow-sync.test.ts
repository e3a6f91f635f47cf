// The canvas's dashed "waits on" edges: from each check and metric whose failure holds the
// publishes back, to each publish.
import { describe, expect, it } from 'vitest';
import { syncEdges } from './flow-sync.ts';

const gateEdges = (specs: Parameters<typeof syncEdges>[1]) => syncEdges([], specs).filter((e) => e.id.startsWith('gate:')).map((e) => e.id);

describe('gate edges to publishes', () => {
  const table = { id: 'orders', kind: 'sql' as const, inputs: [] };
  const publish = { id: 'to_csv', kind: 'publish' as const, inputs: ['orders'] };

  it('come from error checks and metrics with bounds, not from warnings or unbounded metrics', () => {
    expect(
      gateEdges([
        table,
        publish,
        { id: 'ids_unique', kind: 'check', inputs: ['orders'], severity: 'error' },
        { id: 'looks_odd', kind: 'check', inputs: ['orders'], severity: 'warning' },
        { id: 'total', kind: 'metric', inputs: ['orders'], severity: 'error', bounds: { lower: 0 } },
        { id: 'rows', kind: 'metric', inputs: ['orders'], severity: 'error' },
      ]),
    ).toEqual(['gate:ids_unique->to_csv', 'gate:total->to_csv']);
  });

  it('come from metrics whose bounds are parameters or learned from history (they fail the run too)', () => {
    // a warning band alone never holds a publish back
    const share = { id: 'share', kind: 'metric' as const, inputs: ['orders'], severity: 'error' as const, warn_bounds: { lower: 0.1 } };
    expect(
      gateEdges([
        table,
        publish,
        { id: 'rate', kind: 'metric', inputs: ['orders'], severity: 'error', bounds: { upper: '$max_rate' } },
        { id: 'mean', kind: 'metric', inputs: ['orders'], severity: 'error', bounds: { history: { runs: 20, method: 'sigma', k: 3, quantiles: [0.05, 0.95], min_runs: 5 } } },
        share,
      ]),
    ).toEqual(['gate:rate->to_csv', 'gate:mean->to_csv']);
  });
});

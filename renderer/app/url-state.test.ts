import { describe, expect, it } from 'vitest';
import { placeOf, searchOf } from './url-state.ts';

describe('the address names the place', () => {
  it('round-trips workflow, tab, node and run', () => {
    const place = { route: { page: 'workflow' as const, workflowId: 'w1', tab: 'runs' as const }, selectedNodeId: 'features', pinnedRunId: 'r9' };
    expect(searchOf(place)).toBe('?workflow=w1&tab=runs&node=features&run=r9');
    expect(placeOf(searchOf(place))).toEqual(place);
  });

  it('is empty on the home page and drops a token left in the address', () => {
    expect(searchOf({ route: { page: 'home' } }, '?token=secret&workflow=w1')).toBe('');
    expect(placeOf('')).toEqual({ route: { page: 'home' } });
  });

  it('opens an unknown tab as the graph', () => {
    expect(placeOf('?workflow=w1&tab=nope').route).toEqual({ page: 'workflow', workflowId: 'w1', tab: 'graph' });
  });
});

import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHURN } from '../../test/helpers/home.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import { findCycle } from '../spec/validate.ts';
import { buildPlan, canonicalJson, topoOrder, versionOf } from './plan.ts';

const example = () => loadWorkflowOrThrow(EXAMPLE_CHURN);
const params = { min_tenure_months: 0, high_risk_threshold: 0.5 };

describe('planning a run', () => {
  it('orders nodes so every node comes after its inputs', () => {
    const w = example();
    const order = topoOrder(w.nodes);
    expect(order).toHaveLength(w.nodes.length);
    for (const n of w.nodes) for (const i of n.inputs) expect(order.indexOf(i)).toBeLessThan(order.indexOf(n.id));
  });

  it('plans only a node and its ancestors for a preview', () => {
    const plan = buildPlan(example(), params, 'features');
    expect(plan.order).toEqual(['customers', 'features']);
  });

  it('plans every node a run checks before publishing, and no other publish, for a publish\'s preview', () => {
    const w = example();
    const plan = buildPlan(w, params, 'predictions_csv');
    const others = w.nodes.filter((n) => n.kind !== 'publish').map((n) => n.id);
    expect([...plan.order].sort()).toEqual([...others, 'predictions_csv'].sort());
    expect(plan.order).toEqual(expect.arrayContaining(['no_missing_scores', 'probabilities_in_range', 'mean_churn_probability']));
  });

  it('changes a node\'s cache key when its code, an upstream node or a parameter changes, and only then', () => {
    const w = example();
    const base = buildPlan(w, params);
    const key = (p: typeof base, id: string) => p.nodes.get(id)!.cacheKey;
    expect(key(buildPlan(example(), params), 'predictions')).toBe(key(base, 'predictions'));

    const edited = example();
    edited.nodes.find((n) => n.id === 'features')!.source += '\n-- tweak';
    const p2 = buildPlan(edited, params);
    expect(key(p2, 'customers')).toBe(key(base, 'customers'));
    expect(key(p2, 'features')).not.toBe(key(base, 'features'));
    expect(key(p2, 'predictions')).not.toBe(key(base, 'predictions'));

    expect(key(buildPlan(w, { ...params, high_risk_threshold: 0.7 }), 'predictions')).not.toBe(key(base, 'predictions'));
  });

  it('gives the same version hash for the same definition, ignoring editor layout', () => {
    const a = example();
    const b = example();
    b.definition.layout = { customers: { x: 999, y: 1 } };
    expect(versionOf(a).hash).toBe(versionOf(b).hash);
    b.nodes.find((n) => n.id === 'predictions')!.source += ' ';
    expect(versionOf(b).hash).not.toBe(versionOf(a).hash);
  });

  it('finds a cycle and reads it in data-flow order', () => {
    const cycle = findCycle([
      { id: 'a', inputs: ['c'] },
      { id: 'b', inputs: ['a'] },
      { id: 'c', inputs: ['b'] },
      { id: 'd', inputs: [] },
    ]);
    expect(cycle).toHaveLength(4);
    expect(cycle![0]).toBe(cycle![3]);
    expect(findCycle([{ id: 'a', inputs: [] }, { id: 'b', inputs: ['a'] }])).toBeUndefined();
  });

  it('serialises objects with sorted keys so equal content hashes equal', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

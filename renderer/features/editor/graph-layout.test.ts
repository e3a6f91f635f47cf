// Layout rules: saved positions win; missing ones are automatic and never overlap.
import { describe, expect, it } from 'vitest';
import { buildEdges, layoutPositions, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.ts';

const chain = [
  { id: 'a', inputs: [] },
  { id: 'b', inputs: ['a'] },
  { id: 'c', inputs: ['b'] },
  { id: 'd', inputs: ['b'] },
];

describe('layoutPositions', () => {
  it('keeps saved positions', () => {
    const saved = { a: { x: 1, y: 2 }, b: { x: 300, y: 2 }, c: { x: 600, y: 0 }, d: { x: 600, y: 100 } };
    expect(layoutPositions(chain, saved)).toEqual(saved);
  });

  it('lays out left to right when nothing is saved', () => {
    const p = layoutPositions(chain, {});
    expect(p.a!.x).toBeLessThan(p.b!.x);
    expect(p.b!.x).toBeLessThan(p.c!.x);
    expect(p.c!.x).toBe(p.d!.x);
    expect(p.c!.y).not.toBe(p.d!.y);
  });

  it('places a new node where it overlaps no saved node', () => {
    const saved = { a: { x: 0, y: 0 }, b: { x: 248, y: 0 }, c: { x: 496, y: 0 } };
    const p = layoutPositions(chain, saved);
    for (const id of ['a', 'b', 'c']) {
      const overlap = Math.abs(p[id]!.x - p.d!.x) < NODE_WIDTH && Math.abs(p[id]!.y - p.d!.y) < NODE_HEIGHT;
      expect(overlap).toBe(false);
    }
  });
});

describe('buildEdges', () => {
  it('links each input to its node and ignores unknown inputs', () => {
    const edges = buildEdges([...chain, { id: 'e', inputs: ['nope'] }]);
    expect(edges.map((e) => e.id)).toEqual(['a->b', 'b->c', 'b->d']);
  });
});

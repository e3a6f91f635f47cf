import { describe, expect, it } from 'vitest';
import { sparkPath } from './profile-format.ts';

describe('sparkPath', () => {
  it('spans the box, lowest value at the bottom, a flat series mid-height', () => {
    expect(sparkPath([0, 1, 0.5], 24, 12, 2)).toEqual({ line: '2,10 12,2 22,6', last: { x: 22, y: 6 } });
    expect(sparkPath([3, 3], 24, 12, 2).line).toBe('2,6 22,6');
  });
});

import { describe, expect, it } from 'vitest';
import {
  blocksToEvict,
  isScrollKey,
  maxVirtualTop,
  planFetch,
  rowWindow,
  scrollHeight,
  scrollTopForKey,
  toScrollTop,
  toVirtualTop,
  type Geometry,
} from './virtual-window.ts';

const g: Geometry = { rowCount: 2000, rowHeight: 25, viewportHeight: 500 };

describe('rowWindow', () => {
  it('shows the rows in view plus overscan, clamped to the table', () => {
    expect(rowWindow(0, g, 5)).toEqual({ start: 0, end: 25, firstVisible: 0, lastVisible: 19, shift: 0 });
    // 1,000 px down: rows 40..59 in view
    expect(rowWindow(1000, g, 5)).toMatchObject({ start: 35, end: 65, firstVisible: 40, lastVisible: 59 });
    // half a row scrolled: the partly hidden rows on both edges are drawn
    expect(rowWindow(1010, g, 0)).toMatchObject({ start: 40, end: 61, firstVisible: 40, lastVisible: 60 });
  });

  it('ends on the last row at the end, even if asked to scroll past it', () => {
    const end = maxVirtualTop(g);
    expect(end).toBe(2000 * 25 - 500);
    expect(rowWindow(end, g, 5)).toMatchObject({ firstVisible: 1980, lastVisible: 1999, end: 2000 });
    expect(rowWindow(end + 10_000, g, 5)).toMatchObject({ lastVisible: 1999, end: 2000 });
  });

  it('handles empty and short tables', () => {
    expect(rowWindow(0, { ...g, rowCount: 0 })).toEqual({ start: 0, end: 0, firstVisible: 0, lastVisible: -1, shift: 0 });
    expect(rowWindow(0, { ...g, rowCount: 3 }, 5)).toMatchObject({ start: 0, end: 3, firstVisible: 0, lastVisible: 2 });
  });
});

describe('tall tables in a capped scroll area', () => {
  const tall: Geometry = { rowCount: 10_000_000, rowHeight: 25, viewportHeight: 500, maxScrollHeight: 1_000_000 };

  it('caps the scroll height and maps both ends exactly', () => {
    expect(scrollHeight(tall)).toBe(1_000_000);
    expect(scrollHeight(g)).toBe(50_000);
    const bottom = 1_000_000 - 500;
    expect(toVirtualTop(bottom, tall)).toBeCloseTo(maxVirtualTop(tall), 3);
    expect(toScrollTop(maxVirtualTop(tall), tall)).toBeCloseTo(bottom, 6);
    expect(toVirtualTop(123, g)).toBe(123);
  });

  it('draws the last row at the bottom of the capped area', () => {
    const w = rowWindow(1_000_000 - 500, tall, 3);
    expect(w.lastVisible).toBe(9_999_999);
    expect(w.end).toBe(10_000_000);
    // the last row's bottom edge is the scroll area's bottom edge
    expect(w.end * tall.rowHeight + w.shift).toBeCloseTo(1_000_000, 3);
  });

  it('puts the first row in view at the top of the viewport, mid-table', () => {
    const scrollTop = 400_000;
    const w = rowWindow(scrollTop, tall, 0);
    const rowTop = w.firstVisible * tall.rowHeight + w.shift;
    expect(rowTop).toBeLessThanOrEqual(scrollTop);
    expect(rowTop).toBeGreaterThan(scrollTop - tall.rowHeight);
  });
});

describe('planFetch', () => {
  const o = { blockSize: 200, rowCount: 2000, has: () => false };

  it('asks for the blocks covering the rows, the last one short', () => {
    expect(planFetch(0, 25, o)).toEqual([{ block: 0, offset: 0, limit: 200 }]);
    expect(planFetch(190, 215, o)).toEqual([
      { block: 0, offset: 0, limit: 200 },
      { block: 1, offset: 200, limit: 200 },
    ]);
    expect(planFetch(1990, 2000, { ...o, rowCount: 1995 })).toEqual([{ block: 9, offset: 1800, limit: 195 }]);
  });

  it('skips blocks cached or on their way, and asks nothing for no rows', () => {
    const has = (b: number) => b === 0;
    expect(planFetch(190, 215, { ...o, has })).toEqual([{ block: 1, offset: 200, limit: 200 }]);
    expect(planFetch(10, 10, o)).toEqual([]);
    expect(planFetch(0, 0, { ...o, rowCount: 0 })).toEqual([]);
  });
});

describe('blocksToEvict', () => {
  it('drops the blocks farthest from the one in view, keeping at most max', () => {
    expect(blocksToEvict([0, 1, 2], 1, 5)).toEqual([]);
    expect(blocksToEvict([0, 1, 2, 3, 4, 9], 3, 4).sort()).toEqual([0, 9]);
  });
});

describe('scrollTopForKey', () => {
  it('pages by whole rows in view and stops at both ends', () => {
    expect(scrollTopForKey('PageDown', 0, g)).toBe(500);
    expect(scrollTopForKey('PageDown', 510, g)).toBe(1000);
    expect(scrollTopForKey('PageUp', 500, g)).toBe(0);
    expect(scrollTopForKey('PageUp', 100, g)).toBe(0);
    expect(scrollTopForKey('Home', 30_000, g)).toBe(0);
    expect(scrollTopForKey('End', 0, g)).toBe(maxVirtualTop(g));
    expect(scrollTopForKey('PageDown', maxVirtualTop(g), g)).toBe(maxVirtualTop(g));
    expect(scrollTopForKey('ArrowDown', 0, g)).toBe(25);
    expect(scrollTopForKey('ArrowUp', 0, g)).toBe(0);
  });

  it('reaches the last row of a capped table with End', () => {
    const tall: Geometry = { rowCount: 10_000_000, rowHeight: 25, viewportHeight: 500, maxScrollHeight: 1_000_000 };
    const end = scrollTopForKey('End', 0, tall);
    expect(end).toBeCloseTo(1_000_000 - 500, 6);
    expect(rowWindow(end, tall).lastVisible).toBe(9_999_999);
  });

  it('knows its keys', () => {
    expect(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown'].every(isScrollKey)).toBe(true);
    expect(isScrollKey('Enter')).toBe(false);
  });
});

// The arithmetic behind the virtual table, kept free of React and the DOM so it can be
// tested alone: which rows a scroll position shows, which blocks of rows to fetch for
// them, which cached blocks to drop, and where the keyboard scroll keys go.
//
// Browsers cap an element's height (Chromium near 33.5M px), so a tall table is drawn in
// a scroll area of at most MAX_SCROLL_HEIGHT and positions are scaled between the two:
// `scrollTop` is the scroll bar's position, `virtualTop` the position in the full table.

export const MAX_SCROLL_HEIGHT = 10_000_000;

export interface Geometry {
  rowCount: number;
  rowHeight: number;
  /** the height that shows rows (below the sticky header) */
  viewportHeight: number;
  maxScrollHeight?: number;
}

/** The height of the scrolling body: the rows' full height, capped. */
export function scrollHeight(g: Geometry): number {
  return Math.min(g.rowCount * g.rowHeight, g.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
}

/** How much further the full table scrolls than its capped scroll area (1 when not capped). */
function ratio(g: Geometry): number {
  const full = g.rowCount * g.rowHeight - g.viewportHeight;
  const capped = scrollHeight(g) - g.viewportHeight;
  return full <= 0 || capped <= 0 ? 1 : full / capped;
}

export const toVirtualTop = (scrollTop: number, g: Geometry): number => scrollTop * ratio(g);
export const toScrollTop = (virtualTop: number, g: Geometry): number => virtualTop / ratio(g);

/** Largest virtual position: the last row sits at the bottom of the viewport. */
export function maxVirtualTop(g: Geometry): number {
  return Math.max(0, g.rowCount * g.rowHeight - g.viewportHeight);
}

export interface RowWindow {
  /** first row to draw (0-based, overscan included) */
  start: number;
  /** one past the last row to draw */
  end: number;
  /** first and last rows actually in view, for "rows 41–60" */
  firstVisible: number;
  lastVisible: number;
  /** add to `index * rowHeight` to place a row in the capped scroll area */
  shift: number;
}

/** The rows a scroll position shows, plus `overscan` rows either side. */
export function rowWindow(scrollTop: number, g: Geometry, overscan = 6): RowWindow {
  if (g.rowCount <= 0) return { start: 0, end: 0, firstVisible: 0, lastVisible: -1, shift: 0 };
  const top = Math.min(Math.max(0, toVirtualTop(scrollTop, g)), maxVirtualTop(g));
  const firstVisible = Math.min(g.rowCount - 1, Math.floor(top / g.rowHeight));
  const lastVisible = Math.min(g.rowCount - 1, Math.max(firstVisible, Math.ceil((top + g.viewportHeight) / g.rowHeight) - 1));
  return {
    start: Math.max(0, firstVisible - overscan),
    end: Math.min(g.rowCount, lastVisible + 1 + overscan),
    firstVisible,
    lastVisible,
    shift: scrollTop - top,
  };
}

export interface BlockRequest {
  block: number;
  offset: number;
  limit: number;
}

/** The blocks holding rows [start, end) that are neither cached nor on their way. */
export function planFetch(
  start: number,
  end: number,
  o: { blockSize: number; rowCount: number; has: (block: number) => boolean },
): BlockRequest[] {
  const out: BlockRequest[] = [];
  if (end <= start) return out;
  const first = Math.floor(start / o.blockSize);
  const last = Math.floor((Math.min(end, o.rowCount) - 1) / o.blockSize);
  for (let b = first; b <= last; b++) {
    if (o.has(b)) continue;
    const offset = b * o.blockSize;
    out.push({ block: b, offset, limit: Math.min(o.blockSize, o.rowCount - offset) });
  }
  return out;
}

/** Cached blocks to drop so at most `max` remain, farthest from the block in view first. */
export function blocksToEvict(cached: Iterable<number>, inView: number, max: number): number[] {
  const all = [...cached];
  if (all.length <= max) return [];
  return all.sort((a, b) => Math.abs(b - inView) - Math.abs(a - inView)).slice(0, all.length - max);
}

export type ScrollKey = 'PageUp' | 'PageDown' | 'Home' | 'End' | 'ArrowUp' | 'ArrowDown';

export function isScrollKey(key: string): key is ScrollKey {
  return key === 'PageUp' || key === 'PageDown' || key === 'Home' || key === 'End' || key === 'ArrowUp' || key === 'ArrowDown';
}

/** Where a scroll key takes the table, as a scrollTop; pages move by whole rows in view. */
export function scrollTopForKey(key: ScrollKey, scrollTop: number, g: Geometry): number {
  const top = Math.min(toVirtualTop(scrollTop, g), maxVirtualTop(g));
  const page = Math.max(1, Math.floor(g.viewportHeight / g.rowHeight)) * g.rowHeight;
  const row = Math.round(top / g.rowHeight) * g.rowHeight;
  const next =
    key === 'Home' ? 0
    : key === 'End' ? maxVirtualTop(g)
    : key === 'PageDown' ? row + page
    : key === 'PageUp' ? row - page
    : key === 'ArrowDown' ? row + g.rowHeight
    : row - g.rowHeight;
  return toScrollTop(Math.min(Math.max(0, next), maxVirtualTop(g)), g);
}

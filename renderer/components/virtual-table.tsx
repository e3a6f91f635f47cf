// A table of any length in a scroll area: only the rows in view (and a few either side)
// are in the DOM. Rows are fetched in blocks by offset as the user scrolls and cached
// until `dataKey` changes (another run, node or sort), so scrolling back costs nothing.
// Every row has one fixed height, which is what makes the maths in virtual-window.ts
// exact. The header stays in place and sorts on click; the focused table scrolls with
// PageUp/PageDown/Home/End and the arrows. Roles follow the ARIA grid for read-only data.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { formatCell } from './format.ts';
import { blocksToEvict, isScrollKey, planFetch, rowWindow, scrollHeight, scrollTopForKey, type Geometry } from './virtual-window.ts';

export type Row = Record<string, unknown>;
export interface VirtualColumn {
  name: string;
  type: string;
}
export interface TableSort {
  column: string;
  descending: boolean;
}

export interface VirtualTableProps {
  /** the grid's accessible name */
  label: string;
  columns: readonly VirtualColumn[];
  rowCount: number;
  /** names the rows shown (e.g. run, node and sort); a new key starts a new cache */
  dataKey: string;
  /** rows [0, blockSize) when the caller has them already */
  firstBlock?: readonly Row[];
  fetchRows(offset: number, limit: number): Promise<Row[]>;
  sort?: TableSort;
  onSort?(column: string): void;
  /** told which rows are in view, e.g. for "rows 41–60" */
  onView?(first: number, last: number): void;
  blockSize?: number;
}

const ROW_HEIGHT = 26;
const OVERSCAN = 8;
/** blocks kept in memory per table; the farthest from view go first */
const MAX_BLOCKS = 50;
/** wait for the scroll to rest this long before fetching, so a fling asks for no blocks it passes */
const FETCH_DELAY_MS = 40;

interface BlockCache {
  key: string;
  blocks: Map<number, readonly Row[]>;
  pending: Set<number>;
  error?: string;
}

/** The rows of one dataKey, by block; `version` changes whenever a block arrives or fails. */
function useRowBlocks(p: Pick<VirtualTableProps, 'dataKey' | 'firstBlock' | 'fetchRows' | 'rowCount'>, blockSize: number) {
  const [version, setVersion] = useState(0);
  const cache = useRef<BlockCache>({ key: '', blocks: new Map(), pending: new Set() });
  if (cache.current.key !== p.dataKey) {
    cache.current = { key: p.dataKey, blocks: new Map(p.firstBlock ? [[0, p.firstBlock]] : []), pending: new Set() };
  }
  const fetchRows = useRef(p.fetchRows);
  fetchRows.current = p.fetchRows;
  /** the block in view now, not when a request left: eviction keeps what is near it */
  const inView = useRef(0);

  const ensure = useCallback(
    (start: number, end: number) => {
      const c = cache.current;
      inView.current = Math.floor(start / blockSize);
      const plan = planFetch(start, end, { blockSize, rowCount: p.rowCount, has: (b) => c.blocks.has(b) || c.pending.has(b) });
      for (const req of plan) {
        c.pending.add(req.block);
        fetchRows.current(req.offset, req.limit).then(
          (rows) => {
            c.pending.delete(req.block);
            c.blocks.set(req.block, rows);
            for (const b of blocksToEvict(c.blocks.keys(), inView.current, MAX_BLOCKS)) c.blocks.delete(b);
            c.error = undefined;
            if (cache.current === c) setVersion((v) => v + 1);
          },
          (e: unknown) => {
            c.pending.delete(req.block);
            c.error = e instanceof Error ? e.message : String(e);
            if (cache.current === c) setVersion((v) => v + 1);
          },
        );
      }
    },
    [blockSize, p.rowCount],
  );

  const row = (i: number): Row | undefined => cache.current.blocks.get(Math.floor(i / blockSize))?.[i % blockSize];
  return { row, ensure, error: cache.current.error, version };
}

function cellClass(v: unknown): string {
  return typeof v === 'number' ? 'vt-cell num' : v === null || v === undefined ? 'vt-cell null' : 'vt-cell';
}

/** Column widths in `ch` from the header and the first rows, so the header and rows line up. */
function columnTemplate(columns: readonly VirtualColumn[], sample: readonly Row[] | undefined, rowCount: number): string {
  const rownum = String(rowCount).length + 2;
  const widths = columns.map((c) => {
    // the type is set smaller than the name; 2 more for the gap and the sort arrow
    const header = c.name.length + Math.ceil(c.type.length * 0.75) + 2;
    const longest = Math.max(0, ...(sample ?? []).slice(0, 200).map((r) => formatCell(r[c.name]).length));
    return Math.min(40, Math.max(6, header, longest + 1));
  });
  return [`calc(${rownum}ch + 16px)`, ...widths.map((w) => `calc(${w}ch + 20px)`)].join(' ');
}

export function VirtualTable(props: VirtualTableProps) {
  const { label, columns, rowCount, dataKey, sort, onSort, onView } = props;
  const blockSize = props.blockSize ?? 200;
  const grid = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(0);
  const blocks = useRowBlocks(props, blockSize);

  // widths come from the first rows seen for these columns, so a new sort does not move them
  const signature = columns.map((c) => `${c.name}:${c.type}`).join('\n');
  const template = useRef({ signature: '', value: '' });
  if (template.current.signature !== signature) template.current = { signature, value: columnTemplate(columns, props.firstBlock, rowCount) };

  // the viewport is the grid's height under its sticky header
  useLayoutEffect(() => {
    const el = grid.current;
    if (!el) return;
    const measure = () => setViewportHeight(Math.max(0, el.clientHeight - (head.current?.offsetHeight ?? 0)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // a new sort (or node, or run) starts at the top
  useLayoutEffect(() => {
    if (grid.current) grid.current.scrollTop = 0;
    setScrollTop(0);
  }, [dataKey]);

  const geometry: Geometry = { rowCount, rowHeight: ROW_HEIGHT, viewportHeight };
  const win = rowWindow(scrollTop, geometry, OVERSCAN);
  const { ensure } = blocks;

  useEffect(() => {
    if (viewportHeight === 0) return;
    const t = setTimeout(() => ensure(win.start, win.end), FETCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [ensure, dataKey, win.start, win.end, viewportHeight]);

  useEffect(() => {
    onView?.(win.firstVisible, win.lastVisible);
  }, [onView, win.firstVisible, win.lastVisible]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = grid.current;
    if (!el || !isScrollKey(e.key) || e.altKey || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    el.scrollTop = scrollTopForKey(e.key, el.scrollTop, geometry);
    setScrollTop(el.scrollTop);
  };

  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const r = blocks.row(i);
    rows.push(
      <div key={i} role="row" aria-rowindex={i + 2} className={r ? 'vt-row' : 'vt-row loading'} style={{ top: i * ROW_HEIGHT + win.shift }}>
        <div role="rowheader" className="vt-cell vt-rownum">{i + 1}</div>
        {columns.map((c) => {
          const v = r?.[c.name];
          return (
            <div key={c.name} role="gridcell" className={r ? cellClass(v) : 'vt-cell'}>
              {r ? (typeof v === 'string' ? v : formatCell(v)) : ''}
            </div>
          );
        })}
      </div>,
    );
  }

  const loading = rows.length > 0 && !blocks.row(win.firstVisible);
  const style = { '--vt-columns': template.current.value, '--vt-row-height': `${ROW_HEIGHT}px` } as CSSProperties;
  return (
    <div className="vt-frame">
      <div
        ref={grid}
        className="vt"
        role="grid"
        tabIndex={0}
        aria-label={label}
        aria-rowcount={rowCount + 1}
        aria-colcount={columns.length + 1}
        aria-readonly="true"
        aria-busy={loading || undefined}
        style={style}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div className="vt-inner">
          <div role="rowgroup" className="vt-head" ref={head}>
            <div role="row" aria-rowindex={1} className="vt-head-row">
              <div role="columnheader" className="vt-cell vt-rownum" aria-label="Row number">#</div>
              {columns.map((c) => {
                const dir = sort?.column === c.name ? (sort.descending ? 'descending' : 'ascending') : 'none';
                return (
                  <div key={c.name} role="columnheader" className="vt-th" aria-sort={dir}>
                    <button className="th-button" onClick={() => onSort?.(c.name)} aria-label={`Sort by ${c.name}`} disabled={!onSort}>
                      <span className="th-name">{c.name}</span>
                      <span className="th-type">{c.type.toLowerCase()}</span>
                      <span className="th-sort" aria-hidden="true">{dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : ''}</span>
                    </button>
                  </div>
                );
              })}
            </div>
          </div>
          <div role="rowgroup" className="vt-body" style={{ height: scrollHeight(geometry) }}>
            {rows}
          </div>
        </div>
      </div>
      {blocks.error && (
        <p className="vt-error" role="alert">
          Could not load rows: {blocks.error}
        </p>
      )}
    </div>
  );
}

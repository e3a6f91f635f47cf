// What changed between two runs, as data: per node, the code diff between the two
// workflow versions and the settings that differ; per table output, the row count and
// the schema (columns added, removed, or of another type). Pure, so it is unit-tested.
import type { ColumnInfo, NodeRunRecord, RunDetail } from '../../stores/api-types.ts';

export type DiffLine = { type: 'same' | 'add' | 'del'; text: string; a?: number; b?: number };

/** A line diff (longest common subsequence); huge inputs fall back to "all replaced". */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 4_000_000) {
    return [...a.map((text, i) => ({ type: 'del' as const, text, a: i + 1 })), ...b.map((text, i) => ({ type: 'add' as const, text, b: i + 1 }))];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) out.push({ type: 'same', text: a[i]!, a: ++i, b: ++j });
    // on a tie, the deletion first: diffs read "- old / + new"
    else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ type: 'del', text: a[i]!, a: ++i });
    else out.push({ type: 'add', text: b[j]!, b: ++j });
  }
  return out;
}

/** A workflow version as runs.version returns it: the definition plus every node's code. */
export interface VersionDoc {
  nodes: ({ id: string; kind: string } & Record<string, unknown>)[];
  code?: Record<string, string>;
  parameters?: Record<string, unknown>;
}

export type NodeChange = {
  id: string;
  kind: string;
  change: 'added' | 'removed' | 'changed' | 'same';
  /** setting names whose values differ (inputs, severity, destination…) */
  settings: string[];
  /** present when the code differs */
  diff?: DiffLine[];
};

const json = (v: unknown) => JSON.stringify(v ?? null);

export function compareVersions(a: VersionDoc, b: VersionDoc): NodeChange[] {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const ids = [...b.nodes.map((n) => n.id), ...a.nodes.map((n) => n.id).filter((id) => !after.has(id))];
  return ids.map((id) => {
    const na = before.get(id);
    const nb = after.get(id);
    const kind = (nb ?? na)!.kind;
    const ca = a.code?.[id];
    const cb = b.code?.[id];
    const diff = (ca ?? '') !== (cb ?? '') ? lineDiff(ca ?? '', cb ?? '') : undefined;
    if (!na || !nb) return { id, kind, change: na ? 'removed' : 'added', settings: [], diff };
    const keys = new Set([...Object.keys(na), ...Object.keys(nb)]);
    const settings = [...keys].filter((k) => k !== 'id' && json(na[k]) !== json(nb[k]));
    return { id, kind, change: diff || settings.length ? 'changed' : 'same', settings, diff };
  });
}

export type OutputChange = {
  id: string;
  rowsA?: number;
  rowsB?: number;
  valueA?: NodeRunRecord['value'];
  valueB?: NodeRunRecord['value'];
  added: ColumnInfo[];
  removed: ColumnInfo[];
  retyped: { name: string; from: string; to: string }[];
  /** ran (and produced output) in only one of the runs */
  only?: 'a' | 'b';
};

const hasOutput = (r?: NodeRunRecord) => !!r && (r.rows !== undefined || (r.columns?.length ?? 0) > 0 || r.value !== undefined);

/** Per node with an output in either run: rows, value and schema, A (older) against B. */
export function compareOutputs(a: RunDetail, b: RunDetail): OutputChange[] {
  const ra = new Map(a.nodes.map((n) => [n.nodeId, n]));
  const rb = new Map(b.nodes.map((n) => [n.nodeId, n]));
  const ids = [...b.nodes.map((n) => n.nodeId), ...a.nodes.map((n) => n.nodeId).filter((id) => !rb.has(id))];
  return ids.flatMap((id): OutputChange[] => {
    const x = ra.get(id);
    const y = rb.get(id);
    if (!hasOutput(x) && !hasOutput(y)) return [];
    const colsA = new Map((x?.columns ?? []).map((c) => [c.name, c.type]));
    const colsB = new Map((y?.columns ?? []).map((c) => [c.name, c.type]));
    const bothTables = colsA.size > 0 && colsB.size > 0;
    return [
      {
        id,
        rowsA: x?.rows,
        rowsB: y?.rows,
        valueA: x?.value,
        valueB: y?.value,
        added: bothTables ? (y?.columns ?? []).filter((c) => !colsA.has(c.name)) : [],
        removed: bothTables ? (x?.columns ?? []).filter((c) => !colsB.has(c.name)) : [],
        retyped: bothTables ? [...colsB].flatMap(([name, to]) => (colsA.has(name) && colsA.get(name) !== to ? [{ name, from: colsA.get(name)!, to }] : [])) : [],
        only: !hasOutput(x) ? 'b' : !hasOutput(y) ? 'a' : undefined,
      },
    ];
  });
}

/** "+12 (+4.0%)", "−3", "no change". */
export function rowDelta(a?: number, b?: number): string {
  if (a === undefined || b === undefined) return '';
  const d = b - a;
  if (d === 0) return 'no change';
  const pct = a === 0 ? '' : ` (${d > 0 ? '+' : '−'}${Math.abs((100 * d) / a).toFixed(1)}%)`;
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toLocaleString('en-US')}${pct}`;
}

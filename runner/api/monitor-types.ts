// The monitoring records (column profiles, data diffs, the overview of what runs where)
// that the UI, the CLI and the API exchange. Types only: the renderer imports this file.
import type { ColumnInfo, ParamValue, RunStatus } from './types.ts';

/** A value as JSON carries it: numbers as numbers, dates, times and text as text. */
export type ProfileValue = string | number | boolean | null;

export interface ColumnProfile {
  name: string;
  type: string;
  /** rows of the table (nulls included) */
  rows: number;
  nulls: number;
  /** distinct non-null values: exact on small tables, estimated from the sample on large ones */
  distinct?: number;
  min?: ProfileValue;
  max?: ProfileValue;
  mean?: number;
  stddev?: number;
  /** the most frequent values with their counts (scaled to the table when sampled) */
  top?: { value: ProfileValue; count: number }[];
  /** equal-width bins from min to max (dates and times as epoch milliseconds) */
  histogram?: { min: number; max: number; counts: number[] };
}

export interface TableProfile {
  runId: string;
  nodeId: string;
  rows: number;
  /** rows the distinct counts, means, top values and histograms were computed on; absent: all */
  sampleRows?: number;
  columns: ColumnProfile[];
}

/** One column's profile figures over a workflow's runs, oldest first (sparklines). */
export interface ColumnTrend {
  name: string;
  points: { runId: string; ts: number; rows: number; nullRate: number; distinct?: number; mean?: number }[];
}

export interface SchemaChange {
  added: ColumnInfo[];
  removed: ColumnInfo[];
  retyped: { name: string; from: string; to: string }[];
}

export type DiffRow = Record<string, ProfileValue | ParamValue | unknown>;

export interface KeyedDiff {
  mode: 'key';
  key: string[];
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** per compared column: rows whose value changed (columns with none are listed with 0) */
  columnChanges: { column: string; changed: number }[];
  /** keys that occur more than once on a side: such rows are left out of the comparison */
  duplicates: { keysA: number; rowsA: number; keysB: number; rowsB: number; sample: { key: DiffRow; countA: number; countB: number }[] };
  /** changed rows side by side (first ones by key), with the columns that differ */
  changedSample: { key: DiffRow; a: DiffRow; b: DiffRow; changed: string[] }[];
  addedSample: DiffRow[];
  removedSample: DiffRow[];
}

export interface MultisetDiff {
  mode: 'multiset';
  /** rows (counting repeats) in A beyond what B has, and the other way round */
  onlyInA: number;
  onlyInB: number;
  /** distinct rows whose count differs */
  distinctRows: number;
  sample: { row: DiffRow; countA: number; countB: number }[];
}

export interface DataDiff {
  runA: string;
  runB: string;
  nodeId: string;
  rowsA: number;
  rowsB: number;
  schema: SchemaChange;
  /** columns present in both, compared (type changes compared as text unless both numeric) */
  compared: string[];
  tolerance?: number;
  result: KeyedDiff | MultisetDiff;
}

/** A row of the "what's running where" page: one workflow. */
export interface OverviewRow {
  workflowId: string;
  name: string;
  folder: string;
  owner?: string;
  running: { runId: string; engine: string; startedAt?: number; trigger: string }[];
  last?: { runId: string; status: RunStatus; engine: string; finishedAt?: number; createdAt: number; error?: string; trigger: string };
  /** the newest run that failed or warned, and why, when it is not the last one's status */
  lastProblem?: { runId: string; status: RunStatus; error?: string; createdAt: number; nodes: { nodeId: string; status: string; message?: string }[] };
  nextScheduled?: number;
  schedulePaused?: boolean;
}

// What history-based checks and learned metric bounds compare with: a node's figures in
// the workflow's earlier real runs (previews excluded, remote engines' runs included, the
// current run never), newest first. Read from the store by the executor and handed to the
// node kinds as plain values; the bundle gets the same values baked in at export.
import type { ColumnInfo } from '../api/types.ts';
import type { Db } from '../store/db.ts';

export interface RunHistory {
  /** row counts of a node's output in earlier runs where it succeeded */
  rowCounts(nodeId: string, runs: number): number[];
  /** a column's mean and null rate in earlier runs, from their profiles */
  columnStats(nodeId: string, column: string, runs: number): { mean?: number; nullRate: number }[];
  /** the columns of a node's output in the latest earlier run that has a profile of it */
  lastColumns(nodeId: string): ColumnInfo[] | undefined;
  /** a metric's values in earlier runs */
  metricValues(nodeId: string, runs: number): number[];
}

type Row = Record<string, unknown>;

/** The history of a workflow before the run `runId` (created at `before`). */
export function storeHistory(db: Db, workflowId: string, runId: string, before: number): RunHistory {
  const earlier = `r.workflow_id = ? AND r.kind = 'run' AND r.id <> ? AND r.created_at <= ?`;
  const args = [workflowId, runId, before];
  return {
    rowCounts: (nodeId, runs) =>
      (db.prepare(`SELECT n.rows FROM node_runs n JOIN runs r ON r.id = n.run_id WHERE ${earlier} AND n.node_id = ?
          AND n.status IN ('succeeded', 'warning') AND n.rows IS NOT NULL ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`)
        .all(...args, nodeId, runs) as Row[]).map((r) => Number(r.rows)),
    columnStats: (nodeId, column, runs) =>
      (db.prepare(`SELECT p.mean, p.nulls, p.rows FROM column_profiles p JOIN runs r ON r.id = p.run_id WHERE ${earlier}
          AND p.node_id = ? AND p.name = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`)
        .all(...args, nodeId, column, runs) as Row[]).map((r) => ({
        mean: r.mean === null ? undefined : Number(r.mean),
        nullRate: Number(r.rows) ? Number(r.nulls) / Number(r.rows) : 0,
      })),
    lastColumns: (nodeId) => {
      const last = db.prepare(`SELECT p.run_id FROM column_profiles p JOIN runs r ON r.id = p.run_id WHERE ${earlier} AND p.node_id = ?
          ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1`).get(...args, nodeId) as Row | undefined;
      if (!last) return undefined;
      return (db.prepare('SELECT name, type FROM column_profiles WHERE run_id = ? AND node_id = ? ORDER BY ordinal').all(last.run_id, nodeId) as Row[])
        .map((r) => ({ name: String(r.name), type: String(r.type) }));
    },
    metricValues: (nodeId, runs) =>
      (db.prepare(`SELECT m.value FROM metric_values m JOIN runs r ON r.id = m.run_id WHERE ${earlier} AND m.node_id = ? AND m.value IS NOT NULL
          ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`)
        .all(...args, nodeId, runs) as Row[]).map((r) => Number(r.value)),
  };
}

/** No earlier runs (a bundle exported without an app home, a first run). */
export const NO_HISTORY: RunHistory = { rowCounts: () => [], columnStats: () => [], lastColumns: () => undefined, metricValues: () => [] };

// Why: lineage answers "what did this workflow publish, where": every run records its
// publications; here they are folded into one line per destination target (the latest
// publish, and how many runs wrote it). The same list bounds what "delete the workflow
// and its outputs" may remove: only targets recorded here by a run of this machine, only on
// the user's explicit ask. Publications imported from remote engines' run records are shown
// but never dropped: a record is untrusted and could name any file or table.
import type { Db } from '../store/db.ts';
import { dropTarget } from './drop-target.ts';
import type { ConnectionConfig } from './types.ts';

export interface PublishedTarget {
  destination: string;
  connection?: string;
  target: string;
  /** the latest publish to this target */
  nodeId: string;
  runId: string;
  mode: string;
  rows: number;
  publishedAt: number;
  /** how many runs published here */
  runs: number;
  /** a local run published here, so "delete with outputs" may drop it (never for imported runs alone) */
  droppable: boolean;
}

interface Row {
  destination: string;
  connection: string | null;
  target: string;
  node_id: string;
  run_id: string;
  mode: string;
  rows: number;
  ts: number;
  runs: number;
  local_runs: number;
}

export function publishedTargets(db: Db, workflowId: string): PublishedTarget[] {
  const rows = db
    .prepare(
      `SELECT destination, connection, target, node_id, run_id, mode, rows, ts, runs, local_runs FROM (
         SELECT p.*, row_number() OVER w AS n, count(*) OVER t AS runs, sum(r.engine = 'local') OVER t AS local_runs
         FROM publications p JOIN runs r ON r.id = p.run_id
         WHERE r.workflow_id = ?
         WINDOW t AS (PARTITION BY p.destination, ifnull(p.connection, ''), p.target),
                w AS (t ORDER BY p.ts DESC, p.rowid DESC)
       ) WHERE n = 1 ORDER BY ts DESC, target`,
    )
    .all(workflowId) as Row[];
  return rows.map((r) => ({
    destination: r.destination,
    connection: r.connection ?? undefined,
    target: r.target,
    nodeId: r.node_id,
    runId: r.run_id,
    mode: r.mode,
    rows: r.rows,
    publishedAt: r.ts,
    runs: r.runs,
    droppable: r.local_runs > 0,
  }));
}

export interface DropOptions {
  /** must be true: dropping is never a default */
  confirm: boolean;
  resolveConnection: (name: string) => Promise<ConnectionConfig>;
  /** only these targets (default: every droppable target lineage lists) */
  targets?: string[];
}

export interface DropResult {
  destination: string;
  connection?: string;
  target: string;
  /** true when it existed and is now gone */
  dropped: boolean;
  error?: string;
}

/** Drops what the workflow published (files removed, tables dropped), target by target. */
export async function dropPublished(db: Db, workflowId: string, o: DropOptions): Promise<DropResult[]> {
  if (o.confirm !== true) throw new Error('dropping published outputs needs an explicit confirmation (confirm: true)');
  const all = publishedTargets(db, workflowId).filter((p) => p.droppable);
  const unknown = (o.targets ?? []).filter((t) => !all.some((p) => p.target === t));
  if (unknown.length) throw new Error(`not published by this workflow (so never dropped): ${unknown.join(', ')}`);
  const chosen = o.targets ? all.filter((p) => o.targets!.includes(p.target)) : all;
  const results: DropResult[] = [];
  for (const p of chosen) {
    const base = { destination: p.destination, connection: p.connection, target: p.target };
    try {
      const connection = p.connection ? await o.resolveConnection(p.connection) : undefined;
      results.push({ ...base, dropped: await dropTarget({ destination: p.destination, target: p.target, connection }) });
    } catch (e) {
      const err = e as Error & { fix?: string };
      results.push({ ...base, dropped: false, error: err.fix ? `${err.message} (${err.fix})` : err.message });
    }
  }
  return results;
}

// Column profiles in the metadata store: one row per column of a node's output in a run,
// written in one transaction, read back whole for the output tab and as per-column
// figures over a workflow's runs for sparklines and history-based checks.
import type { ColumnProfile, ColumnTrend, ProfileValue, TableProfile } from '../../api/monitor-types.ts';
import type { Db } from '../../store/db.ts';

type Row = Record<string, unknown>;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (JSON.parse(String(v)) as T));
const opt = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

export function saveProfile(db: Db, p: TableProfile): void {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO column_profiles (run_id, node_id, ordinal, name, type, rows, nulls, distinct_est, min_value, max_value,
       mean, stddev, top_values, histogram, sample_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM column_profiles WHERE run_id = ? AND node_id = ?').run(p.runId, p.nodeId);
    p.columns.forEach((c, i) => {
      insert.run(p.runId, p.nodeId, i, c.name, c.type, c.rows, c.nulls, c.distinct ?? null, json(c.min), json(c.max),
        finite(c.mean), finite(c.stddev), c.top ? JSON.stringify(c.top.map((t) => [t.value, t.count])) : null,
        json(c.histogram), p.sampleRows ?? null);
    });
  })();
}

const finite = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : null);

function mapColumn(r: Row): ColumnProfile {
  const top = parse<[ProfileValue, number][]>(r.top_values);
  return {
    name: String(r.name),
    type: String(r.type),
    rows: Number(r.rows),
    nulls: Number(r.nulls),
    distinct: opt(r.distinct_est),
    min: parse<ProfileValue>(r.min_value),
    max: parse<ProfileValue>(r.max_value),
    mean: opt(r.mean),
    stddev: opt(r.stddev),
    top: top?.map(([value, count]) => ({ value, count })),
    histogram: parse(r.histogram),
  };
}

export function getProfile(db: Db, runId: string, nodeId: string): TableProfile | undefined {
  const rows = db.prepare('SELECT * FROM column_profiles WHERE run_id = ? AND node_id = ? ORDER BY ordinal').all(runId, nodeId) as Row[];
  if (!rows.length) return undefined;
  return { runId, nodeId, rows: Number(rows[0]!.rows), sampleRows: opt(rows[0]!.sample_rows), columns: rows.map(mapColumn) };
}

/** Copies a profile to a run that reused the output (a cached node): the same file, the same profile. */
export function copyProfile(db: Db, fromRun: string, toRun: string, nodeId: string): boolean {
  const r = db
    .prepare(
      `INSERT OR REPLACE INTO column_profiles SELECT ?, node_id, ordinal, name, type, rows, nulls, distinct_est, min_value, max_value,
         mean, stddev, top_values, histogram, sample_rows FROM column_profiles WHERE run_id = ? AND node_id = ?`,
    )
    .run(toRun, fromRun, nodeId);
  return r.changes > 0;
}

/** Per column of a node's output, its figures over the workflow's last `limit` real runs, oldest first. */
export function profileTrends(db: Db, workflowId: string, nodeId: string, limit = 30): ColumnTrend[] {
  const runs = db
    .prepare(
      `SELECT r.id, r.created_at FROM runs r WHERE r.workflow_id = ? AND r.kind = 'run'
         AND EXISTS (SELECT 1 FROM column_profiles p WHERE p.run_id = r.id AND p.node_id = ?)
       ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`,
    )
    .all(workflowId, nodeId, limit) as Row[];
  if (!runs.length) return [];
  const ids = runs.map((r) => String(r.id));
  const ts = new Map(runs.map((r) => [String(r.id), Number(r.created_at)]));
  const rows = db
    .prepare(`SELECT run_id, name, rows, nulls, distinct_est, mean FROM column_profiles WHERE node_id = ? AND run_id IN (${ids.map(() => '?').join(',')})`)
    .all(nodeId, ...ids) as Row[];
  const byName = new Map<string, ColumnTrend>();
  for (const r of rows) {
    const name = String(r.name);
    const t = byName.get(name) ?? { name, points: [] };
    const n = Number(r.rows);
    t.points.push({ runId: String(r.run_id), ts: ts.get(String(r.run_id))!, rows: n, nullRate: n ? Number(r.nulls) / n : 0, distinct: opt(r.distinct_est), mean: opt(r.mean) });
    byName.set(name, t);
  }
  for (const t of byName.values()) t.points.sort((a, b) => a.ts - b.ts);
  return [...byName.values()];
}

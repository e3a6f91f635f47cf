// Retention: a schedule running every hour fills a disk, so only the last K runs of a
// workflow keep their output folders (K per workflow, else the global setting, else 20).
// Metadata stays; artifacts_deleted records what was removed so the UI can say "output
// deleted by retention". A folder another kept run still reuses (cached output) stays.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import { runFolder, type AppPaths } from '../store/paths.ts';
import type { Row } from '../store/rows.ts';
import type { RetentionUsage } from './types.ts';
import { sql } from './statements.ts';

export const DEFAULT_KEEP_RUNS = 20;
const GLOBAL_KEY = 'retention.keep_runs';
const FINISHED = "('succeeded', 'succeeded_with_warnings', 'failed', 'cancelled', 'interrupted')";

export interface RetentionResult {
  deleted: string[];
  bytesFreed: number;
  keptBecauseReused: string[];
}

export class Retention {
  private readonly db: Db;

  constructor(
    private readonly store: MetadataStore,
    private readonly paths: AppPaths,
  ) {
    this.db = store.db;
  }

  globalKeep(): number {
    const v = Number(this.store.getSetting(GLOBAL_KEY));
    return Number.isInteger(v) && v >= 1 ? v : DEFAULT_KEEP_RUNS;
  }

  setGlobalKeep(keep: number): void {
    this.store.setSetting(GLOBAL_KEY, String(checkKeep(keep)));
  }

  keepFor(workflowId: string): number {
    const r = sql(this.db, 'SELECT keep_runs FROM retention_policies WHERE workflow_id = ?').get(workflowId) as Row | undefined;
    return r ? Number(r.keep_runs) : this.globalKeep();
  }

  /** Sets a workflow's own K; undefined returns it to the global setting. */
  setKeepFor(workflowId: string, keep: number | undefined): void {
    if (keep === undefined) {
      sql(this.db, 'DELETE FROM retention_policies WHERE workflow_id = ?').run(workflowId);
      return;
    }
    sql(this.db, 'INSERT INTO retention_policies (workflow_id, keep_runs) VALUES (?, ?) ON CONFLICT(workflow_id) DO UPDATE SET keep_runs = excluded.keep_runs')
      .run(workflowId, checkKeep(keep));
  }

  /** Deletes the output folders of a workflow's finished runs beyond the newest K (runs and previews counted apart). */
  apply(workflowId: string): RetentionResult {
    const keep = this.keepFor(workflowId);
    const result: RetentionResult = { deleted: [], bytesFreed: 0, keptBecauseReused: [] };
    for (const kind of ['run', 'preview']) {
      const rows = sql(this.db, `SELECT r.id FROM runs r WHERE r.workflow_id = ? AND r.kind = ? AND r.status IN ${FINISHED}
             AND NOT EXISTS (SELECT 1 FROM artifacts_deleted d WHERE d.run_id = r.id)
           ORDER BY r.created_at DESC, r.rowid DESC`)
        .all(workflowId, kind) as Row[];
      for (const r of rows.slice(keep)) {
        const runId = String(r.id);
        const reusedBy = sql(this.db, `SELECT n.run_id FROM node_runs n WHERE n.cached_from = ? AND n.run_id <> ?
               AND NOT EXISTS (SELECT 1 FROM artifacts_deleted d WHERE d.run_id = n.run_id) LIMIT 1`)
          .get(runId, runId) as Row | undefined;
        if (reusedBy) {
          result.keptBecauseReused.push(runId);
          continue;
        }
        const folder = runFolder(this.paths, runId);
        const bytes = folderBytes(folder);
        fs.rmSync(folder, { recursive: true, force: true });
        sql(this.db, 'INSERT OR IGNORE INTO artifacts_deleted (run_id, deleted_at, bytes, reason) VALUES (?, ?, ?, ?)')
          .run(runId, this.store.clock.now(), bytes, `output deleted by retention: this workflow keeps the output of its last ${keep} ${kind === 'run' ? 'runs' : 'previews'}`);
        result.deleted.push(runId);
        result.bytesFreed += bytes;
      }
    }
    return result;
  }

  applyAll(): RetentionResult {
    const total: RetentionResult = { deleted: [], bytesFreed: 0, keptBecauseReused: [] };
    for (const w of sql(this.db, 'SELECT id FROM workflows').all() as Row[]) {
      const r = this.apply(String(w.id));
      total.deleted.push(...r.deleted);
      total.bytesFreed += r.bytesFreed;
      total.keptBecauseReused.push(...r.keptBecauseReused);
    }
    return total;
  }

  /** Why a run has no output any more, if retention deleted it. */
  deletedReason(runId: string): string | undefined {
    const r = sql(this.db, 'SELECT reason FROM artifacts_deleted WHERE run_id = ?').get(runId) as Row | undefined;
    return r ? String(r.reason) : undefined;
  }

  /** Space used by each workflow's run outputs, measured on disk; runs and previews counted apart, as kept apart. */
  usage(): RetentionUsage[] {
    const rows = sql(this.db, `SELECT w.id, w.name,
           COUNT(CASE WHEN r.kind = 'run' THEN 1 END) AS runs, COUNT(CASE WHEN r.kind = 'preview' THEN 1 END) AS previews,
           COUNT(d.run_id) AS deleted FROM workflows w
         LEFT JOIN runs r ON r.workflow_id = w.id LEFT JOIN artifacts_deleted d ON d.run_id = r.id
         GROUP BY w.id ORDER BY w.name COLLATE NOCASE`)
      .all() as Row[];
    return rows.map((w) => {
      const ids = sql(this.db, 'SELECT r.id, r.kind FROM runs r WHERE r.workflow_id = ? AND NOT EXISTS (SELECT 1 FROM artifacts_deleted d WHERE d.run_id = r.id)')
        .all(w.id) as Row[];
      let bytes = 0;
      let withArtifacts = 0;
      let previewsWithArtifacts = 0;
      for (const r of ids) {
        const folder = runFolder(this.paths, String(r.id));
        if (!fs.existsSync(folder)) continue;
        if (r.kind === 'preview') previewsWithArtifacts++;
        else withArtifacts++;
        bytes += folderBytes(folder);
      }
      return {
        workflowId: String(w.id),
        workflowName: String(w.name),
        keepRuns: this.keepFor(String(w.id)),
        runs: Number(w.runs),
        runsWithArtifacts: withArtifacts,
        previews: Number(w.previews),
        previewsWithArtifacts,
        runsDeleted: Number(w.deleted),
        bytes,
      };
    });
  }
}

function checkKeep(keep: number): number {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`retention: keep must be a whole number of runs, at least 1 (got ${keep}); example: 20`);
  return keep;
}

export function folderBytes(folder: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(folder, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

// The store's side of the staging ledger (migration 006): what each run's publishes are
// staging, written before a path is touched and removed when it is committed or
// discarded, and which of those rows belong to runs that can no longer finish.
import os from 'node:os';
import type { StagedKind } from '../connectors/staging.ts';
import type { Db } from './db.ts';
import { pidAlive } from './metadata-store.ts';
import type { Row } from './rows.ts';

export interface Leftover {
  runId: string;
  path: string;
  kind: StagedKind;
  /** the run's status as the history shows it ("interrupted" when its process is gone) */
  runStatus: string;
}

export class StagedFiles {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  record(runId: string, path: string, kind: StagedKind): void {
    this.db
      .prepare('INSERT OR REPLACE INTO publish_staging (run_id, path, kind, created_at) VALUES (?, ?, ?, ?)')
      .run(runId, path, kind, this.now());
  }

  release(runId: string, path: string): void {
    this.db.prepare('DELETE FROM publish_staging WHERE run_id = ? AND path = ?').run(runId, path);
  }

  /** Rows of runs that are over: finished, gone from the history, or owned by a process of this host that died. */
  leftovers(isAlive: (pid: number) => boolean = pidAlive): Leftover[] {
    const rows = this.db
      .prepare(
        `SELECT s.run_id, s.path, s.kind, r.status, r.owner_pid, r.owner_host
         FROM publish_staging s LEFT JOIN runs r ON r.id = s.run_id ORDER BY s.created_at`,
      )
      .all() as Row[];
    const host = os.hostname();
    const out: Leftover[] = [];
    for (const r of rows) {
      const status = r.status == null ? 'deleted' : String(r.status);
      const open = status === 'running' || status === 'queued';
      if (open && (r.owner_host !== host || isAlive(Number(r.owner_pid)))) continue;
      out.push({ runId: String(r.run_id), path: String(r.path), kind: r.kind as StagedKind, runStatus: open ? 'interrupted' : status });
    }
    return out;
  }
}

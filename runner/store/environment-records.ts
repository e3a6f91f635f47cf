// What the metadata store keeps about Python environments: the packages of every lock a
// run used, the lock and Python version of each run, and each workflow's choice between
// the app-owned environment and an interpreter of the user's own.
import type { Db } from './db.ts';
import type { StoreClock } from './metadata-store.ts';

export interface LockedPackageRecord {
  name: string;
  version: string;
  marker?: string;
}

export interface PythonChoice {
  mode: 'app' | 'interpreter';
  /** the user's own interpreter (mode interpreter); absent: the one in Settings → Python */
  interpreter?: string;
}

export class EnvironmentRecords {
  constructor(
    private readonly db: Db,
    private readonly clock: StoreClock,
  ) {}

  putLock(hash: string, packages: LockedPackageRecord[]): void {
    this.db.prepare('INSERT OR IGNORE INTO python_locks (hash, packages, created_at) VALUES (?, ?, ?)').run(hash, JSON.stringify(packages), this.clock.now());
  }

  lockPackages(hash: string): LockedPackageRecord[] | undefined {
    const row = this.db.prepare('SELECT packages FROM python_locks WHERE hash = ?').get(hash) as { packages: string } | undefined;
    return row ? (JSON.parse(row.packages) as LockedPackageRecord[]) : undefined;
  }

  setRunEnvironment(runId: string, lockHash: string, pythonVersion: string): void {
    this.db.prepare('UPDATE runs SET lock_hash = ?, python_version = ? WHERE id = ?').run(lockHash, pythonVersion, runId);
  }

  choice(workflowId: string): PythonChoice | undefined {
    const row = this.db.prepare('SELECT mode, interpreter FROM workflow_python WHERE workflow_id = ?').get(workflowId) as { mode: PythonChoice['mode']; interpreter: string | null } | undefined;
    return row ? { mode: row.mode, ...(row.interpreter ? { interpreter: row.interpreter } : {}) } : undefined;
  }

  setChoice(workflowId: string, c: PythonChoice): void {
    this.db
      .prepare('INSERT INTO workflow_python (workflow_id, mode, interpreter) VALUES (?, ?, ?) ON CONFLICT(workflow_id) DO UPDATE SET mode = excluded.mode, interpreter = excluded.interpreter')
      .run(workflowId, c.mode, c.mode === 'interpreter' ? (c.interpreter ?? null) : null);
  }
}

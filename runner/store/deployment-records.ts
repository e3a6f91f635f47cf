// What the metadata store keeps about deployments to remote engines: which workflow went
// to which engine connection at which version (and what the engine calls it), and the
// remote runs the app follows, each with the engine's own id for it.
import type { Db } from './db.ts';
import type { StoreClock } from './metadata-store.ts';

export interface DeploymentRecord {
  id: string;
  workflowId: string;
  connection: string;
  engine: 'airflow' | 'ray' | 'kubernetes';
  versionHash: string;
  remoteId: string;
  /** engine-specific settings of the deployment (never a secret) */
  detail: Record<string, unknown>;
  problem?: string;
  deployedAt: number;
  updatedAt: number;
}

export interface RemoteRunRecord {
  runId: string;
  deploymentId: string;
  engineRef: string;
  done: boolean;
}

interface Row { id: string; workflow_id: string; connection: string; engine: DeploymentRecord['engine']; version_hash: string; remote_id: string; detail: string; problem: string | null; deployed_at: number; updated_at: number }

const toRecord = (r: Row): DeploymentRecord => ({
  id: r.id, workflowId: r.workflow_id, connection: r.connection, engine: r.engine, versionHash: r.version_hash, remoteId: r.remote_id,
  detail: JSON.parse(r.detail) as Record<string, unknown>, problem: r.problem ?? undefined, deployedAt: r.deployed_at, updatedAt: r.updated_at,
});

export class DeploymentRecords {
  constructor(private readonly db: Db, private readonly clock: StoreClock) {}

  /** Saves the deployment of a workflow to a connection (a new one, or the next version of it). */
  save(d: Omit<DeploymentRecord, 'id' | 'deployedAt' | 'updatedAt' | 'problem'>): DeploymentRecord {
    const now = this.clock.now();
    this.db.prepare(
      `INSERT INTO engine_deployments (id, workflow_id, connection, engine, version_hash, remote_id, detail, problem, deployed_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
       ON CONFLICT (workflow_id, connection) DO UPDATE SET engine = excluded.engine, version_hash = excluded.version_hash,
         remote_id = excluded.remote_id, detail = excluded.detail, problem = NULL, deployed_at = excluded.deployed_at, updated_at = excluded.updated_at`,
    ).run(this.clock.newId(), d.workflowId, d.connection, d.engine, d.versionHash, d.remoteId, JSON.stringify(d.detail), now, now);
    return this.find(d.workflowId, d.connection)!;
  }

  setProblem(id: string, problem: string | undefined): void {
    this.db.prepare('UPDATE engine_deployments SET problem = ?, updated_at = ? WHERE id = ?').run(problem ?? null, this.clock.now(), id);
  }

  get(id: string): DeploymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM engine_deployments WHERE id = ?').get(id) as Row | undefined;
    return row && toRecord(row);
  }

  find(workflowId: string, connection: string): DeploymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM engine_deployments WHERE workflow_id = ? AND connection = ?').get(workflowId, connection) as Row | undefined;
    return row && toRecord(row);
  }

  list(): DeploymentRecord[] {
    return (this.db.prepare('SELECT * FROM engine_deployments ORDER BY deployed_at DESC').all() as Row[]).map(toRecord);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM engine_deployments WHERE id = ?').run(id);
  }

  // ---- the remote runs the app follows

  addRun(runId: string, deploymentId: string, engineRef: string): void {
    this.db.prepare('INSERT OR IGNORE INTO remote_runs (run_id, deployment_id, engine_ref, done) VALUES (?, ?, ?, 0)').run(runId, deploymentId, engineRef);
  }

  run(runId: string): RemoteRunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM remote_runs WHERE run_id = ?').get(runId) as { run_id: string; deployment_id: string; engine_ref: string; done: number } | undefined;
    return row && { runId: row.run_id, deploymentId: row.deployment_id, engineRef: row.engine_ref, done: row.done === 1 };
  }

  /** Runs still being followed (not finished when last seen). */
  openRuns(): RemoteRunRecord[] {
    return (this.db.prepare('SELECT * FROM remote_runs WHERE done = 0').all() as { run_id: string; deployment_id: string; engine_ref: string }[])
      .map((r) => ({ runId: r.run_id, deploymentId: r.deployment_id, engineRef: r.engine_ref, done: false }));
  }

  /** The engine refs of a deployment's runs the app already knows. */
  knownRefs(deploymentId: string): Set<string> {
    return new Set((this.db.prepare('SELECT engine_ref FROM remote_runs WHERE deployment_id = ?').all(deploymentId) as { engine_ref: string }[]).map((r) => r.engine_ref));
  }

  markDone(runId: string): void {
    this.db.prepare('UPDATE remote_runs SET done = 1 WHERE run_id = ?').run(runId);
  }

  /** The newest run the app knows of a deployment. */
  lastRunId(deploymentId: string): string | undefined {
    const row = this.db.prepare(
      'SELECT r.id FROM remote_runs x JOIN runs r ON r.id = x.run_id WHERE x.deployment_id = ? ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1',
    ).get(deploymentId) as { id: string } | undefined;
    return row?.id;
  }
}

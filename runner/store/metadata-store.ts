// The metadata store: every run's history in SQLite. Each method is one short write
// transaction (or a read), so several processes (app, scheduler daemon, CLI) share one
// database file without ever holding it locked for long. Time and ids are injected so
// tests can fix them.
import os from 'node:os';
import type { Db } from './db.ts';
import type {
  CheckResult,
  LogLine,
  MetricValue,
  NodeRunRecord,
  ParamValue,
  Person,
  Publication,
  RunDetail,
  RunKind,
  RunStatus,
  RunSummary,
  WorkflowSummary,
} from '../api/types.ts';
import { mapCheck, mapMetric, mapNodeRun, mapPublication, mapRun, mapWorkflow, type Row } from './rows.ts';

/** Settings keys of the user's own name and email: the default owner of workflows. */
export const OWNER_NAME_SETTING = 'owner.name';
export const OWNER_EMAIL_SETTING = 'owner.email';

export interface StoreClock {
  now(): number;
  newId(): string;
}

export const systemClock: StoreClock = {
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
};

export interface NewRun {
  workflowId: string;
  versionHash: string;
  kind?: RunKind;
  targetNode?: string;
  trigger: string;
  params: Record<string, ParamValue>;
  engine?: string;
  status?: RunStatus;
  id?: string;
}

export class MetadataStore {
  constructor(
    readonly db: Db,
    readonly clock: StoreClock = systemClock,
  ) {}

  // ---- workflows and versions

  upsertWorkflow(folder: string, name: string): WorkflowSummary {
    const now = this.clock.now();
    const existing = this.db.prepare('SELECT * FROM workflows WHERE folder = ?').get(folder) as Row | undefined;
    if (existing) {
      if (existing.name !== name) {
        this.db.prepare('UPDATE workflows SET name = ?, updated_at = ? WHERE id = ?').run(name, now, existing.id);
      }
      return this.getWorkflow(String(existing.id))!;
    }
    const id = this.clock.newId();
    this.db
      .prepare('INSERT INTO workflows (id, folder, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(folder) DO NOTHING')
      .run(id, folder, name, now, now);
    return this.findWorkflowByFolder(folder)!;
  }

  getWorkflow(id: string): WorkflowSummary | undefined {
    const row = this.db.prepare('SELECT * FROM workflows WHERE id = ?').get(id) as Row | undefined;
    return row && this.withLastRun(mapWorkflow(row));
  }

  findWorkflowByFolder(folder: string): WorkflowSummary | undefined {
    const row = this.db.prepare('SELECT * FROM workflows WHERE folder = ?').get(folder) as Row | undefined;
    return row && this.withLastRun(mapWorkflow(row));
  }

  listWorkflows(): WorkflowSummary[] {
    const rows = this.db.prepare('SELECT * FROM workflows ORDER BY name COLLATE NOCASE').all() as Row[];
    return rows.map((r) => this.withLastRun(mapWorkflow(r)));
  }

  /** The owner and watchers a workflow's file names (null owner: the default from Settings applies). */
  setWorkflowPeople(id: string, owner: Person | undefined, watchers: string[] | undefined): void {
    this.db
      .prepare('UPDATE workflows SET owner_name = ?, owner_email = ?, watchers = ? WHERE id = ?')
      .run(owner?.name ?? null, owner?.email ?? null, JSON.stringify(watchers ?? []), id);
  }

  /** The user named in Settings, owner of every workflow whose file names none. */
  defaultOwner(): Person | undefined {
    const email = this.getSetting(OWNER_EMAIL_SETTING);
    return email ? { name: this.getSetting(OWNER_NAME_SETTING) || email, email } : undefined;
  }

  renameWorkflow(id: string, name: string): void {
    this.db.prepare('UPDATE workflows SET name = ?, updated_at = ? WHERE id = ?').run(name, this.clock.now(), id);
  }

  moveWorkflow(id: string, folder: string): void {
    this.db.prepare('UPDATE workflows SET folder = ?, updated_at = ? WHERE id = ?').run(folder, this.clock.now(), id);
  }

  deleteWorkflow(id: string): void {
    this.db.prepare('DELETE FROM workflows WHERE id = ?').run(id);
  }

  putVersion(workflowId: string, hash: string, definition: unknown): void {
    this.db
      .prepare('INSERT OR IGNORE INTO workflow_versions (hash, workflow_id, definition, created_at) VALUES (?, ?, ?, ?)')
      .run(hash, workflowId, JSON.stringify(definition), this.clock.now());
  }

  getVersion(hash: string): unknown | undefined {
    const row = this.db.prepare('SELECT definition FROM workflow_versions WHERE hash = ?').get(hash) as Row | undefined;
    return row ? JSON.parse(String(row.definition)) : undefined;
  }

  // ---- runs

  createRun(r: NewRun): RunSummary {
    const id = r.id ?? this.clock.newId();
    this.db
      .prepare(
        `INSERT INTO runs (id, workflow_id, version_hash, kind, target_node, trigger, params, status, engine, created_at, owner_pid, owner_host)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, r.workflowId, r.versionHash, r.kind ?? 'run', r.targetNode ?? null, r.trigger, JSON.stringify(r.params),
        r.status ?? 'queued', r.engine ?? 'local', this.clock.now(), process.pid, os.hostname());
    return this.getRunSummary(id)!;
  }

  markRunStarted(id: string): RunSummary {
    this.db.prepare("UPDATE runs SET status = 'running', started_at = ? WHERE id = ?").run(this.clock.now(), id);
    return this.getRunSummary(id)!;
  }

  finishRun(id: string, status: RunStatus, error?: string): RunSummary {
    this.db
      .prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?')
      .run(status, error ?? null, this.clock.now(), id);
    return this.getRunSummary(id)!;
  }

  getRunSummary(id: string): RunSummary | undefined {
    const row = this.db
      .prepare('SELECT r.*, w.name AS workflow_name FROM runs r JOIN workflows w ON w.id = r.workflow_id WHERE r.id = ?')
      .get(id) as Row | undefined;
    return row && mapRun(row);
  }

  /** Finds a run by its full id or a unique prefix of it (as the CLI accepts). */
  resolveRunId(idOrPrefix: string): string | undefined {
    const rows = this.db.prepare('SELECT id FROM runs WHERE id LIKE ? LIMIT 2').all(`${idOrPrefix}%`) as Row[];
    return rows.length === 1 ? String(rows[0]!.id) : undefined;
  }

  listRuns(opts: { workflowId?: string; kind?: RunKind; limit?: number } = {}): RunSummary[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.workflowId) {
      where.push('r.workflow_id = ?');
      args.push(opts.workflowId);
    }
    if (opts.kind) {
      where.push('r.kind = ?');
      args.push(opts.kind);
    }
    const sql = `SELECT r.*, w.name AS workflow_name FROM runs r JOIN workflows w ON w.id = r.workflow_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, opts.limit ?? 100) as Row[]).map(mapRun);
  }

  countRuns(opts: { workflowId?: string; kind?: RunKind } = {}): number {
    const row = this.db
      .prepare('SELECT count(*) AS n FROM runs WHERE (? IS NULL OR workflow_id = ?) AND (? IS NULL OR kind = ?)')
      .get(opts.workflowId ?? null, opts.workflowId ?? null, opts.kind ?? null, opts.kind ?? null) as Row;
    return Number(row.n);
  }

  getRun(id: string): RunDetail | undefined {
    const run = this.getRunSummary(id);
    if (!run) return undefined;
    const all = (sql: string) => this.db.prepare(sql).all(id) as Row[];
    return {
      ...run,
      nodes: all('SELECT * FROM node_runs WHERE run_id = ? ORDER BY started_at IS NULL, started_at, node_id').map(mapNodeRun),
      metrics: all('SELECT * FROM metric_values WHERE run_id = ?').map(mapMetric),
      checks: all('SELECT * FROM check_results WHERE run_id = ?').map(mapCheck),
      publications: all('SELECT * FROM publications WHERE run_id = ?').map(mapPublication),
    };
  }

  /**
   * Runs a crashed process left "running" become "interrupted". Only runs owned by this
   * host whose process is gone: another live process may be running the rest.
   */
  interruptOrphanedRuns(isAlive: (pid: number) => boolean = pidAlive): RunSummary[] {
    const host = os.hostname();
    const open = this.db
      // runs on remote engines go on without this process: the app follows them again (engines/remote-runs.ts)
      .prepare("SELECT id, owner_pid, owner_host FROM runs WHERE status IN ('running', 'queued') AND engine = 'local'")
      .all() as Row[];
    const orphans = open.filter((r) => r.owner_host === host && !isAlive(Number(r.owner_pid)));
    const now = this.clock.now();
    const mark = this.db.transaction((ids: string[]) => {
      for (const id of ids) {
        const reason = 'interrupted: the process running it stopped before it finished (crash, kill or shutdown)';
        this.db
          .prepare("UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ?")
          .run(reason, now, id);
        this.db
          .prepare(
            "UPDATE node_runs SET status = 'interrupted', finished_at = ? WHERE run_id = ? AND status IN ('running', 'pending')",
          )
          .run(now, id);
      }
    });
    mark.immediate(orphans.map((r) => String(r.id)));
    return orphans.map((r) => this.getRunSummary(String(r.id))!);
  }

  // ---- node runs and their products

  saveNodeRun(n: NodeRunRecord): void {
    this.db
      .prepare(
        `INSERT INTO node_runs (run_id, node_id, kind, status, attempts, started_at, finished_at, cache_key, cached_from,
           artifact_path, rows, bytes, columns, value, error)
         VALUES (@runId, @nodeId, @kind, @status, @attempts, @startedAt, @finishedAt, @cacheKey, @cachedFrom,
           @artifactPath, @rows, @bytes, @columns, @value, @error)
         ON CONFLICT (run_id, node_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
           started_at = excluded.started_at, finished_at = excluded.finished_at, cache_key = excluded.cache_key,
           cached_from = excluded.cached_from, artifact_path = excluded.artifact_path, rows = excluded.rows,
           bytes = excluded.bytes, columns = excluded.columns, value = excluded.value, error = excluded.error`,
      )
      .run({
        runId: n.runId,
        nodeId: n.nodeId,
        kind: n.kind,
        status: n.status,
        attempts: n.attempts,
        startedAt: n.startedAt ?? null,
        finishedAt: n.finishedAt ?? null,
        cacheKey: n.cacheKey ?? null,
        cachedFrom: n.cachedFrom ?? null,
        artifactPath: n.artifactPath ?? null,
        rows: n.rows ?? null,
        bytes: n.bytes ?? null,
        columns: n.columns ? JSON.stringify(n.columns) : null,
        value: n.value === undefined ? null : JSON.stringify(n.value),
        error: n.error ? JSON.stringify(n.error) : null,
      });
  }

  saveNodeRuns(list: NodeRunRecord[]): void {
    this.db.transaction(() => list.forEach((n) => this.saveNodeRun(n)))();
  }

  getNodeRun(runId: string, nodeId: string): NodeRunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM node_runs WHERE run_id = ? AND node_id = ?').get(runId, nodeId) as
      | Row
      | undefined;
    return row && mapNodeRun(row);
  }

  /** The newest successful node run with this content hash whose output can be reused. */
  findCachedNodeRuns(cacheKey: string): NodeRunRecord[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM node_runs WHERE cache_key = ? AND status = 'succeeded' AND cached_from IS NULL ORDER BY finished_at DESC LIMIT 5",
      )
      .all(cacheKey) as Row[];
    return rows.map(mapNodeRun);
  }

  appendLogs(lines: LogLine[]): void {
    if (lines.length === 0) return;
    const insert = this.db.prepare('INSERT INTO logs (run_id, node_id, ts, stream, line) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const l of lines) insert.run(l.runId, l.nodeId ?? null, l.ts, l.stream, l.line);
    })();
  }

  getLogs(runId: string, nodeId?: string, limit = 10_000): LogLine[] {
    const rows = (
      nodeId
        ? this.db.prepare('SELECT * FROM logs WHERE run_id = ? AND node_id = ? ORDER BY id LIMIT ?').all(runId, nodeId, limit)
        : this.db.prepare('SELECT * FROM logs WHERE run_id = ? ORDER BY id LIMIT ?').all(runId, limit)
    ) as Row[];
    return rows.map((r) => ({
      runId: String(r.run_id),
      nodeId: r.node_id == null ? undefined : String(r.node_id),
      ts: Number(r.ts),
      stream: r.stream as LogLine['stream'],
      line: String(r.line),
    }));
  }

  recordMetric(m: MetricValue): void {
    this.db
      .prepare('INSERT OR REPLACE INTO metric_values (run_id, node_id, value, lower, upper, warn_lower, warn_upper, passed, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.runId, m.nodeId, m.value, m.lower ?? null, m.upper ?? null, m.warnLower ?? null, m.warnUpper ?? null, m.passed ? 1 : 0, m.ts);
  }

  recordCheck(c: CheckResult): void {
    this.db
      .prepare('INSERT OR REPLACE INTO check_results (run_id, node_id, passed, severity, message, ts) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.runId, c.nodeId, c.passed ? 1 : 0, c.severity, c.message ?? null, c.ts);
  }

  recordPublication(p: Publication): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO publications (run_id, node_id, destination, connection, target, mode, rows, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(p.runId, p.nodeId, p.destination, p.connection ?? null, p.target, p.mode, p.rows, p.ts);
  }

  /** A metric's values over a workflow's real runs (not previews), oldest first, each with its run's parameters. */
  metricHistory(workflowId: string, nodeId?: string, limit = 500): MetricValue[] {
    const rows = this.db
      .prepare(
        `SELECT m.*, r.params AS run_params FROM metric_values m JOIN runs r ON r.id = m.run_id
         WHERE r.workflow_id = ? AND r.kind = 'run' ${nodeId ? 'AND m.node_id = ?' : ''}
         ORDER BY m.ts DESC LIMIT ?`,
      )
      .all(...(nodeId ? [workflowId, nodeId, limit] : [workflowId, limit])) as Row[];
    return rows.map(mapMetric).reverse();
  }

  checkHistory(workflowId: string, limit = 500): CheckResult[] {
    const rows = this.db
      .prepare(
        `SELECT c.* FROM check_results c JOIN runs r ON r.id = c.run_id
         WHERE r.workflow_id = ? AND r.kind = 'run' ORDER BY c.ts DESC LIMIT ?`,
      )
      .all(workflowId, limit) as Row[];
    return rows.map(mapCheck).reverse();
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return row ? String(row.value) : undefined;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  private withLastRun(w: WorkflowSummary): WorkflowSummary {
    const last = this.listRuns({ workflowId: w.id, kind: 'run', limit: 1 })[0];
    const fallback = w.owner ? undefined : this.defaultOwner();
    const owned = fallback ? { ...w, owner: fallback, ownerIsDefault: true } : w;
    return last ? { ...owned, lastRun: last } : owned;
  }
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

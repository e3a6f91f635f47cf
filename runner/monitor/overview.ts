// "What's running where": one row per workflow across every engine: its runs going now,
// its last run, the newest run that failed or warned (with the failing nodes' reasons, so
// the page shows why in one click), its next scheduled slot, and who owns it (the owner
// workflow.yaml names, else the user named in Settings).
import type { OverviewRow } from '../api/monitor-types.ts';
import type { RunStatus } from '../api/types.ts';
import type { Schedule } from '../schedule/types.ts';
import type { MetadataStore } from '../store/metadata-store.ts';

type Row = Record<string, unknown>;

const PROBLEM: readonly RunStatus[] = ['failed', 'succeeded_with_warnings', 'interrupted'];

export function overview(store: MetadataStore, schedules: Schedule[]): OverviewRow[] {
  const db = store.db;
  const byWorkflow = new Map(schedules.map((s) => [s.workflowId, s]));
  const running = db.prepare("SELECT id, engine, started_at, trigger FROM runs WHERE workflow_id = ? AND kind = 'run' AND status IN ('running', 'queued') ORDER BY created_at");
  const problem = db.prepare(
    `SELECT id, status, error, created_at FROM runs WHERE workflow_id = ? AND kind = 'run' AND status IN (${PROBLEM.map(() => '?').join(', ')})
     ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  );
  const failingNodes = db.prepare("SELECT node_id, status, error FROM node_runs WHERE run_id = ? AND status IN ('failed', 'warning', 'interrupted') ORDER BY finished_at LIMIT 10");
  const rows = store.listWorkflows().map((w): OverviewRow => {
    const last = w.lastRun;
    const p = problem.get(w.id, ...PROBLEM) as Row | undefined;
    const s = byWorkflow.get(w.id);
    return {
      workflowId: w.id,
      name: w.name,
      folder: w.folder,
      owner: w.owner?.name,
      running: (running.all(w.id) as Row[]).map((r) => ({ runId: String(r.id), engine: String(r.engine), startedAt: r.started_at == null ? undefined : Number(r.started_at), trigger: String(r.trigger) })),
      last: last && { runId: last.id, status: last.status, engine: last.engine, finishedAt: last.finishedAt, createdAt: last.createdAt, error: last.error, trigger: last.trigger },
      lastProblem: p && {
        runId: String(p.id),
        status: p.status as RunStatus,
        error: p.error == null ? undefined : String(p.error),
        createdAt: Number(p.created_at),
        nodes: (failingNodes.all(p.id) as Row[]).map((n) => ({
          nodeId: String(n.node_id),
          status: String(n.status),
          message: n.error == null ? undefined : (JSON.parse(String(n.error)) as { message?: string }).message,
        })),
      },
      nextScheduled: s && !s.paused ? s.nextRunAt : undefined,
      schedulePaused: s?.paused,
    };
  });
  // what needs eyes first: running, then failed last, then warnings, then the rest by name
  const rank = (r: OverviewRow) => (r.running.length ? 0 : r.last?.status === 'failed' || r.last?.status === 'interrupted' ? 1 : r.last?.status === 'succeeded_with_warnings' ? 2 : 3);
  return rows.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

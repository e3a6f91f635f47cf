// Runs started by other processes (`aqueduct run` in a terminal, a scheduler daemon) share
// the history database but not this process's event bus. The process hosting the UI looks
// at the database every second and retells what changed as the same events its own runs
// give, so an open window's toolbar and canvas follow a CLI or scheduled run live.
import os from 'node:os';
import type { NodeStatus, RunStatus } from '../api/types.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { Row } from '../store/rows.ts';
import type { EventBus } from './events.ts';

const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'succeeded_with_warnings', 'failed', 'cancelled', 'interrupted']);
const NODE_DONE: ReadonlySet<NodeStatus> = new Set(['succeeded', 'warning', 'failed', 'skipped', 'cancelled', 'interrupted']);

interface Tracked {
  status?: RunStatus;
  nodes: Map<string, NodeStatus>;
}

export class ForeignRuns {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastRowid = 0;
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly store: MetadataStore,
    private readonly events: EventBus,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    const db = this.store.db;
    this.lastRowid = Number((db.prepare('SELECT coalesce(max(rowid), 0) AS m FROM runs').get() as Row).m);
    // runs already going in another process when this one started are followed too
    const going = db.prepare("SELECT id FROM runs WHERE status IN ('queued', 'running') AND NOT (owner_pid = ? AND owner_host = ?)").all(process.pid, os.hostname()) as Row[];
    for (const r of going) this.tracked.set(String(r.id), { nodes: new Map() });
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (e) {
        console.error('following runs of other processes failed:', e);
      }
    }, this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the database: new runs of other processes, and what changed in those followed. */
  tick(): void {
    const db = this.store.db;
    const fresh = db
      .prepare('SELECT rowid AS r, id, owner_pid, owner_host FROM runs WHERE rowid > ? ORDER BY rowid')
      .all(this.lastRowid) as Row[];
    for (const row of fresh) {
      this.lastRowid = Math.max(this.lastRowid, Number(row.r));
      const own = Number(row.owner_pid) === process.pid && row.owner_host === os.hostname();
      if (!own) this.tracked.set(String(row.id), { nodes: new Map() });
    }
    for (const [id, t] of this.tracked) this.follow(id, t);
  }

  private follow(id: string, t: Tracked): void {
    const run = this.store.getRunSummary(id);
    if (!run) return void this.tracked.delete(id);
    if (t.status === undefined && !FINISHED.has(run.status)) this.events.emit({ type: 'run_started', run });
    t.status = run.status;
    const rows = this.store.db.prepare('SELECT node_id, status FROM node_runs WHERE run_id = ?').all(id) as Row[];
    for (const r of rows) {
      const nodeId = String(r.node_id);
      const status = r.status as NodeStatus;
      if (t.nodes.get(nodeId) === status) continue;
      t.nodes.set(nodeId, status);
      const rec = this.store.getNodeRun(id, nodeId);
      if (!rec) continue;
      if (status === 'running') this.events.emit({ type: 'node_started', runId: id, nodeId, attempt: rec.attempts, ts: rec.startedAt ?? Date.now() });
      else if (NODE_DONE.has(status)) this.events.emit({ type: 'node_finished', node: rec });
    }
    if (FINISHED.has(run.status)) {
      this.events.emit({ type: 'run_finished', run });
      this.tracked.delete(id);
    }
  }
}

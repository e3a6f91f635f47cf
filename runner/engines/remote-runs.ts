// Follows runs on remote engines into the one history. A run the app starts (or finds,
// when the engine started it on a schedule) gets its row at once, with every node
// pending; each poll of the engine moves node states on (saved, then announced as the
// executor's events are, so open UIs show it live); when the run ends, the run record
// the runtime left replaces the row's contents (statuses, timings, logs, metrics,
// checks, publications, tables brought back). The record crossed machines: it is checked
// field by field first. Runs left open by a restart are picked up again (resumeAll).
import type { NodeRunRecord, NodeStatus, ParamValue, RunSummary } from '../api/types.ts';
import type { EventBus } from '../exec/events.ts';
import type { DeploymentRecords, DeploymentRecord } from '../store/deployment-records.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { AppPaths } from '../store/paths.ts';
import type { EngineTarget } from './engine-targets.ts';
import type { RemoteEngine, RemoteSnapshot } from './remote-engine.ts';
import { RunRecord } from './run-record.ts';
import { importRecord } from './sync.ts';

export interface RemoteRunsDeps {
  store: MetadataStore;
  paths: AppPaths;
  events: EventBus;
  records: DeploymentRecords;
  /** the engine adapter and its resolved target (secrets opened) for a deployment */
  engineFor(d: DeploymentRecord): Promise<{ engine: RemoteEngine; target: EngineTarget }>;
  pollMs?: number;
  log?: (line: string) => void;
}

const FINISHED_NODE: readonly NodeStatus[] = ['succeeded', 'warning', 'failed', 'skipped', 'cancelled', 'interrupted'];
/** polls in a row that may fail (engine unreachable) before a run is left for the next resume */
const MAX_FAILED_POLLS = 30;

export class RemoteRuns {
  private readonly watching = new Map<string, Promise<RunSummary | undefined>>();
  /** runs the user stopped: they end as cancelled, whatever the engine calls it */
  private readonly stoppedByUser = new Set<string>();
  private stopped = false;

  constructor(private readonly d: RemoteRunsDeps) {}

  /** Creates the run's row (every node pending) and starts following it. */
  begin(dep: DeploymentRecord, o: { runId: string; engineRef: string; params: Record<string, ParamValue>; trigger: string; nodes: { id: string; kind: string }[]; createdAt?: number }): RunSummary {
    const { store, records } = this.d;
    const run = store.db.transaction(() => {
      const created = store.createRun({
        id: o.runId, workflowId: dep.workflowId, versionHash: dep.versionHash, trigger: o.trigger, params: o.params, engine: dep.engine, status: 'running',
      });
      store.db.prepare('UPDATE runs SET started_at = ?, created_at = coalesce(?, created_at) WHERE id = ?').run(store.clock.now(), o.createdAt ?? null, o.runId);
      store.saveNodeRuns(o.nodes.map((n) => ({ runId: o.runId, nodeId: n.id, kind: n.kind, status: 'pending', attempts: 0 })));
      records.addRun(o.runId, dep.id, o.engineRef);
      return created;
    }).immediate();
    const started = store.getRunSummary(run.id)!;
    this.d.events.emit({ type: 'run_started', run: started });
    void this.watch(run.id);
    return started;
  }

  /** Follows a run until it ends (one follower per run in this process); resolves with its summary. */
  watch(runId: string): Promise<RunSummary | undefined> {
    const running = this.watching.get(runId);
    if (running) return running;
    const p = this.follow(runId).finally(() => this.watching.delete(runId));
    this.watching.set(runId, p);
    return p;
  }

  /** Picks up every run still open in the store (after a restart, or on the sync interval). */
  resumeAll(): void {
    for (const r of this.d.records.openRuns()) if (!this.watching.has(r.runId)) void this.watch(r.runId);
  }

  /** Notes that the user is stopping a run (before the engine is told): it ends as cancelled. */
  cancelled(runId: string): void {
    this.stoppedByUser.add(runId);
  }

  /** The engine refused to stop it: the run ends as the engine says after all. */
  notCancelled(runId: string): void {
    this.stoppedByUser.delete(runId);
  }

  stop(): void {
    this.stopped = true;
  }

  private async follow(runId: string): Promise<RunSummary | undefined> {
    let failures = 0;
    while (!this.stopped) {
      const link = this.d.records.run(runId);
      const dep = link && this.d.records.get(link.deploymentId);
      if (!link || !dep || link.done) return this.d.store.getRunSummary(runId);
      let snap: RemoteSnapshot;
      try {
        const { engine, target } = await this.d.engineFor(dep);
        snap = await engine.poll(dep, target, link.engineRef, runId);
        failures = 0;
      } catch (e) {
        if (++failures >= MAX_FAILED_POLLS) {
          this.d.log?.(`stopped following run ${runId.slice(0, 8)} on ${dep.engine}: ${(e as Error).message}`);
          return this.d.store.getRunSummary(runId);
        }
        await sleep(this.pollMs * Math.min(failures, 5));
        continue;
      }
      try {
        this.apply(runId, snap);
        if (snap.state === 'finished') return this.finish(runId, dep, snap);
      } finally {
        snap.dispose?.();
      }
      await sleep(this.pollMs);
    }
    return this.d.store.getRunSummary(runId);
  }

  private get pollMs(): number {
    return this.d.pollMs ?? 1000;
  }

  /** Moves node states on, announcing each change like the local executor does. */
  private apply(runId: string, snap: RemoteSnapshot): void {
    const { store, events } = this.d;
    const current = new Map(store.getRun(runId)?.nodes.map((n) => [n.nodeId, n]) ?? []);
    // a task the engine failed because the user stopped the run was cancelled, not broken
    const stopped = this.stoppedByUser.has(runId);
    for (const [nodeId, given] of Object.entries(snap.nodes)) {
      const s = stopped && given.status === 'failed' ? { ...given, status: 'cancelled' as const } : given;
      const before = current.get(nodeId);
      if (!before || (before.status === s.status && before.attempts === (s.attempts ?? before.attempts))) continue;
      if (FINISHED_NODE.includes(before.status) && !FINISHED_NODE.includes(s.status)) continue;
      const rec: NodeRunRecord = { ...before, status: s.status, attempts: s.attempts ?? Math.max(before.attempts, 1), startedAt: s.startedAt ?? before.startedAt, finishedAt: s.finishedAt };
      store.saveNodeRun(rec);
      if (s.status === 'running') events.emit({ type: 'node_started', runId, nodeId, attempt: rec.attempts, ts: rec.startedAt ?? Date.now() });
      else if (FINISHED_NODE.includes(s.status)) events.emit({ type: 'node_finished', node: rec });
    }
  }

  private finish(runId: string, dep: DeploymentRecord, snap: RemoteSnapshot): RunSummary | undefined {
    const { store, paths, events, records } = this.d;
    const own = store.getRunSummary(runId);
    if (this.stoppedByUser.delete(runId)) snap = { ...snap, record: undefined, outcome: { status: 'cancelled', error: 'cancelled by the user' } };
    const parsed = snap.record === undefined ? undefined : RunRecord.safeParse(snap.record);
    if (parsed?.success && parsed.data.runId === runId) {
      importRecord(store, paths, parsed.data, snap.tablesDir, { workflowId: dep.workflowId, trigger: own?.trigger });
    } else {
      const why = parsed && !parsed.success ? `its run record is not valid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})` : undefined;
      const outcome = snap.outcome ?? { status: 'failed' as const, error: `the ${dep.engine} run ended without a run record` };
      const ts = Date.now();
      store.db.transaction(() => {
        if (snap.logs?.length) store.appendLogs(snap.logs.map((l) => ({ runId, ...l })));
        for (const n of store.getRun(runId)?.nodes ?? []) {
          if (FINISHED_NODE.includes(n.status)) continue;
          const status: NodeStatus = outcome.status === 'cancelled' ? 'cancelled' : 'skipped';
          store.saveNodeRun({ ...n, status, finishedAt: ts, error: n.error ?? { message: outcome.status === 'cancelled' ? 'cancelled' : 'not run on the engine' } });
        }
        store.finishRun(runId, outcome.status, [outcome.error, why].filter(Boolean).join('; ') || undefined);
      })();
    }
    records.markDone(runId);
    const summary = store.getRunSummary(runId);
    if (summary) events.emit({ type: 'run_finished', run: summary });
    return summary;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// What happens after a run finishes, in whichever process ran it: cascades start their
// downstream workflow, a scheduled run a crash interrupted is retried (interrupted-retry.ts),
// notifications go out, retention trims old outputs. The lease
// holder finds newly finished runs by polling the store (runs from the CLI or another
// app count too) and claims each follow-up by primary key, so a takeover never repeats
// one. A passive process with a desktop shell attached still shows desktop notifications.
import type { RunStatus, RunSummary } from '../api/types.ts';
import type { StartedRun } from '../engine.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { NotifyChannel } from '../notify/types.ts';
import { mapRun, type Row } from '../store/rows.ts';
import type { CascadeStore } from './cascades.ts';
import type { SchedulerHost } from './host.ts';
import { InterruptedRetries } from './interrupted-retry.ts';
import { LeaseLostError, type Lease } from './lease.ts';
import type { Retention } from './retention.ts';
import { settleStart, startRunInTransaction } from './run-starter.ts';
import type { Cascade } from './types.ts';
import { sql } from './statements.ts';

/** Runs finishing this close together may commit out of order across processes. */
const SKEW_MS = 60_000;
const SUCCESS: readonly RunStatus[] = ['succeeded', 'succeeded_with_warnings'];

export interface FollowupDeps {
  host: SchedulerHost;
  lease: Lease;
  cascades: CascadeStore;
  retention: Retention;
  notifier?: Notifier;
  now: () => number;
  log: (line: string) => void;
  /** a holder looks this far back for runs finished while no scheduler ran */
  windowMs: number;
  /** desktop notifications older than this are not shown (no flood when the app opens) */
  desktopWindowMs: number;
  /** background work (notification sends, started runs) the scheduler waits for in idle() */
  track: (p: Promise<unknown>) => void;
  onStarted: (run: StartedRun) => void;
}

export class Followups {
  private watermark: number | undefined;
  private readonly handled = new Map<string, number>();
  private readonly retries: InterruptedRetries;

  constructor(private readonly d: FollowupDeps) {
    this.retries = new InterruptedRetries({ host: d.host, lease: d.lease, now: d.now, log: d.log, onStarted: d.onStarted });
  }

  /** Forget progress, e.g. after taking the lease over: rescan the window. */
  reset(): void {
    this.watermark = undefined;
    this.handled.clear();
  }

  /** Handles newly finished runs; resolves once every cascade it fired has started (or failed to). */
  async run(role: 'holder' | 'passive'): Promise<void> {
    const db = this.d.host.store.db;
    const now = this.d.now();
    const desktopOnly = role === 'passive';
    if (desktopOnly && !this.d.notifier?.opts.desktop?.hasListeners) return;
    this.watermark ??= now - (desktopOnly ? this.d.desktopWindowMs : this.d.windowMs);
    const rows = sql(db, `SELECT r.*, w.name AS workflow_name FROM runs r JOIN workflows w ON w.id = r.workflow_id
         WHERE r.finished_at >= ? ORDER BY r.finished_at, r.rowid`)
      .all(this.watermark) as Row[];
    const dirty = new Set<string>();
    const starts: Promise<void>[] = [];
    const cascadesOf = new Map<string, Cascade[]>();
    let newest = this.watermark;
    for (const row of rows) {
      const run = mapRun(row);
      newest = Math.max(newest, run.finishedAt ?? 0);
      if (this.handled.has(run.id)) continue;
      this.handled.set(run.id, run.finishedAt ?? 0);
      if (!desktopOnly) dirty.add(run.workflowId); // previews too: they fill the disk as well
      if (run.kind !== 'run') continue;
      let note: string | undefined;
      if (run.status === 'interrupted' && run.trigger === 'schedule') {
        try {
          if (desktopOnly) note = this.retries.noteFor(run.id);
          else {
            const r = this.retries.decide(run);
            note = r?.note;
            if (r?.started) starts.push(r.started);
          }
        } catch (e) {
          if (e instanceof LeaseLostError) throw e;
          // e.g. the database stayed locked: decide (and tell) on the next pass
          this.handled.delete(run.id);
          this.d.log(`could not decide whether to retry run ${run.id.slice(0, 8)}: ${(e as Error).message}`);
          continue;
        }
      }
      if (!desktopOnly) {
        if (!cascadesOf.has(run.workflowId)) cascadesOf.set(run.workflowId, this.d.cascades.downstreamOf(run.workflowId));
        for (const c of cascadesOf.get(run.workflowId)!) {
          if ((run.finishedAt ?? 0) >= c.createdAt) starts.push(this.fireCascade(c, run));
        }
      }
      this.notify(run, desktopOnly, now, note);
    }
    this.watermark = Math.max(this.watermark, newest - SKEW_MS);
    for (const [id, t] of this.handled) if (t < this.watermark) this.handled.delete(id);
    for (const workflowId of dirty) {
      try {
        const r = this.d.retention.apply(workflowId);
        if (r.deleted.length) this.d.log(`retention: deleted the output of ${r.deleted.length} old run(s), ${r.bytesFreed} bytes`);
      } catch (e) {
        this.d.log(`retention failed for workflow ${workflowId}: ${(e as Error).message}`);
      }
    }
    await Promise.all(starts);
  }

  private notify(run: RunSummary, desktopOnly: boolean, now: number, note?: string): void {
    const notifier = this.d.notifier;
    if (!notifier) return;
    let channels: NotifyChannel[] = notifier.channelsFor(run);
    const desktopFresh = now - (run.finishedAt ?? 0) <= this.d.desktopWindowMs && notifier.opts.desktop?.hasListeners;
    channels = channels.filter((c) => (c === 'desktop' ? desktopFresh : !desktopOnly));
    if (channels.length === 0) return;
    const guard = desktopOnly ? () => {} : () => this.d.lease.assertHeld();
    this.d.track(notifier.deliver(run.id, channels, guard, note).catch((e) => this.d.log(`notifications for run ${run.id.slice(0, 8)} failed: ${(e as Error).message}`)));
  }

  private async fireCascade(c: Cascade, upstream: RunSummary): Promise<void> {
    const db = this.d.host.store.db;
    const ok = SUCCESS.includes(upstream.status);
    const upName = upstream.workflowName ?? upstream.workflowId;
    const reason = ok
      ? `after run ${upstream.id.slice(0, 8)} of ${upName} ${upstream.status === 'succeeded' ? 'succeeded' : 'succeeded with warnings'}`
      : `not started: run ${upstream.id.slice(0, 8)} of ${upName} ${upstream.status}`;
    const tx = db.transaction(() => {
      this.d.lease.assertHeld();
      const claimed = sql(db, 'INSERT OR IGNORE INTO cascade_fires (cascade_id, upstream_run_id, decision, reason, decided_at) VALUES (?, ?, ?, ?, ?)')
        .run(c.id, upstream.id, ok ? 'started' : 'not_started', reason, this.d.now()).changes === 1;
      if (!claimed || !ok) return undefined;
      const start = startRunInTransaction(db, this.d.host, c.downstreamWorkflowId, { params: c.params, trigger: 'cascade' });
      if (start.runId) sql(db, 'UPDATE cascade_fires SET run_id = ? WHERE cascade_id = ? AND upstream_run_id = ?').run(start.runId, c.id, upstream.id);
      return start;
    });
    const start = tx.immediate();
    if (!start) return;
    const s = await settleStart(start);
    const down = c.downstreamName ?? c.downstreamWorkflowId;
    if (s.ok) {
      sql(db, 'UPDATE cascade_fires SET run_id = ? WHERE cascade_id = ? AND upstream_run_id = ?').run(s.run.run.id, c.id, upstream.id);
      this.d.onStarted(s.run);
      this.d.log(`cascade: started ${down} (run ${s.run.run.id.slice(0, 8)}) ${reason}`);
    } else {
      sql(db, "UPDATE cascade_fires SET decision = 'failed_to_start', reason = ? WHERE cascade_id = ? AND upstream_run_id = ?")
        .run(`${reason}, but it could not start: ${s.error}`, c.id, upstream.id);
      this.d.log(`cascade to ${down} could not start: ${s.error}`);
    }
  }
}

// Deciding and starting slots, for the lease holder. Every schedule that fell due in a
// tick is decided in ONE write transaction that first re-checks the lease; each slot is
// claimed by an INSERT under UNIQUE(schedule_id, slot_time). Starting a slot is its own
// transaction in which the run row is created and the slot marked started, so a crash
// either leaves the slot waiting (and the next holder starts it) or started, never both.
import os from 'node:os';
import type { StartedRun } from '../engine.ts';
import type { Row } from '../store/rows.ts';
import type { CompiledCron } from './cron.ts';
import type { SchedulerHost } from './host.ts';
import type { Lease } from './lease.ts';
import { planSlots, type PlanContext } from './plan-slots.ts';
import { settleStart, startRunInTransaction } from './run-starter.ts';
import { mapSchedule, mapSlot } from './schedule-store.ts';
import { sql } from './statements.ts';
import type { Schedule, SlotRecord } from './types.ts';

/** Slots decided to run that have not started yet: the partial index schedule_slots_waiting. */
export const WAITING = "started_at IS NULL AND decision IN ('ran', 'queued', 'cancelled_previous')";

export interface SlotKeeperDeps {
  host: SchedulerHost;
  lease: Lease;
  now: () => number;
  graceMs: number;
  maxCatchup: number;
  isAlive: (pid: number) => boolean;
  log: (line: string) => void;
  onStarted: (run: StartedRun) => void;
  onSlot: (rec: SlotRecord, decided: boolean) => void;
}

export interface DecideResult {
  id: string;
  /** the schedule was deleted or paused meanwhile */
  inactive: boolean;
  cursor: number;
}

export class SlotKeeper {
  constructor(private readonly d: SlotKeeperDeps) {}

  /** Decides every slot of the given schedules that fell due, in one transaction under the lease. */
  decideDue(due: { id: string; compiled: CompiledCron }[]): DecideResult[] {
    const db = this.d.host.store.db;
    const cancels: string[] = [];
    const decided: SlotRecord[] = [];
    const tx = db.transaction(() => {
      this.d.lease.assertHeld();
      return due.map(({ id, compiled }): DecideResult => {
        const row = sql(db, 'SELECT * FROM schedules WHERE id = ?').get(id) as Row | undefined;
        if (!row) return { id, inactive: true, cursor: 0 };
        const s = mapSchedule(row);
        if (s.paused) return { id, inactive: true, cursor: s.cursorAt };
        const ctx: PlanContext = {
          now: this.d.now(), cursor: s.cursorAt, graceMs: this.d.graceMs, maxCatchup: this.d.maxCatchup,
          catchup: s.catchup, overlap: s.overlap, active: this.activeRun(s.workflowId),
          waiting: sql(db, `SELECT 1 FROM schedule_slots WHERE schedule_id = ? AND ${WAITING} LIMIT 1`).get(id) !== undefined,
        };
        const plan = planSlots(compiled, ctx);
        const insert = sql(db, 'INSERT OR IGNORE INTO schedule_slots (id, schedule_id, workflow_id, slot_time, decision, reason, claimed_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        const holder = this.d.lease.holderId;
        for (const p of plan.slots) {
          const slotId = this.d.host.store.clock.newId();
          if (insert.run(slotId, id, s.workflowId, p.slotTime, p.decision, p.reason, holder, ctx.now).changes !== 1) continue; // decided before
          decided.push({ id: slotId, scheduleId: id, workflowId: s.workflowId, slotTime: p.slotTime, decision: p.decision, reason: p.reason, claimedBy: holder, decidedAt: ctx.now });
          if (p.cancelRunId) cancels.push(p.cancelRunId);
        }
        sql(db, 'UPDATE schedules SET cursor_at = ? WHERE id = ? AND cursor_at < ?').run(plan.cursor, id, plan.cursor);
        return { id, inactive: false, cursor: Math.max(plan.cursor, s.cursorAt) };
      });
    });
    const results = tx.immediate();
    for (const runId of cancels) this.d.host.cancelRun(runId, 'cancelled by its schedule: a newer slot replaces it (overlap policy cancel)');
    for (const rec of decided) this.d.onSlot(rec, true);
    return results;
  }

  /** A run of the workflow still going; runs whose process died on this host are marked interrupted and ignored. */
  activeRun(workflowId: string): PlanContext['active'] {
    const rows = sql(this.d.host.store.db, "SELECT id, owner_pid, owner_host FROM runs WHERE workflow_id = ? AND kind = 'run' AND status IN ('queued', 'running') ORDER BY created_at")
      .all(workflowId) as Row[];
    const host = os.hostname();
    const live = rows.filter((r) => !(r.owner_host === host && !this.d.isAlive(Number(r.owner_pid))));
    if (live.length < rows.length) this.d.host.store.interruptOrphanedRuns(this.d.isAlive);
    const first = live[0];
    if (!first) return undefined;
    const runId = String(first.id);
    return { runId, cancellable: this.d.host.activeRuns().includes(runId), pid: Number(first.owner_pid) };
  }

  /** Starts the oldest waiting slot of each workflow whose turn it is ('ran' now; queued ones when nothing runs). */
  async startWaiting(): Promise<void> {
    const rows = sql(this.d.host.store.db, `SELECT * FROM schedule_slots WHERE ${WAITING} ORDER BY slot_time`).all() as Row[];
    const seen = new Set<string>();
    const starts: Promise<void>[] = [];
    for (const row of rows) {
      const slot = mapSlot(row);
      if (seen.has(slot.workflowId)) continue;
      seen.add(slot.workflowId);
      if (slot.decision !== 'ran' && this.activeRun(slot.workflowId)) continue;
      starts.push(this.startSlot(slot));
    }
    await Promise.all(starts);
  }

  private async startSlot(slot: SlotRecord): Promise<void> {
    const db = this.d.host.store.db;
    const tx = db.transaction(() => {
      this.d.lease.assertHeld();
      const fresh = sql(db, 'SELECT s.started_at, sc.params FROM schedule_slots s JOIN schedules sc ON sc.id = s.schedule_id WHERE s.id = ?').get(slot.id) as Row | undefined;
      if (!fresh || fresh.started_at != null) return undefined;
      const start = startRunInTransaction(db, this.d.host, slot.workflowId, { params: JSON.parse(String(fresh.params)) as Schedule['params'], trigger: 'schedule', slotTime: slot.slotTime });
      const late = slot.claimedBy === this.d.lease.holderId ? '' : `; started after a takeover (decided by ${slot.claimedBy})`;
      sql(db, 'UPDATE schedule_slots SET started_at = ?, run_id = ?, reason = reason || ? WHERE id = ?').run(this.d.now(), start.runId ?? null, late, slot.id);
      return start;
    });
    const start = tx.immediate();
    if (!start) return;
    const s = await settleStart(start);
    if (s.ok) {
      if (!start.runId) sql(db, 'UPDATE schedule_slots SET run_id = ? WHERE id = ?').run(s.run.run.id, slot.id);
      this.d.onStarted(s.run);
    } else {
      sql(db, "UPDATE schedule_slots SET decision = 'failed_to_start', reason = reason || ? WHERE id = ?").run(`; could not start: ${s.error}`, slot.id);
      this.d.log(`slot ${new Date(slot.slotTime).toISOString()} of workflow ${slot.workflowId} could not start: ${s.error}`);
    }
    const rec = sql(db, 'SELECT s.*, r.status AS run_status FROM schedule_slots s LEFT JOIN runs r ON r.id = s.run_id WHERE s.id = ?').get(slot.id) as Row | undefined;
    if (rec) this.d.onSlot(mapSlot(rec), false);
  }
}

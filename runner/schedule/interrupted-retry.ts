// A scheduled run that a crash interrupted (kill -9, power loss) is retried for its slot,
// as often as the schedule's retry_interrupted says (default once), by whichever
// scheduler holds the lease when the run is found interrupted. The decision is claimed by
// the interrupted run's id in the same transaction that starts the retry and points the
// slot at it, so a takeover never retries twice. Not retried: a slot out of retries, a
// paused schedule, or one a later slot has overtaken (its run is the fresher one). The
// decision, either way, is written into the slot's reason and told to the owner.
import type { RunSummary } from '../api/types.ts';
import type { StartedRun } from '../engine.ts';
import type { Row } from '../store/rows.ts';
import type { SchedulerHost } from './host.ts';
import type { Lease } from './lease.ts';
import { settleStart, startRunInTransaction, type StartInTransaction } from './run-starter.ts';
import { sql } from './statements.ts';
import type { Schedule } from './types.ts';

export interface RetryDeps {
  host: SchedulerHost;
  lease: Lease;
  now: () => number;
  log: (line: string) => void;
  onStarted: (run: StartedRun) => void;
}

export interface RetryDecision {
  /** one line for the owner's notification: what happened to the slot */
  note: string;
  /** the retry's start, when one was started */
  started?: Promise<void>;
}

const short = (id: string) => id.slice(0, 8);

export class InterruptedRetries {
  constructor(private readonly d: RetryDeps) {}

  /**
   * Decides (once, under the lease) whether the slot of an interrupted scheduled run is
   * retried, and starts the retry. Undefined for a run that is not a slot's current run.
   */
  decide(run: RunSummary): RetryDecision | undefined {
    const db = this.d.host.store.db;
    const tx = db.transaction((): (RetryDecision & { start?: StartInTransaction; slotId?: string }) | undefined => {
      this.d.lease.assertHeld();
      const known = this.noteFor(run.id);
      if (known) return { note: known };
      const slot = sql(db, `SELECT s.id, s.schedule_id, s.workflow_id, s.slot_time, sc.retry_interrupted, sc.paused, sc.params
           FROM schedule_slots s JOIN schedules sc ON sc.id = s.schedule_id WHERE s.run_id = ?`).get(run.id) as Row | undefined;
      if (!slot) return undefined;
      const slotId = String(slot.id);
      const allowed = Number(slot.retry_interrupted);
      const done = (sql(db, "SELECT COUNT(*) AS n FROM interrupted_retries WHERE slot_id = ? AND decision = 'retried'").get(slotId) as { n: number }).n;
      const later = sql(db, 'SELECT run_id FROM schedule_slots WHERE schedule_id = ? AND slot_time > ? AND started_at IS NOT NULL ORDER BY slot_time LIMIT 1')
        .get(slot.schedule_id, slot.slot_time) as Row | undefined;
      let why: string | undefined;
      if (allowed === 0) why = 'this schedule retries an interrupted run 0 times (retry_interrupted: 0)';
      else if (done >= allowed) why = `the slot was retried ${done} time${done === 1 ? '' : 's'} already (retry_interrupted: ${allowed})`;
      else if (Number(slot.paused) === 1) why = 'the schedule is paused';
      else if (later) why = `a later slot has run since${later.run_id ? ` (run ${short(String(later.run_id))})` : ''}`;
      const record = sql(db, 'INSERT INTO interrupted_retries (run_id, slot_id, attempt, decision, reason, retry_run_id, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      if (why) {
        record.run(run.id, slotId, done + 1, 'not_retried', why, null, this.d.now());
        sql(db, 'UPDATE schedule_slots SET reason = reason || ? WHERE id = ?').run(`; run ${short(run.id)} was interrupted; not retried: ${why}`, slotId);
        return { note: `Not retried: ${why}.` };
      }
      const params = JSON.parse(String(slot.params)) as Schedule['params'];
      const start = startRunInTransaction(db, this.d.host, String(slot.workflow_id), { params, trigger: 'schedule', slotTime: Number(slot.slot_time) });
      const retry = start.runId ?? '';
      const of = `retry ${done + 1} of ${allowed}`;
      record.run(run.id, slotId, done + 1, 'retried', of, start.runId ?? null, this.d.now());
      sql(db, 'UPDATE schedule_slots SET run_id = COALESCE(?, run_id), reason = reason || ? WHERE id = ?')
        .run(start.runId ?? null, `; run ${short(run.id)} was interrupted; retried as run ${short(retry)} (${of})`, slotId);
      return { note: `Retried as run ${retry} (${of}).`, start, slotId };
    });
    const decided = tx.immediate();
    if (!decided?.start) return decided;
    const { start, slotId } = decided;
    const name = run.workflowName ?? run.workflowId;
    this.d.log(`run ${short(run.id)} of ${name} was interrupted; ${decided.note.replace(/^Retried/, 'retried').replace(/\.$/, '')}`);
    const started = settleStart(start).then((s) => {
      if (s.ok) return this.d.onStarted(s.run);
      sql(db, "UPDATE interrupted_retries SET decision = 'failed_to_start', reason = ? WHERE run_id = ?").run(`the retry could not start: ${s.error}`, run.id);
      sql(db, 'UPDATE schedule_slots SET reason = reason || ? WHERE id = ?').run(`; the retry could not start: ${s.error}`, slotId!);
      this.d.log(`the retry of run ${short(run.id)} of ${name} could not start: ${s.error}`);
    });
    return { note: decided.note, started };
  }

  /** The line already decided for an interrupted run (a passive process shows it too). */
  noteFor(runId: string): string | undefined {
    const r = sql(this.d.host.store.db, 'SELECT decision, reason, retry_run_id FROM interrupted_retries WHERE run_id = ?').get(runId) as Row | undefined;
    if (!r) return undefined;
    if (r.decision === 'retried') return `Retried as run ${String(r.retry_run_id ?? '')} (${String(r.reason)}).`;
    return `Not retried: ${String(r.reason)}.`;
  }
}

// Schedules and their slot history in SQLite. Every write that changes what the
// scheduler should do bumps a revision number, so a running scheduler reloads its
// in-memory timetable only when something changed (not 1,000 rows every tick).
import type { ParamValue } from '../api/types.ts';
import type { Db } from '../store/db.ts';
import type { Row } from '../store/rows.ts';
import { compileCron, localTimeZone, nextSlot, ScheduleInvalidError } from './cron.ts';
import { MAX_RETRY_INTERRUPTED, type CatchUpPolicy, type OverlapPolicy, type Schedule, type ScheduleInput, type SlotDecision, type SlotRecord } from './types.ts';
import { sql } from './statements.ts';

const CATCHUP: readonly CatchUpPolicy[] = ['skip', 'once', 'each'];
const OVERLAP: readonly OverlapPolicy[] = ['skip', 'queue', 'cancel'];
const REVISION_KEY = 'schedule.revision';

// A scheduler in the same process hears about changes at once (other processes see the
// revision on their next tick, within seconds).
const watchers = new WeakMap<Db, Set<() => void>>();

export function watchScheduleChanges(db: Db, listener: () => void): () => void {
  let set = watchers.get(db);
  if (!set) watchers.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function mapSchedule(r: Row): Schedule {
  return {
    id: String(r.id),
    workflowId: String(r.workflow_id),
    workflowName: r.workflow_name == null ? undefined : String(r.workflow_name),
    source: r.source === 'file' ? 'file' : 'app',
    cron: String(r.cron),
    timezone: String(r.timezone),
    paused: Number(r.paused) === 1,
    catchup: r.catchup as CatchUpPolicy,
    overlap: r.overlap as OverlapPolicy,
    retryInterrupted: Number(r.retry_interrupted ?? 1),
    params: JSON.parse(String(r.params)) as Record<string, ParamValue>,
    cursorAt: Number(r.cursor_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function mapSlot(r: Row): SlotRecord {
  return {
    id: String(r.id),
    scheduleId: String(r.schedule_id),
    workflowId: String(r.workflow_id),
    slotTime: Number(r.slot_time),
    decision: r.decision as SlotDecision,
    reason: String(r.reason),
    claimedBy: String(r.claimed_by),
    decidedAt: Number(r.decided_at),
    runId: r.run_id == null ? undefined : String(r.run_id),
    startedAt: r.started_at == null ? undefined : Number(r.started_at),
    runStatus: r.run_status == null ? undefined : (r.run_status as SlotRecord['runStatus']),
  };
}

/** Validates a schedule; every message names the field and gives an example. */
export function checkScheduleInput(input: ScheduleInput): Required<Omit<ScheduleInput, 'params'>> & { params: Record<string, ParamValue> } {
  const timezone = input.timezone ?? localTimeZone();
  const compiled = compileCron(input.cron, timezone);
  const catchup = input.catchup ?? 'skip';
  if (!CATCHUP.includes(catchup)) throw new ScheduleInvalidError('catchup', `"${catchup}" is not one of skip, once, each`, '"skip"');
  const overlap = input.overlap ?? 'skip';
  if (!OVERLAP.includes(overlap)) throw new ScheduleInvalidError('overlap', `"${overlap}" is not one of skip, queue, cancel`, '"skip"');
  const retryInterrupted = input.retryInterrupted ?? 1;
  if (!Number.isInteger(retryInterrupted) || retryInterrupted < 0 || retryInterrupted > MAX_RETRY_INTERRUPTED) {
    throw new ScheduleInvalidError('retryInterrupted', `${JSON.stringify(retryInterrupted)} is not a whole number from 0 to ${MAX_RETRY_INTERRUPTED}`, '1 (retry once), or 0 (never)');
  }
  const params = input.params ?? {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
      throw new ScheduleInvalidError(`params.${k}`, 'must be a string, number, boolean or null', '{ "region": "EU" }');
    }
  }
  return { cron: compiled.cron, timezone: compiled.timezone, paused: input.paused ?? false, catchup, overlap, retryInterrupted, params };
}

export class ScheduleStore {
  constructor(
    readonly db: Db,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  list(): Schedule[] {
    const rows = sql(this.db, 'SELECT s.*, w.name AS workflow_name FROM schedules s JOIN workflows w ON w.id = s.workflow_id ORDER BY w.name COLLATE NOCASE')
      .all() as Row[];
    return rows.map((r) => this.withNext(mapSchedule(r)));
  }

  get(id: string): Schedule | undefined {
    const r = sql(this.db, 'SELECT s.*, w.name AS workflow_name FROM schedules s JOIN workflows w ON w.id = s.workflow_id WHERE s.id = ?').get(id) as Row | undefined;
    return r && this.withNext(mapSchedule(r));
  }

  forWorkflow(workflowId: string): Schedule | undefined {
    const r = sql(this.db, 'SELECT id FROM schedules WHERE workflow_id = ?').get(workflowId) as Row | undefined;
    return r ? this.get(String(r.id)) : undefined;
  }

  /** Creates or replaces a workflow's schedule. A new or changed timetable starts from now: no back-fill. */
  set(workflowId: string, input: ScheduleInput, source: 'file' | 'app' = 'app', fileHash?: string): Schedule {
    const s = checkScheduleInput(input);
    const now = this.now();
    const tx = this.db.transaction(() => {
      const old = sql(this.db, 'SELECT * FROM schedules WHERE workflow_id = ?').get(workflowId) as Row | undefined;
      if (!old) {
        sql(this.db, `INSERT INTO schedules (id, workflow_id, source, cron, timezone, paused, catchup, overlap, retry_interrupted, params, file_hash, cursor_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(this.newId(), workflowId, source, s.cron, s.timezone, s.paused ? 1 : 0, s.catchup, s.overlap, s.retryInterrupted, JSON.stringify(s.params), fileHash ?? null, now, now, now);
      } else {
        const timetableChanged = old.cron !== s.cron || old.timezone !== s.timezone || (Number(old.paused) === 1 && !s.paused);
        sql(this.db, `UPDATE schedules SET source = ?, cron = ?, timezone = ?, paused = ?, catchup = ?, overlap = ?, retry_interrupted = ?, params = ?,
               file_hash = COALESCE(?, file_hash), cursor_at = ?, updated_at = ? WHERE id = ?`)
          .run(source, s.cron, s.timezone, s.paused ? 1 : 0, s.catchup, s.overlap, s.retryInterrupted, JSON.stringify(s.params), fileHash ?? null,
            timetableChanged ? Math.max(now, Number(old.cursor_at)) : Number(old.cursor_at), now, old.id);
      }
      this.bumpRevision();
    });
    tx.immediate();
    return this.forWorkflow(workflowId)!;
  }

  /** Pausing stops new slots; resuming starts from now (slots while paused are not "missed"). */
  setPaused(id: string, paused: boolean): Schedule {
    const now = this.now();
    const res = sql(this.db, 'UPDATE schedules SET paused = ?, cursor_at = CASE WHEN ? = 0 AND paused = 1 THEN MAX(cursor_at, ?) ELSE cursor_at END, updated_at = ? WHERE id = ?')
      .run(paused ? 1 : 0, paused ? 1 : 0, now, now, id);
    if (res.changes === 0) throw new Error(`no schedule with id ${id}`);
    this.bumpRevision();
    return this.get(id)!;
  }

  delete(id: string): boolean {
    const res = sql(this.db, 'DELETE FROM schedules WHERE id = ?').run(id);
    this.bumpRevision();
    return res.changes > 0;
  }

  fileHashOf(workflowId: string): { source: string; fileHash?: string } | undefined {
    const r = sql(this.db, 'SELECT source, file_hash FROM schedules WHERE workflow_id = ?').get(workflowId) as Row | undefined;
    return r && { source: String(r.source), fileHash: r.file_hash == null ? undefined : String(r.file_hash) };
  }

  revision(): number {
    const r = sql(this.db, 'SELECT value FROM settings WHERE key = ?').get(REVISION_KEY) as Row | undefined;
    return r ? Number(r.value) : 0;
  }

  bumpRevision(): void {
    sql(this.db, "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)")
      .run(REVISION_KEY);
    for (const l of watchers.get(this.db) ?? []) queueMicrotask(l);
  }

  /** Slot decisions, newest first, with the status of the run each started. */
  slotHistory(o: { scheduleId?: string; workflowId?: string; limit?: number; since?: number } = {}): SlotRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (o.scheduleId) {
      where.push('s.schedule_id = ?');
      args.push(o.scheduleId);
    }
    if (o.workflowId) {
      where.push('s.workflow_id = ?');
      args.push(o.workflowId);
    }
    if (o.since !== undefined) {
      where.push('s.slot_time >= ?');
      args.push(o.since);
    }
    const rows = sql(this.db, `SELECT s.*, r.status AS run_status FROM schedule_slots s LEFT JOIN runs r ON r.id = s.run_id
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY s.slot_time DESC LIMIT ?`)
      .all(...args, o.limit ?? 100) as Row[];
    return rows.map(mapSlot);
  }

  private withNext(s: Schedule): Schedule {
    if (s.paused) return s;
    const next = nextSlot(compileCron(s.cron, s.timezone), Math.max(s.cursorAt, this.now()));
    return next === null ? s : { ...s, nextRunAt: next };
  }
}

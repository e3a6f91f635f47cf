// Starting a run inside the transaction that claimed it. Engine.startRun creates the run
// row before its first await, so calling it inside a better-sqlite3 transaction makes
// "slot claimed / run created / slot marked started" one atomic commit: a crash leaves
// either all of it or none of it, which is what makes a slot run exactly once.
import type { StartedRun, StartRunOptions } from '../engine.ts';
import type { Db } from '../store/db.ts';
import type { SchedulerHost } from './host.ts';
import { sql } from './statements.ts';

export interface StartInTransaction {
  /** the new run's id when the host created it synchronously (the Engine always does) */
  runId?: string;
  started: Promise<StartedRun>;
}

/** Call only inside an open write transaction on `db`. */
export function startRunInTransaction(db: Db, host: SchedulerHost, workflowId: string, o: StartRunOptions): StartInTransaction {
  if (!db.inTransaction) throw new Error('startRunInTransaction must run inside a write transaction');
  const before = (sql(db, 'SELECT COALESCE(MAX(rowid), 0) AS m FROM runs').get() as { m: number }).m;
  const started = host.startRun(workflowId, o);
  started.catch(() => {}); // the caller awaits it after the commit; no unhandled rejection meanwhile
  const row = sql(db, 'SELECT id FROM runs WHERE rowid > ? AND workflow_id = ? ORDER BY rowid LIMIT 1').get(before, workflowId) as
    | { id: string }
    | undefined;
  return { runId: row?.id, started };
}

/** Waits for the start; gives the run id or the reason it could not start. */
export async function settleStart(s: StartInTransaction): Promise<{ ok: true; run: StartedRun } | { ok: false; error: string }> {
  try {
    return { ok: true, run: await s.started };
  } catch (e) {
    return { ok: false, error: (e as Error).message ?? String(e) };
  }
}

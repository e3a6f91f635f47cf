// The record that makes a delivery happen at most once per run. Before anything is sent
// the delivery is claimed ('sending', in one immediate transaction, so two processes
// cannot both claim it); after, it is 'sent' or 'failed'. The key is the run a retried
// slot started from, so the retry of a run a crash interrupted reads what the first one
// did: 'sent' is not sent again, 'failed' is tried again, and 'sending' (the crash came
// mid-send, so the message may have gone out) is not sent again unless the channel is
// idempotent (a folder copy), and the node says so as a warning.
import type { Db } from '../store/db.ts';
import type { StoreClock } from '../store/metadata-store.ts';

export type DeliveryState = 'sending' | 'sent' | 'failed';

export interface DeliveryRecord {
  runKey: string;
  nodeId: string;
  runId: string;
  channel: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  detail?: string;
  startedAt: number;
  finishedAt?: number;
}

export type Claim =
  | { go: true; runKey: string }
  /** not sent: `reason` for the log; `warning` when the user should look (it may have gone out) */
  | { go: false; reason: string; warning?: string };

interface Row {
  run_key: string;
  node_id: string;
  run_id: string;
  channel: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  detail: string | null;
  started_at: number;
  finished_at: number | null;
}

const short = (id: string) => id.slice(0, 8);

export class DeliveryLedger {
  constructor(
    private readonly db: Db,
    private readonly clock: StoreClock,
  ) {}

  /** The run whose delivery this is: follows retries of interrupted runs back to the first. */
  runKey(runId: string): string {
    let key = runId;
    for (let hops = 0; hops < 20; hops++) {
      const up = this.db.prepare('SELECT run_id FROM interrupted_retries WHERE retry_run_id = ?').get(key) as { run_id: string } | undefined;
      if (!up) break;
      key = up.run_id;
    }
    return key;
  }

  /** Claims the delivery of `nodeId` for `runId`, unless the record says not to send. */
  claim(runId: string, nodeId: string, channel: string, target: string, o: { idempotent: boolean }): Claim {
    const tx = this.db.transaction((): Claim => {
      const run = this.db.prepare('SELECT kind FROM runs WHERE id = ?').get(runId) as { kind: string } | undefined;
      if (run?.kind === 'preview') return { go: false, reason: 'not delivered: a preview never sends anything to people; run the workflow to deliver' };
      const runKey = this.runKey(runId);
      const prior = this.get(runKey, nodeId);
      const by = prior && prior.runId !== runId ? ` by run ${short(prior.runId)}` : '';
      if (prior?.state === 'sent') return { go: false, reason: `already delivered${by} (${prior.detail ?? prior.target}); not sent again` };
      if (prior?.state === 'sending' && !o.idempotent) {
        const warning = `may already have been delivered${by}: the process stopped while sending to ${prior.target}, so it is not sent again (nobody gets it twice); check with the recipients`;
        return { go: false, reason: warning, warning };
      }
      const now = this.clock.now();
      this.db
        .prepare(
          `INSERT INTO deliveries (run_key, node_id, run_id, channel, target, state, attempts, started_at)
           VALUES (?, ?, ?, ?, ?, 'sending', 1, ?)
           ON CONFLICT (run_key, node_id) DO UPDATE SET run_id = excluded.run_id, channel = excluded.channel, target = excluded.target,
             state = 'sending', attempts = deliveries.attempts + 1, detail = NULL, started_at = excluded.started_at, finished_at = NULL`,
        )
        .run(runKey, nodeId, runId, channel, target, now);
      return { go: true, runKey };
    });
    return tx.immediate();
  }

  finish(runKey: string, nodeId: string, state: 'sent' | 'failed', detail: string): void {
    this.db.prepare('UPDATE deliveries SET state = ?, detail = ?, finished_at = ? WHERE run_key = ? AND node_id = ?').run(state, detail, this.clock.now(), runKey, nodeId);
  }

  get(runKey: string, nodeId: string): DeliveryRecord | undefined {
    const r = this.db.prepare('SELECT * FROM deliveries WHERE run_key = ? AND node_id = ?').get(runKey, nodeId) as Row | undefined;
    return r && toRecord(r);
  }

  /** Every delivery a run (or the run it retried) claimed. */
  forRun(runId: string): DeliveryRecord[] {
    const key = this.runKey(runId);
    return (this.db.prepare('SELECT * FROM deliveries WHERE run_key = ? OR run_id = ? ORDER BY node_id').all(key, runId) as Row[]).map(toRecord);
  }
}

function toRecord(r: Row): DeliveryRecord {
  return {
    runKey: r.run_key,
    nodeId: r.node_id,
    runId: r.run_id,
    channel: r.channel,
    target: r.target,
    state: r.state,
    attempts: r.attempts,
    detail: r.detail ?? undefined,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? undefined,
  };
}

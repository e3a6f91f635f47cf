// The delivery ledger on a real SQLite built from the migrations, with a fixed clock and
// fixed ids: what a run, a retry of an interrupted run, and a preview are allowed to send.
import { describe, expect, it } from 'vitest';
import { MetadataStore } from '../store/metadata-store.ts';
import { openDatabase } from '../store/db.ts';
import { DeliveryLedger } from './ledger.ts';

function setUp() {
  let n = 0;
  const clock = { now: () => 1_700_000_000_000 + n * 1000, newId: () => `id-${String(++n).padStart(4, '0')}` };
  const store = new MetadataStore(openDatabase(':memory:'), clock);
  const w = store.upsertWorkflow('/w', 'W');
  store.putVersion(w.id, 'v1', {});
  const run = (kind: 'run' | 'preview' = 'run') => store.createRun({ workflowId: w.id, versionHash: 'v1', trigger: 'test', params: {}, kind }).id;
  /** records that `retry` retries the interrupted run `of` (as the scheduler does) */
  const retried = (of: string, retry: string) => {
    store.db.prepare("INSERT INTO schedules (id, workflow_id, cron, timezone, cursor_at, created_at, updated_at) VALUES ('s', ?, '* * * * *', 'UTC', 0, 0, 0) ON CONFLICT DO NOTHING").run(w.id);
    store.db.prepare("INSERT INTO schedule_slots (id, schedule_id, workflow_id, slot_time, decision, reason, claimed_by, decided_at, run_id) VALUES (?, 's', ?, ?, 'ran', '', 'x', 0, ?)").run(`slot-${of}`, w.id, n, of);
    store.db.prepare("INSERT INTO interrupted_retries (run_id, slot_id, attempt, decision, reason, retry_run_id, decided_at) VALUES (?, ?, 1, 'retried', '', ?, 0)").run(of, `slot-${of}`, retry);
  };
  return { ledger: new DeliveryLedger(store.db, clock), run, retried };
}

describe('the delivery ledger', () => {
  it('claims once per run: sent is never sent again, failed is tried again', () => {
    const { ledger, run } = setUp();
    const r = run();
    const claim = ledger.claim(r, 'email', 'email', 'email to a@x.org', { idempotent: false });
    expect(claim).toEqual({ go: true, runKey: r });
    ledger.finish(r, 'email', 'failed', 'the mail server said no');
    expect(ledger.claim(r, 'email', 'email', 'email to a@x.org', { idempotent: false })).toEqual({ go: true, runKey: r });
    expect(ledger.get(r, 'email')).toMatchObject({ state: 'sending', attempts: 2 });
    ledger.finish(r, 'email', 'sent', 'accepted for a@x.org');
    expect(ledger.claim(r, 'email', 'email', 'email to a@x.org', { idempotent: false })).toEqual({ go: false, reason: 'already delivered (accepted for a@x.org); not sent again' });
    // another node of the same run is its own delivery
    expect(ledger.claim(r, 'slack', 'slack', 'slack #x', { idempotent: false }).go).toBe(true);
  });

  it('a retry of an interrupted run reads the first run\'s record, through every retry', () => {
    const { ledger, run, retried } = setUp();
    const first = run();
    ledger.claim(first, 'email', 'email', 'email to a@x.org', { idempotent: false });
    ledger.finish(first, 'email', 'sent', 'accepted for a@x.org');
    const second = run();
    retried(first, second);
    const third = run();
    retried(second, third);
    expect(ledger.runKey(third)).toBe(first);
    expect(ledger.claim(third, 'email', 'email', 'email to a@x.org', { idempotent: false })).toEqual({
      go: false,
      reason: `already delivered by run ${first.slice(0, 8)} (accepted for a@x.org); not sent again`,
    });
    expect(ledger.forRun(third)).toEqual([expect.objectContaining({ runKey: first, state: 'sent' })]);
    // a new run of the workflow (not a retry) delivers its own report
    expect(ledger.claim(run(), 'email', 'email', 'email to a@x.org', { idempotent: false }).go).toBe(true);
  });

  it('after a crash mid-send: not again by email or Slack (a warning), again to a folder (a copy is safe to repeat)', () => {
    const { ledger, run, retried } = setUp();
    const first = run();
    ledger.claim(first, 'email', 'email', 'email to a@x.org', { idempotent: false });
    ledger.claim(first, 'drive', 'folder', '/shared/r', { idempotent: true });
    const retry = run();
    retried(first, retry);
    const again = ledger.claim(retry, 'email', 'email', 'email to a@x.org', { idempotent: false });
    expect(again).toMatchObject({ go: false, warning: expect.stringContaining(`may already have been delivered by run ${first.slice(0, 8)}`) });
    expect(ledger.claim(retry, 'drive', 'folder', '/shared/r', { idempotent: true })).toEqual({ go: true, runKey: first });
  });

  it('a preview never delivers', () => {
    const { ledger, run } = setUp();
    expect(ledger.claim(run('preview'), 'email', 'email', 'email to a@x.org', { idempotent: false })).toEqual({
      go: false,
      reason: 'not delivered: a preview never sends anything to people; run the workflow to deliver',
    });
  });
});

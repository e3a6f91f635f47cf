// Catch-up after the laptop slept for three days, and the overlap policies, with real
// engine runs of tiny workflows on a fake clock (no test sleeps).
import { afterEach, describe, expect, it } from 'vitest';
import type { SlotRecord } from '../../runner/schedule/types.ts';
import { DAY, HOUR, harness, walk, type Harness } from './scheduler-fixtures.ts';

const T0 = Date.parse('2026-06-01T00:00:00Z');
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tally = (slots: SlotRecord[]) =>
  slots.reduce<Record<string, number>>((m, s) => ((m[s.decision] = (m[s.decision] ?? 0) + 1), m), {});

describe('catch-up after a simulated 3-day sleep', () => {
  it('skip runs none of the missed slots, once runs one, each runs the newest 50 one after another', async () => {
    h = await harness('sched-catchup', '2026-06-01T00:00:00Z');
    const ids = {
      skip: h.workflow('Catch up skip').id,
      once: h.workflow('Catch up once').id,
      each: h.workflow('Catch up each').id,
    };
    for (const [policy, id] of Object.entries(ids)) h.service.setSchedule(id, { cron: 'hourly', timezone: 'UTC', catchup: policy as 'skip' });
    h.scheduler.start();
    await walk(h, T0 + 2 * HOUR + 60_000); // 01:00 and 02:00 run normally
    const wokeAt = T0 + 2 * HOUR + 60_000 + 3 * DAY + 30 * 60_000;
    h.clock.jump(wokeAt - h.clock.now()); // asleep: no timer fired for 3 days and 30 minutes
    await walk(h, wokeAt);
    const after = (id: string) => h!.service.slotHistory({ workflowId: id, since: T0 + 3 * HOUR, limit: 1000 }).reverse();

    // 72 slots fell due while asleep (03:00 on day 1 .. 02:00 on day 4), the last one 31 minutes ago
    expect(tally(after(ids.skip))).toEqual({ skipped_missed: 72 });
    expect(after(ids.skip)[0]!.reason).toMatch(/while no scheduler was running .*catch-up policy skip/);

    const once = after(ids.once);
    expect(tally(once)).toEqual({ skipped_missed: 71, ran: 1 });
    expect(once.at(-1)).toMatchObject({ slotTime: T0 + 74 * HOUR, decision: 'ran', runStatus: 'succeeded', reason: 'caught up once for 72 missed slots' });

    const each = after(ids.each);
    expect(tally(each)).toEqual({ skipped_missed: 22, queued: 50 });
    const ran = each.filter((s) => s.decision === 'queued');
    expect(ran.every((s) => s.runStatus === 'succeeded')).toBe(true);
    expect(ran[0]!.slotTime).toBe(T0 + 25 * HOUR);
    // one after another, in slot order: the run rows were created in that order
    const created = h.engine.store.listRuns({ workflowId: ids.each, limit: 1000 }).reverse().map((r) => r.id);
    expect(created.slice(2)).toEqual(ran.map((s) => s.runId));

    // and the next slot is on time again for all three
    await walk(h, T0 + 75 * HOUR + 60_000);
    for (const id of Object.values(ids)) {
      expect(h.service.slotHistory({ workflowId: id, limit: 1 })[0]).toMatchObject({ slotTime: T0 + 75 * HOUR, decision: 'ran', reason: 'on time', runStatus: 'succeeded' });
    }
  });
});

describe('overlap policies', () => {
  // The fake clock jumps to the next slot while the first run is still going (its
  // DuckDB work cannot finish before the event loop turns), then lets everything finish.
  async function overlapping(policy: 'skip' | 'queue' | 'cancel') {
    h = await harness(`sched-overlap-${policy}`, '2026-06-01T00:00:00Z');
    const w = h.workflow(`Overlap ${policy}`);
    h.service.setSchedule(w.id, { cron: 'hourly', timezone: 'UTC', overlap: policy });
    h.scheduler.start();
    await h.scheduler.idle();
    await h.clock.advance(HOUR); // slot 01:00 starts a run
    await h.clock.advance(HOUR); // slot 02:00 falls due while it runs
    await h.scheduler.idle();
    const [first, second] = h.service.slotHistory({ workflowId: w.id }).reverse();
    return { first: first!, second: second!, runs: h.engine.store.listRuns({ workflowId: w.id }).reverse() };
  }

  it('skip: the second slot is recorded as skipped_overlap, naming the running run', async () => {
    const { first, second, runs } = await overlapping('skip');
    expect(first).toMatchObject({ decision: 'ran', runStatus: 'succeeded' });
    expect(second).toMatchObject({ decision: 'skipped_overlap', reason: `run ${first.runId!.slice(0, 8)} of this workflow is still running (overlap policy skip)` });
    expect(runs).toHaveLength(1);
  });

  it('queue: the second slot waits and starts when the first run finishes', async () => {
    const { first, second, runs } = await overlapping('queue');
    expect(second).toMatchObject({ decision: 'queued', runStatus: 'succeeded' });
    expect(runs.map((r) => r.id)).toEqual([first.runId, second.runId]);
  });

  it('cancel: the first run is cancelled and the second slot runs', async () => {
    const { first, second, runs } = await overlapping('cancel');
    expect(first).toMatchObject({ decision: 'ran', runStatus: 'cancelled' });
    expect(second).toMatchObject({ decision: 'cancelled_previous', runStatus: 'succeeded' });
    expect(runs[0]!.error).toMatch(/overlap policy cancel/);
    expect(runs).toHaveLength(2);
  });
});

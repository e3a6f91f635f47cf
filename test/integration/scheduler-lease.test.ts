// Two schedulers (two engines, two connections) on one store and one fake clock: only
// the lease holder decides and starts slots; when it stalls past the lease, the other
// takes over; a slot a dead holder claimed but never started is started exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../runner/engine.ts';
import { Scheduler } from '../../runner/schedule/scheduler.ts';
import { harness, type Harness } from './scheduler-fixtures.ts';

const LEASE = { leaseTtlMs: 30_000, renewEveryMs: 10_000, fileSyncEveryMs: 0 };
let h: Harness | undefined;
let second: { engine: Engine; scheduler: Scheduler } | undefined;
afterEach(async () => {
  await second?.scheduler.stop();
  await second?.scheduler.idle();
  await second?.engine.close();
  await h?.close();
  h = second = undefined;
});

async function twoSchedulers(label: string) {
  h = await harness(label, '2026-06-01T00:00:00Z', LEASE);
  const engine = await Engine.open({ home: h.home, clock: h.clock });
  const logs: string[] = [];
  second = { engine, scheduler: new Scheduler(engine, { clock: h.clock, log: (l) => logs.push(l), ...LEASE }) };
  return { h, b: second.scheduler, bLogs: logs };
}

describe('scheduler lease in one store', () => {
  it('only the holder runs slots; a stalled holder is taken over and then stays passive', async () => {
    const { h, b, bLogs } = await twoSchedulers('sched-lease');
    const w = h.workflow('Every minute');
    h.service.setSchedule(w.id, { cron: '* * * * *', timezone: 'UTC' });
    const a = h.scheduler;
    expect((await a.tick()).role).toBe('holder');
    expect((await b.tick()).role).toBe('passive');
    expect(bLogs.some((l) => l.startsWith(`passive: the scheduler in pid ${process.pid}`))).toBe(true);

    // both tick every 10 s for three minutes: three slots, each run once, all by a
    for (let i = 0; i < 18; i++) {
      h.clock.jump(10_000);
      await b.tick();
      await a.tick();
      await a.idle();
    }
    const byA = h.service.slotHistory({ workflowId: w.id });
    expect(byA.map((s) => s.decision)).toEqual(['ran', 'ran', 'ran']);
    expect(new Set(byA.map((s) => s.claimedBy))).toEqual(new Set([a.lease.holderId]));

    // a stalls (stops renewing); b takes over once the lease has expired, and runs the next slots
    for (let i = 0; i < 12; i++) {
      h.clock.jump(10_000);
      await b.tick();
      await b.idle();
    }
    expect(bLogs.some((l) => l.includes('took the lease over') && l.includes('lease expired'))).toBe(true);
    expect((await a.tick()).role).toBe('passive'); // a wakes up: passive, claims nothing
    const all = h.service.slotHistory({ workflowId: w.id });
    expect(all).toHaveLength(5);
    expect(all.every((s) => s.decision === 'ran' && s.runStatus === 'succeeded')).toBe(true);
    expect(new Set(all.map((s) => s.runId)).size).toBe(5);
    expect(h.engine.store.listRuns({ workflowId: w.id })).toHaveLength(5);
    expect(all.filter((s) => s.claimedBy === b.lease.holderId)).toHaveLength(2);
  });

  it('a slot claimed by a holder that died before starting it is started once by the next holder', async () => {
    h = await harness('sched-orphan-slot', '2026-06-01T00:00:00Z', LEASE);
    const w = h.workflow('Claimed not started');
    const s = h.service.setSchedule(w.id, { cron: 'daily', timezone: 'UTC' });
    h.engine.store.db
      .prepare("INSERT INTO schedule_slots (id, schedule_id, workflow_id, slot_time, decision, reason, claimed_by, decided_at) VALUES ('orphan', ?, ?, ?, 'ran', 'on time', 'ghost:1:dead', ?)")
      .run(s.id, w.id, h.clock.now(), h.clock.now());
    await h.scheduler.tick();
    await h.scheduler.idle();
    await h.scheduler.tick();
    await h.scheduler.idle();
    const [slot] = h.service.slotHistory({ workflowId: w.id });
    expect(slot).toMatchObject({ id: 'orphan', decision: 'ran', runStatus: 'succeeded', reason: 'on time; started after a takeover (decided by ghost:1:dead)' });
    expect(h.engine.store.listRuns({ workflowId: w.id })).toHaveLength(1);
  });
});

// Catch-up and overlap decisions as a pure function: no store, no clock.
import { describe, expect, it } from 'vitest';
import { compileCron } from './cron.ts';
import { MAX_WALKED_SLOTS, planSlots, type PlanContext } from './plan-slots.ts';

const H = 3600_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const hourly = compileCron('0 * * * *', 'UTC');
const base: PlanContext = { now: T0, cursor: T0, graceMs: 5 * 60_000, maxCatchup: 50, catchup: 'skip', overlap: 'skip', waiting: false };

const count = (slots: { decision: string }[]) =>
  slots.reduce<Record<string, number>>((m, s) => ((m[s.decision] = (m[s.decision] ?? 0) + 1), m), {});

describe('planSlots', () => {
  it('runs the slot that just fell due and moves the cursor to it', () => {
    const p = planSlots(hourly, { ...base, now: T0 + H + 1000 });
    expect(p.slots).toEqual([{ slotTime: T0 + H, decision: 'ran', reason: 'on time' }]);
    expect(p.cursor).toBe(T0 + H);
  });

  it('nothing due: no decisions, cursor unchanged', () => {
    expect(planSlots(hourly, { ...base, now: T0 + H - 1 })).toEqual({ slots: [], cursor: T0 });
  });

  it('after a 3-day sleep, skip records every missed slot and runs none', () => {
    const p = planSlots(hourly, { ...base, now: T0 + 72 * H + 30 * 60_000 });
    expect(count(p.slots)).toEqual({ skipped_missed: 72 });
    expect(p.cursor).toBe(T0 + 72 * H);
  });

  it('waking within the grace period still runs the latest slot on time', () => {
    const p = planSlots(hourly, { ...base, now: T0 + 72 * H + 2 * 60_000 });
    expect(count(p.slots)).toEqual({ skipped_missed: 71, ran: 1 });
    expect(p.slots.at(-1)).toMatchObject({ slotTime: T0 + 72 * H, decision: 'ran', reason: 'on time' });
  });

  it('once runs the latest missed slot for all of them', () => {
    const p = planSlots(hourly, { ...base, catchup: 'once', now: T0 + 72 * H + 30 * 60_000 });
    expect(count(p.slots)).toEqual({ skipped_missed: 71, ran: 1 });
    expect(p.slots.find((s) => s.decision === 'ran')).toMatchObject({ slotTime: T0 + 72 * H, reason: 'caught up once for 72 missed slots' });
  });

  it('each queues the newest maxCatchup missed slots and skips older ones, saying why', () => {
    const p = planSlots(hourly, { ...base, catchup: 'each', now: T0 + 72 * H + 30 * 60_000 });
    expect(count(p.slots)).toEqual({ skipped_missed: 22, queued: 50 });
    expect(p.slots[0]!.reason).toMatch(/at most the 50 latest missed slots/);
    expect(p.slots.filter((s) => s.decision === 'queued').map((s) => s.slotTime)[0]).toBe(T0 + 23 * H);
  });

  it('each queues the on-time slot behind the caught-up ones', () => {
    const p = planSlots(hourly, { ...base, catchup: 'each', now: T0 + 3 * H + 60_000 });
    expect(p.slots.map((s) => s.decision)).toEqual(['queued', 'queued', 'queued']);
    expect(p.slots[2]!.reason).toMatch(/on time; queued behind 2 caught-up runs/);
  });

  it('overlap: skip, queue (one waiting at most) and cancel the running one', () => {
    const active = { runId: 'abcdef1234', cancellable: true };
    const now = T0 + H + 1000;
    expect(planSlots(hourly, { ...base, now, active }).slots[0]).toMatchObject({ decision: 'skipped_overlap', reason: expect.stringMatching(/run abcdef12 of this workflow is still running/) });
    expect(planSlots(hourly, { ...base, now, active, overlap: 'queue' }).slots[0]).toMatchObject({ decision: 'queued' });
    expect(planSlots(hourly, { ...base, now, active, overlap: 'queue', waiting: true }).slots[0]).toMatchObject({ decision: 'skipped_overlap', reason: expect.stringMatching(/already queued/) });
    expect(planSlots(hourly, { ...base, now, active, overlap: 'cancel' }).slots[0]).toMatchObject({ decision: 'cancelled_previous', cancelRunId: 'abcdef1234' });
    const foreign = { runId: 'abcdef1234', cancellable: false, pid: 42 };
    expect(planSlots(hourly, { ...base, now, active: foreign, overlap: 'cancel' }).slots[0]).toMatchObject({ decision: 'queued', reason: expect.stringMatching(/another process \(pid 42\)/) });
  });

  it('a gap too long to walk is summarised in one row and the newest slots are decided', () => {
    const everyMinute = compileCron('* * * * *', 'UTC');
    const p = planSlots(everyMinute, { ...base, catchup: 'each', now: T0 + 30 * 24 * H + 10 * 60_000 });
    expect(p.slots.length).toBeLessThan(MAX_WALKED_SLOTS);
    expect(p.slots[0]).toMatchObject({ decision: 'skipped_missed', reason: expect.stringMatching(/every earlier slot since/) });
    expect(count(p.slots)).toEqual({ skipped_missed: 1, queued: 51 }); // 50 caught up + the on-time one
    expect(p.cursor).toBe(T0 + 30 * 24 * H + 10 * 60_000);
  });
});

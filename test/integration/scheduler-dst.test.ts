// A schedule fires exactly once per slot over a simulated week that contains a DST
// change (Europe/Berlin, both changes of 2026), each slot a real engine run. The DST
// rules themselves are written down at the top of runner/schedule/cron.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, harness, walk, type Harness } from './scheduler-fixtures.ts';

const TZ = 'Europe/Berlin';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const local = (ms: number) => new Date(ms).toLocaleString('sv-SE', { timeZone: TZ });

function runsOf(h: Harness, workflowId: string) {
  return h.engine.store.listRuns({ workflowId, limit: 10_000 });
}

async function simulateWeek(label: string, startIso: string) {
  h = await harness(label, startIso);
  const hourly = h.workflow('Hourly');
  const daily = h.workflow('Daily 0230');
  h.service.setSchedule(hourly.id, { cron: 'hourly', timezone: TZ });
  h.service.setSchedule(daily.id, { cron: '30 2 * * *', timezone: TZ });
  const start = h.clock.now();
  h.scheduler.start();
  await walk(h, start + 7 * DAY);
  await h.scheduler.stop();
  await h.scheduler.idle();
  const slots = (id: string) => h!.service.slotHistory({ workflowId: id, limit: 10_000 }).reverse();
  return { start, hourly: slots(hourly.id), daily: slots(daily.id), hourlyRuns: runsOf(h, hourly.id), dailyRuns: runsOf(h, daily.id) };
}

function expectOneRunPerSlot(slots: ReturnType<Harness['service']['slotHistory']>, runs: { id: string; status: string; trigger: string }[]) {
  expect(slots.every((s) => s.decision === 'ran' && s.runId && s.runStatus === 'succeeded')).toBe(true);
  expect(new Set(slots.map((s) => s.slotTime)).size).toBe(slots.length);
  expect(new Set(slots.map((s) => s.runId)).size).toBe(slots.length);
  expect(runs).toHaveLength(slots.length);
  expect(runs.every((r) => r.trigger === 'schedule' && r.status === 'succeeded')).toBe(true);
  // the fake clock stood still during each run: a run started at its slot's instant
  expect(slots.every((s) => s.startedAt === s.slotTime)).toBe(true);
}

describe('scheduler across DST in Europe/Berlin', () => {
  it('spring forward (2026-03-29): hourly fires once per elapsed hour, 02:30 fires once at 03:30 CEST', async () => {
    const r = await simulateWeek('sched-dst-spring', '2026-03-26T00:00:00Z');
    // hourly follows elapsed time: 168 hours in the week, one slot each
    expect(r.hourly).toHaveLength(168);
    for (let i = 0; i < r.hourly.length; i++) expect(r.hourly[i]!.slotTime).toBe(r.start + (i + 1) * HOUR);
    expect(r.hourly.map((s) => local(s.slotTime))).not.toContain('2026-03-29 02:00:00'); // does not exist
    expectOneRunPerSlot(r.hourly, r.hourlyRuns);
    // daily 02:30: seven slots; on the 29th 02:30 does not exist and runs at 03:30 CEST
    expect(r.daily.map((s) => local(s.slotTime))).toEqual([
      '2026-03-26 02:30:00', '2026-03-27 02:30:00', '2026-03-28 02:30:00', '2026-03-29 03:30:00',
      '2026-03-30 02:30:00', '2026-03-31 02:30:00', '2026-04-01 02:30:00',
    ]);
    expectOneRunPerSlot(r.daily, r.dailyRuns);
  });

  it('fall back (2026-10-25): hourly fires in both 02:00 hours, 02:30 fires once (the first, CEST)', async () => {
    const r = await simulateWeek('sched-dst-fall', '2026-10-22T00:00:00Z');
    expect(r.hourly).toHaveLength(168);
    for (let i = 0; i < r.hourly.length; i++) expect(r.hourly[i]!.slotTime).toBe(r.start + (i + 1) * HOUR);
    const twice = r.hourly.filter((s) => local(s.slotTime) === '2026-10-25 02:00:00');
    expect(twice.map((s) => new Date(s.slotTime).toISOString())).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z']);
    expectOneRunPerSlot(r.hourly, r.hourlyRuns);
    expect(r.daily.map((s) => new Date(s.slotTime).toISOString())).toEqual([
      '2026-10-22T00:30:00.000Z', '2026-10-23T00:30:00.000Z', '2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z', '2026-10-28T01:30:00.000Z',
    ]);
    expectOneRunPerSlot(r.daily, r.dailyRuns);
  });
});

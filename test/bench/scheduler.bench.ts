// Scheduler benchmark: 1,000 schedules in one store, one simulated hour on a fake clock.
// Prints the scheduler's real CPU time for that hour (process.cpuUsage around it) and
// the real time from a slot's timer firing to its run being created. Runs are recorded
// by a stub host (no execution) so the figures are the scheduler's own cost; a second
// part starts 50 real engine runs of tiny workflows falling due at the same instant.
// Figures only, no assertions: machines here are noisy (see DESIGN.md).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunEvent } from '../../runner/api/types.ts';
import { Engine, type StartedRun, type StartRunOptions } from '../../runner/engine.ts';
import { EventBus } from '../../runner/exec/events.ts';
import { FakeClock, type TimerHandle } from '../../runner/schedule/clock.ts';
import type { SchedulerHost } from '../../runner/schedule/host.ts';
import { Scheduler } from '../../runner/schedule/scheduler.ts';
import { ScheduleStore } from '../../runner/schedule/schedule-store.ts';
import { openDatabase } from '../../runner/store/db.ts';
import { MetadataStore } from '../../runner/store/metadata-store.ts';
import { appPaths, type AppPaths } from '../../runner/store/paths.ts';
import { tempHome } from '../helpers/home.ts';
import { tinyWorkflow } from '../integration/scheduler-fixtures.ts';
import { figure, heading, median, ratio } from './report.ts';

const HOUR = 3600_000;
const START = Date.parse('2026-03-02T08:00:00Z');
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];

/** A fake clock that notes when each timer fires, so latency can be measured from there. */
class TimedClock extends FakeClock {
  firedAt = 0;
  override setTimer(ms: number, fn: () => void | Promise<void>): TimerHandle {
    return super.setTimer(ms, () => {
      this.firedAt = performance.now();
      return fn();
    });
  }
}

/** Records runs (created, started, finished at once) without executing anything. */
class StubHost implements SchedulerHost {
  readonly events = new EventBus();
  readonly latencies: number[] = [];
  constructor(
    readonly store: MetadataStore,
    readonly paths: AppPaths,
    private readonly clock: TimedClock,
  ) {}
  startRun(workflowId: string, o: StartRunOptions): Promise<StartedRun> {
    this.latencies.push(performance.now() - this.clock.firedAt);
    const run = this.store.createRun({ workflowId, versionHash: `bench-${workflowId}`, trigger: o.trigger ?? 'bench', params: {} });
    this.store.markRunStarted(run.id);
    const finished = this.store.finishRun(run.id, 'succeeded');
    return Promise.resolve({ run, done: Promise.resolve(finished) });
  }
  cancelRun(): boolean {
    return false;
  }
  activeRuns(): string[] {
    return [];
  }
}

function cronFor(i: number): string {
  const m = (i * 7) % 60;
  switch (i % 10) {
    case 0: case 1: case 2: case 3: return `${m} * * * *`; // hourly
    case 4: case 5: case 6: return `${m % 15}-59/15 * * * *`; // every 15 minutes
    case 7: case 8: return `${m} ${i % 24} * * *`; // daily
    default: return `${m} 9 * * 1-5`; // weekdays at 09:xx
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function stubbedHour(): Promise<void> {
  const home = tempHome('bench-scheduler');
  const clock = new TimedClock(START);
  const store = new MetadataStore(openDatabase(appPaths(home).database), clock);
  const schedules = new ScheduleStore(store.db, () => clock.now(), () => clock.newId());
  for (let i = 0; i < 1000; i++) {
    const w = store.upsertWorkflow(path.join(home, `wf-${i}`), `Workflow ${i}`);
    store.putVersion(w.id, `bench-${w.id}`, {});
    schedules.set(w.id, { cron: cronFor(i), timezone: ZONES[i % ZONES.length]! });
  }
  const host = new StubHost(store, appPaths(home), clock);
  const scheduler = new Scheduler(host, { clock, log: () => {}, fileSyncEveryMs: 0 });

  let cpu = process.cpuUsage();
  let t = performance.now();
  scheduler.start();
  await scheduler.idle();
  const startup = { wall: performance.now() - t, cpu: process.cpuUsage(cpu) };

  const slotsBefore = (store.db.prepare('SELECT COUNT(*) AS n FROM schedule_slots').get() as { n: number }).n;
  let ticks = 0;
  const count = scheduler.onSlot(() => {});
  cpu = process.cpuUsage();
  t = performance.now();
  const end = clock.now() + HOUR;
  while ((clock.nextTimerAt() ?? Infinity) <= end) {
    await clock.advance(clock.nextTimerAt()! - clock.now());
    ticks++;
  }
  await scheduler.idle();
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - t;
  count();
  await scheduler.stop();

  const slots = (store.db.prepare('SELECT COUNT(*) AS n FROM schedule_slots').get() as { n: number }).n - slotsBefore;
  const late = (store.db.prepare("SELECT COUNT(*) AS n FROM schedule_slots WHERE decision = 'ran' AND started_at <> slot_time").get() as { n: number }).n;
  const decisions = store.db.prepare('SELECT decision, COUNT(*) AS n FROM schedule_slots GROUP BY decision').all() as { decision: string; n: number }[];
  const cpuMs = (used.user + used.system) / 1000;
  // baseline from the same run: one single-statement write transaction on this store
  const writes: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const w0 = performance.now();
    store.setSetting('bench.baseline', String(i));
    writes.push(performance.now() - w0);
  }
  const write = median(writes);
  heading('scheduler: 1,000 schedules (hourly, every 15 min, daily, weekdays; 5 zones), one simulated hour, stub runs');
  figure('startup: lease, load + compile 1,000 schedules (CPU)', (startup.cpu.user + startup.cpu.system) / 1000, 'ms');
  figure('ticks in the simulated hour', ticks, '');
  figure(`slots decided (${decisions.map((d) => `${d.n} ${d.decision}`).join(', ')})`, slots, '');
  figure('runs started', host.latencies.length, '');
  figure('scheduler CPU per simulated hour', cpuMs, 'ms', `user ${(used.user / 1000).toFixed(0)} ms, system ${(used.system / 1000).toFixed(0)} ms, ${wall.toFixed(0)} ms wall`);
  figure('  share of one core over the simulated hour', (cpuMs / HOUR) * 100, '%');
  figure('scheduler CPU per slot', cpuMs / Math.max(1, slots), 'ms');
  figure('baseline: one single-statement SQLite write (median)', write, 'ms');
  ratio('  CPU per slot / one SQLite write', cpuMs / Math.max(1, slots), write);
  figure('slot -> run start, simulated clock: runs started late', late, '', late === 0 ? 'every run started at its slot instant' : '');
  figure('slot -> run row, real time after the timer fired, p50', pct(host.latencies, 50), 'ms');
  figure('slot -> run row, real time after the timer fired, p95', pct(host.latencies, 95), 'ms', `${(slots / Math.max(1, ticks)).toFixed(1)} slots fall due per tick on average`);
  figure('slot -> run row, real time after the timer fired, max', Math.max(...host.latencies), 'ms');
  store.db.close();
  fs.rmSync(home, { recursive: true, force: true });
}

async function realEngineBurst(): Promise<void> {
  const home = tempHome('bench-scheduler-engine');
  const clock = new TimedClock(START);
  const engine = await Engine.open({ home, clock });
  const scheduler = new Scheduler(engine, { clock, log: () => {}, fileSyncEveryMs: 0 });
  const schedules = new ScheduleStore(engine.store.db, () => clock.now(), () => clock.newId());
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const folder = tinyWorkflow(path.join(home, 'workflows'), `Burst ${i}`);
    ids.push(engine.openWorkflow(folder).summary.id);
  }
  // baseline: the same 50 runs started directly, no scheduler
  let t0 = performance.now();
  const direct: number[] = [];
  const off = engine.events.on((e: RunEvent) => {
    if (e.type === 'run_started') direct.push(performance.now() - t0);
  });
  await Promise.all(await Promise.all(ids.map((id) => engine.startRun(id, { trigger: 'bench' }))).then((rs) => rs.map((r) => r.done)));
  off();
  for (const id of ids) schedules.set(id, { cron: '0 * * * *', timezone: 'UTC' });
  const startedAfter: number[] = [];
  engine.events.on((e: RunEvent) => {
    if (e.type === 'run_started') startedAfter.push(performance.now() - clock.firedAt);
  });
  scheduler.start();
  await scheduler.idle();
  t0 = performance.now();
  await clock.advance(HOUR);
  await scheduler.idle();
  const wall = performance.now() - t0;
  await scheduler.stop();
  await engine.close();
  heading('scheduler: 50 tiny real workflows (CSV source + SQL node) due at the same instant');
  figure('slot -> run started, first', Math.min(...startedAfter), 'ms');
  figure('slot -> run started, median', pct(startedAfter, 50), 'ms');
  figure('slot -> run started, last', Math.max(...startedAfter), 'ms', `all 50 finished after ${wall.toFixed(0)} ms`);
  figure('baseline: the 50 started directly, last run_started', Math.max(...direct), 'ms');
  ratio('  last start, scheduled / direct', Math.max(...startedAfter), Math.max(...direct));
  fs.rmSync(home, { recursive: true, force: true });
}

export async function benchScheduler(): Promise<void> {
  await stubbedHour();
  await realEngineBurst();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchScheduler();

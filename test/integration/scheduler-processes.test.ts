// Real `aqueduct scheduler` processes against one store: two of them never both run a
// slot (the passive one takes over when the holder is killed with SIGKILL), and a
// scheduler killed in the middle of a run leaves that run "interrupted" while the next
// slot follows the schedule's policy. These wait on real processes (polling the store
// with a deadline); the scheduling logic itself is tested on a fake clock elsewhere.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../runner/engine.ts';
import { FakeClock } from '../../runner/schedule/clock.ts';
import { Scheduler } from '../../runner/schedule/scheduler.ts';
import { ScheduleService } from '../../runner/schedule/service.ts';
import { openDatabase, type Db } from '../../runner/store/db.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { tinyWorkflow } from './scheduler-fixtures.ts';

interface Daemon {
  proc: ChildProcess;
  out: string[];
  exited: Promise<number | null>;
}

const daemons: Daemon[] = [];
afterEach(async () => {
  for (const d of daemons.splice(0)) {
    if (d.proc.exitCode === null && d.proc.signalCode === null) d.proc.kill('SIGKILL');
    await d.exited;
  }
});

function startDaemon(home: string, python: string): Daemon {
  const proc = spawn(process.execPath, ['bin/aqueduct.mjs', 'scheduler', '--lease-ttl', '1.5', '--renew-every', '0.25', '--grace', '5'], {
    env: { ...process.env, AQUEDUCT_HOME: home, AQUEDUCT_PYTHON: python },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  proc.stdout!.on('data', (b: Buffer) => out.push(...b.toString().split('\n').filter(Boolean)));
  proc.stderr!.on('data', (b: Buffer) => out.push(...b.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const d = { proc, out, exited };
  daemons.push(d);
  return d;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = (db: Db, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

/** Registers a workflow with an every-second schedule and returns a read connection on the store. */
async function setUp(label: string, python: string, o: { waitWhile?: string } = {}) {
  const home = tempHome(label);
  const engine = await Engine.open({ home, python });
  const folder = tinyWorkflow(path.join(home, 'workflows'), 'Every second', o);
  const id = engine.openWorkflow(folder).summary.id;
  new ScheduleService({ store: engine.store, paths: engine.paths }).setSchedule(id, { cron: '* * * * * *', timezone: 'UTC', overlap: 'skip', catchup: 'skip' });
  await engine.close();
  return { home, id, db: openDatabase(path.join(home, 'aqueduct.db')) };
}

describe('scheduler processes', () => {
  it('two schedulers never both run a slot; the passive one takes over after kill -9', async () => {
    const python = testPython();
    const { home, db } = await setUp('sched-two', python);
    const ranSlots = () => count(db, "SELECT COUNT(*) AS n FROM schedule_slots WHERE decision = 'ran' AND run_id IS NOT NULL");
    const a = startDaemon(home, python);
    await waitFor('the first scheduler to hold the lease', () => a.out.some((l) => l.includes('holding the lease')));
    const b = startDaemon(home, python);
    await waitFor('the second scheduler to say it is passive', () => b.out.some((l) => l.includes('passive: the scheduler in pid')));
    await waitFor('five slots run by the first', () => ranSlots() >= 5);

    a.proc.kill('SIGKILL');
    await a.exited;
    const before = ranSlots();
    await waitFor('the second to take over', () => b.out.some((l) => l.includes(`took the lease over from pid ${a.proc.pid}`)));
    await waitFor('five more slots run by the second', () => ranSlots() >= before + 5);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);

    const slots = db.prepare('SELECT * FROM schedule_slots ORDER BY slot_time').all() as { slot_time: number; decision: string; run_id: string | null; claimed_by: string }[];
    // every second from the first slot to the last was decided exactly once: none lost, none doubled
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.slot_time - slots[i - 1]!.slot_time).toBe(1000);
    const runIds = slots.filter((s) => s.run_id).map((s) => s.run_id);
    expect(new Set(runIds).size).toBe(runIds.length);
    expect(count(db, "SELECT COUNT(*) AS n FROM runs WHERE trigger = 'schedule'")).toBe(runIds.length);
    const owners = db.prepare("SELECT DISTINCT owner_pid AS pid FROM runs WHERE trigger = 'schedule'").all() as { pid: number }[];
    expect(owners.map((o) => o.pid).sort()).toEqual([a.proc.pid, b.proc.pid].sort());
    expect(new Set(slots.filter((s) => s.decision === 'ran').map((s) => s.claimed_by)).size).toBe(2);
    // the run the killed scheduler had in flight (if any) is interrupted, nothing is left running
    expect(count(db, "SELECT COUNT(*) AS n FROM runs WHERE status IN ('queued', 'running')")).toBe(0);
    db.close();
  });

  it('kill -9 during a run: the run is marked interrupted on restart and the next slot follows policy', async () => {
    const python = testPython();
    const marker = path.join(tempHome('sched-kill-marker'), 'hold');
    fs.writeFileSync(marker, 'the python node waits while this file exists');
    const { home, id, db } = await setUp('sched-kill', python, { waitWhile: marker });
    const a = startDaemon(home, python);
    const running = await waitFor('a scheduled run to be inside its python node', () =>
      db.prepare("SELECT run_id AS id FROM node_runs WHERE node_id = 'wait' AND status = 'running'").get() as { id: string } | undefined,
    );
    await waitFor('a later slot skipped because the run is still going', () =>
      count(db, "SELECT COUNT(*) AS n FROM schedule_slots WHERE decision = 'skipped_overlap'") > 0,
    );
    a.proc.kill('SIGKILL');
    await a.exited;
    fs.rmSync(marker);
    expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(running.id) as { status: string }).status).toBe('running');

    // restart, ten seconds later on a fake clock: the engine marks the orphan interrupted
    const clock = new FakeClock(Date.now() + 10_000);
    const engine = await Engine.open({ home, clock, python });
    const logs: string[] = [];
    const service = new ScheduleService({ store: engine.store, paths: engine.paths });
    const scheduler = new Scheduler(engine, { clock, log: (l) => logs.push(l), fileSyncEveryMs: 0 });
    try {
      const orphan = engine.store.getRun(running.id)!;
      expect(orphan.status).toBe('interrupted');
      expect(orphan.error).toMatch(/the process running it stopped before it finished/);
      const report = await scheduler.tick();
      expect(logs.some((l) => l.includes(`took the lease over from pid ${a.proc.pid}`) && l.includes('is gone'))).toBe(true);
      await scheduler.idle();
      // the slots that fell due while no scheduler ran are skipped (catch-up skip); the latest runs
      const decided = report.decided;
      expect(decided.at(-1)).toMatchObject({ decision: 'ran', reason: 'on time' });
      expect(decided.slice(0, -1).every((s) => s.decision === 'skipped_missed')).toBe(true);
      expect(decided.length).toBeGreaterThanOrEqual(9);
      const next = service.slotHistory({ workflowId: id, limit: 1 })[0]!;
      expect(next).toMatchObject({ decision: 'ran', runStatus: 'succeeded' });
      const killed = service.slotHistory({ workflowId: id, limit: 1000 }).find((s) => s.runId === running.id);
      expect(killed).toMatchObject({ decision: 'ran', runStatus: 'interrupted' });
    } finally {
      await scheduler.stop();
      await engine.close();
      db.close();
    }
  });
});

// Real `aqueduct scheduler` processes against one store: two of them never both run a
// slot (the passive one takes over when the holder is killed with SIGKILL), and a
// scheduler killed in the middle of a run leaves that run "interrupted" while the next
// slot follows the schedule's policy. A slot whose run was interrupted is retried once by
// the scheduler that takes over (retry_interrupted), and the owner is told either way (on
// a local HTTP server standing in for Slack's incoming webhook). These wait on real processes (polling the store
// with a deadline); the scheduling logic itself is tested on a fake clock elsewhere.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
    // every scheduled run is its slot's run, or the run the killed scheduler had in flight,
    // which the slot then retried (retry_interrupted defaults to once): none unaccounted for
    const retried = db.prepare("SELECT run_id FROM interrupted_retries WHERE decision = 'retried'").all() as { run_id: string }[];
    expect(retried.length).toBeLessThanOrEqual(1);
    const scheduled = (db.prepare("SELECT id FROM runs WHERE trigger = 'schedule'").all() as { id: string }[]).map((r) => r.id).sort();
    expect(scheduled).toEqual([...runIds, ...retried.map((r) => r.run_id)].sort());
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
      // the later slot's run is the fresher one: the interrupted slot is not retried
      expect(killed!.reason).toMatch(/was interrupted; not retried: a later slot has run since \(run [0-9a-f]{8}\)$/);
    } finally {
      await scheduler.stop();
      await engine.close();
      db.close();
    }
  });
});

describe('a scheduled run interrupted by kill -9', () => {
  const posts: string[] = [];
  let slack: http.Server;
  let hook = '';
  beforeAll(async () => {
    slack = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push((JSON.parse(body) as { text: string }).text);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    hook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/XXXX`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => slack.close(() => resolve()));
  });

  /** A workflow whose python node waits on a marker, scheduled once a day a few seconds from now (the next slot is tomorrow). */
  async function oneSlotSoon(label: string, python: string, retryInterrupted?: number) {
    const marker = path.join(tempHome(`${label}-marker`), 'hold');
    fs.writeFileSync(marker, 'the python node waits while this file exists');
    const home = tempHome(label);
    const engine = await Engine.open({ home, python });
    const folder = tinyWorkflow(path.join(home, 'workflows'), 'Nightly scores', { waitWhile: marker });
    const id = engine.openWorkflow(folder).summary.id;
    const at = new Date(Date.now() + 5000);
    const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
    const service = new ScheduleService({ store: engine.store, paths: engine.paths });
    service.setSchedule(id, { cron, timezone: 'UTC', ...(retryInterrupted === undefined ? {} : { retryInterrupted }) });
    service.setNotificationSettings(id, { slackWebhookUrl: hook, desktop: false });
    await engine.close();
    return { home, id, marker, db: openDatabase(path.join(home, 'aqueduct.db')) };
  }

  /** Starts a scheduler, waits for the slot's run to be inside its python node, kills the scheduler with SIGKILL. */
  async function killDuringRun(home: string, python: string, db: Db): Promise<{ runId: string; pid: number }> {
    const a = startDaemon(home, python);
    const running = await waitFor('the scheduled run to be inside its python node', () =>
      db.prepare("SELECT run_id AS id FROM node_runs WHERE node_id = 'wait' AND status = 'running'").get() as { id: string } | undefined,
    );
    a.proc.kill('SIGKILL');
    await a.exited;
    return { runId: running.id, pid: a.proc.pid! };
  }

  it('retries the slot once by default when another scheduler takes over, and tells the owner', async () => {
    const python = testPython();
    const { home, id, marker, db } = await oneSlotSoon('sched-retry', python);
    posts.length = 0;
    const killed = await killDuringRun(home, python, db);
    fs.rmSync(marker);

    const b = startDaemon(home, python);
    const slot = await waitFor('the slot to be retried and its retry to succeed', () => {
      const row = db.prepare("SELECT s.run_id, s.reason, r.status FROM schedule_slots s JOIN runs r ON r.id = s.run_id WHERE s.decision = 'ran'").get() as
        | { run_id: string; reason: string; status: string }
        | undefined;
      return row && row.run_id !== killed.runId && row.status === 'succeeded' ? row : undefined;
    });
    expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(killed.runId) as { status: string }).status).toBe('interrupted');
    expect(slot.reason).toContain(`run ${killed.runId.slice(0, 8)} was interrupted; retried as run ${slot.run_id.slice(0, 8)} (retry 1 of 1)`);
    const message = await waitFor('the owner to be told on Slack', () => posts.find((p) => p.includes(`was interrupted (run ${killed.runId.slice(0, 8)})`)));
    expect(message).toContain('Nightly scores was interrupted');
    expect(message).toContain(`Retried as run ${slot.run_id} (retry 1 of 1)`);
    expect(b.out.some((l) => l.includes(`retried as run ${slot.run_id.slice(0, 8)}`))).toBe(true);
    // exactly one retry, one slot: the scheduler does not try again
    await new Promise((r) => setTimeout(r, 1500));
    expect(count(db, "SELECT COUNT(*) AS n FROM runs WHERE workflow_id = ? AND trigger = 'schedule'", id)).toBe(2);
    expect(count(db, 'SELECT COUNT(*) AS n FROM schedule_slots')).toBe(1);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    db.close();
  });

  it('with retry_interrupted 0, leaves the slot interrupted and tells the owner it was not retried', async () => {
    const python = testPython();
    const { home, id, marker, db } = await oneSlotSoon('sched-no-retry', python, 0);
    posts.length = 0;
    const killed = await killDuringRun(home, python, db);
    fs.rmSync(marker);

    const b = startDaemon(home, python);
    const message = await waitFor('the owner to be told on Slack', () => posts.find((p) => p.includes(`was interrupted (run ${killed.runId.slice(0, 8)})`)));
    expect(message).toContain('Nightly scores was interrupted');
    expect(message).toContain('Not retried: this schedule retries an interrupted run 0 times (retry_interrupted: 0)');
    expect(count(db, "SELECT COUNT(*) AS n FROM runs WHERE workflow_id = ? AND trigger = 'schedule'", id)).toBe(1);
    const slot = db.prepare("SELECT run_id, reason FROM schedule_slots WHERE decision = 'ran'").get() as { run_id: string; reason: string };
    expect(slot.run_id).toBe(killed.runId);
    expect(slot.reason).toContain(`run ${killed.runId.slice(0, 8)} was interrupted; not retried`);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    db.close();
  });

  it('retries a slot only as often as the schedule says: a retry interrupted in turn is not retried again', async () => {
    const python = testPython();
    const { home, id, marker, db } = await oneSlotSoon('sched-retry-once', python);
    posts.length = 0;
    const first = await killDuringRun(home, python, db);
    // the next scheduler retries, and is killed during the retry
    const b = startDaemon(home, python);
    const retry = await waitFor('the retry to be inside its python node', () =>
      db.prepare("SELECT run_id AS id FROM node_runs WHERE node_id = 'wait' AND status = 'running' AND run_id <> ?").get(first.runId) as { id: string } | undefined,
    );
    b.proc.kill('SIGKILL');
    await b.exited;
    fs.rmSync(marker);

    const c = startDaemon(home, python);
    const message = await waitFor('the owner to be told about the interrupted retry', () => posts.find((p) => p.includes(`was interrupted (run ${retry.id.slice(0, 8)})`)));
    expect(message).toContain('Not retried: the slot was retried 1 time already (retry_interrupted: 1)');
    expect(count(db, "SELECT COUNT(*) AS n FROM runs WHERE workflow_id = ? AND trigger = 'schedule'", id)).toBe(2);
    const slot = db.prepare("SELECT run_id, reason FROM schedule_slots WHERE decision = 'ran'").get() as { run_id: string; reason: string };
    expect(slot.run_id).toBe(retry.id);
    expect(slot.reason).toContain(`run ${first.runId.slice(0, 8)} was interrupted; retried as run ${retry.id.slice(0, 8)} (retry 1 of 1)`);
    expect(slot.reason).toContain(`run ${retry.id.slice(0, 8)} was interrupted; not retried: the slot was retried 1 time already`);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    db.close();
  });
});

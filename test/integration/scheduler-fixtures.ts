// Tiny workflows for the scheduler tests (a CSV source and one SQL node: a run takes
// milliseconds) and an engine + scheduler sharing one fake clock, so a test walks weeks
// of schedule without sleeping while every run is a real engine run on a real store.
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../runner/engine.ts';
import type { DesktopNotifications } from '../../runner/notify/desktop.ts';
import { FakeClock } from '../../runner/schedule/clock.ts';
import { Scheduler, type SchedulerOptions } from '../../runner/schedule/scheduler.ts';
import { ScheduleService } from '../../runner/schedule/service.ts';
import { tempHome } from '../helpers/home.ts';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface TinyOptions {
  /** the SQL node fails (refers to a column that does not exist) */
  fail?: boolean;
  /** adds a python node that waits while this file exists */
  waitWhile?: string;
}

/** Writes a workflow folder: data/t.csv -> source t -> sql node s. */
export function tinyWorkflow(root: string, name: string, o: TinyOptions = {}): string {
  const folder = path.join(root, name.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  fs.mkdirSync(path.join(folder, 'nodes'), { recursive: true });
  fs.mkdirSync(path.join(folder, 'data'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'data', 't.csv'), 'a,b\n1,2\n3,4\n');
  const nodes = [
    '  - id: t\n    kind: source\n    file: data/t.csv',
    '  - id: s\n    kind: sql\n    inputs: [t]',
  ];
  if (o.waitWhile) nodes.push('  - id: wait\n    kind: python\n    inputs: [s]');
  fs.writeFileSync(path.join(folder, 'workflow.yaml'), `name: ${name}\nnodes:\n${nodes.join('\n')}\n`);
  setFailing(folder, o.fail ?? false);
  if (o.waitWhile) {
    fs.writeFileSync(
      path.join(folder, 'nodes', 'wait.py'),
      ['import os, time', '', 'def run(s):', `    deadline = time.time() + 120`, `    while os.path.exists(${JSON.stringify(o.waitWhile)}) and time.time() < deadline:`, '        time.sleep(0.05)', '    return s', ''].join('\n'),
    );
  }
  return folder;
}

export function setFailing(folder: string, fail: boolean): void {
  fs.writeFileSync(path.join(folder, 'nodes', 's.sql'), fail ? 'SELECT no_such_column FROM t\n' : 'SELECT a + b AS c FROM t\n');
}

export interface Harness {
  home: string;
  clock: FakeClock;
  engine: Engine;
  service: ScheduleService;
  scheduler: Scheduler;
  logs: string[];
  /** registers a tiny workflow and returns its id */
  workflow(name: string, o?: TinyOptions): { id: string; folder: string };
  close(): Promise<void>;
}

/** Slow follow-up polling: a tick happens at each due slot, not every few seconds. */
export const QUIET: SchedulerOptions = { renewEveryMs: 6 * HOUR, leaseTtlMs: 2 * DAY, fileSyncEveryMs: 0 };

export async function harness(label: string, startIso: string, opts: SchedulerOptions = {}, extra: { python?: string; desktop?: DesktopNotifications } = {}): Promise<Harness> {
  const home = tempHome(label);
  const clock = new FakeClock(Date.parse(startIso));
  const engine = await Engine.open({ home, clock, python: extra.python });
  const service = new ScheduleService({ store: engine.store, paths: engine.paths, desktop: extra.desktop });
  const logs: string[] = [];
  const scheduler = new Scheduler(engine, { clock, log: (l) => logs.push(l), notifier: service.notifier, ...QUIET, ...opts });
  return {
    home,
    clock,
    engine,
    service,
    scheduler,
    logs,
    workflow(name, o) {
      const folder = tinyWorkflow(path.join(home, 'workflows'), name, o);
      return { id: engine.openWorkflow(folder).summary.id, folder };
    },
    async close() {
      await scheduler.stop();
      await scheduler.idle();
      await engine.close();
    },
  };
}

/** Walks the fake clock timer by timer until `until`, letting every run finish in between. */
export async function walk(h: Harness, until: number): Promise<void> {
  await h.scheduler.idle();
  for (;;) {
    const next = h.clock.nextTimerAt();
    if (next === undefined || next > until) break;
    await h.clock.advance(Math.max(0, next - h.clock.now()));
    await h.scheduler.idle();
  }
  if (h.clock.now() < until) await h.clock.advance(until - h.clock.now());
  await h.scheduler.idle();
}

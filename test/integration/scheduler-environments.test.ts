// Scheduled runs use the workflow's own Python environment: a due slot runs a node that
// imports a package only that environment has (tabulate), and a workflow whose environment
// cannot be built fails its scheduled run with the reason, tells the owner (the desktop
// channel), and never falls back to another interpreter.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DesktopNotifications } from '../../runner/notify/desktop.ts';
import type { RunNotification } from '../../runner/notify/types.ts';
import { testPython } from '../helpers/python.ts';
import { HOUR, harness, type Harness } from './scheduler-fixtures.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function withPython(folder: string, requirements: string): void {
  fs.writeFileSync(path.join(folder, 'requirements.txt'), requirements);
  fs.appendFileSync(path.join(folder, 'workflow.yaml'), '  - id: table\n    kind: python\n    inputs: [s]\n');
  fs.writeFileSync(path.join(folder, 'nodes', 'table.py'), 'import pandas as pd\nimport tabulate\n\ndef run(s):\n    return s.assign(tabulate=tabulate.__version__)\n');
}

async function scheduledRun(label: string, requirements: string, desktop?: DesktopNotifications) {
  h = await harness(label, '2026-06-01T00:00:00Z', {}, { python: testPython(), desktop });
  const w = h.workflow(label);
  withPython(w.folder, requirements);
  h.engine.openWorkflow(w.folder);
  if (desktop) h.service.setNotificationSettings(w.id, { desktop: true });
  h.service.setSchedule(w.id, { cron: 'hourly', timezone: 'UTC' });
  h.scheduler.start();
  await h.scheduler.idle();
  await h.clock.advance(HOUR);
  await h.scheduler.idle();
  const [slot] = h.service.slotHistory({ workflowId: w.id });
  const run = h.engine.store.getRun(slot!.runId!)!;
  return { w, slot: slot!, run };
}

describe('scheduled runs and Python environments', () => {
  it("run on the workflow's own environment", async () => {
    const { slot, run } = await scheduledRun('sched-env-ok', 'tabulate\n');
    expect(slot).toMatchObject({ decision: 'ran', runStatus: 'succeeded' });
    expect(run.trigger).toBe('schedule');
    expect(run.lockHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.nodes.find((n) => n.nodeId === 'table')?.status).toBe('succeeded');
  });

  it('fail with the reason and notify when the environment cannot be built, never running on another interpreter', async () => {
    const desktop = new DesktopNotifications();
    const shown: RunNotification[] = [];
    desktop.onNotification((n) => shown.push(n));
    const { slot, run } = await scheduledRun('sched-env-broken', 'tabulate\naqueduct-no-such-package-zz\n', desktop);
    const reason = 'The packages in requirements.txt cannot be resolved: aqueduct-no-such-package-zz was not found in the package registry; correct or remove that line in Workflow settings → Packages';
    expect(slot).toMatchObject({ decision: 'ran', runStatus: 'failed' });
    expect(run.error).toBe(reason);
    // nothing ran: not the SQL nodes, and not the Python node on the base interpreter
    expect(run.nodes.map((n) => n.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(shown).toEqual([expect.objectContaining({ runId: run.id, status: 'failed', error: reason })]);
  });
});

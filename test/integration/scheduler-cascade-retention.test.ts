// Cascades (B starts after A succeeded, never after A failed; cycles refused) and
// retention (only old outputs go, metadata stays, reused outputs stay), through the
// scheduler's follow-ups on real engine runs.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runner/api/types.ts';
import { CascadeCycleError } from '../../runner/schedule/cascades.ts';
import { runFolder } from '../../runner/store/paths.ts';
import { harness, setFailing, type Harness } from './scheduler-fixtures.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('cascade triggers', () => {
  it('B starts after A succeeded and C after B, but nothing starts after A failed', async () => {
    h = await harness('sched-cascade', '2026-06-01T00:00:00Z');
    const a = h.workflow('Cascade A');
    const b = h.workflow('Cascade B');
    const c = h.workflow('Cascade C');
    h.service.addCascade(a.id, b.id);
    h.service.addCascade(b.id, c.id);
    const events: string[] = [];
    h.engine.events.on((e: RunEvent) => {
      if (e.type === 'run_started' || e.type === 'run_finished') events.push(`${e.type} ${e.run.workflowName} ${e.type === 'run_finished' ? e.run.status : e.run.trigger}`);
    });
    h.scheduler.start();
    await h.scheduler.idle();

    await h.engine.run(a.folder, { trigger: 'cli' });
    await h.scheduler.idle(); // run_finished wakes the scheduler: B, then C
    expect(events).toEqual([
      'run_started Cascade A cli',
      'run_finished Cascade A succeeded',
      'run_started Cascade B cascade',
      'run_finished Cascade B succeeded',
      'run_started Cascade C cascade',
      'run_finished Cascade C succeeded',
    ]);
    const aRun = h.engine.store.listRuns({ workflowId: a.id })[0]!;
    const [fire] = h.service.cascadeFires({ upstreamRunId: aRun.id });
    expect(fire).toMatchObject({ decision: 'started', runId: h.engine.store.listRuns({ workflowId: b.id })[0]!.id });
    expect(fire!.reason).toBe(`after run ${aRun.id.slice(0, 8)} of Cascade A succeeded`);

    events.length = 0;
    setFailing(a.folder, true);
    const failed = await h.engine.run(a.folder, { trigger: 'cli' });
    expect(failed.status).toBe('failed');
    await h.scheduler.tick(); // a second look changes nothing either: the decision is claimed once
    await h.scheduler.idle();
    expect(events).toEqual(['run_started Cascade A cli', 'run_finished Cascade A failed']);
    expect(h.service.cascadeFires({ upstreamRunId: failed.id })).toEqual([
      expect.objectContaining({ decision: 'not_started', reason: `not started: run ${failed.id.slice(0, 8)} of Cascade A failed` }),
    ]);
    expect(h.engine.store.listRuns({ workflowId: b.id })).toHaveLength(1);
  });

  it('refuses a cascade that closes a cycle, naming the cycle', async () => {
    h = await harness('sched-cycle', '2026-06-01T00:00:00Z');
    const [a, b, c] = ['Cycle A', 'Cycle B', 'Cycle C'].map((n) => h!.workflow(n).id) as [string, string, string];
    h.service.addCascade(a, b);
    h.service.addCascade(b, c);
    expect(() => h!.service.addCascade(c, a)).toThrow(CascadeCycleError);
    expect(() => h!.service.addCascade(c, a)).toThrow('a cascade cannot close a cycle: Cycle C → Cycle A → Cycle B → Cycle C (remove one of these cascades first)');
    expect(() => h!.service.addCascade(a, a)).toThrow(/Cycle A → Cycle A/);
    expect(h.service.listCascades()).toHaveLength(2);
  });
});

describe('retention', () => {
  it('deletes only the outputs of runs older than the last K, keeps metadata and reused outputs, reports space', async () => {
    h = await harness('sched-retention', '2026-06-01T00:00:00Z');
    const w = h.workflow('Kept three');
    const other = h.workflow('Default twenty');
    h.service.setWorkflowRetention(w.id, 3);
    h.scheduler.start();
    await h.scheduler.idle();

    const runs = [await h.engine.run(w.folder)];
    const preview = await h.engine.preview(w.folder, 's'); // reuses run 1's outputs (cache)
    expect(preview.nodes.find((n) => n.nodeId === 's')?.cachedFrom).toBe(runs[0]!.id);
    for (let i = 0; i < 5; i++) runs.push(await h.engine.run(w.folder));
    for (let i = 0; i < 2; i++) await h.engine.run(other.folder);
    await h.scheduler.idle();

    const exists = (id: string) => fs.existsSync(runFolder(h!.engine.paths, id));
    expect(runs.map((r) => exists(r.id))).toEqual([true, false, false, true, true, true]);
    expect(exists(preview.id)).toBe(true);
    expect(h.engine.store.listRuns({ workflowId: w.id, kind: 'run', limit: 100 })).toHaveLength(6); // metadata stays
    expect(h.service.outputDeletedReason(runs[1]!.id)).toBe('output deleted by retention: this workflow keeps the output of its last 3 runs');
    expect(h.service.outputDeletedReason(runs[0]!.id)).toBeUndefined(); // the preview still reuses it
    expect(h.service.applyRetention(w.id)).toEqual({ deleted: [], bytesFreed: 0, keptBecauseReused: [runs[0]!.id] });

    const usage = Object.fromEntries(h.service.retentionUsage().map((u) => [u.workflowName, u]));
    expect(usage['Kept three']).toMatchObject({ keepRuns: 3, runs: 6, runsDeleted: 2, runsWithArtifacts: 4, previews: 1, previewsWithArtifacts: 1 });
    expect(usage['Kept three']!.bytes).toBeGreaterThan(0);
    expect(usage['Default twenty']).toMatchObject({ keepRuns: 20, runs: 2, runsDeleted: 0, runsWithArtifacts: 2, previews: 0 });
  });
});

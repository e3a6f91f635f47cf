// The schedule facade end to end: a workflow.yaml schedule block becomes a schedule
// (and an app-side pause survives until the file's block changes), scheduled runs get
// the schedule's parameter overrides, a slot that cannot start says why, and pausing
// means the slots in between are neither run nor reported as missed. A slot's run is
// created inside the transaction that claims the slot, also when the start first cleans
// up what a killed run's publish left (the run row exists before startRun's first await).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempPathFor } from '../../runner/connectors/staging.ts';
import { startRunInTransaction } from '../../runner/schedule/run-starter.ts';
import { StagedFiles } from '../../runner/store/staged-files.ts';
import { HOUR, harness, walk, type Harness } from './scheduler-fixtures.ts';

const T0 = Date.parse('2026-06-01T00:00:00Z');
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function withParam(folder: string, schedule?: string): void {
  fs.writeFileSync(
    path.join(folder, 'workflow.yaml'),
    ['name: Regional', 'parameters:', '  region: { type: string, default: US }', 'nodes:', '  - id: t', '    kind: source', '    file: data/t.csv',
      '  - id: s', '    kind: sql', '    inputs: [t]', ...(schedule ? [schedule] : [])].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(folder, 'nodes', 's.sql'), 'SELECT $region AS region, a FROM t\n');
}

describe('schedule service', () => {
  it("imports workflow.yaml's schedule block; an app pause survives until the block changes; removing it removes the schedule", async () => {
    h = await harness('sched-file', '2026-06-01T00:00:00Z', { fileSyncEveryMs: HOUR });
    const w = h.workflow('From file');
    withParam(w.folder, 'schedule: { cron: "15 * * * *", timezone: Europe/Berlin, catchup: once, overlap: queue }');
    expect(h.service.syncFromFile(w.id).action).toBe('created');
    expect(h.service.getSchedule(w.id)).toMatchObject({ source: 'file', cron: '15 * * * *', timezone: 'Europe/Berlin', catchup: 'once', overlap: 'queue', paused: false });
    h.service.pauseSchedule(w.id);
    expect(h.service.syncFromFile(w.id).action).toBe('unchanged');
    expect(h.service.getSchedule(w.id)?.paused).toBe(true);

    // an edit in a text editor: the scheduler's file watcher picks it up on its next pass
    withParam(w.folder, 'schedule: { cron: "45 * * * *", timezone: Europe/Berlin }');
    h.scheduler.start();
    await walk(h, T0 + 30 * 60_000);
    expect(h.service.getSchedule(w.id)).toMatchObject({ cron: '45 * * * *', paused: false, catchup: 'skip' });
    expect(h.logs).toContain(`schedule of From file updated from ${path.join(w.folder, 'workflow.yaml')}`);
    await walk(h, T0 + 50 * 60_000);
    expect(h.service.slotHistory({ workflowId: w.id })).toEqual([expect.objectContaining({ slotTime: T0 + 45 * 60_000, decision: 'ran', runStatus: 'succeeded' })]);

    withParam(w.folder, 'schedule: { cron: "61 * * * *" }');
    expect(() => h!.service.syncFromFile(w.id)).toThrow(/schedule\.cron: "61 \* \* \* \*" is not a valid cron expression/);
    withParam(w.folder);
    expect(h.service.syncFromFile(w.id).action).toBe('removed');
    expect(h.service.getSchedule(w.id)).toBeUndefined();
  });

  it("scheduled runs get the schedule's parameters; a slot that cannot start records why", async () => {
    h = await harness('sched-params', '2026-06-01T00:00:00Z');
    const w = h.workflow('Regional');
    withParam(w.folder);
    h.service.setSchedule(w.id, { cron: 'hourly', timezone: 'UTC', params: { region: 'EU' } });
    h.scheduler.start();
    await walk(h, T0 + HOUR);
    const [slot] = h.service.slotHistory({ workflowId: w.id });
    expect(h.engine.store.getRun(slot!.runId!)).toMatchObject({ status: 'succeeded', trigger: 'schedule', params: { region: 'EU' } });

    h.service.setSchedule(w.id, { cron: 'hourly', timezone: 'UTC', params: { colour: 'red' } });
    await walk(h, T0 + 2 * HOUR);
    expect(h.service.slotHistory({ workflowId: w.id, limit: 1 })[0]).toMatchObject({ decision: 'failed_to_start', reason: expect.stringMatching(/^on time; could not start: .*colour/s) });
    expect(h.logs.some((l) => l.includes('could not start'))).toBe(true);
  });

  it('pause and resume: slots while paused are not run nor reported missed; nextRuns and validation for the UI', async () => {
    h = await harness('sched-pause', '2026-06-01T00:00:00Z');
    const w = h.workflow('Paused');
    h.service.setSchedule(w.id, { cron: 'hourly', timezone: 'UTC' });
    h.scheduler.start();
    await walk(h, T0 + HOUR);
    h.service.pauseSchedule(w.id);
    await walk(h, T0 + 5 * HOUR + 60_000);
    h.service.resumeSchedule(w.id);
    expect(h.service.getSchedule(w.id)?.nextRunAt).toBe(T0 + 6 * HOUR);
    await walk(h, T0 + 6 * HOUR);
    expect(h.service.slotHistory({ workflowId: w.id }).map((s) => [s.slotTime, s.decision])).toEqual([[T0 + 6 * HOUR, 'ran'], [T0 + HOUR, 'ran']]);

    expect(h.service.nextRuns('weekly', 'Europe/Berlin', 2, T0)).toEqual([Date.parse('2026-06-07T22:00:00Z'), Date.parse('2026-06-14T22:00:00Z')]);
    expect(() => h!.service.setSchedule(w.id, { cron: 'hourly', catchup: 'all' as 'each' })).toThrow('schedule.catchup: "all" is not one of skip, once, each (example: "skip")');
    expect(() => h!.service.setSchedule(w.id, { cron: 'hourly', timezone: 'Europe/Berln' })).toThrow(/schedule\.timezone: "Europe\/Berln" is not an IANA time zone/);
  });

  it("creates the run inside the slot's transaction, also when the start first cleans up a killed run's staged file", async () => {
    h = await harness('sched-atomic-start', '2026-06-01T00:00:00Z');
    const w = h.workflow('Atomic start');
    const db = h.engine.store.db;
    // a publish of a run that no longer exists left a staged file beside its target
    const leftover = tempPathFor(path.join(w.folder, 'out', 'scores.csv'));
    fs.mkdirSync(path.dirname(leftover), { recursive: true });
    fs.writeFileSync(leftover, 'half a publish');
    new StagedFiles(db, () => h!.clock.now()).record('gone-run', leftover, 'file');

    const start = db.transaction(() => startRunInTransaction(db, h!.engine, w.id, { trigger: 'schedule' })).immediate();
    expect(start.runId).toMatch(/^[0-9a-f-]{36}$/);
    const { run, done } = await start.started;
    expect(run.id).toBe(start.runId);
    expect((await done).status).toBe('succeeded');
    expect(fs.existsSync(leftover)).toBe(false);
    expect(h.engine.store.getLogs(run.id).map((l) => l.line)).toContain(`cleaned up after run gone-run (deleted): removed the temp file ${leftover} it left`);
  });
});

// What runs where, from the store: every workflow with its runs going now (any engine),
// its last run, the newest failure or warning with the failing nodes' reasons, and its
// next scheduled slot; the rows that need eyes first come first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { overview } from '../../runner/monitor/overview.ts';
import { ScheduleService } from '../../runner/schedule/service.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

describe('overview of what runs where', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('overview');
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('lists running, failed, warned and scheduled workflows with the reasons', async () => {
    const ok = makeWorkflow({ nodes: [{ id: 'numbers', kind: 'source', file: 'data/numbers.csv' }] }, { 'data/numbers.csv': numbersCsv(3) }, 'Alpha');
    const broken = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'enough', kind: 'check', inputs: ['numbers'], template: { type: 'range', column: 'amount', max: 2 } },
      ],
    }, { 'data/numbers.csv': numbersCsv(3) }, 'Beta');
    const a = await engine.run(ok);
    const b = await engine.run(broken);
    expect(b.status).toBe('failed');
    const schedules = new ScheduleService({ store: engine.store, paths: engine.paths });
    schedules.setSchedule(a.workflowId, { cron: '0 6 * * *', timezone: 'UTC' });
    // a run going on a remote engine (as a synced record leaves it)
    engine.store.createRun({ workflowId: a.workflowId, versionHash: a.versionHash, trigger: 'airflow:scheduled', params: {}, engine: 'airflow', status: 'running' });

    const rows = overview(engine.store, schedules.listSchedules());
    expect(rows.map((r) => r.name)).toEqual(['Alpha', 'Beta']);
    const [alpha, beta] = rows;
    expect(alpha!.running).toEqual([expect.objectContaining({ engine: 'airflow', trigger: 'airflow:scheduled' })]);
    expect(alpha!.nextScheduled).toBeGreaterThan(Date.now());
    expect(alpha!.nextScheduled! % 86_400_000).toBe(6 * 3_600_000);
    expect(alpha!.owner).toBeUndefined();
    expect(beta!.last).toMatchObject({ status: 'failed', engine: 'local' });
    expect(beta!.lastProblem).toMatchObject({
      runId: b.id,
      error: expect.stringContaining('node "enough" failed'),
      nodes: [{ nodeId: 'enough', status: 'failed', message: '2 rows of numbers.amount are above 2: 3.0, 4.5' }],
    });
    expect(beta!.nextScheduled).toBeUndefined();
  });
});

// The run view must survive events arriving late, twice, or before the run is known.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from './api-types.ts';
import { emptyRunsState, reduceRunEvent, runProgress, seedRun } from './run-state.ts';

const run = (over: Partial<RunSummary> = {}): RunSummary => ({
  id: 'r1',
  workflowId: 'w',
  versionHash: 'h',
  kind: 'run',
  trigger: 'app',
  params: {},
  status: 'running',
  engine: 'local',
  createdAt: 10,
  ...over,
});

describe('reduceRunEvent', () => {
  it('follows a run from start to finish', () => {
    let s = reduceRunEvent(emptyRunsState(), { type: 'run_started', run: run() });
    s = reduceRunEvent(s, { type: 'node_started', runId: 'r1', nodeId: 'a', attempt: 1, ts: 11 });
    expect(s.runs.r1!.nodes.a!.status).toBe('running');
    s = reduceRunEvent(s, { type: 'node_finished', node: { runId: 'r1', nodeId: 'a', kind: 'sql', status: 'succeeded', attempts: 1, rows: 3 } });
    s = reduceRunEvent(s, { type: 'run_finished', run: run({ status: 'succeeded' }) });
    expect(s.runs.r1!.nodes.a).toMatchObject({ status: 'succeeded', rows: 3, startedAt: 11 });
    expect(s.runs.r1!.summary.status).toBe('succeeded');
    expect(s.latestByWorkflow.w).toBe('r1');
    expect(s.finishedTick).toBe(1);
  });

  it('never moves a finished node or run back to running', () => {
    let s = reduceRunEvent(emptyRunsState(), { type: 'run_finished', run: run({ status: 'failed' }) });
    s = reduceRunEvent(s, { type: 'run_started', run: run() });
    expect(s.runs.r1!.summary.status).toBe('failed');
    s = reduceRunEvent(s, { type: 'node_finished', node: { runId: 'r1', nodeId: 'a', kind: 'sql', status: 'failed', attempts: 1 } });
    s = reduceRunEvent(s, { type: 'node_started', runId: 'r1', nodeId: 'a', attempt: 1, ts: 5 });
    expect(s.runs.r1!.nodes.a!.status).toBe('failed');
  });

  it('keeps the newest run of a workflow as the latest', () => {
    let s = reduceRunEvent(emptyRunsState(), { type: 'run_started', run: run({ id: 'new', createdAt: 20 }) });
    s = reduceRunEvent(s, { type: 'run_started', run: run({ id: 'old', createdAt: 5 }) });
    expect(s.latestByWorkflow.w).toBe('new');
  });

  it('merges a fetched record and counts progress', () => {
    const s = seedRun(emptyRunsState(), {
      ...run({ status: 'succeeded' }),
      nodes: [
        { runId: 'r1', nodeId: 'a', kind: 'sql', status: 'succeeded', attempts: 1 },
        { runId: 'r1', nodeId: 'b', kind: 'sql', status: 'skipped', attempts: 0 },
      ],
      metrics: [],
      checks: [],
      publications: [],
    });
    expect(s.runs.r1!.complete).toBe(true);
    expect(runProgress(s.runs.r1, 3)).toEqual({ done: 2, total: 3 });
  });
});

// What a canvas node shows for idle, pending, running and finished nodes.
import { describe, expect, it } from 'vitest';
import type { LiveRun } from '../../stores/run-state.ts';
import { nodeRunView } from './node-status.ts';

const summary = { id: 'r1', workflowId: 'w', versionHash: 'h', kind: 'run', trigger: 'app', params: {}, engine: 'local', createdAt: 1 } as const;

describe('nodeRunView', () => {
  it('is idle without a run', () => {
    expect(nodeRunView(undefined, 'a')).toEqual({ status: 'idle' });
  });
  it('is pending while a run has not reached the node', () => {
    const run: LiveRun = { summary: { ...summary, status: 'running' }, nodes: {}, complete: false };
    expect(nodeRunView(run, 'a').status).toBe('pending');
  });
  it('shows timing, rows and error of a finished node', () => {
    const run: LiveRun = {
      summary: { ...summary, status: 'failed' },
      nodes: { a: { nodeId: 'a', status: 'failed', startedAt: 100, finishedAt: 350, rows: 5, error: { message: 'boom' } } },
      complete: true,
    };
    expect(nodeRunView(run, 'a')).toMatchObject({ status: 'failed', durationMs: 250, rows: 5, errorMessage: 'boom' });
    expect(nodeRunView(run, 'b').status).toBe('idle');
  });
});

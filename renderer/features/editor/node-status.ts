// What each node shows for the run on display: its status, timing, rows or value, error.
// Nodes a running run has not reached yet read "pending"; nodes a finished run never
// touched (a preview runs only what its target needs) read "idle".
import type { LiveRun } from '../../stores/run-state.ts';
import { isFinished } from '../../stores/run-state.ts';
import type { DisplayStatus, WorkflowNodeData } from './graph-layout.ts';

export type NodeRunView = Pick<WorkflowNodeData, 'status' | 'durationMs' | 'rows' | 'value' | 'errorMessage' | 'cached'>;

export function nodeRunView(run: LiveRun | undefined, nodeId: string, now = Date.now()): NodeRunView {
  if (!run) return { status: 'idle' };
  const rec = run.nodes[nodeId];
  const active = !isFinished(run.summary.status);
  if (!rec) {
    const status: DisplayStatus = active && run.summary.kind === 'run' ? 'pending' : 'idle';
    return { status };
  }
  const end = rec.finishedAt ?? (rec.status === 'running' ? now : undefined);
  return {
    status: rec.status,
    durationMs: rec.startedAt !== undefined && end !== undefined ? end - rec.startedAt : undefined,
    rows: rec.rows ?? undefined,
    value: rec.value,
    errorMessage: rec.error?.message,
    cached: rec.cachedFrom ? true : undefined,
  };
}

// Folding the runner's event stream (and run records fetched on demand) into one view of
// each run: its summary and every node's latest record. Pure functions, so the rules for
// out-of-order events are tested without a browser.
import type { NodeRunRecord, NodeStatus, RunDetail, RunEvent, RunStatus, RunSummary } from './api-types.ts';

export type NodeLive = Pick<NodeRunRecord, 'nodeId' | 'status'> & Partial<NodeRunRecord>;

export interface LiveRun {
  summary: RunSummary;
  nodes: Record<string, NodeLive>;
  /** true once the full record (runs.get) has been merged after the run finished */
  complete: boolean;
}

export interface RunsState {
  runs: Record<string, LiveRun>;
  /** newest run seen per workflow in this session (runs and previews) */
  latestByWorkflow: Record<string, string>;
  /** bumps whenever any run finishes, so lists and charts know to refetch */
  finishedTick: number;
  /** bumps per run with every log line, so an open log view knows to refetch */
  logTick: Record<string, number>;
}

export const emptyRunsState = (): RunsState => ({ runs: {}, latestByWorkflow: {}, finishedTick: 0, logTick: {} });

const FINISHED: ReadonlySet<RunStatus> = new Set(['succeeded', 'succeeded_with_warnings', 'failed', 'cancelled', 'interrupted']);
const NODE_DONE: ReadonlySet<NodeStatus> = new Set(['succeeded', 'warning', 'failed', 'skipped', 'cancelled', 'interrupted']);

export const isFinished = (status: RunStatus): boolean => FINISHED.has(status);
export const isNodeDone = (status: NodeStatus): boolean => NODE_DONE.has(status);

/** Keeps the later of two summaries: a finished status never goes back to running. */
function mergeSummary(old: RunSummary | undefined, next: RunSummary): RunSummary {
  if (old && isFinished(old.status) && !isFinished(next.status)) return old;
  return { ...old, ...next };
}

function mergeNode(old: NodeLive | undefined, next: NodeLive): NodeLive {
  if (old && isNodeDone(old.status) && !isNodeDone(next.status)) return old;
  return { ...old, ...next };
}

function withRun(state: RunsState, runId: string, fn: (run: LiveRun | undefined) => LiveRun | undefined): RunsState {
  const next = fn(state.runs[runId]);
  if (!next) return state;
  return { ...state, runs: { ...state.runs, [runId]: next } };
}

function noteLatest(state: RunsState, run: RunSummary): RunsState {
  const current = state.latestByWorkflow[run.workflowId];
  const currentRun = current ? state.runs[current]?.summary : undefined;
  if (currentRun && currentRun.createdAt > run.createdAt) return state;
  return { ...state, latestByWorkflow: { ...state.latestByWorkflow, [run.workflowId]: run.id } };
}

/** A run the UI just started (runs.start answered) or saw start (run_started). */
export function noteRun(state: RunsState, summary: RunSummary): RunsState {
  const s = withRun(state, summary.id, (run) => ({
    summary: mergeSummary(run?.summary, summary),
    nodes: run?.nodes ?? {},
    complete: run?.complete ?? false,
  }));
  return noteLatest(s, summary);
}

export function reduceRunEvent(state: RunsState, ev: RunEvent): RunsState {
  switch (ev.type) {
    case 'run_started':
      return noteRun(state, ev.run);
    case 'run_finished': {
      const s = noteRun(state, ev.run);
      return { ...s, finishedTick: s.finishedTick + 1 };
    }
    case 'node_started':
      return withRun(state, ev.runId, (run) =>
        run
          ? {
              ...run,
              nodes: {
                ...run.nodes,
                [ev.nodeId]: mergeNode(run.nodes[ev.nodeId], {
                  nodeId: ev.nodeId,
                  status: 'running',
                  startedAt: ev.ts,
                  attempts: ev.attempt,
                }),
              },
            }
          : undefined,
      );
    case 'node_finished':
      return withRun(state, ev.node.runId, (run) =>
        run ? { ...run, nodes: { ...run.nodes, [ev.node.nodeId]: mergeNode(run.nodes[ev.node.nodeId], ev.node) } } : undefined,
      );
    case 'node_log': {
      const id = ev.log.runId;
      return { ...state, logTick: { ...state.logTick, [id]: (state.logTick[id] ?? 0) + 1 } };
    }
  }
}

/** Merges a full run record fetched with runs.get. */
export function seedRun(state: RunsState, detail: RunDetail): RunsState {
  const { nodes, metrics: _m, checks: _c, publications: _p, ...summary } = detail;
  let s = noteRun(state, summary);
  s = withRun(s, detail.id, (run) => {
    const merged: Record<string, NodeLive> = { ...run?.nodes };
    for (const n of nodes) merged[n.nodeId] = mergeNode(merged[n.nodeId], n);
    return { summary: s.runs[detail.id]!.summary, nodes: merged, complete: isFinished(summary.status) };
  });
  return s;
}

/** Counts for the progress bar: nodes finished out of the nodes the run will touch. */
export function runProgress(run: LiveRun | undefined, totalNodes: number): { done: number; total: number } {
  if (!run) return { done: 0, total: totalNodes };
  const done = Object.values(run.nodes).filter((n) => isNodeDone(n.status)).length;
  const total = run.summary.kind === 'preview' ? Math.max(done, Object.keys(run.nodes).length) : totalNodes;
  return { done: Math.min(done, total), total };
}

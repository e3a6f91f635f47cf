// Which run the workflow view shows: a run the user pinned from the history, else the
// newest run this window saw start, else the workflow's last recorded run. Fetches its
// record when this window did not watch it live.
import { useEffect } from 'react';
import { useGraph } from '../../stores/graph-store.ts';
import { useRuns } from '../../stores/runs-store.ts';
import { isFinished, type LiveRun } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';

export function useDisplayedRunId(workflowId: string): string | undefined {
  const pinned = useUi((s) => s.pinnedRunId);
  const latest = useRuns((s) => s.latestByWorkflow[workflowId]);
  const last = useGraph((s) => (s.detail?.summary.id === workflowId ? s.detail.summary.lastRun?.id : undefined));
  return pinned ?? latest ?? last;
}

export function useDisplayedRun(workflowId: string): { runId?: string; run?: LiveRun } {
  const runId = useDisplayedRunId(workflowId);
  const run = useRuns((s) => (runId ? s.runs[runId] : undefined));
  const loadRun = useRuns((s) => s.loadRun);
  const active = !!run && !isFinished(run.summary.status);
  useEffect(() => {
    if (!runId) return;
    const load = () => loadRun(runId).catch((e: unknown) => console.error(`could not load run ${runId}`, e));
    void load();
    if (!active) return;
    // events carry progress; this catches up if the event stream dropped some (reconnects)
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, [runId, active, loadRun]);
  return { runId, run };
}

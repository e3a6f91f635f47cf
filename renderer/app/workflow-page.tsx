// One workflow: the toolbar over the section the user chose. The graph section is the
// canvas with the node inspector beside it; problems in the files are listed on top.
// The open document follows changes to the files on every tab (the Schedule tab and the
// CLI write workflow.yaml too), so the graph never holds a stale copy.
import { useEffect } from 'react';
import { ErrorNote } from '../components/empty-state.tsx';
import { LoadingBlock } from '../components/spinner.tsx';
import { useGraph } from '../stores/graph-store.ts';
import { useUi, type WorkflowTab } from '../stores/ui-store.ts';
import { EditorPane } from '../features/editor/editor-pane.tsx';
import { useFileWatch } from '../features/editor/use-file-watch.ts';
import { NodeInspector } from '../features/editor/node-inspector.tsx';
import { RunToolbar } from '../features/editor/run-toolbar.tsx';
import { MetricsView } from '../features/charts/metrics-view.tsx';
import { ScheduleView } from '../features/schedules/schedule-view.tsx';
import { RunsList } from '../features/runs/runs-list.tsx';
import { CompareView } from '../features/compare/compare-view.tsx';
import { useCompare } from '../features/compare/compare-store.ts';
import { useDisplayedRun } from '../features/runs/use-displayed-run.ts';
import { PastVersionOr } from '../features/history/version-graph.tsx';
import { PublishButton } from '../features/engines/publish-dialog.tsx';
import { EnvironmentBanner } from '../features/environments/environment-banner.tsx';

export function WorkflowPage({ workflowId, tab }: { workflowId: string; tab: WorkflowTab }) {
  const load = useGraph((s) => s.load);
  const detail = useGraph((s) => (s.workflowId === workflowId ? s.detail : undefined));
  const loading = useGraph((s) => s.loading);
  const error = useGraph((s) => s.error);
  const selectedNodeId = useUi((s) => s.selectedNodeId);
  const comparing = useCompare((s) => !!s.comparing && s.workflowId === workflowId);
  const { runId, run } = useDisplayedRun(workflowId);

  useEffect(() => {
    void load(workflowId);
  }, [workflowId, load]);
  useFileWatch(workflowId);

  if (!detail) {
    if (error && !loading) return <div className="page-pad"><ErrorNote title="Could not open the workflow." message={error} /></div>;
    return <LoadingBlock label="Opening workflow" />;
  }
  const selected = detail.nodes.find((n) => n.id === selectedNodeId);

  return (
    <div className="workflow-page">
      {/* the run toolbar, with publishing to a remote engine at its end */}
      <div className="wf-toolbar-row">
        <RunToolbar workflowId={workflowId} run={run} />
        <div className="wf-toolbar-extra">
          <PublishButton workflowId={workflowId} />
        </div>
      </div>
      {error && <div className="page-pad"><ErrorNote title="Error:" message={error} /></div>}
      <EnvironmentBanner workflowId={workflowId} usesPython={detail.nodes.some((n) => n.language === 'python')} />
      {detail.problems.length > 0 && (
        <div className="problems alert warn" role="alert" aria-label="Problems in the workflow files">
          <strong>{detail.problems.length === 1 ? 'One problem' : `${detail.problems.length} problems`} in the workflow files</strong>
          <ul>
            {detail.problems.map((p, i) => (
              <li key={i}>
                <span className="mono">{[p.file, p.nodeId, p.field].filter(Boolean).join(' › ')}</span>: {p.message}
                {p.fix && <span className="muted"> — {p.fix}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {tab === 'graph' && (
        <PastVersionOr run={run} detail={detail}>
          <div className="graph-split">
            <EditorPane run={run} />
            {selected && <NodeInspector workflowId={workflowId} node={selected} runId={runId} run={run} />}
          </div>
        </PastVersionOr>
      )}
      {tab === 'runs' && (comparing ? <CompareView /> : <RunsList workflowId={workflowId} />)}
      {tab === 'metrics' && <MetricsView workflowId={workflowId} />}
      {tab === 'schedule' && <ScheduleView workflowId={workflowId} />}
    </div>
  );
}

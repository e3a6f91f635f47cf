// A past run's graph as it was in the version that ran: read-only nodes laid out from that
// version's layout, the run's statuses over them, and an inspector showing each node's code
// as it ran. A banner says so and leads back to the current workflow (unpins the run).
import { useMemo, type ReactNode } from 'react';
import { Background, Controls, ReactFlow, ReactFlowProvider, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { KindChip, StatusBadge } from '../../components/status.tsx';
import { CloseIcon } from '../../components/icons.tsx';
import { NodeErrorView } from '../../components/node-error.tsx';
import { statusLabel } from '../../components/format.ts';
import type { LiveRun } from '../../stores/run-state.ts';
import type { LoadedNode, WorkflowDetail } from '../../stores/api-types.ts';
import { useUi } from '../../stores/ui-store.ts';
import { CodeEditor } from '../editor/code-editor.tsx';
import { buildEdges, buildNodes, layoutPositions } from '../editor/graph-layout.ts';
import { nodeRunView } from '../editor/node-status.ts';
import { WorkflowNode } from '../editor/workflow-node.tsx';
import '../editor/editor.css';
import { usePastVersion, type PastVersion } from './use-past-version.ts';
import { versionNodes } from './version-model.ts';
import './history.css';

const nodeTypes: NodeTypes = { workflow: WorkflowNode };
const FIT = { padding: 0.15, maxZoom: 1.1 };
const noop = () => {};

function VersionInspector({ node, run }: { node: LoadedNode; run?: LiveRun }) {
  const close = useUi((s) => s.selectNode);
  const view = nodeRunView(run, node.id);
  const rec = run?.nodes[node.id];
  return (
    <aside className="inspector version-inspector" aria-label={`Node inspector: ${node.id}`}>
      <header className="inspector-head">
        <KindChip kind={node.kind} />
        <h2 className="inspector-title">{node.id}</h2>
        <StatusBadge status={view.status} />
        <div className="spacer" />
        <button className="btn ghost icon-btn" aria-label="Close inspector" onClick={() => close(undefined)}>
          <CloseIcon />
        </button>
      </header>
      {node.inputs.length > 0 && <p className="inspector-desc">Inputs: {node.inputs.join(', ')}</p>}
      {rec?.status === 'failed' && rec.error && <NodeErrorView nodeId={node.id} error={rec.error} />}
      <div className="inspector-panel">
        {node.source !== undefined ? (
          <CodeEditor key={node.id} code={node.source} language={node.language ?? 'sql'} readOnly label={`Code of ${node.id}`} onChange={noop} />
        ) : (
          <p className="muted output-note">This node has no code; its settings are in the version’s workflow.yaml.</p>
        )}
      </div>
    </aside>
  );
}

export function VersionGraph({ past, current, run }: { past: PastVersion; current: LoadedNode[]; run?: LiveRun }) {
  const selectedId = useUi((s) => s.selectedNodeId);
  const selectNode = useUi((s) => s.selectNode);
  const pinRun = useUi((s) => s.pinRun);
  const nodes = useMemo(() => versionNodes(past.version, current), [past, current]);
  const flowNodes = useMemo(() => {
    const built = buildNodes(nodes, layoutPositions(nodes, past.version.layout ?? {}));
    return built.map((n) => {
      const view = nodeRunView(run, n.id);
      return { ...n, selected: n.id === selectedId, ariaLabel: `${n.id} (${n.data.kind} node), ${statusLabel(view.status)}`, data: { ...n.data, ...view } };
    });
  }, [nodes, past, run, selectedId]);
  const edges = useMemo(() => buildEdges(nodes), [nodes]);
  const selected = nodes.find((n) => n.id === selectedId);

  return (
    <div className="version-view">
      <div className="version-banner" role="status" aria-label="Past version">
        <span>
          Showing version <span className="mono">{past.hash.slice(0, 12)}</span> as it ran
        </span>
        <span aria-hidden="true">—</span>
        <button className="btn small" onClick={() => pinRun(undefined)}>Back to current</button>
      </div>
      <div className="graph-split">
        <div className="editor-pane">
          <div className="canvas" role="region" aria-label="Workflow graph (past version, read-only)">
            <ReactFlowProvider>
              <ReactFlow
                nodes={flowNodes}
                edges={edges}
                nodeTypes={nodeTypes}
                onNodeClick={(_, n) => selectNode(n.id, 'code')}
                onPaneClick={() => selectNode(undefined)}
                nodesConnectable={false}
                nodesDraggable={false}
                deleteKeyCode={null}
                fitView
                fitViewOptions={FIT}
                minZoom={0.1}
                colorMode="system"
                proOptions={{ hideAttribution: true }}
              >
                <Background gap={18} size={1} />
                <Controls position="bottom-left" showInteractive={false} fitViewOptions={FIT} aria-label="Zoom controls" />
              </ReactFlow>
            </ReactFlowProvider>
          </div>
        </div>
        {selected && <VersionInspector node={selected} run={run} />}
      </div>
    </div>
  );
}

/** The graph section: the pinned run's own version when it differs from today's workflow, else `children` (the editor). */
export function PastVersionOr({ run, detail, children }: { run?: LiveRun; detail: WorkflowDetail; children: ReactNode }) {
  const past = usePastVersion(run, detail);
  return past ? <VersionGraph past={past} current={detail.nodes} run={run} /> : children;
}

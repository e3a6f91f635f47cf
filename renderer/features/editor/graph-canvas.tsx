// The workflow DAG: positions from the graph store, statuses from the displayed run.
// nodeTypes lives at module level so React Flow never remounts the custom nodes.
import { useEffect, useMemo, useState } from 'react';
import { Background, Controls, MiniMap, ReactFlow, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { statusLabel } from '../../components/format.ts';
import { useGraph } from '../../stores/graph-store.ts';
import { isFinished, type LiveRun } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { WorkflowFlowNode } from './graph-layout.ts';
import { nodeRunView } from './node-status.ts';
import { WorkflowNode } from './workflow-node.tsx';

const nodeTypes: NodeTypes = { workflow: WorkflowNode };

const MINIMAP_COLOURS: Record<string, string> = {
  succeeded: 'var(--ok)',
  warning: 'var(--warn)',
  failed: 'var(--fail)',
  running: 'var(--run)',
};

/** Re-renders every second while a run is active, so running nodes show a ticking time. */
function useTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function GraphCanvas({ run }: { run?: LiveRun }) {
  const nodes = useGraph((s) => s.nodes);
  const edges = useGraph((s) => s.edges);
  const onNodesChange = useGraph((s) => s.onNodesChange);
  const selectNode = useUi((s) => s.selectNode);
  const selectedNodeId = useUi((s) => s.selectedNodeId);
  const active = !!run && !isFinished(run.summary.status);
  const now = useTick(active);

  const shown = useMemo<WorkflowFlowNode[]>(
    () =>
      nodes.map((n) => {
        const view = nodeRunView(run, n.id, now);
        return {
          ...n,
          selected: n.id === selectedNodeId,
          ariaLabel: `${n.id} (${n.data.kind} node), ${statusLabel(view.status)}`,
          data: { ...n.data, ...view },
        };
      }),
    [nodes, run, now, selectedNodeId],
  );

  const animatedEdges = useMemo(
    () =>
      edges.map((e) => {
        const status = run?.nodes[e.target]?.status;
        return { ...e, animated: status === 'running', className: status ? `edge-${status}` : undefined };
      }),
    [edges, run],
  );

  return (
    <div className="canvas" role="region" aria-label="Workflow graph">
      <ReactFlow<WorkflowFlowNode>
        nodes={shown}
        edges={animatedEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_, node) => selectNode(node.id)}
        onPaneClick={() => selectNode(undefined)}
        nodesConnectable={false}
        elementsSelectable
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }}
        minZoom={0.2}
        maxZoom={2}
        colorMode="system"
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={18} size={1} />
        <Controls position="bottom-left" showInteractive={false} aria-label="Zoom controls" />
        <MiniMap
          position="bottom-right"
          pannable
          zoomable
          ariaLabel="Mini map"
          nodeBorderRadius={6}
          nodeColor={(n) => MINIMAP_COLOURS[(n.data as { status?: string }).status ?? ''] ?? 'var(--border-strong)'}
        />
      </ReactFlow>
    </div>
  );
}

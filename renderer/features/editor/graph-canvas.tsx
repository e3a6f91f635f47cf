// The workflow DAG: positions from the graph store, statuses from the displayed run.
// nodeTypes lives at module level so React Flow never remounts the custom nodes.
import { useMemo } from 'react';
import { useNow } from '../../components/use-now.ts';
import { Background, Controls, MiniMap, ReactFlow, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { statusLabel } from '../../components/format.ts';
import { useGraph } from '../../stores/graph-store.ts';
import { isFinished, type LiveRun } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { WorkflowFlowNode } from './graph-layout.ts';
import { nodeRunView } from './node-status.ts';
import { KeepSelectedVisible } from './keep-selected-visible.tsx';
import { WorkflowNode } from './workflow-node.tsx';

const nodeTypes: NodeTypes = { workflow: WorkflowNode };

const MINIMAP_COLOURS: Record<string, string> = {
  succeeded: 'var(--ok)',
  warning: 'var(--warn)',
  failed: 'var(--fail)',
  running: 'var(--run)',
};

export function GraphCanvas({ run }: { run?: LiveRun }) {
  const nodes = useGraph((s) => s.nodes);
  const edges = useGraph((s) => s.edges);
  const onNodesChange = useGraph((s) => s.onNodesChange);
  const selectNode = useUi((s) => s.selectNode);
  const selectedNodeId = useUi((s) => s.selectedNodeId);
  const active = !!run && !isFinished(run.summary.status);
  const now = useNow(active);

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
        onNodesChange={(changes) => {
          onNodesChange(changes);
          // keyboard selection (Tab to a node, Enter) opens the inspector like a click
          const picked = changes.find((c) => c.type === 'select' && c.selected);
          if (picked && picked.type === 'select') selectNode(picked.id);
        }}
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
        <KeepSelectedVisible />
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

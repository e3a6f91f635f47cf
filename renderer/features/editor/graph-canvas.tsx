// The workflow DAG, editable: positions and edges from the graph store, statuses from the
// run on display. Nodes are dropped here from the palette, connected by dragging a handle
// or from the keyboard (C on a node, then Enter on the one that reads it; refusals
// explained above the canvas), moved by mouse or arrow keys, box- or shift-selected and
// deleted; every edit goes through the store as one undo step. nodeTypes lives at module
// level and callbacks are stable, so React Flow never remounts or needlessly re-renders nodes.
import { useCallback, useEffect, useMemo, useRef, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
  type NodeTypes,
  type OnDelete,
  type OnNodeDrag,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useNow } from '../../components/use-now.ts';
import { statusLabel } from '../../components/format.ts';
import { useGraph } from '../../stores/graph-store.ts';
import { isFinished, type LiveRun } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { NodeKind } from '../../stores/api-types.ts';
import { NODE_HEIGHT, NODE_WIDTH, type WorkflowFlowNode } from './graph-layout.ts';
import { nodeRunView, type NodeRunView } from './node-status.ts';
import { KeepSelectedVisible } from './keep-selected-visible.tsx';
import { useNodesFirstTabOrder } from './canvas-tab-order.ts';
import { connectKey, useConnectMode } from './connect-mode.tsx';
import { WorkflowNode } from './workflow-node.tsx';
import { PALETTE_MIME } from './palette.tsx';

const nodeTypes: NodeTypes = { workflow: WorkflowNode };
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
export const FIT = { padding: 0.15, maxZoom: 1.1 };

const MINIMAP_COLOURS: Record<string, string> = {
  succeeded: 'var(--ok)',
  warning: 'var(--warn)',
  failed: 'var(--fail)',
  running: 'var(--run)',
};
const minimapColour = (n: WorkflowFlowNode) => MINIMAP_COLOURS[n.data.status] ?? 'var(--border-strong)';

/** Below this zoom node text is unreadable; nodes are drawn as flat boxes (editor.css `.far`). */
export const FAR_ZOOM = 0.45;
/** Above this many nodes only those in view are in the DOM; smaller graphs keep every node
 * there, so each stays reachable by keyboard and assistive technology. */
export const VIRTUALIZE_ABOVE = 200;

/** Sets `.far` on the canvas when zoomed out; a class, so no node re-renders when it flips. */
function DetailLevel({ host }: { host: RefObject<HTMLDivElement | null> }) {
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  useEffect(() => void host.current?.classList.toggle('far', far), [far, host]);
  return null;
}

type Cached = { src: WorkflowFlowNode; key: string; out: WorkflowFlowNode };

/**
 * The store's nodes with the displayed run's status laid over them. A node whose own
 * object and status did not change keeps its previous output object, so a run event or
 * an edit re-renders the nodes it concerns, not all of them.
 */
function useStatusOverlay(nodes: WorkflowFlowNode[], run: LiveRun | undefined, now: number): WorkflowFlowNode[] {
  const cache = useRef(new Map<string, Cached>());
  return useMemo(() => {
    const next = new Map<string, Cached>();
    const out = nodes.map((n) => {
      const view: NodeRunView = nodeRunView(run, n.id, now);
      const key = `${view.status}|${view.durationMs}|${view.rows}|${view.value}|${view.errorMessage}|${view.cached}`;
      const hit = cache.current.get(n.id);
      // a node that did not run says why ("skipped: predict failed"), to the eye and to a screen reader
      const state = (view.status === 'skipped' || view.status === 'cancelled') && view.errorMessage ? view.errorMessage : statusLabel(view.status);
      const entry =
        hit && hit.src === n && hit.key === key
          ? hit
          : { src: n, key, out: { ...n, ariaLabel: `${n.id} (${n.data.kind} node), ${state}`, data: { ...n.data, ...view } } };
      next.set(n.id, entry);
      return entry.out;
    });
    cache.current = next;
    return out;
  }, [nodes, run, now]);
}

export function GraphCanvas({ run, editable }: { run?: LiveRun; editable: boolean }) {
  const nodes = useGraph((s) => s.nodes);
  const edges = useGraph((s) => s.edges);
  const onNodesChange = useGraph((s) => s.onNodesChange);
  const onEdgesChange = useGraph((s) => s.onEdgesChange);
  const selectNode = useUi((s) => s.selectNode);
  const flow = useReactFlow<WorkflowFlowNode>();
  const active = !!run && !isFinished(run.summary.status);
  const now = useNow(active);
  const shown = useStatusOverlay(nodes, run, now);

  const statusEdges = useMemo(
    () =>
      run
        ? edges.map((e): Edge => {
            if (e.className === 'gate-edge') {
              // the check that held publishing back is the edge to look at
              return run.nodes[e.source]?.status === 'failed' ? { ...e, className: 'gate-edge edge-failed' } : e;
            }
            const status = run.nodes[e.target]?.status;
            return status ? { ...e, animated: status === 'running', className: `edge-${status}` } : e;
          })
        : edges,
    [edges, run],
  );

  const dragging = useRef(false);
  const handleNodesChange = useCallback(
    (changes: NodeChange<WorkflowFlowNode>[]) => {
      onNodesChange(changes);
      // arrow keys move selected nodes without a drag: keep where they went (one undo step per burst)
      const moved = changes.flatMap((c) => (c.type === 'position' && c.position && c.dragging === false ? [[c.id, c.position] as const] : []));
      if (moved.length && !dragging.current) useGraph.getState().moveNodes(Object.fromEntries(moved), 'keyboard-move');
      // one node selected (a click, or Tab to a node and Enter) opens it in the inspector
      if (changes.some((c) => c.type === 'select' && c.selected)) {
        const selected = useGraph.getState().nodes.filter((n) => n.selected);
        if (selected.length === 1) selectNode(selected[0]!.id);
      }
    },
    [onNodesChange, selectNode],
  );
  const onConnect = useCallback((c: Connection) => void useGraph.getState().connect(c.source, c.target), []);
  const onDelete: OnDelete<WorkflowFlowNode> = useCallback(({ nodes: gone, edges: cut }) => {
    useGraph.getState().deleteElements(
      gone.map((n) => n.id),
      cut.map((e) => ({ source: e.source, target: e.target })),
    );
  }, []);
  const onNodeDragStart: OnNodeDrag<WorkflowFlowNode> = useCallback(() => void (dragging.current = true), []);
  const onNodeDragStop: OnNodeDrag<WorkflowFlowNode> = useCallback((_, _node, moved) => {
    dragging.current = false;
    useGraph.getState().moveNodes(Object.fromEntries(moved.map((n) => [n.id, n.position])));
  }, []);
  // while the view moves, nodes and edges are not hit-tested (see editor.css)
  const host = useRef<HTMLDivElement>(null);
  const onMoveStart = useCallback(() => host.current?.classList.add('moving'), []);
  const onMoveEnd = useCallback(() => host.current?.classList.remove('moving'), []);
  const onNodeClick = useCallback(
    (_: unknown, node: WorkflowFlowNode) => {
      const from = useConnectMode.getState().from;
      if (from) {
        // connecting from the keyboard: a click on the node that reads it finishes it too
        if (from !== node.id) useGraph.getState().connect(from, node.id);
        useConnectMode.getState().stop();
      }
      selectNode(node.id);
    },
    [selectNode],
  );
  const onKeyDownCapture = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const focused = (e.target as HTMLElement).closest?.('.react-flow__node')?.getAttribute('data-id') ?? undefined;
      if (connectKey(e, focused, editable)) {
        e.preventDefault();
        e.stopPropagation();
      }
    },
    [editable],
  );
  useNodesFirstTabOrder(host);
  const onPaneClick = useCallback(() => selectNode(undefined), [selectNode]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME) as NodeKind;
      if (!kind) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const id = useGraph.getState().addNode(kind, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 });
      if (id) selectNode(id, 'code');
    },
    [flow, selectNode],
  );

  return (
    <div className="canvas" ref={host} role="region" aria-label="Workflow graph" onDragOver={onDragOver} onDrop={onDrop} onKeyDownCapture={onKeyDownCapture}>
      <ReactFlow<WorkflowFlowNode>
        nodes={shown}
        edges={statusEdges}
        nodeTypes={nodeTypes}
        onNodesChange={handleNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        nodesConnectable={editable}
        nodesDraggable={editable}
        edgesFocusable={editable}
        deleteKeyCode={editable ? DELETE_KEYS : null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        elementsSelectable
        onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
        fitView
        fitViewOptions={FIT}
        minZoom={0.1}
        maxZoom={2}
        colorMode="system"
        proOptions={{ hideAttribution: true }}
      >
        <KeepSelectedVisible />
        <DetailLevel host={host} />
        <Background gap={18} size={1} />
        <Controls position="bottom-left" showInteractive={false} fitViewOptions={FIT} aria-label="Zoom controls" />
        <MiniMap position="bottom-right" pannable zoomable ariaLabel="Mini map" nodeBorderRadius={6} nodeColor={minimapColour} />
      </ReactFlow>
    </div>
  );
}

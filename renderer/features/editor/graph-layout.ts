// Turns a workflow definition into React Flow nodes and edges. Positions come from the
// definition's `layout`; nodes without one are placed by dagre (left to right, like the
// data flows) and nudged until they overlap no placed node. Pure: unit-tested.
import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { LoadedNode, NodeKind, NodeStatus } from '../../stores/api-types.ts';

/** The handle id at both ends of a "publishes wait on this" edge. */
export const GATE_HANDLE = 'gate';

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 62;

export type DisplayStatus = NodeStatus | 'idle';

/** Plain, saveable JSON: no callbacks (React Flow re-renders nodes by data identity). */
export type WorkflowNodeData = {
  kind: NodeKind;
  label: string;
  description?: string;
  status: DisplayStatus;
  durationMs?: number;
  rows?: number;
  value?: string | number | boolean | null;
  errorMessage?: string;
  cached?: boolean;
};

export type WorkflowFlowNode = Node<WorkflowNodeData, 'workflow'>;

export type Position = { x: number; y: number };

type GraphNode = Pick<LoadedNode, 'id' | 'inputs'>;

function overlaps(a: Position, b: Position): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH + 10 && Math.abs(a.y - b.y) < NODE_HEIGHT + 10;
}

/** Every node's position: the saved one if there is one, else an automatic one. */
export function layoutPositions(nodes: GraphNode[], saved: Record<string, Position>): Record<string, Position> {
  const out: Record<string, Position> = {};
  const missing = nodes.filter((n) => !saved[n.id]);
  for (const n of nodes) if (saved[n.id]) out[n.id] = { ...saved[n.id]! };
  if (missing.length === 0) return out;

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 48, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const n of nodes) for (const input of n.inputs ?? []) if (ids.has(input)) g.setEdge(input, n.id);
  dagre.layout(g);

  const placed = Object.values(out);
  for (const n of missing) {
    const p = g.node(n.id);
    const pos = { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) };
    while (placed.some((q) => overlaps(q, pos))) pos.y += NODE_HEIGHT + 20;
    out[n.id] = pos;
    placed.push(pos);
  }
  return out;
}

export function buildEdges(nodes: GraphNode[]): Edge[] {
  const ids = new Set(nodes.map((n) => n.id));
  return nodes.flatMap((n) =>
    (n.inputs ?? [])
      .filter((input) => ids.has(input))
      .map((input) => ({ id: `${input}->${n.id}`, source: input, target: n.id })),
  );
}

export function buildNodes(nodes: LoadedNode[], positions: Record<string, Position>): WorkflowFlowNode[] {
  return nodes.map((n) => ({
    id: n.id,
    type: 'workflow',
    position: positions[n.id] ?? { x: 0, y: 0 },
    ariaRole: 'button',
    ariaLabel: `${n.id} (${n.kind} node)`,
    data: { kind: n.kind, label: n.id, description: n.description, status: 'idle' },
  }));
}

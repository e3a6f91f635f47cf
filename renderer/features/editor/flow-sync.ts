// Keeps React Flow's node and edge arrays in step with the document after each edit,
// reusing every object whose content did not change. React Flow re-renders a node when
// its object changes, so on a 1,000-node graph an edit re-renders only what it touched,
// and what React Flow measured or selected survives the edit. Besides the data edges
// (a node reads another), dashed "waits on" edges go from each check and metric whose
// failure holds publishing back to each publish: publishes run only once those passed.
import type { Edge } from '@xyflow/react';
import type { NodeKind } from '../../stores/api-types.ts';
import { GATE_HANDLE, type WorkflowFlowNode, type Position } from './graph-layout.ts';

type Spec = {
  id: string;
  kind: NodeKind;
  description?: string;
  inputs: string[];
  severity?: 'error' | 'warning';
  /** a bound is a number or a $parameter; `history` learns both from earlier runs */
  bounds?: { lower?: number | string; upper?: number | string; history?: unknown };
};

export function syncFlowNodes(prev: WorkflowFlowNode[], specs: Spec[], layout: Record<string, Position>): WorkflowFlowNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  const out = specs.map((s): WorkflowFlowNode => {
    const position = layout[s.id] ?? { x: 0, y: 0 };
    const o = old.get(s.id);
    const sameData = o && o.data.kind === s.kind && o.data.description === s.description;
    const samePos = o && o.position.x === position.x && o.position.y === position.y;
    if (o && sameData && samePos) return o;
    const data = sameData ? o.data : { kind: s.kind, label: s.id, description: s.description, status: 'idle' as const };
    return o
      ? { ...o, position, data }
      : { id: s.id, type: 'workflow', position, ariaRole: 'button', ariaLabel: `${s.id} (${s.kind} node)`, data };
  });
  // nothing changed: keep the very same array, so subscribers see no update
  return out.length === prev.length && out.every((n, i) => n === prev[i]) ? prev : out;
}

/** Whether a failure of this node holds the publishes back (error checks, metrics with bounds; a warning band never does). */
export function gatesPublishing(s: Spec): boolean {
  if (s.kind === 'check') return s.severity !== 'warning';
  if (s.kind === 'metric') return s.severity !== 'warning' && !!s.bounds && (s.bounds.lower !== undefined || s.bounds.upper !== undefined || !!s.bounds.history);
  return false;
}

export function syncEdges(prev: Edge[], specs: Spec[]): Edge[] {
  const ids = new Set(specs.map((s) => s.id));
  const old = new Map(prev.map((e) => [e.id, e]));
  const data = specs.flatMap((s) =>
    s.inputs
      .filter((i) => ids.has(i))
      .map((i) => old.get(`${i}->${s.id}`) ?? { id: `${i}->${s.id}`, source: i, target: s.id, ariaLabel: `Edge from ${i} to ${s.id}` }),
  );
  const publishes = specs.filter((s) => s.kind === 'publish');
  const gates = specs.filter(gatesPublishing).flatMap((g) =>
    publishes.map(
      (p): Edge =>
        old.get(`gate:${g.id}->${p.id}`) ?? {
          id: `gate:${g.id}->${p.id}`,
          source: g.id,
          target: p.id,
          sourceHandle: GATE_HANDLE,
          targetHandle: GATE_HANDLE,
          className: 'gate-edge',
          focusable: false,
          selectable: false,
          deletable: false,
          ariaLabel: `${p.id} publishes only if ${g.kind} ${g.id} passes`,
        },
    ),
  );
  const out = [...data, ...gates];
  return out.length === prev.length && out.every((e, i) => e === prev[i]) ? prev : out;
}

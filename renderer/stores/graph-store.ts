// The workflow document open in the editor: its definition, node positions (React Flow
// nodes) and unsaved code edits. Loaded from and saved through the API; this store is
// the only copy, and `dirty` says whether it differs from the files on disk.
import { create } from 'zustand';
import { applyNodeChanges, type Edge, type NodeChange } from '@xyflow/react';
import { api } from '../client/index.ts';
import type { WorkflowDetail } from './api-types.ts';
import { buildEdges, buildNodes, layoutPositions, type WorkflowFlowNode } from '../features/editor/graph-layout.ts';

interface GraphStore {
  workflowId?: string;
  detail?: WorkflowDetail;
  loading: boolean;
  error?: string;
  nodes: WorkflowFlowNode[];
  edges: Edge[];
  /** edited code by node id (only nodes whose code changed) */
  drafts: Record<string, string>;
  layoutDirty: boolean;
  saving: boolean;
  load(workflowId: string): Promise<void>;
  onNodesChange(changes: NodeChange<WorkflowFlowNode>[]): void;
  setDraft(nodeId: string, code: string): void;
  save(): Promise<void>;
}

export const useGraph = create<GraphStore>()((set, get) => ({
  loading: false,
  nodes: [],
  edges: [],
  drafts: {},
  layoutDirty: false,
  saving: false,

  load: async (workflowId) => {
    // another workflow's document must never show under this one's name
    if (get().workflowId !== workflowId) set({ detail: undefined, nodes: [], edges: [], drafts: {}, layoutDirty: false });
    set({ workflowId, loading: true, error: undefined });
    try {
      const detail = await api.workflows.get.query({ id: workflowId });
      if (get().workflowId !== workflowId) return;
      const positions = layoutPositions(detail.nodes, savedLayout(detail));
      set({
        detail,
        nodes: buildNodes(detail.nodes, positions),
        edges: buildEdges(detail.nodes),
        drafts: {},
        layoutDirty: false,
        loading: false,
      });
    } catch (e) {
      if (get().workflowId === workflowId) set({ loading: false, error: (e as Error).message });
    }
  },

  onNodesChange: (changes) =>
    set((s) => ({
      nodes: applyNodeChanges(changes, s.nodes),
      layoutDirty: s.layoutDirty || changes.some((c) => c.type === 'position' && !c.dragging && !!c.position),
    })),

  setDraft: (nodeId, code) =>
    set((s) => {
      const original = s.detail?.nodes.find((n) => n.id === nodeId)?.source ?? '';
      const drafts = { ...s.drafts };
      if (code === original) delete drafts[nodeId];
      else drafts[nodeId] = code;
      return { drafts };
    }),

  save: async () => {
    const { workflowId, detail, nodes, drafts } = get();
    if (!workflowId || !detail?.definition) return;
    set({ saving: true, error: undefined });
    try {
      const layout = Object.fromEntries(
        nodes.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]),
      );
      const code = Object.fromEntries(detail.nodes.flatMap((n) => (n.source === undefined ? [] : [[n.id, drafts[n.id] ?? n.source]])));
      await api.workflows.save.mutate({ id: workflowId, definition: { ...detail.definition, layout }, code });
      set({
        detail: {
          ...detail,
          definition: { ...detail.definition!, layout },
          nodes: detail.nodes.map((n) => (drafts[n.id] === undefined ? n : { ...n, source: drafts[n.id] })),
        },
        drafts: {},
        layoutDirty: false,
        saving: false,
      });
    } catch (e) {
      set({ saving: false, error: (e as Error).message });
    }
  },
}));

function savedLayout(detail: WorkflowDetail): Record<string, { x: number; y: number }> {
  if (detail.definition) return detail.definition.layout;
  const raw = (detail.raw as { layout?: unknown } | null)?.layout;
  return raw && typeof raw === 'object' ? (raw as Record<string, { x: number; y: number }>) : {};
}

export const selectDirty = (s: GraphStore): boolean => s.layoutDirty || Object.keys(s.drafts).length > 0;

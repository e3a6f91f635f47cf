// The workflow document open in the editor. `doc` is the working copy, `base` the files as
// last read or written; every edit is a pure operation (graph-ops.ts) committed here, so
// undo/redo, "unsaved", saving and merging edits made in another editor all work on
// whole documents. `detail` and the React Flow arrays are views of `doc`, refreshed on
// each commit (reusing unchanged objects), so the rest of the app reads the edited graph.
import { create } from 'zustand';
import { applyEdgeChanges, applyNodeChanges, type Edge, type EdgeChange, type NodeChange } from '@xyflow/react';
import { api } from '../client/index.ts';
import type { NodeKind, WorkflowDetail } from './api-types.ts';
import { docFromDetail, loadedNodes, sameDoc, savePayload, type GraphDoc, type Language, type NodeSpec, type XY } from './graph-doc.ts';
import * as ops from './graph-ops.ts';
import { emptyHistory, record, redo, undo, type History } from './graph-history.ts';
import { mergeDocs, resolveConflict, type Choice, type Conflict } from './graph-merge.ts';
import { syncEdges, syncFlowNodes } from '../features/editor/flow-sync.ts';
import { layoutPositions, type WorkflowFlowNode } from '../features/editor/graph-layout.ts';

/** What an external change did to the open document. */
export type ExternalOutcome = 'none' | 'reloaded' | 'merged' | 'conflict' | 'broken';

interface GraphStore {
  workflowId?: string;
  detail?: WorkflowDetail;
  loading: boolean;
  error?: string;
  saving: boolean;
  /** working copy; undefined while loading or when workflow.yaml does not parse */
  doc?: GraphDoc;
  /** the files as last read or written */
  base?: GraphDoc;
  dirty: boolean;
  history: History;
  nodes: WorkflowFlowNode[];
  edges: Edge[];
  clipboard?: ops.Clipboard;
  /** why the last connection was refused, shown over the canvas */
  refusal?: string;
  /** edits of another editor that clash with unsaved ones here */
  conflicts: Conflict[];
  /** an external change arrived during a save: look again after it */
  externalPending: boolean;

  load(workflowId: string): Promise<void>;
  save(): Promise<void>;
  checkExternal(): Promise<ExternalOutcome>;
  resolve(index: number, choice: Choice): void;
  onNodesChange(changes: NodeChange<WorkflowFlowNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  selectOnly(ids: string[]): void;
  addNode(kind: NodeKind, at: XY): string | undefined;
  connect(source: string, target: string): boolean;
  deleteElements(nodeIds: string[], edges: ops.EdgeRef[]): void;
  renameNode(from: string, to: string): string | undefined;
  updateNode(id: string, spec: NodeSpec, field?: string): void;
  setCode(id: string, code: string): void;
  setLanguage(id: string, language: Language): void;
  setWorkflowFields(fields: ops.WorkflowFields, key?: string): void;
  /** `key` joins a burst of moves (arrow keys) into one undo step */
  moveNodes(positions: Record<string, XY>, key?: string): void;
  autoLayout(): void;
  copySelection(): number;
  paste(): number;
  undo(): void;
  redo(): void;
  dismissRefusal(): void;
}

/** Every node gets a position (saved, else automatic), so saving writes a complete layout. */
function withLayout(doc: GraphDoc, hint: Record<string, XY> = {}): GraphDoc {
  const { nodes, layout } = doc.definition;
  if (nodes.every((n) => layout[n.id])) return doc;
  const known = Object.fromEntries(nodes.flatMap((n) => (layout[n.id] ?? hint[n.id] ? [[n.id, layout[n.id] ?? hint[n.id]!]] : [])));
  return { ...doc, definition: { ...doc.definition, layout: layoutPositions(nodes, known) } };
}

function savedLayout(detail: WorkflowDetail): Record<string, XY> {
  if (detail.definition) return detail.definition.layout;
  const raw = (detail.raw as { layout?: unknown } | null)?.layout;
  return raw && typeof raw === 'object' ? (raw as Record<string, XY>) : {};
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useGraph = create<GraphStore>()((set, get) => {
  /** The state that follows from a new working copy (and base); `from` overrides the current state. */
  const viewOf = (doc: GraphDoc, base = get().base, from: Partial<GraphStore> = {}): Partial<GraphStore> => {
    const s = { ...get(), ...from };
    return {
      doc,
      base,
      detail: s.detail && { ...s.detail, definition: doc.definition, nodes: loadedNodes(doc) },
      nodes: syncFlowNodes(s.nodes, doc.definition.nodes, doc.definition.layout),
      edges: syncEdges(s.edges, doc.definition.nodes),
      dirty: !sameDoc(doc, base),
    };
  };

  /** Applies an edit: one undo step, or joined with the previous one of the same key. */
  const commit = (next: GraphDoc | undefined, key?: string) => {
    const { doc, history } = get();
    if (!doc || !next || next === doc) return;
    set({ ...viewOf(withLayout(next)), history: record(history, doc, key, Date.now()), refusal: undefined });
    recheckSoon();
  };

  // A problem shown (from the files, or a refused save) is asked about again after edits,
  // so its banner goes as soon as the edit that fixes it is made, not at the next save.
  let recheckTimer: ReturnType<typeof setTimeout> | undefined;
  const recheckSoon = () => {
    const s = get();
    if (!s.error && !s.detail?.problems.length) return;
    clearTimeout(recheckTimer);
    recheckTimer = setTimeout(() => {
      const { workflowId, doc, base } = get();
      if (!workflowId || !doc) return;
      api.workflows.check.mutate({ id: workflowId, ...savePayload(doc), base: base && savePayload(base) }).then(
        (problems) => {
          const now = get();
          if (problems.length || now.doc !== doc || now.workflowId !== workflowId) return;
          set({ error: undefined, detail: now.detail && { ...now.detail, problems: [] } });
        },
        () => undefined,
      );
    }, 300);
  };

  const edit = (f: (doc: GraphDoc) => GraphDoc, key?: string) => {
    const doc = get().doc;
    if (doc) commit(f(doc), key);
  };

  const open = (detail: WorkflowDetail) => {
    const loaded = docFromDetail(detail);
    const doc = loaded && withLayout(loaded);
    const fresh = { detail, loading: false, conflicts: [], nodes: [], edges: [] };
    // one update, one render: a 1,000-node graph is costly to render twice
    if (doc) return set({ ...fresh, ...viewOf(doc, doc, fresh) });
    const nodes = syncFlowNodes([], detail.nodes, layoutPositions(detail.nodes, savedLayout(detail)));
    set({ ...fresh, nodes, edges: syncEdges([], detail.nodes), doc: undefined, base: undefined, dirty: false });
  };

  return {
    loading: false,
    saving: false,
    dirty: false,
    history: emptyHistory(),
    nodes: [],
    edges: [],
    conflicts: [],
    externalPending: false,

    load: async (workflowId) => {
      const s = get();
      // coming back to a document with unsaved edits: keep them, merge what changed on disk
      if (s.workflowId === workflowId && s.doc && s.dirty) return void (await get().checkExternal());
      if (s.workflowId !== workflowId) {
        set({ detail: undefined, doc: undefined, base: undefined, dirty: false, nodes: [], edges: [], history: emptyHistory(), conflicts: [], refusal: undefined });
      }
      set({ workflowId, loading: true, error: undefined });
      try {
        const detail = await api.workflows.get.query({ id: workflowId });
        if (get().workflowId === workflowId) open(detail);
      } catch (e) {
        if (get().workflowId === workflowId) set({ loading: false, error: message(e) });
      }
    },

    save: async () => {
      const { workflowId, doc, base } = get();
      if (!workflowId || !doc) return;
      set({ saving: true, error: undefined });
      try {
        // with the base, the runner keeps whatever changed in the files since it was read
        const r = await api.workflows.save.mutate({ id: workflowId, ...savePayload(doc), base: base && savePayload(base) });
        const s = get();
        set({ base: doc, dirty: !sameDoc(s.doc, doc), saving: false, detail: s.detail && { ...s.detail, summary: r.summary, problems: [] } });
      } catch (e) {
        set({ saving: false, error: message(e) });
      }
      if (get().externalPending) {
        set({ externalPending: false });
        void get().checkExternal();
      }
    },

    checkExternal: async () => {
      const { workflowId } = get();
      if (!workflowId) return 'none';
      if (get().saving) return set({ externalPending: true }), 'none';
      const detail = await api.workflows.get.query({ id: workflowId });
      const s = get();
      if (s.workflowId !== workflowId) return 'none';
      if (s.saving) return set({ externalPending: true }), 'none';
      const loaded = docFromDetail(detail);
      if (!loaded) {
        // half-written or broken: show its problems, keep the document as it is here
        set({ detail: s.detail && { ...s.detail, problems: detail.problems } });
        return 'broken';
      }
      if (!s.doc || !s.base) return open(detail), 'reloaded';
      const theirs = withLayout(loaded, s.base.definition.layout);
      const withProblems = { detail: s.detail && { ...s.detail, problems: detail.problems, summary: detail.summary } };
      if (sameDoc(theirs, s.base)) return set(withProblems), 'none';
      const history = record(s.history, s.doc, undefined, Date.now());
      if (!s.dirty) return set({ ...viewOf(theirs, theirs, withProblems), history }), 'reloaded';
      const m = mergeDocs(s.base, s.doc, theirs);
      set({ ...viewOf(withLayout(m.doc), theirs, withProblems), history, conflicts: [...s.conflicts, ...m.conflicts] });
      return m.conflicts.length ? 'conflict' : 'merged';
    },

    resolve: (index, choice) => {
      const { conflicts, doc } = get();
      const c = conflicts[index];
      if (!c || !doc) return;
      set({ conflicts: conflicts.filter((_, i) => i !== index) });
      commit(resolveConflict(doc, c, choice));
    },

    onNodesChange: (changes) => {
      // removals go through deleteElements (one undo step for nodes and edges together)
      const kept = changes.filter((c) => c.type !== 'remove');
      if (kept.length) set((s) => ({ nodes: applyNodeChanges(kept, s.nodes) }));
    },
    onEdgesChange: (changes) => {
      const kept = changes.filter((c) => c.type !== 'remove');
      if (kept.length) set((s) => ({ edges: applyEdgeChanges(kept, s.edges) }));
    },
    selectOnly: (ids) => {
      const want = new Set(ids);
      set((s) => ({
        nodes: s.nodes.map((n) => (!!n.selected === want.has(n.id) ? n : { ...n, selected: want.has(n.id) })),
        edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      }));
    },

    addNode: (kind, at) => {
      const doc = get().doc;
      if (!doc) return undefined;
      const r = ops.addNode(doc, kind, at);
      commit(r.doc);
      get().selectOnly([r.id]);
      return r.id;
    },
    connect: (source, target) => {
      const doc = get().doc;
      if (!doc) return false;
      const r = ops.connect(doc, source, target);
      if (!r.ok) return set({ refusal: `Cannot connect ${source} → ${target}: ${r.reason}.` }), false;
      commit(r.doc);
      return true;
    },
    deleteElements: (nodeIds, edges) => edit((d) => ops.removeEdges(ops.removeNodes(d, nodeIds), edges)),
    renameNode: (from, to) => {
      const doc = get().doc;
      if (!doc) return 'the workflow cannot be edited until workflow.yaml is fixed';
      const r = ops.renameNode(doc, from, to);
      if (!r.ok) return r.reason;
      commit(r.doc);
      return undefined;
    },
    updateNode: (id, spec, field) => edit((d) => ops.updateNode(d, id, spec), field ? `settings:${id}:${field}` : undefined),
    setCode: (id, code) => edit((d) => ops.setCode(d, id, code), `code:${id}`),
    setLanguage: (id, language) => edit((d) => ops.setLanguage(d, id, language)),
    setWorkflowFields: (fields, key) => edit((d) => ops.setWorkflowFields(d, fields), key && `workflow:${key}`),
    moveNodes: (positions, key) => edit((d) => ops.moveNodes(d, positions), key),
    autoLayout: () => edit(ops.autoLayout),

    copySelection: () => {
      const { doc, nodes } = get();
      const ids = nodes.filter((n) => n.selected).map((n) => n.id);
      if (!doc || ids.length === 0) return 0;
      set({ clipboard: ops.copyNodes(doc, ids) });
      return ids.length;
    },
    paste: () => {
      const { doc, clipboard } = get();
      if (!doc || !clipboard?.nodes.length) return 0;
      const r = ops.pasteNodes(doc, clipboard, { x: 40, y: 40 });
      commit(r.doc);
      get().selectOnly(r.ids);
      return r.ids.length;
    },
    undo: () => {
      const { history, doc } = get();
      const r = doc && undo(history, doc);
      if (r) set({ ...viewOf(r.doc), history: r.history, refusal: undefined });
    },
    redo: () => {
      const { history, doc } = get();
      const r = doc && redo(history, doc);
      if (r) set({ ...viewOf(r.doc), history: r.history, refusal: undefined });
    },
    dismissRefusal: () => set({ refusal: undefined }),
  };
});

export const selectDirty = (s: { dirty: boolean }): boolean => s.dirty;
export const selectCanUndo = (s: GraphStore): boolean => s.history.past.length > 0;
export const selectCanRedo = (s: GraphStore): boolean => s.history.future.length > 0;

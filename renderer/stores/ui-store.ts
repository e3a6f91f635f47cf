// Where the user is and what they have selected. A tiny route state instead of a router:
// a desktop app has no address bar, and tests drive it through the visible controls.
import { create } from 'zustand';

export type WorkflowTab = 'graph' | 'runs' | 'metrics' | 'schedule';
export type InspectorTab = 'code' | 'settings' | 'output' | 'logs';

export type Route = { page: 'home' } | { page: 'workflow'; workflowId: string; tab: WorkflowTab };

interface UiState {
  route: Route;
  /** node open in the inspector */
  selectedNodeId?: string;
  inspectorTab: InspectorTab;
  /** a past run pinned on the graph; undefined = follow the newest run */
  pinnedRunId?: string;
  paramsOpen: boolean;
  inspectorWidth: number;
  setInspectorWidth(width: number): void;
  /** run-form values per workflow, as typed */
  paramDrafts: Record<string, Record<string, string | boolean>>;
  /** a short message at the bottom of the window (errors of actions, confirmations) */
  notice?: { tone: 'info' | 'error'; text: string };
  notify(tone: 'info' | 'error', text: string): void;
  dismissNotice(): void;
  openHome(): void;
  openWorkflow(workflowId: string, tab?: WorkflowTab): void;
  setTab(tab: WorkflowTab): void;
  selectNode(nodeId: string | undefined, tab?: InspectorTab): void;
  setInspectorTab(tab: InspectorTab): void;
  pinRun(runId: string | undefined): void;
  setParamsOpen(open: boolean): void;
  setParamDraft(workflowId: string, name: string, value: string | boolean): void;
  resetParamDrafts(workflowId: string): void;
}

export const useUi = create<UiState>()((set) => ({
  route: { page: 'home' },
  inspectorTab: 'code',
  paramsOpen: false,
  inspectorWidth: 620,
  setInspectorWidth: (inspectorWidth) => set({ inspectorWidth }),
  paramDrafts: {},
  notify: (tone, text) => set({ notice: { tone, text } }),
  dismissNotice: () => set({ notice: undefined }),
  openHome: () => set({ route: { page: 'home' }, selectedNodeId: undefined, pinnedRunId: undefined, paramsOpen: false }),
  openWorkflow: (workflowId, tab = 'graph') =>
    set({ route: { page: 'workflow', workflowId, tab }, selectedNodeId: undefined, pinnedRunId: undefined }),
  setTab: (tab) =>
    set((s) => (s.route.page === 'workflow' ? { route: { ...s.route, tab }, paramsOpen: false } : {})),
  selectNode: (selectedNodeId, tab) => set((s) => ({ selectedNodeId, inspectorTab: tab ?? s.inspectorTab })),
  setInspectorTab: (inspectorTab) => set({ inspectorTab }),
  pinRun: (pinnedRunId) => set({ pinnedRunId }),
  setParamsOpen: (paramsOpen) => set({ paramsOpen }),
  setParamDraft: (workflowId, name, value) =>
    set((s) => ({ paramDrafts: { ...s.paramDrafts, [workflowId]: { ...s.paramDrafts[workflowId], [name]: value } } })),
  resetParamDrafts: (workflowId) =>
    set((s) => {
      const paramDrafts = { ...s.paramDrafts };
      delete paramDrafts[workflowId];
      return { paramDrafts };
    }),
}));

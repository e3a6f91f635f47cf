// Which two runs the user picked in the run history to compare, and whether the
// comparison is open. Picking a third run drops the oldest pick.
import { create } from 'zustand';

interface CompareState {
  /** the workflow the picks belong to; another workflow starts afresh */
  workflowId?: string;
  picked: string[];
  /** the two runs being compared, older first once their times are known */
  comparing?: [string, string];
  toggle(runId: string): void;
  open(): void;
  close(): void;
  reset(): void;
  forWorkflow(workflowId: string): void;
}

export const useCompare = create<CompareState>()((set, get) => ({
  picked: [],
  toggle: (runId) =>
    set((s) => ({ picked: s.picked.includes(runId) ? s.picked.filter((id) => id !== runId) : [...s.picked, runId].slice(-2) })),
  open: () => {
    const [a, b] = get().picked;
    if (a && b) set({ comparing: [a, b] });
  },
  close: () => set({ comparing: undefined }),
  reset: () => set({ picked: [], comparing: undefined }),
  forWorkflow: (workflowId) => {
    if (get().workflowId !== workflowId) set({ workflowId, picked: [], comparing: undefined });
  },
}));

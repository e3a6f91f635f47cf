// The one copy of run state in the renderer: fed by the runner's event stream and, for
// runs this window did not watch from the start, by runs.get. Components select from it.
import { create } from 'zustand';
import { api } from '../client/index.ts';
import type { RunEvent, RunSummary } from './api-types.ts';
import { emptyRunsState, isFinished, noteRun, reduceRunEvent, seedRun, type RunsState } from './run-state.ts';

interface RunsStore extends RunsState {
  applyEvent(ev: RunEvent): void;
  noteRun(summary: RunSummary): void;
  /** fetches a run's record unless it is already complete here */
  loadRun(runId: string): Promise<void>;
  /** subscribes to the event stream; returns the unsubscribe */
  connect(): () => void;
}

const loading = new Set<string>();

export const useRuns = create<RunsStore>()((set, get) => ({
  ...emptyRunsState(),
  applyEvent: (ev) => {
    set((s) => reduceRunEvent(s, ev));
    // the finished event carries the summary only; fetch the whole record once
    if (ev.type === 'run_finished') void get().loadRun(ev.run.id);
  },
  noteRun: (summary) => set((s) => noteRun(s, summary)),
  loadRun: async (runId) => {
    if (get().runs[runId]?.complete || loading.has(runId)) return;
    loading.add(runId);
    try {
      const detail = await api.runs.get.query({ runId });
      set((s) => seedRun(s, detail));
    } finally {
      loading.delete(runId);
    }
  },
  connect: () => {
    const sub = api.events.onRun.subscribe(undefined, {
      onData: (ev) => get().applyEvent(ev as RunEvent),
      onError: (err) => console.error('run events stream failed', err),
    });
    return () => sub.unsubscribe();
  },
}));

export const selectRunActive = (runId: string | undefined) => (s: RunsState) => {
  const run = runId ? s.runs[runId] : undefined;
  return run ? !isFinished(run.summary.status) : false;
};

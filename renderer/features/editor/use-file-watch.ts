// Follows edits made to the open workflow's files outside the app (a text editor, git):
// the runner reports them on `workflows.onChanged`; the graph store reloads when nothing
// here is unsaved, else merges per node and asks about clashes. Reports arriving while
// one is being handled are folded into one more look afterwards.
import { useEffect } from 'react';
import { api } from '../../client/index.ts';
import { useGraph, type ExternalOutcome } from '../../stores/graph-store.ts';
import { useUi } from '../../stores/ui-store.ts';

const NOTES: Partial<Record<ExternalOutcome, [tone: 'info' | 'error', text: string]>> = {
  reloaded: ['info', 'The workflow’s files changed on disk: reloaded.'],
  merged: ['info', 'The workflow’s files changed on disk: merged with your unsaved edits.'],
  broken: ['error', 'workflow.yaml changed on disk and now has problems; your version here is kept until it is fixed.'],
};

export function useFileWatch(workflowId: string): void {
  useEffect(() => {
    let busy = false;
    let again = false;
    const look = async () => {
      if (busy) return void (again = true);
      busy = true;
      try {
        do {
          again = false;
          const outcome = await useGraph.getState().checkExternal();
          const note = NOTES[outcome];
          if (note) useUi.getState().notify(...note);
        } while (again);
      } catch (e) {
        console.error('could not read the changed workflow files', e);
      } finally {
        busy = false;
      }
    };
    const sub = api.workflows.onChanged.subscribe(
      { id: workflowId },
      { onData: () => void look(), onError: (err) => console.error('file watch stream failed', err) },
    );
    return () => sub.unsubscribe();
  }, [workflowId]);
}

// Keyboard shortcuts of the workflow view: Ctrl/Cmd+Enter runs, Ctrl/Cmd+S saves, Esc
// closes the parameter form or the inspector. One listener for the whole window.
import { useEffect } from 'react';
import { useGraph } from '../stores/graph-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { startRun } from '../features/runs/run-actions.ts';

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if (ui.route.page !== 'workflow') return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        void startRun(ui.route.workflowId);
      } else if (mod && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        void useGraph.getState().save();
      } else if (e.key === 'Escape') {
        if (ui.paramsOpen) ui.setParamsOpen(false);
        else if (ui.selectedNodeId) ui.selectNode(undefined);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

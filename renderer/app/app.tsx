// The shell: top bar, the current page (home or one workflow), the notice line, and the
// app-wide subscriptions (run events, keyboard shortcuts).
import { useEffect } from 'react';
import { startupWorkflowId } from '../client/index.ts';
import { useRuns } from '../stores/runs-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { WorkflowsHome } from '../features/workflows/workflows-home.tsx';
import { Notice } from './notice.tsx';
import { useShortcuts } from './shortcuts.ts';
import { TopBar } from './top-bar.tsx';
import { WorkflowPage } from './workflow-page.tsx';

export function App() {
  const route = useUi((s) => s.route);
  const connect = useRuns((s) => s.connect);
  useEffect(() => connect(), [connect]);
  useEffect(() => {
    // the server may ask to open one workflow first (`aqueduct serve --open-example`)
    const id = startupWorkflowId();
    if (id) useUi.getState().openWorkflow(id);
  }, []);
  useShortcuts();

  return (
    <div className="app">
      <TopBar />
      <main className="main">
        {route.page === 'home' ? <WorkflowsHome /> : <WorkflowPage key={route.workflowId} workflowId={route.workflowId} tab={route.tab} />}
      </main>
      <Notice />
    </div>
  );
}

// The shell: top bar, the current page (home, one workflow, or Connections / Engines / Monitor / Endpoints over either), the notice line, and the
// app-wide subscriptions (run events, keyboard shortcuts).
import { useEffect } from 'react';
import { useRuns } from '../stores/runs-store.ts';
import { useUi } from '../stores/ui-store.ts';
import { WorkflowsHome } from '../features/workflows/workflows-home.tsx';
import { ConnectionsPage } from '../features/connections/connections-page.tsx';
import { useConnectionsScreen } from '../features/connections/connections-screen.ts';
import { SettingsPage } from '../features/settings/settings-page.tsx';
import { useSettingsScreen } from '../features/settings/settings-screen.ts';
import { EnginesPage } from '../features/engines/engines-page.tsx';
import { useEnginesScreen } from '../features/engines/engines-screen.ts';
import { MonitorPage } from '../features/monitor/monitor-page.tsx';
import { useMonitorScreen } from '../features/monitor/monitor-screen.ts';
import { EndpointsPage } from '../features/endpoints/endpoints-page.tsx';
import { useEndpointsScreen } from '../features/endpoints/endpoints-screen.ts';
import { Notice } from './notice.tsx';
import { useShortcuts } from './shortcuts.ts';
import { useUrlSync } from './url-state.ts';
import { TopBar } from './top-bar.tsx';
import { WorkflowPage } from './workflow-page.tsx';

export function App() {
  const route = useUi((s) => s.route);
  const connect = useRuns((s) => s.connect);
  const connectionsOpen = useConnectionsScreen((s) => s.open);
  const settingsOpen = useSettingsScreen((s) => s.open) && !connectionsOpen;
  const enginesOpen = useEnginesScreen((s) => s.open) && !connectionsOpen && !settingsOpen;
  const monitorOpen = useMonitorScreen((s) => s.open) && !connectionsOpen && !settingsOpen && !enginesOpen;
  const endpointsOpen = useEndpointsScreen((s) => s.open) && !connectionsOpen && !settingsOpen && !enginesOpen && !monitorOpen;
  const overlay = connectionsOpen || settingsOpen || enginesOpen || monitorOpen || endpointsOpen;
  useEffect(() => connect(), [connect]);
  // the address names the place (and the server may name a workflow to open first)
  useUrlSync();
  useShortcuts();

  return (
    <div className="app">
      <TopBar />
      {connectionsOpen && (
        <main className="main" aria-label="Connections">
          <ConnectionsPage />
        </main>
      )}
      {enginesOpen && (
        <main className="main" aria-label="Engines">
          <EnginesPage />
        </main>
      )}
      {monitorOpen && (
        <main className="main" aria-label="Monitor">
          <MonitorPage />
        </main>
      )}
      {endpointsOpen && (
        <main className="main" aria-label="Endpoints">
          <EndpointsPage />
        </main>
      )}
      {settingsOpen && (
        <main className="main" aria-label="Settings">
          <SettingsPage />
        </main>
      )}
      {/* kept mounted under the app-wide screens, so an open workflow keeps its unsaved edits */}
      <main className="main" style={overlay ? { display: 'none' } : undefined}>
        {route.page === 'home' ? <WorkflowsHome /> : <WorkflowPage key={route.workflowId} workflowId={route.workflowId} tab={route.tab} />}
      </main>
      <Notice />
    </div>
  );
}

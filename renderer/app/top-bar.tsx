// The window's top bar: the brand (back to all workflows), where you are, and the
// workflow's sections (Graph, Runs, Metrics, Schedule) as tabs; Connections and Engines on
// the right (app-wide screens, one at a time).
import { selectDirty, useGraph } from '../stores/graph-store.ts';
import { useUi, type WorkflowTab } from '../stores/ui-store.ts';
import { useConnectionsScreen } from '../features/connections/connections-screen.ts';
import { useEnginesScreen } from '../features/engines/engines-screen.ts';
import { useMonitorScreen } from '../features/monitor/monitor-screen.ts';
import { useEndpointsScreen } from '../features/endpoints/endpoints-screen.ts';

const TABS: { id: WorkflowTab; label: string }[] = [
  { id: 'graph', label: 'Graph' },
  { id: 'runs', label: 'Runs' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'schedule', label: 'Schedule' },
];

export function TopBar() {
  const route = useUi((s) => s.route);
  const openHome = useUi((s) => s.openHome);
  const setTab = useUi((s) => s.setTab);
  const connections = useConnectionsScreen();
  const engines = useEnginesScreen();
  const endpoints = useEndpointsScreen();
  const monitor = useMonitorScreen();
  // the name as edited (saved or not), so renaming in Workflow settings shows at once
  const name = useGraph((s) =>
    route.page === 'workflow' && s.detail?.summary.id === route.workflowId ? s.doc?.definition.name || s.detail.summary.name : undefined,
  );

  return (
    <header className="topbar">
      <button
        className="brand"
        aria-label="All workflows"
        onClick={() => {
          if (selectDirty(useGraph.getState()) && !window.confirm('Leave without saving your changes to this workflow?')) return;
          openHome();
        }}
      >
        <span className="brand-mark" aria-hidden="true" />
        Aqueduct
      </button>
      {route.page === 'workflow' && (
        <>
          <span className="crumb-sep" aria-hidden="true">/</span>
          <h1 className="crumb">{name ?? '…'}</h1>
          <nav className="tabs topbar-tabs" role="tablist" aria-label="Workflow sections">
            {TABS.map((t) => (
              <button key={t.id} role="tab" className="tab" aria-selected={route.tab === t.id} onClick={() => setTab(t.id)}>
                {t.label}
              </button>
            ))}
          </nav>
        </>
      )}
      <div className="spacer" />
      <button className="tab" aria-pressed={monitor.open} onClick={monitor.open ? monitor.hide : monitor.show}>
        Monitor
      </button>
      <button className="tab" aria-pressed={connections.open} onClick={connections.open ? connections.hide : connections.show}>
        Connections
      </button>
      <button className="tab" aria-pressed={engines.open} onClick={engines.open ? engines.hide : engines.show}>
        Engines
      </button>
      <button className="tab" aria-pressed={endpoints.open} onClick={endpoints.open ? endpoints.hide : endpoints.show}>
        Endpoints
      </button>
    </header>
  );
}

// Where the user is, in the address: `?workflow=<id>&tab=<tab>&node=<id>&run=<id>`. A reload
// opens the same place, back and forward walk through the places visited, and a link can
// be shared (with the server's token, which the page keeps in its session). Moving to
// another workflow, tab or run is a new history entry; choosing a node updates the entry.
import { useEffect } from 'react';
import { useUi, type Route, type WorkflowTab } from '../stores/ui-store.ts';

const TABS: readonly WorkflowTab[] = ['graph', 'runs', 'metrics', 'schedule'];

export interface Place {
  route: Route;
  selectedNodeId?: string;
  pinnedRunId?: string;
}

/** The place a query string names (unknown values fall back to the workflow's graph). */
export function placeOf(search: string): Place {
  const q = new URLSearchParams(search);
  const workflowId = q.get('workflow');
  if (!workflowId) return { route: { page: 'home' }, selectedNodeId: undefined, pinnedRunId: undefined };
  const tab = TABS.find((t) => t === q.get('tab')) ?? 'graph';
  return { route: { page: 'workflow', workflowId, tab }, selectedNodeId: q.get('node') ?? undefined, pinnedRunId: q.get('run') ?? undefined };
}

/** The query string of a place; other parameters of `current` (none today) are kept. */
export function searchOf(p: Place, current = ''): string {
  const q = new URLSearchParams(current);
  for (const k of ['workflow', 'tab', 'node', 'run', 'token']) q.delete(k);
  if (p.route.page === 'workflow') {
    q.set('workflow', p.route.workflowId);
    q.set('tab', p.route.tab);
    if (p.selectedNodeId) q.set('node', p.selectedNodeId);
    if (p.pinnedRunId) q.set('run', p.pinnedRunId);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const routeKey = (p: Place) => (p.route.page === 'home' ? 'home' : `${p.route.workflowId}|${p.route.tab}|${p.pinnedRunId ?? ''}`);

/** Keeps the address and the UI's place in step, both ways. */
export function useUrlSync(): void {
  useEffect(() => {
    let applying = false;
    const apply = () => {
      applying = true;
      useUi.setState(placeOf(location.search));
      applying = false;
    };
    apply();
    // the first entry names the place as opened (e.g. `?workflow=` from the server)
    history.replaceState(history.state, '', location.pathname + searchOf(useUi.getState(), location.search) + location.hash);
    const off = useUi.subscribe((s, prev) => {
      if (applying || (s.route === prev.route && s.selectedNodeId === prev.selectedNodeId && s.pinnedRunId === prev.pinnedRunId)) return;
      const url = location.pathname + searchOf(s, location.search) + location.hash;
      if (url === location.pathname + location.search + location.hash) return;
      if (routeKey(s) !== routeKey(prev)) history.pushState(null, '', url);
      else history.replaceState(history.state, '', url);
    });
    window.addEventListener('popstate', apply);
    return () => {
      off();
      window.removeEventListener('popstate', apply);
    };
  }, []);
}

// Whether the Connections screen is showing. It is app-wide (not a workflow's tab), so it
// sits over whatever page was open and closes as soon as the user goes anywhere else.
import { create } from 'zustand';
import { useUi } from '../../stores/ui-store.ts';

interface ConnectionsScreen {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useConnectionsScreen = create<ConnectionsScreen>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

// opening a workflow or the home page (top bar, shortcuts, a link) leaves the screen
useUi.subscribe((s, prev) => {
  if (s.route !== prev.route) useConnectionsScreen.getState().hide();
});

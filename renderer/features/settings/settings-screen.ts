// Whether the Settings screen is showing. App-wide like Connections: it sits over the page
// that was open and closes as soon as the user goes anywhere else.
import { create } from 'zustand';
import { useUi } from '../../stores/ui-store.ts';
import { useConnectionsScreen } from '../connections/connections-screen.ts';

interface SettingsScreen {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useSettingsScreen = create<SettingsScreen>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

useUi.subscribe((s, prev) => {
  if (s.route !== prev.route) useSettingsScreen.getState().hide();
});

// one overlay at a time: opening Connections closes Settings
useConnectionsScreen.subscribe((s) => {
  if (s.open) useSettingsScreen.getState().hide();
});

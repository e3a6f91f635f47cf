// Whether the Engines screen is showing. Like Connections it is app-wide and sits over
// the page that was open; one overlay at a time (Connections, Settings, Engines).
import { create } from 'zustand';
import { useUi } from '../../stores/ui-store.ts';
import { useConnectionsScreen } from '../connections/connections-screen.ts';
import { useSettingsScreen } from '../settings/settings-screen.ts';

interface EnginesScreen {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useEnginesScreen = create<EnginesScreen>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

// going anywhere else (a workflow, the home page) leaves the screen
useUi.subscribe((s, prev) => {
  if (s.route !== prev.route) useEnginesScreen.getState().hide();
});

// one overlay at a time: opening another screen closes Engines, opening Engines closes them
useConnectionsScreen.subscribe((s) => {
  if (s.open) useEnginesScreen.getState().hide();
});
useSettingsScreen.subscribe((s) => {
  if (s.open) useEnginesScreen.getState().hide();
});
useEnginesScreen.subscribe((s) => {
  if (!s.open) return;
  useConnectionsScreen.getState().hide();
  useSettingsScreen.getState().hide();
});

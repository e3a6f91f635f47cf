// Whether the Monitor screen (what runs where, across all workflows) is showing. Like the
// other app-wide screens it sits over the open page, one at a time, and closes when the
// user goes anywhere else.
import { create } from 'zustand';
import { useUi } from '../../stores/ui-store.ts';
import { useConnectionsScreen } from '../connections/connections-screen.ts';
import { useEnginesScreen } from '../engines/engines-screen.ts';
import { useSettingsScreen } from '../settings/settings-screen.ts';

interface MonitorScreen {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useMonitorScreen = create<MonitorScreen>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

useUi.subscribe((s, prev) => {
  if (s.route !== prev.route) useMonitorScreen.getState().hide();
});
for (const other of [useConnectionsScreen, useSettingsScreen, useEnginesScreen]) {
  other.subscribe((s) => {
    if (s.open) useMonitorScreen.getState().hide();
  });
}
useMonitorScreen.subscribe((s) => {
  if (!s.open) return;
  useConnectionsScreen.getState().hide();
  useSettingsScreen.getState().hide();
  useEnginesScreen.getState().hide();
});

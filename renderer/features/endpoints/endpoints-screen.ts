// Whether the Endpoints screen is showing: app-wide like Connections, over whatever page
// was open, and closed as soon as the user goes anywhere else.
import { create } from 'zustand';
import { useUi } from '../../stores/ui-store.ts';
import { useConnectionsScreen } from '../connections/connections-screen.ts';
import { useEnginesScreen } from '../engines/engines-screen.ts';
import { useSettingsScreen } from '../settings/settings-screen.ts';
import { useMonitorScreen } from '../monitor/monitor-screen.ts';

interface EndpointsScreen {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useEndpointsScreen = create<EndpointsScreen>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

useUi.subscribe((s, prev) => {
  if (s.route !== prev.route) useEndpointsScreen.getState().hide();
});

// one overlay at a time: opening another screen closes Endpoints, opening Endpoints closes them
for (const other of [useConnectionsScreen, useSettingsScreen, useEnginesScreen, useMonitorScreen]) {
  other.subscribe((s) => {
    if (s.open) useEndpointsScreen.getState().hide();
  });
}
useEndpointsScreen.subscribe((s) => {
  if (!s.open) return;
  for (const other of [useConnectionsScreen, useSettingsScreen, useEnginesScreen, useMonitorScreen]) other.getState().hide();
});

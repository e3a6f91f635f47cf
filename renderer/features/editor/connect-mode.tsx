// Connecting two nodes from the keyboard: on a focused node, C starts a connection from it;
// Tab to the node that should read it and press Enter (or click it); Esc cancels. The line
// above the canvas says what is going on, and a refusal is explained as for a drag.
import { create } from 'zustand';
import { useGraph } from '../../stores/graph-store.ts';

interface ConnectMode {
  from?: string;
  start(id: string): void;
  stop(): void;
}

export const useConnectMode = create<ConnectMode>()((set) => ({
  start: (from) => set({ from }),
  stop: () => set({ from: undefined }),
}));

/** Handles the keys of connecting on the canvas; true when the key was used. */
export function connectKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, focusedNode: string | undefined, editable: boolean): boolean {
  const mode = useConnectMode.getState();
  if (mode.from && e.key === 'Escape') {
    mode.stop();
    return true;
  }
  if (!focusedNode || !editable || e.ctrlKey || e.metaKey || e.altKey) return false;
  if (mode.from && (e.key === 'Enter' || e.key === ' ')) {
    if (focusedNode !== mode.from) useGraph.getState().connect(mode.from, focusedNode);
    mode.stop();
    return true;
  }
  if (e.key === 'c' || e.key === 'C') {
    mode.start(focusedNode);
    return true;
  }
  return false;
}

export function ConnectModeStatus() {
  const from = useConnectMode((s) => s.from);
  const stop = useConnectMode((s) => s.stop);
  if (!from) return null;
  return (
    <div className="refusal connect-status alert" role="status" aria-label="Connecting">
      <span>
        Connecting from <strong className="mono">{from}</strong>: go to the node that should read it (Tab) and press Enter. Esc cancels.
      </span>
      <button className="btn ghost small" onClick={stop}>
        Cancel
      </button>
    </div>
  );
}

// Desktop notifications: the runner never imports electron, so it only emits; the
// desktop shell subscribes and shows them (Electron's Notification), the tray too.
import type { RunNotification } from './types.ts';

export type Unsubscribe = () => void;

export class DesktopNotifications {
  private listeners = new Set<(n: RunNotification) => void>();

  onNotification(listener: (n: RunNotification) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  emit(n: RunNotification): void {
    for (const l of [...this.listeners]) {
      try {
        l(n);
      } catch (e) {
        console.error('desktop notification listener failed:', e);
      }
    }
  }
}

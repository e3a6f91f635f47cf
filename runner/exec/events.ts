// The stream of run events. The executor emits; the store has already saved what an
// event reports by the time it is emitted; UIs, the CLI and tests subscribe.
import type { RunEvent } from '../api/types.ts';

export type Unsubscribe = () => void;

export class EventBus {
  private listeners = new Set<(e: RunEvent) => void>();

  on(listener: (e: RunEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: RunEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        // a broken subscriber must never break a run
        console.error('event listener failed:', err);
      }
    }
  }
}

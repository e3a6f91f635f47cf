// An OS notification when a run fails, above all for scheduled runs nobody is watching.
// Previews are left out: the user started them and is looking at the result.
import { Notification } from 'electron';
import type { ShellApi } from './shell-api.ts';

export function notifyRunFailures(api: ShellApi, onClick: () => void): () => void {
  const sub = api.events.onRun.subscribe(undefined, {
    onData(e) {
      if (e.type !== 'run_finished' || e.run.kind !== 'run' || e.run.status !== 'failed') return;
      if (!Notification.isSupported()) return;
      const n = new Notification({
        title: `Run failed: ${e.run.workflowName ?? 'workflow'}`,
        body: e.run.error ?? `Run ${e.run.id.slice(0, 8)} (${e.run.trigger}) failed. Open Aqueduct to see why.`,
      });
      n.on('click', onClick);
      n.show();
    },
    onError(err) {
      console.error('run event subscription failed:', err);
    },
  });
  return () => sub.unsubscribe();
}

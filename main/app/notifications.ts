// OS notifications for finished runs, above all scheduled runs nobody is watching. The
// runner's notifier decides which runs deserve one (each workflow's settings: on failure
// by default, on warning or success if asked) and emits them on the desktop channel; the
// shell only shows them. One path: the same settings drive email, Slack and this.
import { Notification } from 'electron';
import type { ShellApi } from './shell-api.ts';

export function showDesktopNotifications(api: ShellApi, onClick: () => void): () => void {
  const sub = api.schedules.notifications.onDesktop.subscribe(undefined, {
    onData(n) {
      if (!Notification.isSupported()) return;
      // the title names workflow, status and run; the body only what a glance needs
      const warnings = n.text.split('\n').filter((l) => l.startsWith('  - ')).map((l) => l.trim());
      const body = n.error ?? (warnings.length ? warnings.join('\n') : 'Click to open Aqueduct.');
      const shown = new Notification({ title: n.title, body });
      shown.on('click', onClick);
      shown.show();
    },
    onError(err) {
      console.error('desktop notification subscription failed:', err);
    },
  });
  return () => sub.unsubscribe();
}

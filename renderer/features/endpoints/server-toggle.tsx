// The desktop app serves endpoints on a port of their own only when asked: on or off,
// the port, and whether it is listening (or why not). `aqueduct serve` has no such
// switch: it serves them beside the UI.
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useUi } from '../../stores/ui-store.ts';

type Status = NonNullable<RouterOutputs['endpoints']['list']['server']>;

export function ServerToggle({ status, onChanged }: { status: Status; onChanged(): void }) {
  const [port, setPort] = useState(String(status.port));
  const notify = useUi((s) => s.notify);
  const apply = async (enabled: boolean) => {
    try {
      const s = await api.endpoints.setServer.mutate({ enabled, port: Number(port) || undefined });
      notify(s.error ? 'error' : 'info', s.error ?? (s.enabled ? `Endpoints are served at ${s.url}` : 'Endpoints are no longer served.'));
      onChanged();
    } catch (e) {
      notify('error', (e as Error).message);
    }
  };
  return (
    <section className="settings-card" aria-label="Serving endpoints">
      <label className="check-label">
        <input type="checkbox" checked={status.enabled} onChange={(e) => void apply(e.target.checked)} /> Serve endpoints from this app
      </label>
      <div className="open-folder-row">
        <label className="field">
          <span>Port</span>
          <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} onBlur={() => status.enabled && Number(port) !== status.port && void apply(true)} />
        </label>
      </div>
      <p className="muted small">
        {status.error ? <span className="field-error">{status.error}</span> : status.url ? `Listening at ${status.url} on ${status.host}` : `Off. When on, it listens on ${status.host}:${status.port}.`}
      </p>
    </section>
  );
}

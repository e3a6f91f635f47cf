// The email server notifications go through, one for the whole app. The password is
// write-only: an empty field keeps the stored one (while server and port stay the same:
// a saved password only goes to the server it was saved for), "Remove password" deletes
// it. The login goes over TLS only, unless the user allows plain text to a local server.
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useUi } from '../../stores/ui-store.ts';
import { fieldError } from './schedule-format.ts';

type Smtp = RouterOutputs['schedules']['notifications']['get']['smtp'];

export function SmtpForm({ smtp, onSaved }: { smtp: Smtp; onSaved(): void }) {
  const notify = useUi((s) => s.notify);
  const [host, setHost] = useState(smtp?.host ?? '');
  const [port, setPort] = useState(smtp ? String(smtp.port) : '');
  const [secure, setSecure] = useState(smtp?.secure ?? false);
  const [user, setUser] = useState(smtp?.user ?? '');
  const [password, setPassword] = useState('');
  const [from, setFrom] = useState(smtp?.from ?? '');
  const [allowPlainAuth, setAllowPlainAuth] = useState(smtp?.allowPlainAuth ?? false);
  const effectivePort = port.trim() || (secure ? '465' : '587');
  const moved = !!smtp?.hasPassword && (host.trim().toLowerCase() !== smtp.host.toLowerCase() || effectivePort !== String(smtp.port));
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [busy, setBusy] = useState(false);

  const save = async (removePassword = false) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.schedules.notifications.setSmtp.mutate({
        host, from, secure, user: user || undefined, allowPlainAuth,
        port: port.trim() ? Number(port) : undefined,
        password: removePassword ? null : password || undefined,
      });
      notify('info', 'Email server saved.');
      onSaved();
    } catch (e) {
      setError(fieldError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="smtp">
      <summary>
        Email server (SMTP), for the whole app{' '}
        <span className="muted">{smtp ? `· ${smtp.host}:${smtp.port}` : '· not set up'}</span>
      </summary>
      <form
        className="smtp-form"
        aria-label="Email server"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field-row">
          <div className="field grow">
            <label htmlFor="smtp-host">Server</label>
            <input id="smtp-host" type="text" value={host} placeholder="smtp.example.com" onChange={(e) => setHost(e.target.value)} />
          </div>
          <div className="field port-field">
            <label htmlFor="smtp-port">Port</label>
            <input id="smtp-port" type="number" className="num-input" value={port} placeholder={secure ? '465' : '587'} onChange={(e) => setPort(e.target.value)} />
          </div>
          <label className="check-label field-check">
            <input type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} /> TLS from the start
          </label>
        </div>
        <div className="field-row">
          <div className="field grow">
            <label htmlFor="smtp-user">User</label>
            <input id="smtp-user" type="text" autoComplete="off" value={user} onChange={(e) => setUser(e.target.value)} />
          </div>
          <div className="field grow">
            <label htmlFor="smtp-password">Password</label>
            <input id="smtp-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)}
              placeholder={moved ? 'enter it again' : smtp?.hasPassword ? 'Set (hidden). Type to replace' : ''}
              aria-describedby={moved ? 'smtp-password-help' : undefined} />
            {moved && <span className="field-help" id="smtp-password-help">The server changed: the saved password is only sent to the server it was saved for.</span>}
          </div>
          <div className="field grow">
            <label htmlFor="smtp-from">From</label>
            <input id="smtp-from" type="text" value={from} placeholder="Aqueduct <aqueduct@example.com>" onChange={(e) => setFrom(e.target.value)} />
          </div>
        </div>
        <label className="check-label">
          <input type="checkbox" checked={allowPlainAuth} onChange={(e) => setAllowPlainAuth(e.target.checked)} /> Send the login without TLS (only for a server on this machine)
        </label>
        {error && <p className="field-error" role="alert">{error.message}</p>}
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy || !host.trim() || !from.trim()}>Save email server</button>
          {smtp?.hasPassword && <button type="button" className="btn ghost" disabled={busy} onClick={() => void save(true)}>Remove password</button>}
        </div>
      </form>
    </details>
  );
}

// Add or edit one engine connection (Airflow URL and user, Ray address, Kubernetes
// context). Fields come from the runner's ENGINE_FIELDS, so the form and the CLI agree.
// Secrets are write-only: a saved one shows "saved — leave empty to keep".
import { useState } from 'react';
import { api, TRPCClientError } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import { ENGINE_LABEL, type EngineConnection, type EngineConnectionType, type EngineTypes } from './engine-types.ts';

const TYPES: EngineConnectionType[] = ['airflow', 'ray', 'kubernetes'];
const flag = (f: string) => `has${f[0]!.toUpperCase()}${f.slice(1)}`;

export function EngineConnectionForm({ fields, existing, onSaved, onCancel }: {
  fields: EngineTypes['fields'];
  existing?: EngineConnection;
  onSaved(c: EngineConnection): void;
  onCancel(): void;
}) {
  const [type, setType] = useState<EngineConnectionType>(existing?.type ?? 'airflow');
  const [name, setName] = useState(existing?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...(existing?.config ?? {}) }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fix?: string }>();
  const title = existing ? `Edit engine connection ${existing.name}` : 'New engine connection';

  const save = async () => {
    setBusy(true);
    setError(undefined);
    const settings = Object.fromEntries(Object.entries(values).filter(([k]) => fields[type].some((f) => f.name === k)));
    try {
      onSaved(existing
        ? await api.engines.connections.update.mutate({ name: existing.name, settings })
        : await api.engines.connections.create.mutate({ name, type, settings }));
    } catch (e) {
      setError({ message: (e as Error).message, fix: e instanceof TRPCClientError ? (e.data as { fix?: string } | undefined)?.fix : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="engines-form" aria-label={title} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3>{title}</h3>
      <div className="engines-fields">
        {!existing && (
          <label className="field">
            <span>Engine</span>
            <select value={type} onChange={(e) => { setType(e.target.value as EngineConnectionType); setValues({}); }}>
              {TYPES.map((t) => <option key={t} value={t}>{ENGINE_LABEL[t]}</option>)}
            </select>
          </label>
        )}
        {!existing && (
          <label className="field">
            <span>Name</span>
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. airflow-prod" spellCheck={false} />
          </label>
        )}
        {fields[type].map((f) => {
          const saved = existing?.secrets[flag(f.name)] === true;
          return (
            <label key={f.name} className="field">
              <span>{f.name}{f.required ? ' *' : ''}</span>
              <input
                type={f.secret ? 'password' : 'text'}
                value={values[f.name] ?? ''}
                placeholder={f.secret && saved ? 'saved — leave empty to keep' : ''}
                autoComplete={f.secret ? 'new-password' : 'off'}
                spellCheck={false}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
              <span className="field-help">{f.help}</span>
            </label>
          );
        })}
      </div>
      {error && (
        <div className="alert" role="alert">
          <strong>Not saved:</strong> {error.message}{error.fix && <span className="muted"> — {error.fix}</span>}
        </div>
      )}
      <div className="modal-actions">
        <button type="button" className="btn ghost" onClick={onCancel} disabled={busy}>Cancel</button>
        <button type="submit" className="btn primary" disabled={busy}>
          {busy && <Spinner label="Saving" delay={0} />} Save engine connection
        </button>
      </div>
    </form>
  );
}

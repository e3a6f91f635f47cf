// Create or edit one connection. The fields come from the runner's own type list, so a
// new kind of connection needs no UI change. Secrets are write-only: a saved one shows
// "saved — leave empty to keep" and is only replaced when the user types a new one, unless
// the form now points at another server (host, port, account, endpoint): a saved secret is
// only ever sent where it was saved for, so then it must be typed again.
// "Test connection" tries the values as typed, before anything is saved.
import { useState } from 'react';
import { api, TRPCClientError } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { ConnectionInfo, ConnectionTypeSpec, TestAnswer } from './connection-types.ts';
import { TestAnswerNote } from './test-answer.tsx';
import { TypeIcon } from './type-icon.tsx';

type Values = Record<string, string | boolean>;
type FieldSpec = ConnectionTypeSpec['fields'][number];

/** Secrets that are documents (a key file, a PEM), not one-line passwords. */
const MULTILINE = new Set(['credentials', 'privateKey']);

function initialValues(spec: ConnectionTypeSpec | undefined, existing?: ConnectionInfo): Values {
  const out: Values = {};
  for (const f of spec?.fields ?? []) {
    const saved = existing?.config[f.name];
    if (f.kind === 'boolean') out[f.name] = typeof saved === 'boolean' ? saved : f.default === true;
    else out[f.name] = f.kind === 'secret' || saved === undefined ? '' : String(saved);
  }
  return out;
}

/** The endpoint fields (where the secrets go) the form changed from the saved connection, as words. */
function movedEndpoint(spec: ConnectionTypeSpec | undefined, values: Values, existing?: ConnectionInfo): string | undefined {
  if (!spec || !existing) return undefined;
  const norm = (v: unknown, f: FieldSpec) => String(v === '' || v === undefined ? (f.default ?? '') : v).trim().toLowerCase();
  const moved = spec.fields.filter((f) => f.endpoint && norm(values[f.name], f) !== norm(existing.config[f.name], f));
  return moved.length ? moved.map((f) => f.label.toLowerCase()).join(' and ') : undefined;
}

export function errorOf(e: unknown): { message: string; fix?: string } {
  if (e instanceof TRPCClientError) return { message: e.message, fix: (e.data as { fix?: string } | undefined)?.fix ?? undefined };
  return { message: e instanceof Error ? e.message : String(e) };
}

export function ConnectionForm({ types, existing, onSaved, onCancel }: {
  types: readonly ConnectionTypeSpec[];
  existing?: ConnectionInfo;
  onSaved(info: ConnectionInfo): void;
  onCancel(): void;
}) {
  const [type, setType] = useState(existing?.type ?? '');
  const spec = types.find((t) => t.type === type);
  const [name, setName] = useState(existing?.name ?? '');
  const [values, setValues] = useState<Values>(() => initialValues(spec, existing));
  const [clear, setClear] = useState<string[]>([]);
  const [answer, setAnswer] = useState<TestAnswer>();
  const [error, setError] = useState<{ message: string; fix?: string }>();
  const [busy, setBusy] = useState<'test' | 'save'>();

  const chooseType = (t: string) => {
    setType(t);
    setValues(initialValues(types.find((x) => x.type === t)));
    setAnswer(undefined);
    setError(undefined);
  };
  const set = (field: string, v: string | boolean) => {
    setValues((old) => ({ ...old, [field]: v }));
    setAnswer(undefined);
  };
  const moved = movedEndpoint(spec, values, existing);
  const field = (f: FieldSpec) => (
    <Field key={f.name} f={f} value={values[f.name] ?? ''} onChange={(v) => set(f.name, v)} moved={moved}
      saved={existing?.secrets[`has${f.name[0]!.toUpperCase()}${f.name.slice(1)}`] === true}
      cleared={clear.includes(f.name)}
      onToggleClear={() => setClear((c) => (c.includes(f.name) ? c.filter((x) => x !== f.name) : [...c, f.name]))} />
  );
  const settings = () => Object.fromEntries((spec?.fields ?? []).map((f) => [f.name, values[f.name] ?? '']));

  const run = async (what: 'test' | 'save') => {
    setBusy(what);
    setError(undefined);
    try {
      if (what === 'test') {
        setAnswer(await api.connections.test.mutate({ name: existing?.name, type, settings: settings() }));
      } else if (existing) {
        onSaved(await api.connections.update.mutate({ name: existing.name, newName: name.trim(), settings: settings(), clear }));
      } else {
        onSaved(await api.connections.create.mutate({ name: name.trim(), type, settings: settings() }));
      }
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <form
      className="card conn-form"
      aria-label={existing ? `Edit connection ${existing.name}` : 'New connection'}
      onSubmit={(e) => {
        e.preventDefault();
        void run('save');
      }}
    >
      <div className="card-head">
        <h2>{existing ? `Edit ${existing.name}` : 'New connection'}</h2>
      </div>
      {existing ? (
        <p className="conn-type-fixed"><TypeIcon type={existing.type} /> {spec?.label ?? existing.type}</p>
      ) : (
        <fieldset className="conn-types">
          <legend>Type</legend>
          {types.map((t) => (
            <label key={t.type} className="conn-type-tile" data-checked={t.type === type}>
              <input type="radio" name="conn-type" value={t.type} checked={t.type === type} onChange={() => chooseType(t.type)} />
              <TypeIcon type={t.type} size={20} />
              <span>{t.label}</span>
            </label>
          ))}
        </fieldset>
      )}
      {!spec && <p className="muted">Choose the kind of database, warehouse or spreadsheet to connect to.</p>}
      {spec && (
        <>
          <div className="field">
            <label htmlFor="conn-name">Name</label>
            <input id="conn-name" type="text" className="mono" value={name} autoComplete="off" placeholder="warehouse" onChange={(e) => setName(e.target.value)} />
            <span className="field-help">Workflows refer to it by this name (connection: {name.trim() || 'warehouse'}).</span>
          </div>
          <div className="conn-fields">
            {spec.fields.filter((f) => f.kind !== 'boolean').map(field)}
          </div>
          {spec.fields.some((f) => f.kind === 'boolean') && <div className="conn-checks">{spec.fields.filter((f) => f.kind === 'boolean').map(field)}</div>}
          {answer && <TestAnswerNote answer={answer} />}
          {error && (
            <div className="alert" role="alert">
              <strong>{existing ? 'Not saved:' : 'Not created:'}</strong> {error.message}
              {error.fix && <div className="muted">Fix: {error.fix}</div>}
            </div>
          )}
        </>
      )}
      <div className="form-actions">
        <button type="button" className="btn" disabled={!spec || !!busy} onClick={() => void run('test')}>
          {busy === 'test' && <Spinner label="Testing" delay={0} />} Test connection
        </button>
        <div className="spacer" />
        <button type="button" className="btn ghost" onClick={onCancel}>Cancel</button>
        <button type="submit" className="btn primary" disabled={!spec || !name.trim() || !!busy}>
          {busy === 'save' && <Spinner label="Saving" delay={0} />} {existing ? 'Save changes' : 'Save connection'}
        </button>
      </div>
    </form>
  );
}

function Field({ f, value, onChange, moved, saved, cleared, onToggleClear }: {
  f: FieldSpec;
  value: string | boolean;
  onChange(v: string | boolean): void;
  /** the endpoint fields changed from the saved connection, if any: saved secrets must be typed again */
  moved?: string;
  saved: boolean;
  cleared: boolean;
  onToggleClear(): void;
}) {
  const id = `conn-field-${f.name}`;
  if (f.kind === 'boolean') {
    return (
      <label className="check-label">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {f.label}
      </label>
    );
  }
  const mustRetype = f.kind === 'secret' && saved && !cleared && moved !== undefined;
  const help = mustRetype
    ? `The ${moved} changed: a saved ${f.label.toLowerCase()} is only sent to the server it was saved for. Enter it again, or remove it.`
    : f.kind === 'secret' && saved ? (cleared ? 'Will be removed when you save.' : 'Saved, sealed on this machine.') : f.help;
  const placeholder = f.kind === 'secret' ? (mustRetype ? 'enter it again' : saved && !cleared ? 'saved — leave empty to keep' : '') : f.default !== undefined ? String(f.default) : '';
  const common = { id, value: String(value), placeholder, 'aria-describedby': help ? `${id}-help` : undefined, onChange: (e: { target: { value: string } }) => onChange(e.target.value) };
  return (
    <div className={`field${MULTILINE.has(f.name) || f.name === 'connectionString' ? ' wide' : ''}`}>
      <label htmlFor={id}>
        {f.label}
        {f.required && <span className="muted"> (required)</span>}
      </label>
      {f.kind === 'secret' && MULTILINE.has(f.name) ? (
        <textarea {...common} rows={3} className="mono" spellCheck={false} disabled={cleared} />
      ) : f.kind === 'secret' ? (
        <input {...common} type="password" autoComplete="new-password" disabled={cleared} />
      ) : (
        <input {...common} type={f.kind === 'number' ? 'number' : 'text'} className={f.kind === 'number' ? 'num-input' : undefined} autoComplete="off" />
      )}
      {(help || (f.kind === 'secret' && saved)) && (
        <span className="field-help" id={`${id}-help`}>
          {help}
          {f.kind === 'secret' && saved && (
            <button type="button" className="btn small ghost conn-clear" aria-label={cleared ? `Keep the saved ${f.label}` : `Remove the saved ${f.label}`} onClick={onToggleClear}>
              {cleared ? 'Keep' : 'Remove'}
            </button>
          )}
        </span>
      )}
    </div>
  );
}

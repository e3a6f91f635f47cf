// Workflow settings → Packages: the packages the workflow's Python nodes need
// (requirements.txt; pandas and pyarrow come with every environment), each with the
// version the lock pins, added and removed here; whether the app-owned environment is
// built (and building it); or, instead, an interpreter of the user's own.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { TrashIcon } from '../../components/editor-icons.tsx';
import { PlusIcon } from '../../components/icons.tsx';
import { BuildLog } from './build-log.tsx';
import { BuildProgress } from './build-progress.tsx';
import { useEnvironment, type EnvStatus } from './use-environment.ts';
import './environments.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function PackagesPanel({ workflowId }: { workflowId: string }) {
  const env = useEnvironment(workflowId);
  const [draft, setDraft] = useState('');
  const [own, setOwn] = useState<string>();
  const [error, setError] = useState<{ field?: string; text: string }>();
  const [busy, setBusy] = useState(false);
  const s = env.data;
  if (!s) return null;

  const act = async (f: () => Promise<unknown>, field?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await f();
      env.reload();
      return true;
    } catch (e) {
      setError({ field, text: message(e) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async () => {
    if (await act(() => api.environments.addPackage.mutate({ workflowId, requirement: draft }), 'requirement')) setDraft('');
  };

  return (
    <div className="field packages" role="group" aria-labelledby="packages-label">
      <span id="packages-label">Packages</span>
      <div className="env-mode" role="radiogroup" aria-label="Python for this workflow">
        <label>
          <input type="radio" name="env-mode" checked={s.mode === 'app'} onChange={() => void act(() => api.environments.setMode.mutate({ workflowId, mode: 'app' }))} />
          An environment the app builds from these packages (recommended)
        </label>
        <label>
          <input type="radio" name="env-mode" checked={s.mode === 'interpreter'} onChange={() => void act(() => api.environments.setMode.mutate({ workflowId, mode: 'interpreter' }))} />
          A Python of my own, with the packages installed by me
        </label>
      </div>
      {s.mode === 'app' ? (
        <AppEnvironment workflowId={workflowId} s={s} env={env} busy={busy} />
      ) : (
        <form
          className="env-add"
          aria-label="Own interpreter"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => api.environments.setMode.mutate({ workflowId, mode: 'interpreter', interpreter: (own ?? s.ownInterpreter ?? '').trim() || undefined }), 'interpreter');
          }}
        >
          <input
            type="text"
            className="mono"
            aria-label="Interpreter for this workflow"
            placeholder={`${s.interpreter} (Settings → Python)`}
            value={own ?? s.ownInterpreter ?? ''}
            onChange={(e) => setOwn(e.target.value)}
          />
          <button type="submit" className="btn small" disabled={busy}>Use it</button>
        </form>
      )}
      {s.mode === 'interpreter' && s.check && (
        <p className={s.check.ok ? 'muted small' : 'field-error'}>{s.check.ok ? `Python ${s.check.version} with pandas and pyarrow.` : s.check.message}</p>
      )}
      {s.mode === 'app' && (
        <>
          {s.declared.length === 0 ? (
            <p className="muted">No packages of its own yet; pandas and pyarrow are always there.</p>
          ) : (
            <table className="settings-table packages-table" aria-label="Packages">
              <thead>
                <tr>
                  <th scope="col">Package</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Locked</th>
                  <th scope="col"><span className="sr-only">Remove</span></th>
                </tr>
              </thead>
              <tbody>
                {s.declared.map((d) => (
                  <tr key={d.name}>
                    <td className="mono">{d.name}</td>
                    <td className="mono">{d.spec || 'any'}</td>
                    <td className="mono" aria-label={`Locked version of ${d.name}`}>{d.locked ?? '–'}</td>
                    <td>
                      <button type="button" className="btn ghost small icon-btn" aria-label={`Remove package ${d.name}`} disabled={busy} onClick={() => void act(() => api.environments.removePackage.mutate({ workflowId, name: d.name }))}>
                        <TrashIcon />
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form
            className="env-add"
            aria-label="Add a package"
            onSubmit={(e) => {
              e.preventDefault();
              if (draft.trim()) void add();
            }}
          >
            <input
              type="text"
              className="mono"
              aria-label="Package to add"
              placeholder="e.g. tabulate or tabulate>=0.9"
              value={draft}
              spellCheck={false}
              onChange={(e) => setDraft(e.target.value)}
              aria-invalid={error?.field === 'requirement' ? true : undefined}
            />
            <button type="submit" className="btn small" disabled={busy || !draft.trim()}>
              <PlusIcon /> Add package
            </button>
          </form>
        </>
      )}
      {error && <p className="field-error" role="alert">{error.text}</p>}
    </div>
  );
}

function AppEnvironment({ workflowId, s, env, busy }: { workflowId: string; s: EnvStatus; env: ReturnType<typeof useEnvironment>; busy: boolean }) {
  if (env.progress) return <BuildProgress workflowId={workflowId} progress={env.progress} lines={env.lines} />;
  const built = s.env?.state === 'ready';
  const state = built
    ? `Built: Python ${s.env?.pythonVersion}, ${s.lock?.packages.length ?? 0} packages locked (lock ${s.lock?.hash.slice(0, 12)}).`
    : s.lock && !s.lock.current
      ? 'The packages changed since they were locked: the next build locks them again.'
      : 'Not built yet: the next run builds it, or build it now.';
  return (
    <>
      <div className="env-status">
        <span className="muted small" aria-label="Environment state">{state}</span>
        {!built && (
          <button type="button" className="btn small" disabled={busy} onClick={() => void api.environments.build.mutate({ workflowId }).then(() => env.reload())}>
            Build now
          </button>
        )}
      </div>
      {s.error && <p className="field-error">{s.error}</p>}
      <BuildLog workflowId={workflowId} />
    </>
  );
}

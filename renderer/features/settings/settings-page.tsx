// App settings: which Python runs python nodes (tried by the runner before it is saved, so a
// bad path is reported here, inline), the Workflows folder new workflows go to, where the app
// keeps its data, and the theme (it follows the OS, so there is nothing to set).
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { LoadingBlock, Spinner } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';
import { useSettingsScreen } from './settings-screen.ts';
import { OwnerSettings } from './owner-settings.tsx';
import './settings.css';

export function SettingsPage() {
  const q = useQuery(() => api.settings.get.query(), []);
  const hide = useSettingsScreen((s) => s.hide);
  const notify = useUi((s) => s.notify);
  const [python, setPython] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const current = q.data;
  useEffect(() => {
    if (current) setPython(current.savedPython ?? current.python);
  }, [current]);
  const overridden = !!current && current.python !== (current.savedPython ?? current.python);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await api.settings.set.mutate({ python: python.trim() });
      setPython(next.savedPython ?? next.python);
      const used = next.savedPython ?? next.python;
      notify(
        'info',
        next.check && !next.check.ok
          ? `Saved: ${used}. ${next.check.message}. Workflows with packages of their own build an environment from it; others offer “Set up Python”.`
          : `Python nodes will run with ${used} from the next run on.`,
      );
      q.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page-scroll">
      <div className="home settings">
        <header className="home-head">
          <div>
            <h1>Settings</h1>
            <p className="muted">For this app on this machine.</p>
          </div>
          <button className="btn" onClick={hide}>Back</button>
        </header>
        {q.error && <ErrorNote title="Could not read the settings." message={q.error} action={<button className="btn small" onClick={q.reload}>Retry</button>} />}
        {!current && !q.error && <LoadingBlock label="Loading settings" />}
        {current && (
          <>
            <section className="settings-card" aria-labelledby="settings-python">
              <h2 id="settings-python">Python interpreter</h2>
              <p className="muted">
                Runs the Python nodes of workflows without an environment of their own, and is the Python the app builds environments from
                (Workflow settings → Packages). A new one is tried before it is saved and used from the next run on.
              </p>
              <form
                className="open-folder-row"
                aria-label="Python interpreter"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (python.trim()) void save();
                }}
              >
                <input
                  type="text"
                  aria-label="Path of the Python interpreter"
                  className="mono"
                  value={python}
                  spellCheck={false}
                  onChange={(e) => setPython(e.target.value)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? 'settings-python-error' : undefined}
                />
                <button type="submit" className="btn primary" disabled={busy || !python.trim()}>
                  {busy && <Spinner label="Trying it" delay={0} />} Save
                </button>
              </form>
              {error && (
                <p className="field-error" id="settings-python-error" role="alert">
                  {error}
                </p>
              )}
              <p className="muted small">
                In use: <span className="mono" aria-label="Interpreter in use">{current.python}</span>
                {overridden && ' (set by AQUEDUCT_PYTHON, which wins over the saved setting)'}
              </p>
            </section>
            <OwnerSettings owner={current.owner} onSaved={q.reload} />
            <WorkflowsFolderCard current={current.workflowsFolder} onSaved={q.reload} />
            <section className="settings-card" aria-labelledby="settings-home">
              <h2 id="settings-home">App data folder</h2>
              <p className="muted">Run history, outputs and saved connections live here; your workflow folders stay where they are.</p>
              <p className="mono" aria-label="Location of the app data folder">{current.home}</p>
              <p className="muted small">Python environments: <span className="mono">{current.environments}</span></p>
            </section>
            <section className="settings-card" aria-labelledby="settings-theme">
              <h2 id="settings-theme">Theme</h2>
              <p className="muted">Light or dark follows your operating system’s setting.</p>
            </section>
          </>
        )}
      </div>
    </div>
  );
}

function WorkflowsFolderCard({ current, onSaved }: { current: string; onSaved(): void }) {
  const notify = useUi((s) => s.notify);
  const [folder, setFolder] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => setFolder(current), [current]);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await api.settings.set.mutate({ workflowsFolder: folder.trim() });
      notify('info', `New workflows will be created in ${next.workflowsFolder}.`);
      onSaved();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="settings-card" aria-labelledby="settings-workflows">
      <h2 id="settings-workflows">Workflows folder</h2>
      <p className="muted">“New workflow” creates each workflow in a folder of its own here. Workflows you open elsewhere stay where they are.</p>
      <form
        className="open-folder-row"
        aria-label="Workflows folder"
        onSubmit={(e) => {
          e.preventDefault();
          if (folder.trim() && folder.trim() !== current) void save();
        }}
      >
        <input
          type="text"
          aria-label="Path of the Workflows folder"
          className="mono"
          value={folder}
          spellCheck={false}
          onChange={(e) => setFolder(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'settings-workflows-error' : undefined}
        />
        <button type="submit" className="btn primary" disabled={busy || !folder.trim() || folder.trim() === current}>
          {busy && <Spinner label="Saving" delay={0} />} Save
        </button>
      </form>
      {error && (
        <p className="field-error" id="settings-workflows-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

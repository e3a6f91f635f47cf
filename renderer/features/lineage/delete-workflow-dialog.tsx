// Removing a workflow from the app asks what to do with what it published: keep the
// tables and files (the default), or drop them. It lists them first, so the user sees
// exactly what "drop" would remove; a drop that fails keeps the workflow and says why.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { destinationLabel, type DropResult, type PublishedTarget } from './lineage-format.ts';
import './lineage.css';

export function DeleteWorkflowDialog({ workflow, onDone, onCancel }: {
  workflow: { id: string; name: string };
  /** the workflow is gone; `dropped` says which outputs were removed */
  onDone(dropped: DropResult[]): void;
  onCancel(): void;
}) {
  const targets = useQuery<PublishedTarget[]>(() => api.lineage.forWorkflow.query({ workflowId: workflow.id }), [workflow.id]);
  const [choice, setChoice] = useState<'keep' | 'drop'>('keep');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [failed, setFailed] = useState<DropResult[]>();
  const cancelRef = useRef<HTMLButtonElement>(null);
  // outputs only remote engines' run records name are shown elsewhere, never dropped from here
  const published = (targets.data ?? []).filter((t) => t.droppable);
  const remoteOnly = (targets.data ?? []).length - published.length;

  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onCancel]);

  const remove = async (dropPublished: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.lineage.deleteWorkflow.mutate({ id: workflow.id, dropPublished });
      if (r.deleted) onDone(r.dropped);
      else setFailed(r.dropped.filter((d) => d.error));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop">
      <div className="modal delete-wf" role="dialog" aria-modal="true" aria-labelledby="delete-wf-title" aria-describedby="delete-wf-what">
        <header className="modal-head">
          <h2 id="delete-wf-title">Remove {workflow.name}?</h2>
        </header>
        <p id="delete-wf-what">
          The workflow leaves the app’s list and its run history is forgotten. Its folder and files stay where they are.
        </p>
        {targets.error && <ErrorNote title="Could not read what it published." message={targets.error} />}
        {!targets.data && !targets.error && <Spinner label="Loading published outputs" />}
        {targets.data && published.length === 0 && remoteOnly === 0 && <p className="muted">It has published nothing, so nothing else is touched.</p>}
        {remoteOnly > 0 && (
          <p className="muted">
            {remoteOnly === 1 ? 'One output' : `${remoteOnly} outputs`} published by remote engines {remoteOnly === 1 ? 'stays' : 'stay'} as {remoteOnly === 1 ? 'it is' : 'they are'}: the app drops only what it published itself.
          </p>
        )}
        {published.length > 0 && (
          <>
            <p>It has published {published.length === 1 ? 'this output' : `these ${published.length} outputs`}:</p>
            <ul className="delete-wf-targets" aria-label="Published outputs">
              {published.map((t) => (
                <li key={`${t.destination}|${t.connection ?? ''}|${t.target}`}>
                  <span className="mono">{t.target}</span>
                  <span className="muted">{destinationLabel(t.destination, t.connection)} · {t.rows} rows</span>
                </li>
              ))}
            </ul>
            <fieldset className="delete-wf-choice" disabled={busy}>
              <legend>What should happen to them?</legend>
              <label className="check-label">
                <input type="radio" name="outputs" value="keep" checked={choice === 'keep'} onChange={() => setChoice('keep')} />
                Keep them (tables and files stay as they are)
              </label>
              <label className="check-label">
                <input type="radio" name="outputs" value="drop" checked={choice === 'drop'} onChange={() => setChoice('drop')} />
                Drop them (delete those tables and files; this cannot be undone)
              </label>
            </fieldset>
          </>
        )}
        {failed && (
          <div className="alert" role="alert" aria-label="Drop failed">
            <strong>Not removed: some outputs could not be dropped.</strong>
            <ul>
              {failed.map((d) => <li key={d.target}><span className="mono">{d.target}</span>: {d.error}</li>)}
            </ul>
            <span className="muted">Fix it and try again, or remove the workflow and keep its outputs.</span>
          </div>
        )}
        {error && <ErrorNote title="Could not remove it:" message={error} />}
        <footer className="modal-actions">
          <button ref={cancelRef} className="btn ghost" disabled={busy} onClick={onCancel}>Cancel</button>
          {failed && <button className="btn" disabled={busy} onClick={() => void remove(false)}>Remove, keep outputs</button>}
          <button className="btn danger" disabled={busy || (!targets.data && !targets.error)} onClick={() => void remove(choice === 'drop' && published.length > 0)}>
            {busy && <Spinner label="Removing" delay={0} />}
            {choice === 'drop' && published.length > 0 ? 'Remove and drop outputs' : 'Remove workflow'}
          </button>
        </footer>
      </div>
    </div>
  );
}

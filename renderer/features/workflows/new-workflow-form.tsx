// "New workflow": a name, the folder it will live in (under the Workflows folder from
// Settings, named after the workflow, until the user types another), and what to start
// from: an empty canvas or a copy of the bundled example under the new name.
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import { fieldError } from '../schedules/schedule-format.ts';

export interface NewWorkflowDefaults {
  name?: string;
  folder?: string;
  example?: 'customer-churn';
}

export function NewWorkflowForm({ defaults, onCreated, onCancel }: { defaults?: NewWorkflowDefaults; onCreated(id: string): void; onCancel(): void }) {
  const [name, setName] = useState(defaults?.name ?? '');
  const [folder, setFolder] = useState(defaults?.folder ?? '');
  // the folder follows the name until the user types a folder of their own
  const [folderTyped, setFolderTyped] = useState(!!defaults?.folder);
  const [example, setExample] = useState<'' | 'customer-churn'>(defaults?.example ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string }>();

  useEffect(() => {
    if (folderTyped) return;
    let live = true;
    const t = setTimeout(() => {
      api.workflows.suggestFolder.query({ name: name.trim() || 'workflow' }).then(
        (r) => live && setFolder(r.folder),
        () => undefined,
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [name, folderTyped]);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const w = await api.workflows.create.mutate({ name: name.trim(), folder: folder.trim() || undefined, example: example || undefined });
      onCreated(w.id);
    } catch (e) {
      setError(fieldError(e));
    } finally {
      setBusy(false);
    }
  };
  const nameError = error && (error.field === 'name' || !error.field) ? error.message : undefined;
  const folderError = error?.field === 'folder' ? error.message : undefined;

  return (
    <form
      className="open-folder new-workflow"
      aria-label="New workflow"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) void create();
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <div className="new-workflow-grid">
        <label htmlFor="new-wf-name">Name</label>
        <div>
          <input
            id="new-wf-name"
            type="text"
            autoFocus
            placeholder="House prices"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'new-wf-name-error' : undefined}
          />
          {nameError && <p className="field-error" id="new-wf-name-error" role="alert">{nameError}</p>}
        </div>
        <label htmlFor="new-wf-folder">Folder</label>
        <div>
          <input
            id="new-wf-folder"
            type="text"
            className="mono"
            spellCheck={false}
            value={folder}
            onChange={(e) => {
              setFolder(e.target.value);
              setFolderTyped(true);
            }}
            aria-invalid={folderError ? true : undefined}
            aria-describedby={folderError ? 'new-wf-folder-error' : 'new-wf-folder-help'}
          />
          {folderError ? (
            <p className="field-error" id="new-wf-folder-error" role="alert">{folderError}</p>
          ) : (
            <p className="field-help" id="new-wf-folder-help">workflow.yaml, the node code and a data/ folder go here. The default place is set in Settings.</p>
          )}
        </div>
        <label htmlFor="new-wf-start">Start from</label>
        <select id="new-wf-start" value={example} onChange={(e) => setExample(e.target.value as '' | 'customer-churn')}>
          <option value="">An empty canvas</option>
          <option value="customer-churn">A copy of the customer churn example</option>
        </select>
      </div>
      <div className="open-folder-row form-actions">
        <button type="submit" className="btn primary" disabled={busy || !name.trim()}>
          {busy && <Spinner label="Creating" delay={0} />} Create
        </button>
        <button type="button" className="btn ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

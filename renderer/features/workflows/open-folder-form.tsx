// "Open folder…": a path typed by hand (a browser cannot show the OS folder picker for a
// server-side path); the desktop shell may later fill it from a native dialog.
import { useState } from 'react';
import { Spinner } from '../../components/spinner.tsx';

export function OpenFolderForm({ onOpen, onCancel }: { onOpen(folder: string): Promise<void>; onCancel(): void }) {
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  return (
    <form
      className="open-folder"
      aria-label="Open a workflow folder"
      onSubmit={(e) => {
        e.preventDefault();
        if (!folder.trim()) return;
        setBusy(true);
        setError(undefined);
        onOpen(folder.trim())
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
          .finally(() => setBusy(false));
      }}
    >
      <label htmlFor="open-folder-path">Folder that holds workflow.yaml</label>
      <div className="open-folder-row">
        <input
          id="open-folder-path"
          type="text"
          autoFocus
          placeholder="/home/me/projects/churn"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'open-folder-error' : undefined}
          spellCheck={false}
        />
        <button type="submit" className="btn primary" disabled={busy || !folder.trim()}>
          {busy && <Spinner label="Opening" delay={0} />} Open
        </button>
        <button type="button" className="btn ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="field-error" id="open-folder-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

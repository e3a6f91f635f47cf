// "Open folder…": a path typed by hand (a browser cannot show the OS folder picker for a
// server-side path). A folder without a workflow.yaml (an empty one, or one holding only
// data) is offered as the home of a new workflow, in one click.
import { useState } from 'react';
import { TRPCClientError } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';

function offerOf(e: unknown): 'create' | undefined {
  return e instanceof TRPCClientError ? ((e.data as { offer?: 'create' } | undefined)?.offer ?? undefined) : undefined;
}

const baseName = (p: string) => p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
/** "house-prices_v2" → "House prices v2": a name to start from. */
const nameFromFolder = (p: string) => {
  const words = baseName(p).replace(/[-_.]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : '';
};

export function OpenFolderForm({
  onOpen,
  onCreateHere,
  onCancel,
}: {
  onOpen(folder: string): Promise<void>;
  onCreateHere(folder: string, name: string): Promise<void>;
  onCancel(): void;
}) {
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [offer, setOffer] = useState<{ folder: string; name: string }>();

  const attempt = (work: Promise<void>) => {
    setBusy(true);
    setError(undefined);
    work
      .catch((err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        return err;
      })
      .finally(() => setBusy(false));
    return work;
  };

  return (
    <form
      className="open-folder"
      aria-label="Open a workflow folder"
      onSubmit={(e) => {
        e.preventDefault();
        if (!folder.trim()) return;
        const f = folder.trim();
        setOffer(undefined);
        attempt(onOpen(f)).catch((err: unknown) => {
          if (offerOf(err) === 'create') setOffer({ folder: f, name: nameFromFolder(f) });
        });
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
      {offer && (
        <div className="open-folder-offer" role="group" aria-label="Create a workflow in this folder">
          <span>Start a new workflow in this folder instead?</span>
          <label htmlFor="open-folder-new-name">Name</label>
          <input id="open-folder-new-name" type="text" value={offer.name} onChange={(e) => setOffer({ ...offer, name: e.target.value })} />
          <button
            type="button"
            className="btn"
            disabled={busy || !offer.name.trim()}
            onClick={() => void attempt(onCreateHere(offer.folder, offer.name.trim())).catch(() => undefined)}
          >
            Create workflow here
          </button>
        </div>
      )}
    </form>
  );
}

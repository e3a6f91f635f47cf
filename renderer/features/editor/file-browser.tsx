// A file browser rooted at the workflow folder, for choosing a source's file in a browser
// (which cannot show the server's own file dialog). Folders open in place; choosing a
// file gives its path relative to the workflow folder, the way workflow.yaml names it.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { CloseIcon, FolderIcon } from '../../components/icons.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { formatBytes } from '../schedules/schedule-format.ts';

export function FileBrowser({ workflowId, onChoose, onClose }: { workflowId: string; onChoose(path: string): void; onClose(): void }) {
  const [dir, setDir] = useState('data');
  const q = useQuery(() => api.files.list.query({ workflowId, dir }).catch((e: unknown) => (dir ? api.files.list.query({ workflowId, dir: '' }) : Promise.reject(e))), [workflowId, dir]);
  const listing = q.data;
  const parts = listing?.dir ? listing.dir.split('/') : [];

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal file-browser"
        role="dialog"
        aria-modal="true"
        aria-label="Choose a file in the workflow folder"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <header className="modal-head">
          <h2>Choose a file</h2>
          <div className="spacer" />
          <button className="btn ghost small icon-btn" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        <nav className="file-crumbs" aria-label="Folder">
          <button className="btn ghost small" onClick={() => setDir('')}>
            {listing?.root.split(/[\\/]/).pop() ?? 'workflow folder'}
          </button>
          {parts.map((p, i) => (
            <span key={i}>
              /{' '}
              <button className="btn ghost small" onClick={() => setDir(parts.slice(0, i + 1).join('/'))}>
                {p}
              </button>
            </span>
          ))}
        </nav>
        {q.error && <p className="field-error" role="alert">{q.error}</p>}
        {!listing && !q.error && <Spinner label="Reading the folder" />}
        {listing && (
          <ul className="file-list" aria-label={`Files in ${listing.dir || 'the workflow folder'}`}>
            {listing.dir && (
              <li>
                <button className="file-entry" onClick={() => setDir(parts.slice(0, -1).join('/'))}>
                  <FolderIcon /> ..
                </button>
              </li>
            )}
            {listing.entries.map((e) => (
              <li key={e.path}>
                <button
                  className="file-entry"
                  aria-label={e.kind === 'folder' ? `Folder ${e.name}` : e.name}
                  onClick={() => (e.kind === 'folder' ? setDir(e.path) : onChoose(e.path))}
                >
                  {e.kind === 'folder' ? <FolderIcon /> : <span className="file-icon" aria-hidden="true" />}
                  <span className="mono">{e.name}</span>
                  {e.bytes !== undefined && <span className="muted">{formatBytes(e.bytes)}</span>}
                </button>
              </li>
            ))}
            {listing.entries.length === 0 && <li className="muted file-empty">This folder is empty. Upload a file to add it to data/.</li>}
          </ul>
        )}
      </div>
    </div>
  );
}

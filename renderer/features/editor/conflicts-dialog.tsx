// Asks which side to keep when the files changed on disk where this window has unsaved
// edits to the same node's code (or the same setting). Both versions are shown side by
// side; until the user chooses, the unsaved version stays in the editor.
import { useGraph } from '../../stores/graph-store.ts';
import type { Conflict } from '../../stores/graph-merge.ts';

function sideText(c: Conflict, side: 'ours' | 'theirs'): string {
  if (c.part === 'code') return c[side].code;
  return c.fields.map((f) => `${f}: ${JSON.stringify(c[side][f] ?? null, null, 2)}`).join('\n');
}

export function ConflictsDialog() {
  const conflicts = useGraph((s) => s.conflicts);
  const resolve = useGraph((s) => s.resolve);
  const c = conflicts[0];
  if (!c) return null;
  const what = c.part === 'code' ? `the code of ${c.nodeId}` : `${c.fields.join(', ')} of ${c.nodeId}`;

  return (
    <div className="modal-backdrop">
      <div className="modal conflict" role="dialog" aria-modal="true" aria-label="Resolve conflicting edits" aria-describedby="conflict-what">
        <header className="modal-head">
          <h2>Changed in two places</h2>
          {conflicts.length > 1 && <span className="muted">1 of {conflicts.length}</span>}
        </header>
        <p id="conflict-what">
          {what[0]!.toUpperCase() + what.slice(1)} was changed in another editor while you had unsaved changes to it here. Which one should the workflow
          keep?
        </p>
        <div className="conflict-sides">
          <section aria-label="Your unsaved version">
            <h3>Your unsaved version</h3>
            <pre className="conflict-code">{sideText(c, 'ours')}</pre>
          </section>
          <section aria-label="Version in the file">
            <h3>Version in the file</h3>
            <pre className="conflict-code">{sideText(c, 'theirs')}</pre>
          </section>
        </div>
        <footer className="modal-actions">
          <button className="btn" onClick={() => resolve(0, 'theirs')}>
            Keep the file’s version
          </button>
          <button className="btn primary" autoFocus onClick={() => resolve(0, 'ours')}>
            Keep mine
          </button>
        </footer>
      </div>
    </div>
  );
}

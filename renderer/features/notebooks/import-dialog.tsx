// "Import notebook…": choose a .ipynb (uploaded, or a path on the machine the app runs on),
// see its cells with the suggested places where nodes begin, mark others, read what could
// not be mapped, and import: the workflow folder is written, registered and opened.
import { useEffect, useRef, useState } from 'react';
import { api } from '../../client/index.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { NotebookCellList } from './notebook-cell-list.tsx';
import { withoutOutputs, type ImportAnswer, type NotebookReview, type NotebookSource } from './notebook-types.ts';
import './notebooks.css';

export function NotebookImportDialog({ onImported, onCancel }: { onImported(answer: ImportAnswer): void; onCancel(): void }) {
  const [source, setSource] = useState<NotebookSource>();
  const [path, setPath] = useState('');
  const [baseDir, setBaseDir] = useState('');
  const [review, setReview] = useState<NotebookReview>();
  const [starts, setStarts] = useState<number[]>([]);
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState<'reading' | 'importing'>();
  const [error, setError] = useState<string>();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(0);

  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onCancel]);

  const analyze = async (src: NotebookSource, marked?: number[]) => {
    const ask = ++asked.current;
    setBusy('reading');
    setError(undefined);
    try {
      const r = await api.notebooks.analyze.mutate({ ...src, starts: marked });
      if (ask !== asked.current) return; // a newer question is on its way
      setReview(r);
      setStarts(r.analysis.starts);
      if (!marked) setName(r.analysis.name ?? r.fileName.replace(/\.ipynb$/i, ''));
    } catch (e) {
      if (ask === asked.current) setError((e as Error).message);
    } finally {
      if (ask === asked.current) setBusy(undefined);
    }
  };

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const src: NotebookSource = { text: withoutOutputs(await file.text()), fileName: file.name, baseDir: baseDir.trim() || undefined };
    setSource(src);
    setReview(undefined);
    void analyze(src);
  };

  const openPath = () => {
    const src: NotebookSource = { path: path.trim(), baseDir: baseDir.trim() || undefined };
    setSource(src);
    setReview(undefined);
    void analyze(src);
  };

  const toggle = (index: number, begins: boolean) => {
    const next = begins ? [...starts, index].sort((a, b) => a - b) : starts.filter((s) => s !== index);
    setStarts(next);
    if (source) void analyze(source, next);
  };

  const useSuggestion = () => {
    if (!review || !source) return;
    setStarts(review.analysis.suggested);
    void analyze(source, review.analysis.suggested);
  };

  const doImport = async () => {
    if (!source || !review) return;
    setBusy('importing');
    setError(undefined);
    try {
      onImported(await api.notebooks.import.mutate({ ...source, starts, name: name.trim() || undefined, folder: folder.trim() || undefined }));
    } catch (e) {
      setError((e as Error).message);
      setBusy(undefined);
    }
  };

  const a = review?.analysis;
  const suggestionShown = a && a.suggested.join() === starts.join();
  const unplaced = a?.issues.filter((i) => i.cell === null) ?? [];
  return (
    <div className="modal-backdrop">
      <div className="modal nb-import" role="dialog" aria-modal="true" aria-labelledby="nb-import-title">
        <header className="modal-head">
          <h2 id="nb-import-title">Import a notebook</h2>
          {review && <span className="muted">{review.fileName}</span>}
        </header>
        <div className="nb-choose">
          <label className="field">
            <span>Notebook (.ipynb)</span>
            <input type="file" accept=".ipynb,application/x-ipynb+json" aria-label="Notebook file" disabled={!!busy} onChange={(e) => void choose(e.target.files?.[0])} />
          </label>
          <form className="field" onSubmit={(e) => { e.preventDefault(); if (path.trim()) openPath(); }}>
            <span>or its path on this machine</span>
            <span className="nb-path-row">
              <input type="text" value={path} placeholder="/home/me/analysis/churn.ipynb" spellCheck={false} disabled={!!busy} onChange={(e) => setPath(e.target.value)} />
              <button type="submit" className="btn" disabled={!!busy || !path.trim()}>Read</button>
            </span>
          </form>
          <label className="field wide">
            <span>Folder of the notebook (where the data files it reads are)</span>
            <input type="text" value={baseDir} placeholder="the notebook's own folder, when given by path" spellCheck={false} disabled={!!busy}
              onChange={(e) => setBaseDir(e.target.value)}
              onBlur={() => { if (source && (source.baseDir ?? '') !== baseDir.trim()) { const s = { ...source, baseDir: baseDir.trim() || undefined }; setSource(s); void analyze(s, starts); } }} />
          </label>
        </div>
        {error && <ErrorNote title="Could not import it:" message={error} />}
        {busy === 'reading' && !review && <Spinner label="Reading the notebook" delay={0} />}
        {review && a && (
          <div className="nb-review">
            <section className="nb-review-cells">
              <div className="nb-review-head">
                <strong>{a.exported ? 'Exported by Aqueduct: each node has its cell' : 'Mark the cells where nodes begin'}</strong>
                {!a.exported && (
                  <button className="btn small" disabled={!!busy || suggestionShown} onClick={useSuggestion}>Use the suggestion</button>
                )}
                {busy === 'reading' && <Spinner label="Updating" delay={150} />}
              </div>
              <NotebookCellList cells={review.cells} analysis={a} starts={starts} locked={a.exported || !!busy} onToggle={toggle} />
            </section>
            <aside className="nb-review-side">
              <h3>Nodes ({a.nodes.length})</h3>
              <ul className="nb-node-list" aria-label="Nodes to import">
                {a.nodes.map((n) => (
                  <li key={n.id}><span className="nb-node" data-kind={n.kind}>{n.id}</span> <span className="muted">{n.kind}{n.inputs.length ? ` ← ${n.inputs.join(', ')}` : ''}</span></li>
                ))}
              </ul>
              {a.requirements.length > 0 && <p className="muted">requirements.txt: {a.requirements.join(', ')}</p>}
              <h3>Not mapped ({a.issues.length})</h3>
              {a.issues.length === 0 ? <p className="muted">Everything maps to a node.</p> : (
                <ul className="nb-issues" aria-label="Not mapped">
                  {[...unplaced, ...a.issues.filter((i) => i.cell !== null)].map((i, n) => (
                    <li key={n}>{i.cell !== null && <strong>Cell {i.cell}: </strong>}{i.message}. <span className="muted">Fix: {i.fix}.</span></li>
                  ))}
                </ul>
              )}
              <label className="field">
                <span>Workflow name</span>
                <input type="text" value={name} onChange={(e) => setName(e.target.value)} disabled={!!busy} />
              </label>
              <label className="field">
                <span>Folder to create</span>
                <input type="text" value={folder} placeholder="the app's workflows folder" spellCheck={false} onChange={(e) => setFolder(e.target.value)} disabled={!!busy} />
              </label>
            </aside>
          </div>
        )}
        <footer className="modal-actions">
          <button ref={cancelRef} className="btn ghost" disabled={busy === 'importing'} onClick={onCancel}>Cancel</button>
          <button className="btn primary" disabled={!review || !!busy || !a?.nodes.length} onClick={() => void doImport()}>
            {busy === 'importing' && <Spinner label="Importing" delay={0} />} Import {a ? `${a.nodes.length} ${a.nodes.length === 1 ? 'node' : 'nodes'}` : ''}
          </button>
        </footer>
      </div>
    </div>
  );
}

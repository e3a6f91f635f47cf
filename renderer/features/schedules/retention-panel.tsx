// How many runs keep their output files. A schedule that runs every hour fills a disk, so
// only the last K runs keep their Parquet outputs; older runs keep their records (status,
// metrics, logs) and say "output deleted by retention".
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { useUi } from '../../stores/ui-store.ts';
import { fieldError, formatBytes } from './schedule-format.ts';

type Retention = RouterOutputs['schedules']['retention']['get'];

export function RetentionPanel({ workflowId, refresh }: { workflowId: string; refresh: unknown }) {
  const q = useQuery<Retention>(() => api.schedules.retention.get.query({ workflowId }), [workflowId, refresh]);
  return (
    <section className="card" aria-labelledby="retention-title">
      <header className="card-head">
        <div>
          <h2 id="retention-title">Keep outputs</h2>
          <p className="muted">Older runs keep their records; only their output files are deleted.</p>
        </div>
      </header>
      {q.error && <ErrorNote title="Could not load the retention setting." message={q.error} />}
      {q.data && <RetentionForm key={`${q.data.own}-${q.data.globalKeepRuns}`} workflowId={workflowId} data={q.data} onSaved={q.reload} />}
    </section>
  );
}

function RetentionForm({ workflowId, data, onSaved }: { workflowId: string; data: Retention; onSaved(): void }) {
  const notify = useUi((s) => s.notify);
  const [useGlobal, setUseGlobal] = useState(data.own === null);
  const [keep, setKeep] = useState(String(data.keepRuns));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const u = data.usage;
  const changed = useGlobal ? data.own !== null : String(data.own) !== keep;

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.schedules.retention.set.mutate({ workflowId, keepRuns: useGlobal ? null : Number(keep) });
      notify('info', r.deleted ? `Saved; deleted the output of ${r.deleted} older run(s), ${formatBytes(r.bytesFreed)} freed.` : 'Saved.');
      onSaved();
    } catch (e) {
      setError(fieldError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="retention-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="inline-form">
        <label htmlFor="keep-runs">Keep the output of the last</label>
        <input
          id="keep-runs"
          type="number"
          min={1}
          step={1}
          className="num-input"
          value={useGlobal ? String(data.globalKeepRuns) : keep}
          disabled={useGlobal}
          onChange={(e) => setKeep(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'keep-runs-error' : undefined}
        />
        <span className="muted">runs</span>
      </div>
      <label className="check-label">
        <input type="checkbox" checked={useGlobal} onChange={(e) => setUseGlobal(e.target.checked)} /> Use the app-wide setting ({data.globalKeepRuns} runs)
      </label>
      {error && <p className="field-error" id="keep-runs-error" role="alert">{error}</p>}
      <p className="usage" aria-label="Space used">
        {u && u.runs + u.previews > 0 ? (
          <>
            <strong>{formatBytes(u.bytes)}</strong> used by {counted(u.runsWithArtifacts, u.runs, 'run')}
            {u.previews > 0 ? ` and ${counted(u.previewsWithArtifacts, u.previews, 'preview')} (kept apart)` : ''}
            {u.runsDeleted > 0 ? `; outputs of ${u.runsDeleted} deleted by retention` : ''}
          </>
        ) : (
          'No runs yet.'
        )}
      </p>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={busy || !changed}>Save</button>
      </div>
    </form>
  );
}

/** "3 runs", or "3 of 5 runs" when some lost their output. */
function counted(kept: number, all: number, what: string): string {
  const noun = `${what}${all === 1 ? '' : 's'}`;
  return kept === all ? `${all} ${noun}` : `${kept} of ${all} ${noun}`;
}

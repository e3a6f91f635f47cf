// Chains between workflows: "run this one after that one succeeds", and the workflows this
// one starts in turn. The runner refuses a chain that would loop, naming the loop.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import type { WorkflowSummary } from '../../stores/api-types.ts';
import type { Cascade } from '../../../runner/schedule/types.ts';
import { fieldError } from './schedule-format.ts';

export function CascadesPanel({ workflowId }: { workflowId: string }) {
  const q = useQuery<[Cascade[], WorkflowSummary[]]>(
    () => Promise.all([api.schedules.cascades.list.query({ workflowId }), api.workflows.list.query()]),
    [workflowId],
  );
  const [upstream, setUpstream] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [cascades, workflows] = q.data ?? [[], []];
  const after = cascades.filter((c) => c.downstreamWorkflowId === workflowId);
  const then = cascades.filter((c) => c.upstreamWorkflowId === workflowId);
  const others = workflows.filter((w) => w.id !== workflowId && !after.some((c) => c.upstreamWorkflowId === w.id));

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      setUpstream('');
      q.reload();
    } catch (e) {
      setError(fieldError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="cascades-title">
      <header className="card-head">
        <div>
          <h2 id="cascades-title">Run after another workflow</h2>
          <p className="muted">Starts this workflow each time another one succeeds.</p>
        </div>
      </header>
      {q.error && <ErrorNote title="Could not load the chains." message={q.error} />}
      {after.length + then.length > 0 && (
        <ul className="chain-list" aria-label="Chains">
          {after.map((c) => (
            <li key={c.id}>
              <span>After <strong>{c.upstreamName ?? c.upstreamWorkflowId}</strong> succeeds, this workflow runs</span>
              <button className="btn small ghost" disabled={busy} aria-label={`Stop running after ${c.upstreamName ?? 'that workflow'}`} onClick={() => void run(() => api.schedules.cascades.remove.mutate({ id: c.id }))}>
                Remove
              </button>
            </li>
          ))}
          {then.map((c) => (
            <li key={c.id}>
              <span>When this workflow succeeds, <strong>{c.downstreamName ?? c.downstreamWorkflowId}</strong> runs</span>
              <button className="btn small ghost" disabled={busy} aria-label={`Stop starting ${c.downstreamName ?? 'that workflow'}`} onClick={() => void run(() => api.schedules.cascades.remove.mutate({ id: c.id }))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {q.data && others.length === 0 && after.length === 0 && (
        <p className="card-empty muted" role="note">There is no other workflow to chain this one to yet: open or create one on the home page.</p>
      )}
      {others.length > 0 && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (upstream) void run(() => api.schedules.cascades.add.mutate({ upstreamWorkflowId: upstream, downstreamWorkflowId: workflowId }));
          }}
        >
          <label htmlFor="cascade-upstream">Run this workflow after</label>
          <select id="cascade-upstream" value={upstream} onChange={(e) => setUpstream(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'cascade-error' : undefined}>
            <option value="">Choose a workflow…</option>
            {others.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
          </select>
          <button type="submit" className="btn" disabled={busy || !upstream}>Add</button>
        </form>
      )}
      {error && <p className="field-error" id="cascade-error" role="alert">{error}</p>}
    </section>
  );
}

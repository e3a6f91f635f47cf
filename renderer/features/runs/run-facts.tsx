// One run, answered at a glance: what ran (the version and its code), where (the engine),
// whether it worked (and if not, the node and its error), who owns it, and what it
// delivered to people. Shown under the run's row in the run history.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatDuration, shortHash } from '../../components/format.ts';
import type { RunDetail, WorkflowSummary } from '../../stores/api-types.ts';
import { EngineBadge } from '../engines/engine-badge.tsx';
import { DeliveryList } from '../reports/delivery-list.tsx';

export function OwnerLine({ workflow }: { workflow?: WorkflowSummary }) {
  if (!workflow?.owner) return <span className="muted">No owner: set your name and email in Settings, or owner: in workflow.yaml.</span>;
  const o = workflow.owner;
  return (
    <span>
      Owner <strong>{o.name}</strong> <span className="muted">&lt;{o.email}&gt;{workflow.ownerIsDefault ? ' (you, from Settings)' : ''}</span>
      {workflow.watchers?.length ? <span className="muted"> · watchers {workflow.watchers.join(', ')}</span> : null}
    </span>
  );
}

export function RunFacts({ runId, workflow, onOpenVersion }: { runId: string; workflow?: WorkflowSummary; onOpenVersion(): void }) {
  const q = useQuery<RunDetail>(() => api.runs.get.query({ runId }), [runId]);
  if (q.error) return <ErrorNote title="Could not load the run." message={q.error} />;
  if (!q.data) return <Spinner label="Loading the run" />;
  const r = q.data;
  const failed = r.nodes.find((n) => n.status === 'failed');
  const warned = r.nodes.filter((n) => n.status === 'warning');
  return (
    <dl className="run-facts" aria-label={`About run ${shortHash(r.id)}`}>
      <div>
        <dt>What ran</dt>
        <dd>
          version <span className="mono">{shortHash(r.versionHash)}</span> of {r.workflowName}, {r.nodes.length} nodes
          {Object.keys(r.params).length > 0 && <span className="muted"> · {Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(', ')}</span>}{' '}
          <button className="btn small ghost" onClick={onOpenVersion}>See its code on the graph</button>
        </dd>
      </div>
      <div>
        <dt>Where</dt>
        <dd>
          <EngineBadge engine={r.engine} /> <span className="muted">triggered by {r.trigger}</span>
        </dd>
      </div>
      <div>
        <dt>Did it work</dt>
        <dd>
          <StatusBadge status={r.status} /> <span className="muted">in {formatDuration(r.startedAt && r.finishedAt ? r.finishedAt - r.startedAt : undefined)}</span>
          {failed?.error && (
            <span className="run-facts-error">
              {' '}node <span className="mono">{failed.nodeId}</span> failed: {failed.error.message}
              {failed.error.fix && <span className="muted"> — {failed.error.fix}</span>}
            </span>
          )}
          {!failed && r.error && <span className="run-facts-error"> {r.error}</span>}
          {warned.map((n) => (
            <span key={n.nodeId} className="run-facts-warning">
              {' '}· <span className="mono">{n.nodeId}</span>: {n.error?.message ?? 'warning'}
            </span>
          ))}
        </dd>
      </div>
      <div>
        <dt>Who owns it</dt>
        <dd><OwnerLine workflow={workflow} /></dd>
      </div>
      <div>
        <dt>Delivered</dt>
        <dd><DeliveryList runId={r.id} /><span className="muted run-facts-none">{r.nodes.some((n) => n.kind === 'report') ? '' : 'no reports in this run'}</span></dd>
      </div>
    </dl>
  );
}

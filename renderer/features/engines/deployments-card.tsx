// The Engines screen's list of deployed workflows: where each went, the version deployed
// against the workflow's version on disk now ("out of date", with the diff of what
// changed), the last remote run, and redeploy / run now / undeploy. Run progress arrives
// as run events, so the last run follows on its own.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { formatAgo } from '../../components/format.ts';
import { StatusBadge } from '../../components/status.tsx';
import { LoadingBlock, Spinner } from '../../components/spinner.tsx';
import { useNow } from '../../components/use-now.ts';
import { useRuns } from '../../stores/runs-store.ts';
import { compareVersions, type VersionDoc } from '../compare/compare-diff.ts';
import { EngineBadge } from './engine-badge.tsx';
import '../compare/compare.css';
import type { Deployment } from './engine-types.ts';
import { NodeChangeSection } from '../compare/node-change-section.tsx';

const short = (hash: string) => hash.slice(0, 8);

export function DeploymentsCard() {
  // a run that starts or ends (remote ones too) moves "last run" on
  const tick = useRuns((s) => s.finishedTick);
  const q = useQuery<Deployment[]>(() => api.engines.deployments.list.query(), [tick]);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [diffOf, setDiffOf] = useState<string>();
  const now = useNow(true, 10_000);

  const act = async (key: string, work: () => Promise<unknown>) => {
    setBusy(key);
    setError(undefined);
    try {
      await work();
      q.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  const undeploy = (d: Deployment) => {
    if (!window.confirm(`Remove ${d.workflowName} from ${d.connection}? Its runs stay in the history.`)) return;
    void act(`undeploy ${d.id}`, () => api.engines.deployments.undeploy.mutate({ id: d.id }));
  };

  return (
    <section className="engines-card" aria-labelledby="deployments-title">
      <div className="engines-card-head">
        <h2 id="deployments-title">Deployed workflows</h2>
        <span className="muted">the version on each engine against the workflow on disk</span>
      </div>
      {q.error && <div className="engines-card-body"><ErrorNote title="Could not load the deployments." message={q.error} /></div>}
      {!q.data && !q.error && <LoadingBlock label="Loading deployments" />}
      {q.data?.length === 0 && <EmptyState title="Nothing deployed yet">Deploy a workflow to an engine connection (aqueduct engines deploy &lt;folder&gt; --to &lt;connection&gt;) and it shows here with its runs.</EmptyState>}
      {q.data && q.data.length > 0 && (
        <ul className="engines-rows" aria-label="Deployed workflows">
          {q.data.map((d) => (
            <li key={d.id} className="engines-row engines-deployment" aria-label={`Deployment of ${d.workflowName} to ${d.connection}`}>
              <div className="engines-row-main">
                <EngineBadge engine={d.engine} />
                <div className="engines-row-text">
                  <span className="engines-row-name">{d.workflowName} <span className="muted mono">→ {d.connection}{d.where && ` (${d.where})`}</span></span>
                  <span className="engines-row-sub" aria-label="Versions">
                    deployed <span className="mono">{short(d.deployedVersion)}</span> {formatAgo(d.deployedAt, now)} · local{' '}
                    {d.localVersion === undefined ? <span className="fail-text">does not load: {d.localProblem}</span>
                      : d.outOfDate ? <><span className="mono">{short(d.localVersion)}</span> <span className="change-tag change-changed" role="status">out of date</span></>
                        : <span className="engines-same">same version</span>}
                    {d.paused && ' · paused on the engine'}
                  </span>
                  <span className="engines-row-sub" aria-label="Last remote run">
                    {d.lastRun ? <>last run <StatusBadge status={d.lastRun.status} /> {formatAgo(d.lastRun.createdAt, now)}{d.lastRun.error && <span className="fail-text"> · {d.lastRun.error}</span>}</> : 'no run yet'}
                  </span>
                  {d.problem && <span className="fail-text" role="alert">Last deploy failed: {d.problem}</span>}
                </div>
              </div>
              <div className="engines-row-actions">
                {d.outOfDate && (
                  <button className="btn small ghost" aria-expanded={diffOf === d.id} onClick={() => setDiffOf(diffOf === d.id ? undefined : d.id)}>
                    {diffOf === d.id ? 'Hide changes' : 'Show changes'}
                  </button>
                )}
                <button className={`btn small${d.outOfDate ? ' primary' : ''}`} disabled={!!busy} onClick={() => void act(`deploy ${d.id}`, () => api.engines.deployments.deploy.mutate({ workflowId: d.workflowId, connection: d.connection }))}>
                  {busy === `deploy ${d.id}` && <Spinner label="Deploying" delay={0} />} Redeploy
                </button>
                <button className="btn small" disabled={!!busy} onClick={() => void act(`run ${d.id}`, () => api.engines.deployments.runNow.mutate({ id: d.id }))}>
                  {busy === `run ${d.id}` && <Spinner label="Starting" delay={0} />} Run now
                </button>
                <button className="btn small danger" disabled={!!busy} onClick={() => undeploy(d)}>Undeploy</button>
              </div>
              {diffOf === d.id && <VersionChanges id={d.id} />}
            </li>
          ))}
        </ul>
      )}
      {error && <div className="engines-card-body"><ErrorNote title="Error:" message={error} /></div>}
    </section>
  );
}

/** What changed from the deployed version to the local one, node by node. */
function VersionChanges({ id }: { id: string }) {
  const q = useQuery(() => api.engines.deployments.versions.query({ id }), [id]);
  if (q.error) return <ErrorNote title="Could not load the versions." message={q.error} />;
  if (!q.data) return <LoadingBlock label="Loading the versions" />;
  if (!q.data.local) return <p className="fail-text">{q.data.localProblem}</p>;
  const changed = compareVersions(q.data.deployed as VersionDoc, q.data.local as VersionDoc).filter((c) => c.change !== 'same');
  return (
    <div className="engines-deployment-diff" aria-label="Changes since the deployed version">
      {changed.length === 0 && <p className="muted">Only workflow settings (schedule, parameters, description) changed.</p>}
      {changed.map((c) => (
        <NodeChangeSection key={c.id} change={c} />
      ))}
    </div>
  );
}

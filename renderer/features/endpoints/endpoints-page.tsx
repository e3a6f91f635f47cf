// The Endpoints screen: the outputs served read-only at /api/v1/outputs/<workflow>/<output>
// (which, where, their newest version), the keys that read them (made here and shown
// once; listed; revoked), and, in the desktop app, whether and where they are served.
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { formatAgo, formatCount, shortHash } from '../../components/format.ts';
import { LoadingBlock } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';
import { EndpointKeysSection } from './endpoint-keys.tsx';
import { ServerToggle } from './server-toggle.tsx';
import './endpoints.css';

export type Overview = RouterOutputs['endpoints']['list'];

/** Where the endpoints answer: the desktop's own server, or this page's (aqueduct serve). */
export function baseUrl(o: Overview | undefined): string | undefined {
  if (o?.server) return o.server.url?.replace(/\/api\/v1\/$/, '');
  return typeof location !== 'undefined' && location.protocol.startsWith('http') ? location.origin : undefined;
}

export function EndpointsPage() {
  const q = useQuery(() => api.endpoints.list.query({}), []);
  const notify = useUi((s) => s.notify);
  const [busy, setBusy] = useState<string>();
  const base = baseUrl(q.data);
  const stop = async (o: Overview['outputs'][number]) => {
    setBusy(o.path);
    try {
      await api.endpoints.expose.mutate({ workflowId: o.workflowId, output: o.output, on: false });
      notify('info', `${o.output} of ${o.workflowName} is no longer served.`);
      q.reload();
    } catch (e) {
      notify('error', (e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="page-scroll">
      <div className="section endpoints-page">
        <header className="home-head">
          <div>
            <h1>Endpoints</h1>
            <p className="muted">
              Chosen outputs, read-only over HTTP as JSON, CSV or Parquet, for whoever holds an endpoint key. The app's own token never opens them, and
              their keys open nothing else.
            </p>
          </div>
        </header>
        {q.data?.server && <ServerToggle status={q.data.server} onChanged={q.reload} />}
        {q.error && <ErrorNote title="Could not load the endpoints." message={q.error} action={<button className="btn small" onClick={q.reload}>Retry</button>} />}
        {!q.data && !q.error && <LoadingBlock label="Loading endpoints" />}
        {q.data && (
          <section aria-labelledby="served-title">
            <h2 id="served-title">Served outputs</h2>
            {q.data.outputs.length === 0 ? (
              <EmptyState title="No outputs are served">
                Open a workflow, then Workflow settings → Endpoints, and tick the tables to serve (or <code>aqueduct endpoints expose &lt;folder&gt; &lt;node&gt;</code>).
              </EmptyState>
            ) : (
              <table className="list-table" aria-label="Served outputs">
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Workflow</th>
                    <th scope="col">Newest version</th>
                    <th scope="col">Rows</th>
                    <th scope="col"><span className="sr-only">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.outputs.map((o) => (
                    <tr key={o.path}>
                      <td className="mono endpoint-url">{base ? `${base}${o.path}` : o.path}</td>
                      <td>{o.workflowName}</td>
                      <td>{o.latest ? <span>run <span className="mono">{shortHash(o.latest.runId)}</span> <span className="muted">{formatAgo(o.latest.finishedAt)}</span></span> : <span className="muted">not run yet</span>}</td>
                      <td className="num">{o.latest ? formatCount(o.latest.rows) : '–'}</td>
                      <td>
                        <button className="btn small ghost" disabled={busy === o.path} aria-label={`Stop serving ${o.output} of ${o.workflowName}`} onClick={() => void stop(o)}>
                          Stop serving
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
        {q.data && <EndpointKeysSection outputs={q.data.outputs} base={base} />}
      </div>
    </div>
  );
}

// The Engines screen: where workflows are pushed (engine connections, secrets write-only),
// what is deployed where (deployments-card.tsx), and where remote runs come back from (results folders, synced on an interval by the
// process hosting the API, or now with "Sync now"). Reached from the top bar.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { formatAgo } from '../../components/format.ts';
import { PlusIcon } from '../../components/icons.tsx';
import { LoadingBlock, Spinner } from '../../components/spinner.tsx';
import { useNow } from '../../components/use-now.ts';
import { useRuns } from '../../stores/runs-store.ts';
import { EngineBadge } from './engine-badge.tsx';
import { DeploymentsCard } from './deployments-card.tsx';
import { EngineConnectionForm } from './engine-connection-form.tsx';
import type { EngineConnection, EngineTypes } from './engine-types.ts';
import './engines.css';

type Editing = { mode: 'new' } | { mode: 'edit'; name: string } | undefined;

export function EnginesPage() {
  const types = useQuery<EngineTypes>(() => api.engines.types.query(), []);
  const list = useQuery<EngineConnection[]>(() => api.engines.connections.list.query(), []);
  const [editing, setEditing] = useState<Editing>();
  const [answers, setAnswers] = useState<Record<string, { ok: boolean; message: string } | 'testing'>>({});

  const test = async (name: string) => {
    setAnswers((a) => ({ ...a, [name]: 'testing' }));
    try {
      const r = await api.engines.connections.test.mutate({ name });
      setAnswers((a) => ({ ...a, [name]: r }));
    } catch (e) {
      setAnswers((a) => ({ ...a, [name]: { ok: false, message: (e as Error).message } }));
    }
  };
  const remove = async (name: string) => {
    if (!window.confirm(`Delete the engine connection ${name}?`)) return;
    await api.engines.connections.delete.mutate({ name });
    list.reload();
  };
  const edited = editing?.mode === 'edit' ? list.data?.find((c) => c.name === editing.name) : undefined;

  return (
    <div className="page-scroll">
      <div className="section engines-page">
        <header className="home-head">
          <div>
            <h1>Engines</h1>
            <p className="muted">Remote engines your workflows are published to, and the folders their runs come back from into one history.</p>
          </div>
        </header>

        <section className="engines-card" aria-labelledby="engine-conns-title">
          <div className="engines-card-head">
            <h2 id="engine-conns-title">Engine connections</h2>
            <div className="spacer" />
            <button className="btn small" onClick={() => setEditing({ mode: 'new' })}><PlusIcon /> New engine connection</button>
          </div>
          {list.error && <div className="engines-card-body"><ErrorNote title="Could not load engine connections." message={list.error} /></div>}
          {!list.data && !list.error && <LoadingBlock label="Loading engine connections" />}
          {list.data?.length === 0 && !editing && (
            <EmptyState title="No engine connections yet">Add an Airflow webserver, a Ray cluster’s dashboard or a Kubernetes context to push workflows to.</EmptyState>
          )}
          {list.data && list.data.length > 0 && (
            <ul className="engines-rows" aria-label="Engine connections">
              {list.data.map((c) => {
                const answer = answers[c.name];
                const secrets = Object.entries(c.secrets).filter(([, v]) => v).map(([k]) => k.slice(3).toLowerCase());
                return (
                  <li key={c.id} className="engines-row" aria-label={`Engine connection ${c.name}`}>
                    <div className="engines-row-main">
                      <EngineBadge engine={c.type} />
                      <div className="engines-row-text">
                        <span className="engines-row-name mono">{c.name}</span>
                        <span className="engines-row-sub">{c.where || '—'}{secrets.length > 0 && ` · ${secrets.join(', ')} saved`}</span>
                        {answer === 'testing' && <Spinner label="Testing" delay={0} />}
                        {answer && answer !== 'testing' && (
                          <span className="engines-answer" role="status" aria-label="Test result" data-ok={answer.ok}>{answer.ok ? 'Connected: ' : 'Failed: '}{answer.message}</span>
                        )}
                      </div>
                    </div>
                    <div className="engines-row-actions">
                      <button className="btn small" onClick={() => void test(c.name)}>Test</button>
                      <button className="btn small" onClick={() => setEditing({ mode: 'edit', name: c.name })}>Edit</button>
                      <button className="btn small danger" onClick={() => void remove(c.name)}>Delete</button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          {editing && types.data && (editing.mode === 'new' || edited) && (
            <EngineConnectionForm
              key={editing.mode === 'edit' ? editing.name : 'new'}
              fields={types.data.fields}
              existing={edited}
              onCancel={() => setEditing(undefined)}
              onSaved={() => {
                setEditing(undefined);
                list.reload();
              }}
            />
          )}
        </section>

        <DeploymentsCard />

        <ResultsFolders />
      </div>
    </div>
  );
}

function ResultsFolders() {
  // a sync that brought runs (auto or not) bumps finishedTick: the last-sync times follow
  const tick = useRuns((s) => s.finishedTick);
  const q = useQuery(() => api.engines.resultsFolders.list.query(), [tick]);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [lastSync, setLastSync] = useState<string>();
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
  const sync = (folder?: string) => act(folder ?? 'all', async () => {
    const r = await api.engines.sync.mutate(folder ? { folder } : {});
    setLastSync(`${r.imported} imported, ${r.updated} updated, ${r.unchanged} unchanged${r.invalid.length ? `, ${r.invalid.length} invalid` : ''}`);
  });

  return (
    <section className="engines-card" aria-labelledby="results-title">
      <div className="engines-card-head">
        <h2 id="results-title">Results folders</h2>
        <span className="muted">{q.data?.intervalMs ? `synced every ${Math.round(q.data.intervalMs / 1000)} s` : 'synced on demand'}</span>
        <div className="spacer" />
        {lastSync && <span className="muted" role="status" aria-label="Sync result">{lastSync}</span>}
        <button className="btn small" disabled={!!busy || !q.data?.folders.length} onClick={() => void sync()}>
          {busy === 'all' && <Spinner label="Syncing" delay={0} />} Sync all
        </button>
      </div>
      {q.data && q.data.folders.length > 0 && (
        <ul className="engines-rows" aria-label="Results folders">
          {q.data.folders.map((f) => (
            <li key={f.path} className="engines-row" aria-label={`Results folder ${f.path}`}>
              <div className="engines-row-text">
                <span className="engines-row-name mono">{f.path}</span>
                <span className="engines-row-sub">
                  {f.lastSyncAt ? `last synced ${formatAgo(f.lastSyncAt, now)}` : 'not synced yet'}
                  {f.lastResult && ` · ${f.lastResult.imported} imported, ${f.lastResult.updated} updated, ${f.lastResult.unchanged} unchanged`}
                  {f.lastError && <span className="fail-text"> · {f.lastError}</span>}
                </span>
              </div>
              <div className="engines-row-actions">
                <button className="btn small" disabled={!!busy} onClick={() => void sync(f.path)} aria-label={`Sync now ${f.path}`}>
                  {busy === f.path && <Spinner label="Syncing" delay={0} />} Sync now
                </button>
                <button className="btn small ghost" disabled={!!busy} onClick={() => void act(`rm ${f.path}`, () => api.engines.resultsFolders.remove.mutate({ path: f.path }))}>Remove</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="engines-card-body">
        {q.error && <ErrorNote title="Could not load the results folders." message={q.error} />}
        <form className="engines-add-folder" aria-label="Add results folder" onSubmit={(e) => {
          e.preventDefault();
          void act('add', async () => {
            await api.engines.resultsFolders.add.mutate({ path: path.trim() });
            setPath('');
          });
        }}>
          <input type="text" aria-label="Results folder path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/shared/aqueduct-results (where engines write run records)" spellCheck={false} />
          <button type="submit" className="btn" disabled={!!busy || !path.trim()}>Add folder</button>
        </form>
        {error && <ErrorNote title="Error:" message={error} />}
      </div>
    </section>
  );
}

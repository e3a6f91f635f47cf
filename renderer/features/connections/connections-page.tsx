// The Connections screen: every saved connection with its type and last test on the
// left; on the right the one chosen (details, tables) or the form to add or edit one.
// Reached from the top bar; workflows refer to connections by name.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { PlusIcon } from '../../components/icons.tsx';
import { LoadingBlock } from '../../components/spinner.tsx';
import { ConnectionDetails } from './connection-details.tsx';
import { ConnectionForm } from './connection-form.tsx';
import { whereTo, type ConnectionInfo, type ConnectionTypeSpec } from './connection-types.ts';
import { LastTestBadge } from './test-answer.tsx';
import { TypeIcon } from './type-icon.tsx';
import './connections.css';

type Pane = { mode: 'view'; name: string } | { mode: 'new' } | { mode: 'edit'; name: string } | { mode: 'none' };

export function ConnectionsPage() {
  const list = useQuery<ConnectionInfo[]>(() => api.connections.list.query(), []);
  const types = useQuery<readonly ConnectionTypeSpec[]>(() => api.connections.types.query(), []);
  const [pane, setPane] = useState<Pane>({ mode: 'none' });
  const label = (type: string) => types.data?.find((t) => t.type === type)?.label ?? type;
  const shown = pane.mode === 'view' || pane.mode === 'edit' ? list.data?.find((c) => c.name === pane.name) : undefined;
  // nothing chosen: the first connection, so the screen is never half empty
  const current: Pane = pane.mode === 'none' && list.data?.[0] ? { mode: 'view', name: list.data[0].name } : pane;
  const viewed = current.mode === 'view' ? list.data?.find((c) => c.name === current.name) : shown;

  const saved = (info: ConnectionInfo) => {
    list.reload();
    setPane({ mode: 'view', name: info.name });
  };

  return (
    <div className="page-scroll">
      <div className="section conn-page">
        <header className="home-head">
          <div>
            <h1>Connections</h1>
            <p className="muted">Databases, warehouses and spreadsheets your workflows read from and publish to. Secrets are sealed on this machine.</p>
          </div>
          <button className="btn primary" onClick={() => setPane({ mode: 'new' })}>
            <PlusIcon /> New connection
          </button>
        </header>
        {list.error && <ErrorNote title="Could not load the connections." message={list.error} action={<button className="btn small" onClick={list.reload}>Retry</button>} />}
        {types.error && <ErrorNote title="Could not load the connection types." message={types.error} />}
        {!list.data && !list.error && <LoadingBlock label="Loading connections" />}
        {list.data && (
          <div className={list.data.length === 0 ? 'conn-layout single' : 'conn-layout'}>
            {list.data.length > 0 && (
              <nav className="conn-list-wrap" aria-label="Saved connections">
                <ul className="conn-list" aria-label="Connections">
                  {list.data.map((c) => (
                    <li key={c.id}>
                      <button
                        className="conn-row"
                        aria-current={viewed?.name === c.name && current.mode !== 'new' ? 'true' : undefined}
                        aria-label={`${c.name}, ${label(c.type)}, ${c.lastTest ? (c.lastTest.ok ? 'connected' : 'failed') : 'not tested'}`}
                        onClick={() => setPane({ mode: 'view', name: c.name })}
                      >
                        <TypeIcon type={c.type} />
                        <span className="conn-row-text">
                          <span className="conn-row-name mono">{c.name}</span>
                          <span className="conn-row-where">{label(c.type)} · {whereTo(c)}</span>
                        </span>
                        <LastTestBadge lastTest={c.lastTest} />
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            <div className="conn-pane">
              {current.mode === 'new' && types.data && (
                <ConnectionForm key="new" types={types.data} onSaved={saved} onCancel={() => setPane({ mode: 'none' })} />
              )}
              {current.mode === 'edit' && shown && types.data && (
                <ConnectionForm key={`edit-${shown.id}`} types={types.data} existing={shown} onSaved={saved} onCancel={() => setPane({ mode: 'view', name: shown.name })} />
              )}
              {current.mode === 'view' && viewed && (
                <ConnectionDetails
                  key={viewed.id}
                  info={viewed}
                  spec={types.data?.find((t) => t.type === viewed.type)}
                  onEdit={() => setPane({ mode: 'edit', name: viewed.name })}
                  onChanged={list.reload}
                  onDeleted={() => {
                    setPane({ mode: 'none' });
                    list.reload();
                  }}
                />
              )}
              {current.mode === 'none' && (
                <EmptyState title="No connections yet">
                  Choose “New connection” for a PostgreSQL or MySQL server, a SQLite or DuckDB file, Snowflake, BigQuery or Google Sheets;
                  fill it in and test it. Workflows then use it by name, e.g. <code>connection: warehouse</code> on a source or publish node.
                </EmptyState>
              )}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

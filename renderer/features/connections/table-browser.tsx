// Browse a saved connection: its tables and views on the left, the first rows of the one
// chosen on the right (values as the database printed them), so a user can check what a
// query source will read before writing it.
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';

type Table = RouterOutputs['connections']['tables'][number];
type Preview = RouterOutputs['connections']['preview'];

const qualified = (t: Table) => (t.schema ? `${t.schema}.${t.name}` : t.name);

export function TableBrowser({ connection }: { connection: string }) {
  const tables = useQuery<Table[]>(() => api.connections.tables.query({ name: connection }), [connection]);
  const [chosen, setChosen] = useState<string>();

  return (
    <section className="card conn-browser" aria-label="Tables">
      <div className="card-head">
        <div>
          <h2>Tables</h2>
          <p className="muted">What a query source on <span className="mono">{connection}</span> can read.</p>
        </div>
        <button className="btn small" onClick={tables.reload} disabled={tables.loading} aria-label="Reload the tables">Reload</button>
      </div>
      {tables.error && <ErrorNote title="Could not list the tables." message={tables.error} />}
      {!tables.data && !tables.error && <Spinner label="Loading tables" />}
      {tables.data && tables.data.length === 0 && (
        <EmptyState title="No tables here yet">The database is empty (or the user may not see its tables). A publish node through this connection creates one.</EmptyState>
      )}
      {tables.data && tables.data.length > 0 && (
        <div className="conn-browser-split">
          <ul className="conn-tables" aria-label="Tables and views">
            {tables.data.map((t) => {
              const q = qualified(t);
              return (
                <li key={q}>
                  <button className="conn-table" aria-pressed={chosen === q} aria-label={`Preview ${q}`} onClick={() => setChosen(q)}>
                    <span className="mono">{q}</span>
                    {t.type !== 'table' && <span className="muted">{t.type}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="conn-preview">
            {chosen ? <TablePreview connection={connection} table={chosen} /> : <p className="muted conn-preview-hint">Choose a table to see its first rows.</p>}
          </div>
        </div>
      )}
    </section>
  );
}

function TablePreview({ connection, table }: { connection: string; table: string }) {
  const q = useQuery<Preview>(() => api.connections.preview.query({ name: connection, table, limit: 100 }), [connection, table]);
  if (q.error) return <ErrorNote title={`Could not read ${table}.`} message={q.error} />;
  if (!q.data) return <div className="output-note"><Spinner label="Loading rows" /></div>;
  const { columns, rows } = q.data;
  return (
    <div className="output">
      <div className="output-bar">
        <output className="row-count" aria-label="Row count" data-rows={rows.length}>{rows.length === 100 ? 'first 100 rows' : `${rows.length} rows`}</output>
        <span className="muted">· {columns.length} columns · {table}</span>
      </div>
      <div className="table-scroll">
        <table className="data-table" aria-label={`Preview of ${table}`}>
          <thead>
            <tr>
              <th className="rownum" scope="col" aria-label="Row number">#</th>
              {columns.map((c) => (
                <th key={c.name} scope="col">
                  <span className="th-button"><span className="th-name">{c.name}</span><span className="th-type">{c.type.toLowerCase()}</span></span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td className="rownum">{i + 1}</td>
                {r.map((v, j) => <td key={j} className={v === null ? 'null' : undefined}>{v === null ? 'null' : String(v)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

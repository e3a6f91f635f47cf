// A node's table output, read a page at a time from the run's Parquet (runs.output):
// sortable by any column on the server, column types in the header, the total row count.
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { Spinner } from '../../components/spinner.tsx';
import { formatCount, formatValue } from '../../components/format.ts';
import type { Preview } from '../../stores/api-types.ts';

const PAGE = 50;

type Sort = { column: string; descending: boolean } | undefined;

function cell(v: unknown): string {
  if (typeof v === 'string') return v;
  return formatValue(v);
}

export function OutputTable({ runId, nodeId }: { runId: string; nodeId: string }) {
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<Sort>(undefined);
  useEffect(() => {
    setOffset(0);
    setSort(undefined);
  }, [runId, nodeId]);

  const q = useQuery<Preview>(
    () =>
      api.runs.output.query({ runId, nodeId, limit: PAGE, offset, orderBy: sort?.column, descending: sort?.descending }),
    [runId, nodeId, offset, sort?.column, sort?.descending],
  );

  if (q.error && !q.data) return <p className="muted output-note">{q.error}</p>;
  if (!q.data) return <div className="output-note"><Spinner label="Loading output" /></div>;

  const { columns, rows, totalRows } = q.data;
  const first = totalRows === 0 ? 0 : offset + 1;
  const last = Math.min(offset + rows.length, totalRows);

  const toggleSort = (column: string) => {
    setOffset(0);
    setSort((s) => (s?.column !== column ? { column, descending: false } : s.descending ? undefined : { column, descending: true }));
  };

  return (
    <div className="output">
      <div className="output-bar">
        <output className="row-count" aria-label="Row count" data-rows={totalRows}>
          {formatCount(totalRows)} rows
        </output>
        <span className="muted">· {columns.length} columns</span>
        {q.loading && <Spinner label="Loading rows" />}
        <div className="spacer" />
        <span className="muted" aria-live="polite">
          {formatCount(first)}–{formatCount(last)} of {formatCount(totalRows)}
        </span>
        <button className="btn small" aria-label="Previous page" disabled={offset === 0 || q.loading} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ‹
        </button>
        <button className="btn small" aria-label="Next page" disabled={last >= totalRows || q.loading} onClick={() => setOffset(offset + PAGE)}>
          ›
        </button>
      </div>
      <div className="table-scroll">
        <table className="data-table" aria-label={`Output of ${nodeId}`} aria-rowcount={totalRows + 1}>
          <thead>
            <tr>
              <th className="rownum" scope="col" aria-label="Row number">#</th>
              {columns.map((c) => {
                const dir = sort?.column === c.name ? (sort.descending ? 'descending' : 'ascending') : 'none';
                return (
                  <th key={c.name} scope="col" aria-sort={dir}>
                    <button className="th-button" onClick={() => toggleSort(c.name)} aria-label={`Sort by ${c.name}`}>
                      <span className="th-name">{c.name}</span>
                      <span className="th-type">{c.type.toLowerCase()}</span>
                      <span className="th-sort" aria-hidden="true">{dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : ''}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={offset + i}>
                <td className="rownum">{offset + i + 1}</td>
                {columns.map((c) => {
                  const v = r[c.name];
                  return (
                    <td key={c.name} className={typeof v === 'number' ? 'num' : v === null ? 'null' : undefined}>
                      {cell(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

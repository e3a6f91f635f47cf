// A node's table output from the run's Parquet (runs.output) in a virtual table: the
// first block comes with the column types and the total row count; the rest are read
// by offset as the user scrolls. Sorting is done by the server, so every sort is a new
// set of rows with its own cache.
import { useCallback, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { Spinner } from '../../components/spinner.tsx';
import { formatCount } from '../../components/format.ts';
import { VirtualTable, type TableSort } from '../../components/virtual-table.tsx';
import type { Preview } from '../../stores/api-types.ts';
import { ColumnProfiles } from '../monitor/column-profiles.tsx';

const BLOCK = 200;

function readOutput(runId: string, nodeId: string, sort: TableSort | undefined, offset: number, limit: number): Promise<Preview> {
  return api.runs.output.query({ runId, nodeId, limit, offset, orderBy: sort?.column, descending: sort?.descending });
}

export function OutputTable({ runId, nodeId }: { runId: string; nodeId: string }) {
  // a sort belongs to one node of one run; another node starts unsorted
  const [sorted, setSorted] = useState<{ of: string; sort?: TableSort }>({ of: '' });
  const of = `${runId}\n${nodeId}`;
  const sort = sorted.of === of ? sorted.sort : undefined;
  const [view, setView] = useState<[number, number]>([0, -1]);
  const [shown, setShown] = useState<'rows' | 'columns'>('rows');

  // each sort's rows come with their own reader, so a block of one sort is never cached under another
  const key = JSON.stringify([runId, nodeId, sort?.column ?? null, sort?.descending ?? false]);
  const q = useQuery(async () => {
    const first = await readOutput(runId, nodeId, sort, 0, BLOCK);
    const fetchRows = async (offset: number, limit: number) => (await readOutput(runId, nodeId, sort, offset, limit)).rows;
    return { key, first, fetchRows };
  }, [key]);
  const onView = useCallback((first: number, last: number) => setView([first, last]), []);

  if (q.error && !q.data) return <p className="muted output-note">{q.error}</p>;
  if (!q.data) return <div className="output-note"><Spinner label="Loading output" /></div>;

  const { columns, rows, totalRows } = q.data.first;
  const toggleSort = (column: string) =>
    setSorted({ of, sort: sort?.column !== column ? { column, descending: false } : sort.descending ? undefined : { column, descending: true } });

  return (
    <div className="output">
      <div className="output-bar">
        <output className="row-count" aria-label="Row count" data-rows={totalRows}>
          {formatCount(totalRows)} rows
        </output>
        <span className="muted">· {columns.length} columns</span>
        {q.loading && <Spinner label="Sorting" />}
        <div className="spacer" />
        <div className="output-views" role="group" aria-label="Show">
          <button aria-pressed={shown === 'rows'} onClick={() => setShown('rows')}>Rows</button>
          <button aria-pressed={shown === 'columns'} onClick={() => setShown('columns')}>Columns</button>
        </div>
        {shown === 'rows' && totalRows > 0 && view[1] >= view[0] && (
          <span className="muted" aria-label="Rows in view">
            rows {formatCount(view[0] + 1)}–{formatCount(view[1] + 1)}
          </span>
        )}
      </div>
      {q.error && <p className="muted output-note" role="alert">{q.error}</p>}
      {shown === 'columns' ? <ColumnProfiles runId={runId} nodeId={nodeId} /> : <VirtualTable
        label={`Output of ${nodeId}`}
        columns={columns}
        rowCount={totalRows}
        dataKey={q.data.key}
        firstBlock={rows}
        fetchRows={q.data.fetchRows}
        sort={sort}
        onSort={toggleSort}
        onView={onView}
        blockSize={BLOCK}
      />}
    </div>
  );
}

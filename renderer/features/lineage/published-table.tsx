// A table of published outputs: where each went (destination and connection), the
// target, rows, mode and time. Used per workflow (latest per target, with how many runs
// wrote it) and per run.
import { formatCount, formatTime } from '../../components/format.ts';
import { PathText } from '../../components/path-text.tsx';
import { DELIVERIES, destinationLabel, modeLabel } from './lineage-format.ts';

export interface PublishedRow {
  key: string;
  destination: string;
  connection?: string | null;
  target: string;
  nodeId: string;
  rows: number;
  mode: string;
  ts: number;
  runs?: number;
}

export function PublishedTable({ rows, label }: { rows: PublishedRow[]; label: string }) {
  const withRuns = rows.some((r) => r.runs !== undefined);
  return (
    <table className="list-table lineage-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Destination</th>
          <th scope="col">Target</th>
          <th scope="col">Node</th>
          <th scope="col" className="num">Rows</th>
          <th scope="col">Mode</th>
          <th scope="col">When</th>
          {withRuns && <th scope="col" className="num">Runs</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{destinationLabel(r.destination, r.connection)}</td>
            <td className="mono lineage-target"><PathText path={r.target} /></td>
            <td className="mono">{r.nodeId}</td>
            <td className="num">{DELIVERIES.has(r.destination) ? '–' : formatCount(r.rows)}</td>
            <td>{modeLabel(r.mode)}</td>
            <td>{formatTime(r.ts)}</td>
            {withRuns && <td className="num">{r.runs ?? ''}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

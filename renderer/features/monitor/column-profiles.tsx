// The Columns view of a node's output: its column profile in the run on display (nulls,
// distinct values, range, mean and spread, the most frequent values or a histogram) and,
// per column, a sparkline of its null rate (or mean) over the workflow's runs.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { formatCount, formatValue } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { ColumnProfile, ColumnTrend } from '../../stores/api-types.ts';
import { sparkPath } from './profile-format.ts';
import './monitor.css';

const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.001 ? 2 : 1)}%`;
/** Four significant digits: a profile is read at a glance. */
const short = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? formatValue(Number(v.toPrecision(4))) : formatValue(v));
const TEMPORAL = /^(DATE|TIMESTAMP)/;

function fmtEdge(v: number, type: string): string {
  if (!TEMPORAL.test(type)) return formatValue(v);
  const iso = new Date(v).toISOString();
  return type === 'DATE' ? iso.slice(0, 10) : iso.replace('T', ' ').slice(0, 19);
}

function Histogram({ c }: { c: ColumnProfile }) {
  const h = c.histogram!;
  const max = Math.max(...h.counts, 1);
  const label = `Histogram of ${c.name} from ${fmtEdge(h.min, c.type)} to ${fmtEdge(h.max, c.type)}`;
  return (
    <span className="profile-hist" role="img" aria-label={label} title={label} data-bins={h.counts.length}>
      {h.counts.map((n, i) => <span key={i} style={{ height: `${Math.max(4, (100 * n) / max)}%` }} />)}
    </span>
  );
}

function Top({ c }: { c: ColumnProfile }) {
  const nonNull = c.rows - c.nulls;
  return (
    <span className="profile-top" aria-label={`Top values of ${c.name}`}>
      {c.top!.slice(0, 3).map((t) => (
        <span key={JSON.stringify(t.value)}>{formatValue(t.value)} · {nonNull ? pct(t.count / nonNull) : '–'}</span>
      ))}
    </span>
  );
}

function Trend({ t, measure }: { t?: ColumnTrend; measure: 'nullRate' | 'mean' }) {
  const values = (t?.points ?? []).map((p) => (measure === 'mean' ? p.mean : p.nullRate)).filter((v): v is number => v !== undefined);
  if (values.length < 2) return <span className="muted">–</span>;
  const { line, last } = sparkPath(values, 48, 18);
  const label = `${measure === 'mean' ? 'Mean' : 'Null rate'} of ${t!.name} over ${values.length} runs`;
  return (
    <svg className="profile-spark" width={48} height={18} role="img" aria-label={label} data-points={values.length}>
      <title>{label}</title>
      <polyline points={line} />
      <circle cx={last.x} cy={last.y} r={2} />
    </svg>
  );
}

export function ColumnProfiles({ runId, nodeId }: { runId: string; nodeId: string }) {
  const q = useQuery(() => api.monitor.profile.query({ runId, nodeId }), [runId, nodeId]);
  const trends = useQuery(() => api.monitor.profileTrends.query({ runId, nodeId }), [runId, nodeId]);
  if (q.error) return <p className="muted output-note" role="alert">{q.error}</p>;
  if (!q.data) return <div className="output-note"><Spinner label="Loading the profile" /></div>;
  const p = q.data;
  const trendOf = (name: string) => trends.data?.find((t) => t.name === name);
  return (
    <div className="profile">
      {p.sampleRows !== undefined && (
        <p className="muted profile-note">Distinct counts, means, top values and histograms from a sample of {formatCount(p.sampleRows)} of {formatCount(p.rows)} rows; nulls, minimum and maximum are exact.</p>
      )}
      <table className="list-table profile-table" aria-label={`Column profile of ${nodeId}`}>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Nulls</th>
            <th scope="col">Distinct</th>
            <th scope="col">Range</th>
            <th scope="col">Mean ± sd</th>
            <th scope="col">Values</th>
            <th scope="col">Runs</th>
          </tr>
        </thead>
        <tbody>
          {p.columns.map((c) => {
            const nullRate = c.rows ? c.nulls / c.rows : 0;
            return (
              <tr key={c.name} aria-label={`Column ${c.name}`} data-nulls={c.nulls} data-distinct={c.distinct}>
                <td><span className="profile-name">{c.name}</span> <span className="th-type">{c.type}</span></td>
                <td>
                  <span className="profile-nulls" title={`${formatCount(c.nulls)} of ${formatCount(c.rows)} rows`}>
                    <span className="profile-nullbar"><span style={{ width: pct(nullRate) }} /></span>
                    {pct(nullRate)}
                  </span>
                </td>
                <td className="num">{c.distinct === undefined ? '–' : formatCount(c.distinct)}</td>
                <td className="mono profile-range" title={c.min === undefined ? undefined : `${formatValue(c.min)} … ${formatValue(c.max)}`}>{c.min === undefined ? '–' : `${short(c.min)} … ${short(c.max)}`}</td>
                <td className="mono profile-mean">{c.mean === undefined ? '–' : `${short(c.mean)} ± ${short(c.stddev ?? 0)}`}</td>
                <td>{c.histogram ? <Histogram c={c} /> : c.top?.length ? <Top c={c} /> : <span className="muted">{c.top ? 'all different' : '–'}</span>}</td>
                <td><Trend t={trendOf(c.name)} measure={c.mean !== undefined && c.nulls === 0 ? 'mean' : 'nullRate'} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

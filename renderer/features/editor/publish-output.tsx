// A publish node's Output tab, for the run on display. A run: what it published (where,
// how many rows, in which mode) and the table it published, which is its input's output.
// A preview: what a run would publish (a preview never writes). Either: why it did not.
// A report delivered to people: where it went, and the report itself.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { formatCount } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { LiveRun, NodeLive } from '../../stores/run-state.ts';
import { DELIVERIES, destinationLabel, modeLabel } from '../lineage/lineage-format.ts';
import { ReportPreview } from '../reports/report-preview.tsx';
import { OutputTable } from './output-table.tsx';

interface Props {
  runId: string;
  rec: NodeLive;
  /** the node's input, whose output is the table it published */
  input?: string;
  run?: LiveRun;
}

export function PublishOutput({ runId, rec, input, run }: Props) {
  const label = `Publish outcome of ${rec.nodeId}`;
  if (rec.status !== 'succeeded') {
    return (
      <div className="scalar-output publish-outcome" role="status" aria-label={label} data-status={rec.status}>
        <p className="publish-what">{rec.error?.message ?? `Not published (${rec.status}).`}</p>
      </div>
    );
  }
  if (run?.summary.kind === 'preview') {
    return (
      <div className="scalar-output publish-outcome" role="status" aria-label={label} data-status={rec.status}>
        <p className="publish-what">{typeof rec.value === 'string' ? rec.value : `Would publish ${formatCount(rec.rows)} rows.`}</p>
        <p className="muted">A preview never writes: the checks ran, and nothing was published. Run the workflow to publish.</p>
      </div>
    );
  }
  return <Published runId={runId} nodeId={rec.nodeId} label={label} input={input} run={run} />;
}

function Published({ runId, nodeId, label, input, run }: { runId: string; nodeId: string; label: string; input?: string; run?: LiveRun }) {
  const q = useQuery(() => api.lineage.forRun.query({ runId }), [runId]);
  if (!q.data) return <div className="output-note">{q.error ?? <Spinner label="Loading what was published" />}</div>;
  const p = q.data.find((x) => x.nodeId === nodeId);
  if (!p) return <p className="muted output-note">{nodeId} published nothing in the run on display.</p>;
  if (DELIVERIES.has(p.destination)) {
    return (
      <div className="output">
        <div className="output-bar publish-summary" role="status" aria-label={label}>
          <strong>Delivered</strong> <span className="mono">{p.target}</span> <span className="muted">· {destinationLabel(p.destination, p.connection)}</span>
        </div>
        {input && <ReportPreview runId={runId} nodeId={input} />}
      </div>
    );
  }
  const source = input ? run?.nodes[input] : undefined;
  const table = input && source?.artifactPath !== undefined;
  return (
    <div className="output">
      <div className="output-bar publish-summary" role="status" aria-label={label}>
        <strong>
          Published {formatCount(p.rows)} {p.rows === 1 ? 'row' : 'rows'}
        </strong>{' '}
        <span>
          to <span className="mono">{p.target}</span>
        </span>{' '}
        <span className="muted">
          · {destinationLabel(p.destination, p.connection)} · {modeLabel(p.mode)}
        </span>
      </div>
      {table ? (
        <OutputTable runId={runId} nodeId={input} />
      ) : (
        <p className="muted output-note">The table it published ({input ?? 'its input'}) is not kept for this run.</p>
      )}
    </div>
  );
}

// A publish node's Output tab: what it published in the run on display (where, how many
// rows, in which mode) and the table it published, which is its input's output.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { formatCount } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { LiveRun } from '../../stores/run-state.ts';
import { destinationLabel, modeLabel } from '../lineage/lineage-format.ts';
import { OutputTable } from './output-table.tsx';

export function PublishOutput({ runId, nodeId, input, run }: { runId: string; nodeId: string; input?: string; run?: LiveRun }) {
  const q = useQuery(() => api.lineage.forRun.query({ runId }), [runId]);
  if (!q.data) return <div className="output-note">{q.error ?? <Spinner label="Loading what was published" />}</div>;
  const p = q.data.find((x) => x.nodeId === nodeId);
  if (!p) return <p className="muted output-note">{nodeId} published nothing in the run on display.</p>;
  const source = input ? run?.nodes[input] : undefined;
  const table = input && source?.artifactPath !== undefined;
  return (
    <div className="output">
      <div className="output-bar publish-summary" role="status">
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

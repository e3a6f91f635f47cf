// What a publish node did in the run on display: in a preview, what a run would publish
// (a preview never writes); in a run, how many rows it published; or why it did not.
import { formatCount } from '../../components/format.ts';
import type { NodeLive } from '../../stores/run-state.ts';

export function PublishOutcome({ rec, preview }: { rec: NodeLive; preview: boolean }) {
  const ok = rec.status === 'succeeded';
  return (
    <div className="scalar-output publish-outcome" role="status" aria-label={`Publish outcome of ${rec.nodeId}`} data-status={rec.status}>
      {ok && preview && typeof rec.value === 'string' ? (
        <>
          <p className="publish-what">{rec.value}</p>
          <p className="muted">A preview never writes: the checks ran, and nothing was published. Run the workflow to publish.</p>
        </>
      ) : ok ? (
        <>
          <p className="publish-what">Published {formatCount(rec.rows)} rows.</p>
          <p className="muted">The run&apos;s history lists where it went (Runs, Published).</p>
        </>
      ) : (
        <p className="publish-what">{rec.error?.message ?? `Not published (${rec.status}).`}</p>
      )}
    </div>
  );
}

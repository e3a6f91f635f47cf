// The workflow's lineage on its Runs tab: every target it has published to, the latest
// publish of each, and how many runs wrote there. Re-read when a run finishes.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { LoadingBlock } from '../../components/spinner.tsx';
import { useRuns } from '../../stores/runs-store.ts';
import type { PublishedTarget } from './lineage-format.ts';
import { PublishedTable } from './published-table.tsx';
import './lineage.css';

export function WorkflowPublished({ workflowId }: { workflowId: string }) {
  const finishedTick = useRuns((s) => s.finishedTick);
  const q = useQuery<PublishedTarget[]>(() => api.lineage.forWorkflow.query({ workflowId }), [workflowId, finishedTick]);
  return (
    <section className="section" aria-label="Published outputs">
      <div className="section-head">
        <h2>Published</h2>
        <span className="muted">where this workflow’s outputs went (latest publish per target)</span>
      </div>
      {q.error && <ErrorNote title="Could not load what the workflow published." message={q.error} />}
      {!q.data && !q.error && <LoadingBlock label="Loading published outputs" />}
      {q.data && q.data.length === 0 && (
        <EmptyState title="Nothing published yet">
          Add a publish node (a table in a database, a file or a sheet) and run the workflow; each target it writes is listed here.
        </EmptyState>
      )}
      {q.data && q.data.length > 0 && (
        <PublishedTable
          label="Published targets"
          rows={q.data.map((t) => ({ key: `${t.destination}|${t.connection ?? ''}|${t.target}`, ...t, ts: t.publishedAt }))}
        />
      )}
    </section>
  );
}

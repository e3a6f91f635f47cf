// What one run published, shown under its row in the run history.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { Spinner } from '../../components/spinner.tsx';
import type { Publication } from './lineage-format.ts';
import { PublishedTable } from './published-table.tsx';
import './lineage.css';

export function RunPublished({ runId, label }: { runId: string; label: string }) {
  const q = useQuery<Publication[]>(() => api.lineage.forRun.query({ runId }), [runId]);
  if (q.error) return <ErrorNote title="Could not load what the run published." message={q.error} />;
  if (!q.data) return <Spinner label="Loading published outputs" />;
  if (q.data.length === 0) return <p className="muted">This run published nothing.</p>;
  return <PublishedTable label={label} rows={q.data.map((p) => ({ key: `${p.nodeId}|${p.target}`, ...p }))} />;
}

// A node's log lines for one run (stdout, stderr, and the runner's own notes), refetched
// as new lines are announced on the event stream, at most about once a second.
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { Spinner } from '../../components/spinner.tsx';
import { useRuns } from '../../stores/runs-store.ts';
import type { LogLine } from '../../stores/api-types.ts';

function useThrottled<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function LogsView({ runId, nodeId }: { runId: string; nodeId: string }) {
  const tick = useThrottled(useRuns((s) => s.logTick[runId] ?? 0), 800);
  const status = useRuns((s) => s.runs[runId]?.nodes[nodeId]?.status);
  const q = useQuery<LogLine[]>(() => api.runs.logs.query({ runId, nodeId }), [runId, nodeId, tick, status]);

  if (q.error) return <p className="muted output-note">{q.error}</p>;
  if (!q.data) return <div className="output-note"><Spinner label="Loading logs" /></div>;
  if (q.data.length === 0) return <p className="muted output-note">No log lines for this node in this run.</p>;
  return (
    <pre className="logs" role="log" aria-label={`Logs of ${nodeId}`}>
      {q.data.map((l, i) => (
        <div key={i} className={`log-line ${l.stream}`}>
          <span className="log-ts">{new Date(l.ts).toLocaleTimeString('en-GB')}</span>
          <span className="log-text">{l.line}</span>
        </div>
      ))}
    </pre>
  );
}

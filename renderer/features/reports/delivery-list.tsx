// What a run delivered to people (email, Slack, a folder), from the delivery records
// that keep a run from sending twice: sent, failed, or stopped mid-send by a crash.
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { formatTime } from '../../components/format.ts';

const WORDS: Record<string, string> = { sent: 'delivered', failed: 'failed', sending: 'interrupted while sending' };

export function DeliveryList({ runId }: { runId: string }) {
  const q = useQuery(() => api.reports.deliveries.query({ runId }), [runId]);
  if (!q.data?.length) return null;
  return (
    <ul className="delivery-list" aria-label="Deliveries of this run">
      {q.data.map((d) => (
        <li key={`${d.runKey}:${d.nodeId}`} data-state={d.state}>
          <span className="badge" data-tone={d.state === 'sent' ? 'ok' : d.state === 'failed' ? 'fail' : 'warn'}>{WORDS[d.state] ?? d.state}</span>
          <span className="mono">{d.nodeId}</span>
          <span>{d.target}</span>
          <span className="muted small">{formatTime(d.finishedAt ?? d.startedAt)}{d.runId !== runId ? ` · by run ${d.runId.slice(0, 8)}` : ''}</span>
          {d.detail && <span className="muted small delivery-detail">{d.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

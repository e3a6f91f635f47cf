// The home row's glance at a workflow's health: its main metric over the last runs as a
// tiny line (failing points red) and the engine its last run used. One history query per
// row, refetched only when that workflow's last run changes (no polling).
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { formatValue } from '../../components/format.ts';
import type { MetricValue, RunSummary } from '../../stores/api-types.ts';
import { pickMainMetric, sparklinePoints } from './sparkline.ts';
import './workflows.css';

const W = 80;
const H = 24;
const MAX_RUNS = 12;

export function Sparkline({ values, nodeId }: { values: MetricValue[]; nodeId: string }) {
  const pts = sparklinePoints(values, nodeId, { width: W, height: H, pad: 3, max: MAX_RUNS });
  if (pts.length === 0) return null;
  const last = pts[pts.length - 1]!;
  const failed = pts.filter((p) => !p.passed).length;
  const label = `${nodeId} over the last ${pts.length === 1 ? 'run' : `${pts.length} runs`}: latest ${formatValue(last.value)}${failed ? `, ${failed} out of bounds` : ''}`;
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-points={pts.length}>
      <title>{label}</title>
      {pts.length > 1 && <polyline points={pts.map((p) => `${p.x},${p.y}`).join(' ')} />}
      {pts.map((p) => (
        <circle key={p.runId} className="spark-point" cx={p.x} cy={p.y} r={p.passed ? 1.6 : 2.4} data-passed={p.passed} />
      ))}
    </svg>
  );
}

export function WorkflowTrend({ workflowId, lastRun }: { workflowId: string; lastRun?: RunSummary }) {
  const q = useQuery(() => api.metrics.history.query({ workflowId, limit: 500 }), [workflowId, lastRun?.id]);
  const values = q.data ?? [];
  const metric = pickMainMetric(values);
  return (
    <div className="wf-row-trend">
      {metric ? <Sparkline values={values} nodeId={metric} /> : <span className="spark-empty" aria-hidden="true" />}
      {lastRun && (
        <span className="engine-badge" aria-label={`Last run on engine ${lastRun.engine}`} title={`Last run on ${lastRun.engine}`}>
          {lastRun.engine}
        </span>
      )}
    </div>
  );
}

// The workflow's quality over time: a chart per metric (metrics.history) and the check
// history (checks.history), both refreshed whenever a run finishes. The charts can put a
// numeric parameter on the x axis, or draw one line per value of a parameter, to see
// what a parameter did to a metric.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { LoadingBlock } from '../../components/spinner.tsx';
import { useGraph } from '../../stores/graph-store.ts';
import { useRuns } from '../../stores/runs-store.ts';
import type { CheckResult, MetricValue } from '../../stores/api-types.ts';
import { CheckTimelineView } from './check-timeline.tsx';
import { MetricChart } from './metric-chart.tsx';
import { checkTimeline, metricSeries, paramChoices } from './metric-series.ts';

export function MetricsView({ workflowId }: { workflowId: string }) {
  const finishedTick = useRuns((s) => s.finishedTick);
  const nodes = useGraph((s) => s.detail?.nodes);
  const metrics = useQuery<MetricValue[]>(() => api.metrics.history.query({ workflowId }), [workflowId, finishedTick]);
  const checks = useQuery<CheckResult[]>(() => api.checks.history.query({ workflowId }), [workflowId, finishedTick]);

  const bounds: Record<string, { lower?: number; upper?: number }> = {};
  // fixed numbers only: bounds from parameters or learned from history are read from each run's record
  const fixed = (v: unknown) => (typeof v === 'number' ? v : undefined);
  for (const n of nodes ?? []) if (n.kind === 'metric' && !n.bounds?.history && typeof n.bounds?.lower !== 'string' && typeof n.bounds?.upper !== 'string') bounds[n.id] = { lower: fixed(n.bounds?.lower), upper: fixed(n.bounds?.upper) };
  const series = metrics.data ? metricSeries(metrics.data, bounds) : [];
  const timeline = checks.data ? checkTimeline(checks.data) : undefined;
  const params = paramChoices(metrics.data ?? []);
  const [xParam, setXParam] = useState('');
  const [splitBy, setSplitBy] = useState('');
  const x = params.some((p) => p.name === xParam && p.numeric) ? xParam : '';
  const split = params.some((p) => p.name === splitBy) && splitBy !== x ? splitBy : '';

  return (
    <div className="page-scroll">
      <section className="section" aria-labelledby="metrics-title">
        <div className="section-head">
          <h2 id="metrics-title">Metrics</h2>
          <span className="muted">one point per run; dashed lines are the bounds, red points are outside them</span>
          <div className="spacer" />
          {params.length > 0 && (
            <div className="chart-controls">
              <label>
                X axis{' '}
                <select value={x} onChange={(e) => setXParam(e.target.value)}>
                  <option value="">run number</option>
                  {params.filter((p) => p.numeric).map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
                </select>
              </label>
              <label>
                Lines{' '}
                <select value={split} onChange={(e) => setSplitBy(e.target.value)}>
                  <option value="">one per metric</option>
                  {params.filter((p) => p.name !== x).map((p) => <option key={p.name} value={p.name}>one per {p.name}</option>)}
                </select>
              </label>
            </div>
          )}
        </div>
        {metrics.error && <ErrorNote title="Could not load the metrics." message={metrics.error} />}
        {!metrics.data && !metrics.error && <LoadingBlock label="Loading metrics" />}
        {metrics.data && series.length === 0 && (
          <EmptyState title="No metric values yet">
            Metric nodes record a number on every run. Run the workflow to start the charts.
          </EmptyState>
        )}
        <div className="chart-grid">
          {series.map((s) => (
            <MetricChart key={s.nodeId} series={s} xParam={x || undefined} splitBy={split || undefined} />
          ))}
        </div>
      </section>
      <section className="section" aria-labelledby="checks-title">
        <div className="section-head">
          <h2 id="checks-title">Checks</h2>
          <span className="muted">each run left to right, the newest last</span>
        </div>
        {checks.error && <ErrorNote title="Could not load the checks." message={checks.error} />}
        {!checks.data && !checks.error && <LoadingBlock label="Loading checks" />}
        {timeline && timeline.rows.length === 0 && <EmptyState title="No check results yet">Run the workflow to see its checks here.</EmptyState>}
        {timeline && timeline.rows.length > 0 && <CheckTimelineView timeline={timeline} />}
      </section>
    </div>
  );
}

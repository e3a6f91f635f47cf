// One metric over runs: a line with a point per run, its bounds as dashed reference lines,
// points outside the bounds in red. Points carry data attributes so tests can count them.
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTime, formatValue } from '../../components/format.ts';
import type { MetricPoint, MetricSeries } from './metric-series.ts';

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: MetricPoint;
}

function Dot({ cx, cy, payload }: DotProps) {
  if (cx === undefined || cy === undefined || !payload || payload.value === null) return null;
  return (
    <circle
      className="metric-point"
      data-passed={payload.passed ? 'true' : 'false'}
      data-run={payload.runId}
      cx={cx}
      cy={cy}
      r={payload.passed ? 4 : 5.5}
      fill={payload.passed ? 'var(--surface)' : 'var(--fail)'}
      stroke={payload.passed ? 'var(--accent)' : 'var(--fail)'}
      strokeWidth={2}
    />
  );
}

function TooltipBody({ active, payload }: { active?: boolean; payload?: readonly { payload?: MetricPoint }[] }) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="chart-tooltip">
      <div>
        <strong>Run #{p.run}</strong> <span className="muted">{formatTime(p.ts)}</span>
      </div>
      <div className="mono">{formatValue(p.value)}</div>
      {!p.passed && <div className="fail-text">outside the bounds</div>}
    </div>
  );
}

export function MetricChart({ series }: { series: MetricSeries }) {
  const { nodeId, points, lower, upper, failing } = series;
  const latest = points[points.length - 1];
  return (
    <figure className="chart-card" aria-label={`Metric ${nodeId}`} data-points={points.length}>
      <figcaption className="chart-head">
        <div>
          <h3>{nodeId}</h3>
          <div className="muted">
            {points.length} {points.length === 1 ? 'run' : 'runs'}
            {series.banded ? ' · bounds per run (shaded)' : lower !== undefined || upper !== undefined ? ` · bounds ${lower ?? '−∞'} … ${upper ?? '∞'}` : ' · no bounds'}
            {failing > 0 && <span className="fail-text"> · {failing} outside</span>}
          </div>
        </div>
        <div className={latest && !latest.passed ? 'chart-latest fail-text' : 'chart-latest'} aria-label={`Latest value of ${nodeId}`}>
          {latest ? formatValue(latest.value) : '–'}
        </div>
      </figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height={200}>
          <ComposedChart data={points} margin={{ top: 12, right: 28, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="run"
              tickFormatter={(r: number) => `#${r}`}
              stroke="var(--text-3)"
              tick={{ fontSize: 11 }}
              allowDecimals={false}
              padding={{ left: 16, right: 16 }}
            />
            <YAxis
              stroke="var(--text-3)"
              tick={{ fontSize: 11 }}
              width={56}
              domain={['auto', 'auto']}
              tickFormatter={(v: number) => formatValue(v)}
            />
            <Tooltip content={TooltipBody} cursor={{ stroke: 'var(--border-strong)' }} isAnimationActive={false} />
            {series.warnLower !== undefined && (
              <ReferenceLine y={series.warnLower} className="metric-warn-line" stroke="var(--text-3)" strokeDasharray="2 3" ifOverflow="extendDomain" label={{ value: `warning ${series.warnLower}`, position: 'insideBottomLeft', fill: 'var(--text-3)', fontSize: 11 }} />
            )}
            {series.warnUpper !== undefined && (
              <ReferenceLine y={series.warnUpper} className="metric-warn-line" stroke="var(--text-3)" strokeDasharray="2 3" ifOverflow="extendDomain" label={{ value: `warning ${series.warnUpper}`, position: 'insideTopLeft', fill: 'var(--text-3)', fontSize: 11 }} />
            )}
            {series.banded && (
              <Area dataKey="band" className="metric-band" stroke="none" fill="var(--accent)" fillOpacity={0.12} isAnimationActive={false} connectNulls />
            )}
            {!series.banded && lower !== undefined && (
              <ReferenceLine y={lower} stroke="var(--warn)" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: `lower ${lower}`, position: 'insideBottomRight', fill: 'var(--warn)', fontSize: 11 }} />
            )}
            {!series.banded && upper !== undefined && (
              <ReferenceLine y={upper} stroke="var(--warn)" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: `upper ${upper}`, position: 'insideTopRight', fill: 'var(--warn)', fontSize: 11 }} />
            )}
            <Line
              type="monotone"
              dataKey="value"
              stroke="var(--accent)"
              strokeWidth={2}
              dot={(p: DotProps) => <Dot key={`dot-${p.index}`} {...p} />}
              activeDot={{ r: 6 }}
              isAnimationActive={false}
              connectNulls
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

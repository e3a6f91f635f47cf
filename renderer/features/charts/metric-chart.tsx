// One metric over runs: a line with a point per run (or one line per value of a chosen
// parameter, against the run number or a numeric parameter), its bounds as dashed
// reference lines, or as a shaded band when they vary per run (learned, or from
// parameters), its warning band as dotted lines, points outside the bounds in red. The
// tooltip names the run and its parameters. Points carry data attributes so tests can
// count them.
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTime, formatValue } from '../../components/format.ts';
import { chartLines, type ChartPoint, type MetricSeries } from './metric-series.ts';

const LINE_COLOURS = ['var(--accent)', 'var(--kind-python)', 'var(--kind-metric)', 'var(--kind-check)', 'var(--kind-publish)', 'var(--kind-sql)'];

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: ChartPoint;
}

function Dot({ cx, cy, payload, colour }: DotProps & { colour: string }) {
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
      stroke={payload.passed ? colour : 'var(--fail)'}
      strokeWidth={2}
    />
  );
}

function TooltipBody({ active, payload }: { active?: boolean; payload?: readonly { payload?: ChartPoint }[] }) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  const params = Object.entries(p.params);
  return (
    <div className="chart-tooltip">
      <div>
        <strong>Run #{p.run}</strong> <span className="muted">{formatTime(p.ts)}</span>
      </div>
      <div className="mono">{formatValue(p.value)}</div>
      {!p.passed && <div className="fail-text">outside the bounds</div>}
      {params.length > 0 && (
        <dl className="chart-tooltip-params">
          {params.map(([k, v]) => (
            <div key={k}>
              <dt className="mono">{k}</dt> <dd className="mono">= {formatValue(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

export function MetricChart({ series, xParam, splitBy }: { series: MetricSeries; xParam?: string; splitBy?: string }) {
  const { nodeId, points, lower, upper, failing } = series;
  const latest = points[points.length - 1];
  const lines = chartLines(series, xParam, splitBy);
  const bandPoints = series.banded ? chartLines(series, xParam)[0]!.points : [];
  return (
    <figure className="chart-card" aria-label={`Metric ${nodeId}`} data-points={points.length} data-lines={lines.length} data-x={xParam ?? 'run'}>
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
        <ResponsiveContainer width="100%" height={splitBy ? 230 : 200}>
          <ComposedChart margin={{ top: 12, right: 28, bottom: xParam ? 14 : 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(x: number) => (xParam ? formatValue(x) : `#${x}`)}
              stroke="var(--text-3)"
              tick={{ fontSize: 11 }}
              allowDecimals={!!xParam}
              padding={{ left: 16, right: 16 }}
              label={xParam ? { value: xParam, position: 'insideBottom', offset: -10, fill: 'var(--text-2)', fontSize: 11 } : undefined}
            />
            <YAxis stroke="var(--text-3)" tick={{ fontSize: 11 }} width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => formatValue(v)} />
            <Tooltip content={TooltipBody} cursor={{ stroke: 'var(--border-strong)' }} isAnimationActive={false} shared={false} />
            {splitBy && <Legend verticalAlign="top" height={24} iconType="plainline" wrapperStyle={{ fontSize: 11 }} />}
            {series.warnLower !== undefined && (
              <ReferenceLine y={series.warnLower} className="metric-warn-line" stroke="var(--text-3)" strokeDasharray="2 3" ifOverflow="extendDomain" label={{ value: `warning ${series.warnLower}`, position: 'insideBottomLeft', fill: 'var(--text-3)', fontSize: 11 }} />
            )}
            {series.warnUpper !== undefined && (
              <ReferenceLine y={series.warnUpper} className="metric-warn-line" stroke="var(--text-3)" strokeDasharray="2 3" ifOverflow="extendDomain" label={{ value: `warning ${series.warnUpper}`, position: 'insideTopLeft', fill: 'var(--text-3)', fontSize: 11 }} />
            )}
            {series.banded && (
              // every run's bounds in x order, whichever line its point is on
              <Area
                data={bandPoints}
                dataKey="band"
                className="metric-band"
                stroke="none"
                fill="var(--accent)"
                fillOpacity={0.12}
                isAnimationActive={false}
                connectNulls
                legendType="none"
                tooltipType="none"
              />
            )}
            {!series.banded && lower !== undefined && (
              <ReferenceLine y={lower} stroke="var(--warn)" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: `lower ${lower}`, position: 'insideBottomRight', fill: 'var(--warn)', fontSize: 11 }} />
            )}
            {!series.banded && upper !== undefined && (
              <ReferenceLine y={upper} stroke="var(--warn)" strokeDasharray="5 4" ifOverflow="extendDomain" label={{ value: `upper ${upper}`, position: 'insideTopRight', fill: 'var(--warn)', fontSize: 11 }} />
            )}
            {lines.map((l, i) => {
              const colour = LINE_COLOURS[i % LINE_COLOURS.length]!;
              return (
                <Line
                  key={l.key}
                  data={l.points}
                  name={l.label}
                  type="monotone"
                  dataKey="value"
                  stroke={colour}
                  strokeWidth={2}
                  dot={(p: DotProps) => <Dot key={`dot-${l.key}-${p.index}`} {...p} colour={colour} />}
                  activeDot={{ r: 6 }}
                  isAnimationActive={false}
                  connectNulls
                />
              );
            })}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

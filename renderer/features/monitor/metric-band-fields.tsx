// A metric's two bands in the node settings: the error band (`bounds`, counted as the
// metric's severity) and the warning band (`warn_bounds`). Each bound is a number or a
// parameter ($name); the error band may instead be learned from the metric's last runs.
import type { ReactNode } from 'react';
import type { NodeSpec } from '../../stores/graph-doc.ts';

type MetricSpec = Extract<NodeSpec, { kind: 'metric' }>;
type Band = NonNullable<MetricSpec['bounds']>;
type BoundValue = Band['lower'];

/** A typed bound: empty → none, a number → the number, anything else as written ($name). */
export function parseBound(text: string): BoundValue {
  const t = text.trim();
  if (t === '') return undefined;
  return Number.isFinite(Number(t)) ? Number(t) : t;
}

function band(b: Band | undefined, patch: Partial<Band>): Band | undefined {
  const next = { ...b, ...patch };
  return next.lower === undefined && next.upper === undefined && !next.history ? undefined : next;
}

function Field({ label, children, help }: { label: string; children: ReactNode; help?: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {help && <span className="field-help">{help}</span>}
    </label>
  );
}

export function MetricBandFields({ node, update }: { node: MetricSpec; update(patch: Partial<MetricSpec>, field: string): void }) {
  const learned = !!node.bounds?.history;
  const bound = (which: 'bounds' | 'warn_bounds', side: 'lower' | 'upper', label: string) => (
    <Field label={label}>
      <input
        type="text"
        inputMode="decimal"
        placeholder="none"
        value={node[which]?.[side] ?? ''}
        onChange={(e) => update({ [which]: band(node[which], { [side]: parseBound(e.target.value) }) }, `${which}.${side}`)}
      />
    </Field>
  );
  return (
    <>
      <Field label="Bounds">
        <select
          value={learned ? 'history' : 'fixed'}
          onChange={(e) => update({ bounds: e.target.value === 'history' ? { history: { runs: 20, method: 'sigma', k: 3, quantiles: [0.05, 0.95], min_runs: 5 } } : undefined }, 'bounds')}
        >
          <option value="fixed">fixed bounds (numbers or $parameters)</option>
          <option value="history">learned from the last runs (mean ± k·σ)</option>
        </select>
      </Field>
      {learned ? (
        <>
          <Field label="Learn from the last … runs">
            <input type="number" min={2} value={node.bounds!.history!.runs} onChange={(e) => update({ bounds: { history: { ...node.bounds!.history!, runs: Math.max(2, Number(e.target.value) || 2) } } }, 'bounds.history.runs')} />
          </Field>
          <Field label="k (standard deviations)">
            <input type="number" min={0.1} step={0.5} value={node.bounds!.history!.k} onChange={(e) => update({ bounds: { history: { ...node.bounds!.history!, k: Math.max(0.1, Number(e.target.value) || 3) } } }, 'bounds.history.k')} />
          </Field>
        </>
      ) : (
        <>
          {bound('bounds', 'lower', 'Lower bound')}
          {bound('bounds', 'upper', 'Upper bound')}
        </>
      )}
      {bound('warn_bounds', 'lower', 'Warning below')}
      {bound('warn_bounds', 'upper', 'Warning above')}
    </>
  );
}

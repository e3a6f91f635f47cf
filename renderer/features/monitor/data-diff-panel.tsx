// The data diff of one output between the two compared runs (monitor.diff, the service
// `aqueduct diff` calls): schema changes first, then rows added, removed and changed with
// the changes per column and the changed rows side by side (changed cells marked), or,
// without a key, how often each distinct row occurs in each run.
import { useState } from 'react';
import { api } from '../../client/index.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { formatCount, formatValue } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import type { DataDiff, DiffRow, KeyedDiff, MultisetDiff } from '../../stores/api-types.ts';
import './monitor.css';

const cellText = (v: unknown) => (typeof v === 'string' ? v : formatValue(v));

function SchemaChanges({ d }: { d: DataDiff }) {
  const s = d.schema;
  if (s.added.length + s.removed.length + s.retyped.length === 0) return <p className="muted">Schema: the same columns and types in both runs.</p>;
  return (
    <ul className="diff-schema" aria-label="Schema changes">
      {s.added.map((c) => <li key={`+${c.name}`} className="schema-add">+ {c.name} <span className="th-type">{c.type}</span></li>)}
      {s.removed.map((c) => <li key={`-${c.name}`} className="schema-del">− {c.name} <span className="th-type">{c.type}</span></li>)}
      {s.retyped.map((c) => <li key={`~${c.name}`} className="schema-type">{c.name}: {c.from} → {c.to}</li>)}
    </ul>
  );
}

function Counts({ items }: { items: [string, number, string][] }) {
  return (
    <div className="diff-counts" role="group" aria-label="Row changes">
      {items.map(([label, n, tone]) => (
        <div key={label} className={`diff-count diff-count-${tone}`} aria-label={`${label}: ${n}`} data-count={n}>
          <strong>{formatCount(n)}</strong> {label}
        </div>
      ))}
    </div>
  );
}

function SideBySide({ r, columns }: { r: KeyedDiff; columns: string[] }) {
  const cols = [...r.key, ...columns.filter((c) => !r.key.includes(c))];
  return (
    <div className="diff-table-wrap">
      <table className="list-table diff-table" aria-label="Changed rows">
        <thead>
          <tr>
            <th scope="col" />
            {cols.map((c) => <th key={c} scope="col" className={r.key.includes(c) ? 'diff-key' : undefined}>{c}</th>)}
          </tr>
        </thead>
        {r.changedSample.map((x) => (
          <tbody key={JSON.stringify(x.key)} className="diff-pair" aria-label={`Changed row ${Object.values(x.key).map(cellText).join(', ')}`}>
            {(['a', 'b'] as const).map((side) => (
              <tr key={side} className={`diff-side-${side}`}>
                <th scope="row" className="diff-side">{side.toUpperCase()}</th>
                {cols.map((c) => {
                  const changed = x.changed.includes(c);
                  return (
                    <td key={c} className={changed ? 'diff-cell-changed' : undefined} data-changed={changed || undefined} data-column={c}>
                      {cellText(x[side][c])}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function RowList({ label, rows, columns }: { label: string; rows: DiffRow[]; columns: string[] }) {
  if (!rows.length) return null;
  return (
    <div className="diff-table-wrap">
      <table className="list-table diff-table" aria-label={label}>
        <caption>{label}</caption>
        <thead><tr>{columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
        <tbody>{rows.map((row, i) => <tr key={i}>{columns.map((c) => <td key={c}>{cellText(row[c])}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function KeyedResult({ d, r }: { d: DataDiff; r: KeyedDiff }) {
  const dup = r.duplicates;
  const values = d.compared.filter((c) => !r.key.includes(c));
  return (
    <>
      <Counts items={[['added', r.added, 'ok'], ['removed', r.removed, 'fail'], ['changed', r.changed, 'warn'], ['the same', r.unchanged, 'muted']]} />
      {d.tolerance ? <p className="muted">Numbers closer than {d.tolerance} count as the same.</p> : null}
      {dup.keysA + dup.keysB > 0 && (
        <div className="alert warn" role="alert" aria-label="Duplicate keys">
          Duplicate keys: {formatCount(dup.keysA)} in A ({formatCount(dup.rowsA)} rows), {formatCount(dup.keysB)} in B ({formatCount(dup.rowsB)} rows). Their rows are left out of the comparison.
          <ul>{dup.sample.map((x) => <li key={JSON.stringify(x.key)} className="mono">{Object.entries(x.key).map(([k, v]) => `${k}=${cellText(v)}`).join(', ')}: {x.countA} in A, {x.countB} in B</li>)}</ul>
        </div>
      )}
      {values.length > 0 && (
        <table className="list-table diff-columns" aria-label="Changes per column">
          <thead><tr><th scope="col">Column</th><th scope="col">Changed values</th><th scope="col" /></tr></thead>
          <tbody>
            {r.columnChanges.map((c) => (
              <tr key={c.column} aria-label={`Column ${c.column}`}>
                <td className="mono">{c.column}</td>
                <td className="num" data-changed-count={c.changed}>{formatCount(c.changed)}</td>
                <td className="diff-bar-cell"><span className="diff-bar" style={{ width: `${r.changed ? (100 * c.changed) / r.changed : 0}%` }} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.changedSample.length > 0 && (
        <>
          <h4 className="diff-h">Changed rows <span className="muted">(first {r.changedSample.length} by key; changed cells marked)</span></h4>
          <SideBySide r={r} columns={values} />
        </>
      )}
      <RowList label="Added rows (in B only)" rows={r.addedSample} columns={d.compared} />
      <RowList label="Removed rows (in A only)" rows={r.removedSample} columns={d.compared} />
    </>
  );
}

function MultisetResult({ d, r }: { d: DataDiff; r: MultisetDiff }) {
  return (
    <>
      <Counts items={[['rows only in A', r.onlyInA, 'fail'], ['rows only in B', r.onlyInB, 'ok'], ['distinct rows differ', r.distinctRows, 'warn']]} />
      {r.sample.length > 0 && (
        <div className="diff-table-wrap">
          <table className="list-table diff-table" aria-label="Rows whose count differs">
            <thead><tr>{d.compared.map((c) => <th key={c} scope="col">{c}</th>)}<th scope="col">in A</th><th scope="col">in B</th></tr></thead>
            <tbody>
              {r.sample.map((x, i) => (
                <tr key={i}>
                  {d.compared.map((c) => <td key={c}>{cellText(x.row[c])}</td>)}
                  <td className="num">{x.countA}</td>
                  <td className="num">{x.countB}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function DataDiffPanel({ runA, runB, nodeId, suggestedKey }: { runA: string; runB: string; nodeId: string; suggestedKey: string[] }) {
  const [key, setKey] = useState(suggestedKey.join(', '));
  const [tolerance, setTolerance] = useState('');
  const [state, setState] = useState<{ loading?: boolean; data?: DataDiff; error?: string }>({});
  const run = async () => {
    setState({ loading: true });
    try {
      const keys = key.split(',').map((k) => k.trim()).filter(Boolean);
      const tol = tolerance.trim() === '' ? undefined : Number(tolerance);
      setState({ data: await api.monitor.diff.query({ runA, runB, nodeId, key: keys.length ? keys : undefined, tolerance: tol }) });
    } catch (e) {
      setState({ error: (e as Error).message });
    }
  };
  const d = state.data;
  return (
    <section className="data-diff" aria-label={`Data diff of ${nodeId}`}>
      <form
        className="data-diff-form"
        aria-label="Diff settings"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="field">
          <span>Key columns</span>
          <input type="text" className="mono" value={key} placeholder="none: count each distinct row" onChange={(e) => setKey(e.target.value)} />
        </label>
        <label className="field">
          <span>Numeric tolerance</span>
          <input type="text" inputMode="decimal" value={tolerance} placeholder="exact" onChange={(e) => setTolerance(e.target.value)} />
        </label>
        <button className="btn primary small" type="submit" disabled={state.loading}>
          {state.loading ? <Spinner label="Comparing" delay={0} /> : null} Compare rows
        </button>
      </form>
      {state.error && <ErrorNote title="Could not compare the rows." message={state.error} />}
      {d && (
        <div className="data-diff-result" aria-label="Diff result" data-mode={d.result.mode}>
          <p className="muted">
            {nodeId}: {formatCount(d.rowsA)} rows in A, {formatCount(d.rowsB)} rows in B
            {d.result.mode === 'key' ? `, matched on ${d.result.key.join(', ')}` : ', no key: rows matched whole'}
          </p>
          <SchemaChanges d={d} />
          {d.result.mode === 'key' ? <KeyedResult d={d} r={d.result} /> : <MultisetResult d={d} r={d.result} />}
        </div>
      )}
    </section>
  );
}

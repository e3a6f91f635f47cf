// Two runs side by side: what each was (status, time, version, parameters), the code and
// settings that changed between their workflow versions node by node, and how each output
// changed (row count, columns added, removed or of another type, values of metrics).
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { LoadingBlock } from '../../components/spinner.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatCount, formatDuration, formatTime, formatValue, shortHash } from '../../components/format.ts';
import type { RunDetail } from '../../stores/api-types.ts';
import { PackageChanges } from './package-changes.tsx';
import { compareOutputs, compareVersions, rowDelta, type OutputChange, type VersionDoc } from './compare-diff.ts';
import { useCompare } from './compare-store.ts';
import { useState } from 'react';
import { DataDiffPanel } from '../monitor/data-diff-panel.tsx';
import { suggestedKey } from '../monitor/diff-key.ts';
import './compare.css';
import { NodeChangeSection } from './node-change-section.tsx';

async function load(ids: [string, string]) {
  const [x, y] = await Promise.all(ids.map((runId) => api.runs.get.query({ runId })));
  const [a, b] = x!.createdAt <= y!.createdAt ? [x!, y!] : [y!, x!];
  const hashes = [...new Set([a.versionHash, b.versionHash])];
  const versions = new Map((await Promise.all(hashes.map((hash) => api.runs.version.query({ hash })))).map((v) => [v.hash, v.definition as VersionDoc]));
  return { a, b, va: versions.get(a.versionHash)!, vb: versions.get(b.versionHash)! };
}

function RunCard({ run, label }: { run: RunDetail; label: string }) {
  const duration = run.startedAt && run.finishedAt ? run.finishedAt - run.startedAt : undefined;
  const params = Object.entries(run.params);
  return (
    <section className="compare-card" aria-label={`Run ${label}`}>
      <div className="compare-card-head">
        <span className="compare-letter" aria-hidden="true">{label}</span>
        <StatusBadge status={run.status} />
        <span className="mono">{shortHash(run.id)}</span>
      </div>
      <dl className="inspector-facts">
        <div className="fact"><dt>Started</dt><dd>{formatTime(run.startedAt ?? run.createdAt)}</dd></div>
        <div className="fact"><dt>Duration</dt><dd>{formatDuration(duration)}</dd></div>
        <div className="fact"><dt>Version</dt><dd className="mono">{shortHash(run.versionHash)}</dd></div>
        <div className="fact"><dt>Packages</dt><dd className="mono">{run.lockHash ? `lock ${shortHash(run.lockHash)} · Python ${run.pythonVersion ?? '?'}` : '—'}</dd></div>
        <div className="fact"><dt>Parameters</dt><dd className="mono">{params.length ? params.map(([k, v]) => `${k}=${formatValue(v)}`).join(', ') : '—'}</dd></div>
      </dl>
    </section>
  );
}

function SchemaCell({ o }: { o: OutputChange }) {
  if (o.only) return <span className="muted">only in run {o.only.toUpperCase()}</span>;
  if (o.rowsA === undefined && o.rowsB === undefined) return <span className="muted">a value, not a table</span>;
  const parts = [
    ...o.added.map((c) => <span key={`+${c.name}`} className="schema-add">+ {c.name} <span className="th-type">{c.type}</span></span>),
    ...o.removed.map((c) => <span key={`-${c.name}`} className="schema-del">− {c.name} <span className="th-type">{c.type}</span></span>),
    ...o.retyped.map((c) => <span key={`~${c.name}`} className="schema-type">{c.name}: {c.from} → {c.to}</span>),
  ];
  return parts.length ? <span className="schema-changes">{parts}</span> : <span className="muted">same columns</span>;
}

const cell = (rows?: number, value?: OutputChange['valueA']) => (rows !== undefined ? formatCount(rows) : value !== undefined ? formatValue(value) : '—');

export function CompareView() {
  const ids = useCompare((s) => s.comparing);
  const close = useCompare((s) => s.close);
  const q = useQuery(() => (ids ? load(ids) : Promise.reject(new Error('no runs picked'))), [ids?.[0], ids?.[1]]);
  const [diffing, setDiffing] = useState<string>();
  if (!ids) return null;

  const changes = q.data ? compareVersions(q.data.va, q.data.vb) : [];
  const changed = changes.filter((c) => c.change !== 'same');
  const outputs = q.data ? compareOutputs(q.data.a, q.data.b) : [];

  return (
    <div className="page-scroll">
      <div className="section compare" role="region" aria-label="Run comparison">
        <div className="section-head">
          <h2>Compare runs</h2>
          <div className="spacer" />
          <button className="btn small" onClick={close}>Back to run history</button>
        </div>
        {q.error && <ErrorNote title="Could not load the runs." message={q.error} />}
        {!q.data && !q.error && <LoadingBlock label="Loading both runs" />}
        {q.data && (
          <>
            <div className="compare-cards">
              <RunCard run={q.data.a} label="A" />
              <RunCard run={q.data.b} label="B" />
            </div>

            <h3 className="compare-h">Code and settings</h3>
            {q.data.a.versionHash === q.data.b.versionHash ? (
              <p className="muted">Both runs ran the same version of the workflow ({shortHash(q.data.a.versionHash)}).</p>
            ) : changed.length === 0 ? (
              <p className="muted">The versions differ only in layout or workflow settings.</p>
            ) : (
              <>
                <p className="muted">
                  {changed.length} of {changes.length} nodes changed from A to B.
                </p>
                {changed.map((c) => (
                  <NodeChangeSection key={c.id} change={c} />
                ))}
              </>
            )}

            <PackageChanges a={q.data.a.id} b={q.data.b.id} />

            <h3 className="compare-h">Outputs</h3>
            {outputs.length === 0 ? (
              <p className="muted">Neither run produced outputs.</p>
            ) : (
              <table className="list-table" aria-label="Output changes">
                <thead>
                  <tr>
                    <th scope="col">Node</th>
                    <th scope="col">A</th>
                    <th scope="col">B</th>
                    <th scope="col">Change</th>
                    <th scope="col">Schema</th>
                    <th scope="col" aria-label="Rows" />
                  </tr>
                </thead>
                <tbody>
                  {outputs.map((o) => (
                    <tr key={o.id} aria-label={`Output of ${o.id}`}>
                      <td className="mono">{o.id}</td>
                      <td className="num">{cell(o.rowsA, o.valueA)}</td>
                      <td className="num">{cell(o.rowsB, o.valueB)}</td>
                      <td>{o.rowsA !== undefined ? rowDelta(o.rowsA, o.rowsB) : o.valueA === o.valueB ? 'no change' : o.only ? '' : 'changed'}</td>
                      <td><SchemaCell o={o} /></td>
                      <td>
                        {o.rowsA !== undefined && o.rowsB !== undefined && (
                          <button className="btn small" aria-pressed={diffing === o.id} onClick={() => setDiffing(diffing === o.id ? undefined : o.id)}>
                            Diff rows
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {diffing && (
              <DataDiffPanel key={diffing} runA={q.data.a.id} runB={q.data.b.id} nodeId={diffing} suggestedKey={suggestedKey(q.data.vb, q.data.a, q.data.b, diffing)} />
            )}
          </>
        )}
      </div>
    </div>
  );
}

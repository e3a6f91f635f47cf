// The workflow's run history: every run with its trigger, status, duration, parameters,
// version and start time, and the engine that ran it (local or remote); runs can be
// narrowed to those with a parameter's value. Choosing one pins it on the graph, where
// each node's logs, output and error of that run can be opened. What a run published
// opens under its row; what the workflow published overall (lineage) is listed below.
import { Fragment, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { LoadingBlock } from '../../components/spinner.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatDuration, formatTime, shortHash } from '../../components/format.ts';
import { useRuns } from '../../stores/runs-store.ts';
import { useUi } from '../../stores/ui-store.ts';
import type { RunSummary } from '../../stores/api-types.ts';
import { CompareBar, ComparePick } from '../compare/compare-picker.tsx';
import { RunPublished } from '../lineage/run-published.tsx';
import { WorkflowPublished } from '../lineage/workflow-published.tsx';
import { EngineBadge } from '../engines/engine-badge.tsx';
import { ExportNotebookButton } from '../notebooks/export-notebook-button.tsx';
import { useGraph } from '../../stores/graph-store.ts';
import { OwnerLine, RunFacts } from './run-facts.tsx';
import '../reports/reports.css';

export function RunsList({ workflowId }: { workflowId: string }) {
  const [withPreviews, setWithPreviews] = useState(false);
  const finishedTick = useRuns((s) => s.finishedTick);
  const latest = useRuns((s) => s.latestByWorkflow[workflowId]);
  const live = useRuns((s) => s.runs);
  const pinRun = useUi((s) => s.pinRun);
  const setTab = useUi((s) => s.setTab);
  const q = useQuery<RunSummary[]>(
    () => api.runs.list.query({ workflowId, kind: withPreviews ? undefined : 'run', limit: 200 }),
    [workflowId, withPreviews, finishedTick, latest],
  );
  const published = useQuery<Record<string, number>>(() => api.lineage.countsByRun.query({ workflowId }), [workflowId, finishedTick]);
  const [expanded, setExpanded] = useState<string>();
  const workflow = useGraph((s) => (s.detail?.summary.id === workflowId ? s.detail.summary : undefined));
  const [filters, setFilters] = useState<Record<string, string>>({});
  const choices = paramValues(q.data ?? []);
  const shown = (q.data ?? []).filter((r) => Object.entries(filters).every(([k, v]) => !v || paramText(r.params[k]) === v));

  const open = (runId: string) => {
    pinRun(runId);
    setTab('graph');
  };

  return (
    <div className="page-scroll">
      <div className="section">
        <div className="section-head">
          <h2>Run history</h2>
          <div className="spacer" />
          {choices.length > 0 && (
            <div className="run-filters" role="group" aria-label="Filter runs by parameter">
              {choices.map(([name, values]) => (
                <label key={name}>
                  <span className="mono">{name}</span>{' '}
                  <select aria-label={`Only runs with ${name}`} value={filters[name] ?? ''} onChange={(e) => setFilters({ ...filters, [name]: e.target.value })}>
                    <option value="">any</option>
                    {values.map((v) => <option key={v} value={v}>{v}</option>)}
                  </select>
                </label>
              ))}
            </div>
          )}
          <CompareBar workflowId={workflowId} />
          <label className="check-label">
            <input type="checkbox" checked={withPreviews} onChange={(e) => setWithPreviews(e.target.checked)} /> Show previews
          </label>
        </div>
        <p className="runs-owner"><OwnerLine workflow={workflow} /></p>
        {q.error && <ErrorNote title="Could not load the runs." message={q.error} />}
        {!q.data && !q.error && <LoadingBlock label="Loading runs" />}
        {q.data && q.data.length === 0 && (
          <EmptyState title="No runs yet">Press Run (or {`Ctrl+Enter`}) to run the workflow; each run is listed here.</EmptyState>
        )}
        {q.data && q.data.length > 0 && shown.length === 0 && <p className="muted">No run has these parameter values.</p>}
        {q.data && shown.length > 0 && (
          <table className="list-table" aria-label="Runs">
            <thead>
              <tr>
                <th scope="col"><span className="sr-only">Compare</span></th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Trigger</th>
                <th scope="col">Parameters</th>
                <th scope="col">Kind</th>
                <th scope="col">Engine</th>
                <th scope="col">Version</th>
                <th scope="col">Packages</th>
                <th scope="col">Run</th>
                <th scope="col">Published</th>
                <th scope="col">Notebook</th>
                <th scope="col"><span className="sr-only">Details</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                // the live copy is newer while a run is going
                const s = live[r.id]?.summary ?? r;
                const duration = s.startedAt && s.finishedAt ? s.finishedAt - s.startedAt : undefined;
                const outputs = published.data?.[r.id] ?? 0;
                return (
                  <Fragment key={r.id}>
                    <tr
                      className="clickable"
                      tabIndex={0}
                      aria-label={`Run ${shortHash(r.id)}, ${s.status}, started ${formatTime(s.startedAt ?? s.createdAt)}`}
                      onClick={() => open(r.id)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          open(r.id);
                        }
                      }}
                    >
                      <td><ComparePick runId={r.id} /></td>
                      <td><StatusBadge status={s.status} /></td>
                      <td>{formatTime(s.startedAt ?? s.createdAt)}</td>
                      <td className="num">{formatDuration(duration)}</td>
                      <td>{s.trigger}</td>
                      <td className="mono run-params">{Object.entries(s.params).map(([k, v]) => `${k}=${paramText(v)}`).join(', ') || '—'}</td>
                      <td>{s.kind === 'preview' ? `preview of ${s.targetNode ?? '?'}` : 'run'}</td>
                      <td><EngineBadge engine={s.engine} /></td>
                      <td className="mono" title={s.versionHash}>{shortHash(s.versionHash)}</td>
                      <td className="mono" title={s.lockHash ? `requirements.lock ${s.lockHash}, Python ${s.pythonVersion ?? '?'}` : 'its own interpreter'}>{s.lockHash ? shortHash(s.lockHash) : '—'}</td>
                      <td className="mono">{shortHash(s.id)}</td>
                      <td>
                        {outputs > 0 ? (
                          <button
                            className="btn small published-btn"
                            aria-expanded={expanded === r.id}
                            aria-label={`Published by run ${shortHash(r.id)}: ${outputs} ${outputs === 1 ? 'output' : 'outputs'}`}
                            onClick={(e) => {
                              e.stopPropagation();
                              setExpanded(expanded === r.id ? undefined : r.id);
                            }}
                            onKeyDown={(e) => e.stopPropagation()}
                          >
                            {outputs} {outputs === 1 ? 'output' : 'outputs'}
                          </button>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td><ExportNotebookButton workflowId={workflowId} runId={r.id} label={`Export run ${shortHash(r.id)} as a notebook`} /></td>
                      <td>
                        <button
                          className="btn small ghost"
                          aria-expanded={expanded === r.id}
                          aria-label={`Details of run ${shortHash(r.id)}`}
                          onClick={(e) => {
                            e.stopPropagation();
                            setExpanded(expanded === r.id ? undefined : r.id);
                          }}
                          onKeyDown={(e) => e.stopPropagation()}
                        >
                          Details
                        </button>
                      </td>
                    </tr>
                    {expanded === r.id && (
                      <tr className="run-published-row">
                        <td colSpan={14}>
                          <RunFacts runId={r.id} workflow={workflow} onOpenVersion={() => open(r.id)} />
                          <RunPublished runId={r.id} label={`Published by run ${shortHash(r.id)}`} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <WorkflowPublished workflowId={workflowId} />
    </div>
  );
}

const paramText = (v: unknown) => (v === null || v === undefined ? 'null' : String(v));

/** Each parameter that differs between the runs listed, with its values (sorted as numbers where they are). */
function paramValues(runs: RunSummary[]): [string, string[]][] {
  const seen = new Map<string, Set<string>>();
  for (const r of runs) for (const [k, v] of Object.entries(r.params)) seen.set(k, (seen.get(k) ?? new Set()).add(paramText(v)));
  return [...seen]
    .filter(([, values]) => values.size > 1)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, values]) => [k, [...values].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))]);
}

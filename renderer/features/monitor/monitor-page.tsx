// What runs where: every workflow on one page, across the local runner and remote engines:
// runs going now, the last run, the newest failure or warning with its reasons one click
// away, the next scheduled slot, and the owner.
import { useEffect, useState } from 'react';
import { api } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { EmptyState, ErrorNote } from '../../components/empty-state.tsx';
import { formatAgo, formatTime, shortHash } from '../../components/format.ts';
import { LoadingBlock } from '../../components/spinner.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { useNow } from '../../components/use-now.ts';
import type { OverviewRow } from '../../stores/api-types.ts';
import { useRuns } from '../../stores/runs-store.ts';
import { useUi } from '../../stores/ui-store.ts';
import { EngineBadge } from '../engines/engine-badge.tsx';
import './monitor.css';

const POLL_MS = 15_000;

function openRun(workflowId: string, runId: string) {
  useUi.getState().openWorkflow(workflowId);
  useUi.getState().pinRun(runId);
}

function Reason({ row }: { row: OverviewRow }) {
  const p = row.lastProblem!;
  return (
    <div className={p.status === 'succeeded_with_warnings' ? 'monitor-reason warn' : 'monitor-reason'} role="region" aria-label={`Why ${row.name} ${p.status === 'succeeded_with_warnings' ? 'warned' : 'failed'}`}>
      <div>
        Run <button className="linklike mono" onClick={() => openRun(row.workflowId, p.runId)}>{shortHash(p.runId)}</button> · {formatTime(p.createdAt)}
        {p.error && <>: {p.error}</>}
      </div>
      {p.nodes.length > 0 && (
        <ul>
          {p.nodes.map((n) => (
            <li key={n.nodeId}><span className="mono">{n.nodeId}</span> ({n.status}){n.message ? `: ${n.message}` : ''}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function MonitorPage() {
  const finishedTick = useRuns((s) => s.finishedTick);
  const started = useRuns((s) => Object.keys(s.runs).length);
  const [poll, setPoll] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setPoll((n) => n + 1), POLL_MS);
    return () => clearInterval(t);
  }, []);
  const q = useQuery(() => api.monitor.overview.query(), [finishedTick, started, poll]);
  const [open, setOpen] = useState<string>();
  const now = useNow(true, 30_000);
  const rows = q.data ?? [];
  return (
    <div className="page-scroll">
      <div className="section monitor-page">
        <header className="home-head">
          <div>
            <h1>Monitor</h1>
            <p className="muted">Every workflow on every engine: what runs now, what failed or warned last and why, and what runs next.</p>
          </div>
        </header>
        {q.error && <ErrorNote title="Could not load the overview." message={q.error} />}
        {!q.data && !q.error && <LoadingBlock label="Loading the overview" />}
        {q.data && rows.length === 0 && <EmptyState title="No workflows yet">Open or create a workflow on the home page; its runs show up here.</EmptyState>}
        {rows.length > 0 && (
          <table className="list-table monitor-table" aria-label="What runs where">
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Now</th>
                <th scope="col">Last run</th>
                <th scope="col">Engine</th>
                <th scope="col">Last failure or warning</th>
                <th scope="col">Next scheduled</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const problem = r.lastProblem;
                const expanded = open === r.workflowId;
                return (
                  <tr key={r.workflowId} aria-label={`Workflow ${r.name}`} data-status={r.last?.status ?? 'never'}>
                    <td><button className="linklike" onClick={() => useUi.getState().openWorkflow(r.workflowId)}>{r.name}</button></td>
                    <td>
                      {r.running.length === 0 ? <span className="muted">—</span> : r.running.map((x) => (
                        <div key={x.runId}><StatusBadge status="running" /> <EngineBadge engine={x.engine} /> <span className="muted">{x.startedAt ? `since ${formatAgo(x.startedAt, now)}` : 'queued'}</span></div>
                      ))}
                    </td>
                    <td>{r.last ? <><StatusBadge status={r.last.status} /> <span className="muted">{formatAgo(r.last.finishedAt ?? r.last.createdAt, now)}</span></> : <span className="muted">never run</span>}</td>
                    <td>{r.last ? <EngineBadge engine={r.last.engine} /> : <span className="muted">—</span>}</td>
                    <td>
                      {problem ? (
                        <>
                          <button className="linklike" aria-expanded={expanded} onClick={() => setOpen(expanded ? undefined : r.workflowId)}>
                            <StatusBadge status={problem.status} /> {formatAgo(problem.createdAt, now)} · {expanded ? 'hide why' : 'why?'}
                          </button>
                          {expanded && <Reason row={r} />}
                        </>
                      ) : <span className="muted">none</span>}
                    </td>
                    <td>{r.nextScheduled ? formatTime(r.nextScheduled) : <span className="muted">{r.schedulePaused ? 'paused' : '—'}</span>}</td>
                    <td>{r.owner ?? <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

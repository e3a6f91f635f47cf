// One workflow on the home page: name, folder, main metric trend and last engine, last run, next scheduled run; rename in
// place, remove from the list (the home page asks what to do with its published outputs).
import { useState } from 'react';
import { StatusBadge } from '../../components/status.tsx';
import { formatAgo, formatDuration } from '../../components/format.ts';
import { PathText } from '../../components/path-text.tsx';
import type { WorkflowSummary } from '../../stores/api-types.ts';
import type { Schedule } from '../../../runner/schedule/types.ts';
import { ScheduleCell } from '../schedules/schedule-cell.tsx';
import { WorkflowTrend } from './workflow-trend.tsx';

export function WorkflowRow({
  workflow: w,
  schedule,
  scheduleKnown,
  onOpen,
  onOpenSchedule,
  onRename,
  onRemove,
}: {
  workflow: WorkflowSummary;
  schedule?: Schedule;
  /** false while the schedules are still loading (no "no schedule" flash) */
  scheduleKnown: boolean;
  onOpen(): void;
  onOpenSchedule(): void;
  onRename(name: string): Promise<void>;
  /** asks first (the home page's dialog): the files stay, published outputs are kept or dropped */
  onRemove(): void;
}) {
  const [mode, setMode] = useState<'view' | 'rename'>('view');
  const [name, setName] = useState(w.name);
  const last = w.lastRun;
  const took = last?.startedAt && last.finishedAt ? last.finishedAt - last.startedAt : undefined;

  return (
    <li className="wf-row" aria-label={w.name}>
      {mode === 'rename' ? (
        <form
          className="wf-row-main"
          onSubmit={(e) => {
            e.preventDefault();
            void onRename(name).then(() => setMode('view'));
          }}
        >
          <input type="text" aria-label="New name" value={name} autoFocus onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setMode('view')} />
          <button type="submit" className="btn small primary">Rename</button>
          <button type="button" className="btn small ghost" onClick={() => setMode('view')}>Cancel</button>
        </form>
      ) : (
        <button className="wf-row-main wf-open" onClick={onOpen} aria-label={`Open ${w.name}`}>
          <span className="wf-row-name">{w.name}</span>
          <PathText path={w.folder} className="wf-row-folder mono" />
          {w.owner && (
            <span className="wf-row-owner" title={`${w.owner.name} <${w.owner.email}>${w.ownerIsDefault ? ' (the user named in Settings)' : ''}`}>
              owner {w.owner.name}
              {w.watchers?.length ? ` · ${w.watchers.length} watching` : ''}
            </span>
          )}
        </button>
      )}
      <WorkflowTrend workflowId={w.id} lastRun={last} />
      <div className="wf-row-last">
        {last ? (
          <>
            <StatusBadge status={last.status} />
            <span className="muted">
              {formatAgo(last.startedAt ?? last.createdAt)}
              {took !== undefined ? ` · ${formatDuration(took)}` : ''}
            </span>
          </>
        ) : (
          <span className="muted">never run</span>
        )}
      </div>
      <div className="wf-row-schedule">{scheduleKnown && <ScheduleCell schedule={schedule} name={w.name} onOpen={onOpenSchedule} />}</div>
      <div className="wf-row-actions">
        <button className="btn small ghost" aria-label={`Rename ${w.name}`} onClick={() => setMode('rename')}>Rename</button>
        <button className="btn small ghost" aria-label={`Remove ${w.name}`} onClick={onRemove}>Remove…</button>
      </div>
    </li>
  );
}

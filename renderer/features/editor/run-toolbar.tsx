// The workflow's command bar: Run (with parameter overrides), Cancel while a run goes, a
// progress bar over the run's nodes, the outcome of the run on display, and Save.
import { ChevronDownIcon, PlayIcon, SaveIcon, StopIcon } from '../../components/icons.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useNow } from '../../components/use-now.ts';
import { StatusBadge } from '../../components/status.tsx';
import { formatDuration, formatTime, shortHash } from '../../components/format.ts';
import { selectDirty, useGraph } from '../../stores/graph-store.ts';
import { isFinished, runProgress, type LiveRun } from '../../stores/run-state.ts';
import { useUi } from '../../stores/ui-store.ts';
import { ParamsForm } from '../runs/params-form.tsx';
import { cancelRun, startRun } from '../runs/run-actions.ts';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

export function RunToolbar({ workflowId, run }: { workflowId: string; run?: LiveRun }) {
  const definition = useGraph((s) => s.detail?.definition);
  const nodeCount = useGraph((s) => s.nodes.length);
  const dirty = useGraph(selectDirty);
  const saving = useGraph((s) => s.saving);
  const save = useGraph((s) => s.save);
  const paramsOpen = useUi((s) => s.paramsOpen);
  const setParamsOpen = useUi((s) => s.setParamsOpen);
  const pinned = useUi((s) => s.pinnedRunId);
  const pinRun = useUi((s) => s.pinRun);
  const overrides = Object.keys(useUi((s) => s.paramDrafts[workflowId]) ?? {}).length;

  const active = !!run && !isFinished(run.summary.status);
  const { done, total } = runProgress(run, nodeCount);
  const params = definition?.parameters ?? {};
  const summary = run?.summary;
  const now = useNow(active);
  const elapsed = summary?.startedAt ? (summary.finishedAt ?? now) - summary.startedAt : undefined;

  return (
    <div className="toolbar" role="toolbar" aria-label="Workflow actions">
      <button
        className="btn primary"
        onClick={() => void startRun(workflowId)}
        disabled={active || !definition}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        title={`Run the whole workflow (${MOD}+Enter)`}
      >
        <PlayIcon /> Run <span className="kbd">{MOD}↵</span>
      </button>
      <div className="popover-anchor">
        <button
          className="btn"
          aria-expanded={paramsOpen}
          aria-haspopup="dialog"
          onClick={() => setParamsOpen(!paramsOpen)}
          disabled={!definition}
        >
          Parameters{overrides > 0 ? ` (${overrides})` : ''} <ChevronDownIcon />
        </button>
        {paramsOpen && definition && (
          <div className="popover" role="dialog" aria-label="Parameters">
            <ParamsForm workflowId={workflowId} specs={params} onRun={() => void startRun(workflowId)} />
          </div>
        )}
      </div>
      {active && run && (
        <button className="btn danger" onClick={() => void cancelRun(run.summary.id)}>
          <StopIcon /> Cancel
        </button>
      )}

      <div className="toolbar-status" aria-live="polite">
        {active && run ? (
          <>
            <Spinner label="Run in progress" delay={0} />
            <span>
              {run.summary.kind === 'preview' ? `Previewing ${run.summary.targetNode}` : 'Running'} · {done} of {total} nodes
            </span>
            <div
              className="progress"
              role="progressbar"
              aria-label="Run progress"
              aria-valuemin={0}
              aria-valuemax={total}
              aria-valuenow={done}
            >
              <div className="progress-fill" style={{ width: `${total ? (100 * done) / total : 0}%` }} />
            </div>
            <span className="muted">{formatDuration(elapsed)}</span>
          </>
        ) : summary ? (
          <>
            <StatusBadge status={summary.status} />
            <span className="muted">
              {pinned ? 'Viewing run' : summary.kind === 'preview' ? `Preview of ${summary.targetNode}` : 'Last run'}{' '}
              <span className="mono">{shortHash(summary.id)}</span> · {formatTime(summary.startedAt ?? summary.createdAt)} ·{' '}
              {formatDuration(elapsed)}
            </span>
            {pinned && (
              <button className="btn ghost small" onClick={() => pinRun(undefined)}>
                Back to latest
              </button>
            )}
          </>
        ) : (
          <span className="muted">Not run yet. Press Run to execute every node.</span>
        )}
      </div>

      <div className="spacer" />
      {dirty && <span className="muted">Unsaved changes</span>}
      <button className="btn" onClick={() => void save()} disabled={!dirty || saving || !definition} aria-keyshortcuts="Control+S Meta+S">
        {saving ? <Spinner label="Saving" delay={0} /> : <SaveIcon />} Save
      </button>
    </div>
  );
}

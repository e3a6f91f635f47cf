// When the workflow runs by itself: presets with a time of day (and weekday or day of the
// month) or a cron expression, said in words as it is typed, a time zone, and what to do
// about missed slots, runs that overlap and runs a crash interrupted. The next five runs
// show before saving; the runner validates, and its message appears beside the field it
// names. Saving writes the `schedule:` block of workflow.yaml too.
import { useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { Spinner } from '../../components/spinner.tsx';
import { useUi } from '../../stores/ui-store.ts';
import type { CatchUpPolicy, OverlapPolicy } from '../../../runner/schedule/types.ts';
import { describeCron } from './cron-presets.ts';
import { NextRuns, usePreview } from './next-runs.tsx';
import { PresetPicker } from './preset-picker.tsx';
import { fieldError, formatInZone, formatRelative, hasSeconds, LOCAL_ZONE, timeZones } from './schedule-format.ts';

export type ScheduleInfo = RouterOutputs['schedules']['get'];

const CATCHUP: { value: CatchUpPolicy; label: string }[] = [
  { value: 'skip', label: 'Skip them' },
  { value: 'once', label: 'Run once for all of them' },
  { value: 'each', label: 'Run each one (up to 50)' },
];
const RETRIES = [
  { value: 0, label: 'Leave it interrupted' },
  { value: 1, label: 'Retry once' },
  { value: 2, label: 'Retry up to 2 times' },
  { value: 3, label: 'Retry up to 3 times' },
  { value: 4, label: 'Retry up to 4 times' },
  { value: 5, label: 'Retry up to 5 times' },
];
const OVERLAP: { value: OverlapPolicy; label: string }[] = [
  { value: 'skip', label: 'Skip the new run' },
  { value: 'queue', label: 'Queue it until the previous ends' },
  { value: 'cancel', label: 'Cancel the previous run' },
];

export function ScheduleEditor({ workflowId, info, onChanged }: { workflowId: string; info: ScheduleInfo; onChanged(): void }) {
  const notify = useUi((s) => s.notify);
  const saved = info.schedule;
  const [cron, setCron] = useState(saved?.cron ?? '');
  const [timezone, setTimezone] = useState(saved?.timezone ?? LOCAL_ZONE);
  const [catchup, setCatchup] = useState<CatchUpPolicy>(saved?.catchup ?? 'skip');
  const [overlap, setOverlap] = useState<OverlapPolicy>(saved?.overlap ?? 'skip');
  const [retryInterrupted, setRetryInterrupted] = useState(saved?.retryInterrupted ?? 1);
  const [saveError, setSaveError] = useState<{ message: string; field?: string }>();
  const [busy, setBusy] = useState<string>();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const preview = usePreview(cron, timezone);
  const words = describeCron(preview.cron ?? cron);
  const zones = timeZones(saved?.timezone ?? info.runnerTimezone);

  const error = saveError ?? preview.error;
  const cronError = error && error.field !== 'timezone' ? error.message : undefined;
  const zoneError = error?.field === 'timezone' ? error.message : undefined;
  const changed = !saved || (preview.cron ?? cron.trim()) !== saved.cron || timezone !== saved.timezone || catchup !== saved.catchup || overlap !== saved.overlap || retryInterrupted !== saved.retryInterrupted;

  const act = async (what: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(what);
    try {
      await fn();
      notify('info', done);
      onChanged();
    } catch (e) {
      const err = fieldError(e);
      if (what === 'save') setSaveError(err);
      else notify('error', err.message);
    } finally {
      setBusy(undefined);
    }
  };
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setSaveError(undefined);
  };

  return (
    <section className="card sched-editor" aria-labelledby="schedule-title">
      <header className="card-head">
        <div>
          <h2 id="schedule-title">Schedule</h2>
          <ScheduleState info={info} />
        </div>
        {saved && (
          <div className="card-actions">
            {saved.paused ? (
              <button className="btn" disabled={!!busy} onClick={() => void act('resume', () => api.schedules.resume.mutate({ workflowId }), 'Schedule resumed.')}>
                {busy === 'resume' && <Spinner delay={0} label="Resuming" />} Resume
              </button>
            ) : (
              <button className="btn" disabled={!!busy} onClick={() => void act('pause', () => api.schedules.pause.mutate({ workflowId }), 'Schedule paused.')}>
                {busy === 'pause' && <Spinner delay={0} label="Pausing" />} Pause
              </button>
            )}
            {confirmRemove ? (
              <>
                <button className="btn danger" disabled={!!busy} onClick={() => void act('remove', () => api.schedules.remove.mutate({ workflowId }), 'Schedule removed.')}>
                  Remove schedule
                </button>
                <button className="btn ghost" onClick={() => setConfirmRemove(false)}>Keep</button>
              </>
            ) : (
              <button className="btn ghost" onClick={() => setConfirmRemove(true)}>Remove…</button>
            )}
          </div>
        )}
      </header>
      {info.fileProblem && (
        <p className="alert warn" role="alert">
          <strong>The schedule in workflow.yaml is not in effect.</strong> {info.fileProblem}
        </p>
      )}
      <form
        className="sched-form"
        aria-label="Schedule settings"
        onSubmit={(e) => {
          e.preventDefault();
          void act('save', () => api.schedules.set.mutate({ workflowId, cron, timezone, catchup, overlap, retryInterrupted }), 'Schedule saved (workflow.yaml updated).');
        }}
      >
        <PresetPicker cron={cron} onCron={edit(setCron)} />
        <div className="field-row cron-row">
          <div className="field">
            <label htmlFor="sched-cron">Cron expression</label>
            <input
              id="sched-cron"
              type="text"
              className="mono"
              value={cron}
              placeholder="30 2 * * *"
              spellCheck={false}
              onChange={(e) => edit(setCron)(e.target.value)}
              aria-invalid={cronError ? true : undefined}
              aria-describedby={cronError ? 'sched-cron-error' : 'sched-cron-help'}
            />
            {cronError ? (
              <p className="field-error" id="sched-cron-error" role="alert">{cronError}</p>
            ) : words ? (
              <p className="cron-words" id="sched-cron-help" aria-live="polite" aria-label="Schedule in words">
                {words}
                {timezone !== LOCAL_ZONE ? ` (${timezone})` : ''}
              </p>
            ) : (
              <p className="field-help" id="sched-cron-help">minute hour day month weekday: <code>30 2 * * 1-5</code> is 02:30 on weekdays</p>
            )}
          </div>
          <div className="field">
            <label htmlFor="sched-tz">Time zone</label>
            <select id="sched-tz" value={timezone} onChange={(e) => edit(setTimezone)(e.target.value)} aria-invalid={zoneError ? true : undefined}>
              {zones.map((z) => (
                <option key={z} value={z}>{z === LOCAL_ZONE ? `${z} (this computer)` : z === info.runnerTimezone ? `${z} (the runner's)` : z}</option>
              ))}
            </select>
            {zoneError && <p className="field-error" role="alert">{zoneError}</p>}
          </div>
        </div>
        <div className="field-row policy-row">
          <div className="field">
            <label htmlFor="sched-catchup">Runs missed while the app was closed</label>
            <select id="sched-catchup" value={catchup} onChange={(e) => edit(setCatchup)(e.target.value as CatchUpPolicy)}>
              {CATCHUP.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sched-overlap">When the previous run is still going</label>
            <select id="sched-overlap" value={overlap} onChange={(e) => edit(setOverlap)(e.target.value as OverlapPolicy)}>
              {OVERLAP.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sched-retry">A run interrupted by a crash</label>
            <select id="sched-retry" value={retryInterrupted} onChange={(e) => edit(setRetryInterrupted)(Number(e.target.value))} aria-describedby="sched-retry-help">
              {RETRIES.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
            <p className="field-help" id="sched-retry-help">when the app or computer stopped mid-run; you are told either way</p>
          </div>
        </div>
        <NextRuns preview={preview} timezone={timezone} />
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={!!busy || !cron.trim() || !!preview.error || !changed}>
            {busy === 'save' && <Spinner delay={0} label="Saving" />} {saved ? 'Save changes' : 'Save schedule'}
          </button>
          {saved && changed && <span className="muted">Unsaved changes</span>}
        </div>
      </form>
    </section>
  );
}

function ScheduleState({ info }: { info: ScheduleInfo }) {
  const s = info.schedule;
  if (!s) return <p className="muted">No schedule yet: the workflow runs only when started. Pick a preset or type a cron expression, check the next runs, then save.</p>;
  if (s.paused) {
    return (
      <p className="sched-state">
        <span className="badge" data-tone="warn">paused</span> <span className="muted">No runs until you resume. Times that pass meanwhile are not caught up.</span>
      </p>
    );
  }
  return (
    <p className="sched-state">
      <span className="badge" data-tone="ok">active</span>{' '}
      <span>
        {s.nextRunAt ? (
          <>
            Next run <strong>{formatInZone(s.nextRunAt, s.timezone, hasSeconds(s.cron))}</strong> <span className="muted">({s.timezone}, {formatRelative(s.nextRunAt)})</span>
          </>
        ) : (
          'It never fires again.'
        )}
      </span>
    </p>
  );
}

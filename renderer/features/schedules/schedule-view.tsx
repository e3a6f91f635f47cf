// The workflow page's Schedule tab: the schedule itself with its live preview, who is
// scheduling, chains to other workflows, how many outputs to keep, notifications, and
// the history of scheduled slots. It re-reads when the scheduler decides a slot (the
// runner's onSlot stream) and when a run of this workflow starts or ends.
import { useEffect, useState } from 'react';
import { api, type RouterOutputs } from '../../client/index.ts';
import { useQuery } from '../../app/use-query.ts';
import { ErrorNote } from '../../components/empty-state.tsx';
import { LoadingBlock } from '../../components/spinner.tsx';
import { useRuns } from '../../stores/runs-store.ts';
import type { SlotRecord } from '../../../runner/schedule/types.ts';
import { CascadesPanel } from './cascades-panel.tsx';
import { NotificationsPanel } from './notifications-panel.tsx';
import { RetentionPanel } from './retention-panel.tsx';
import { ScheduleEditor, type ScheduleInfo } from './schedule-editor.tsx';
import { SlotHistory } from './slot-history.tsx';
import './schedules.css';

type Status = RouterOutputs['schedules']['status'];

/** A counter that moves whenever the scheduler decides a slot of this workflow. */
function useSlotTick(workflowId: string): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const sub = api.schedules.onSlot.subscribe({ workflowId }, {
      onData: () => setTick((t) => t + 1),
      onError: (e) => console.error('slot stream failed', e),
    });
    return () => sub.unsubscribe();
  }, [workflowId]);
  return tick;
}

export function ScheduleView({ workflowId }: { workflowId: string }) {
  const slotTick = useSlotTick(workflowId);
  const finishedTick = useRuns((s) => s.finishedTick);
  const latest = useRuns((s) => s.latestByWorkflow[workflowId]);
  const [nonce, setNonce] = useState(0);
  const deps = [workflowId, slotTick, finishedTick, latest, nonce];
  const info = useQuery<ScheduleInfo>(() => api.schedules.get.query({ workflowId }), deps);
  const slots = useQuery<SlotRecord[]>(() => api.schedules.history.query({ workflowId, limit: 50 }), deps);
  const status = useQuery<Status>(() => api.schedules.status.query(), [nonce, slotTick]);
  const changed = () => setNonce((n) => n + 1);

  if (info.error && !info.data) return <div className="page-pad"><ErrorNote title="Could not load the schedule." message={info.error} /></div>;
  if (!info.data) return <LoadingBlock label="Loading the schedule" />;
  const timezone = info.data.schedule?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <div className="page-scroll">
      <div className="section sched-page">
        <div className="sched-grid">
          <div className="sched-main">
            <ScheduleEditor key={info.data.schedule?.updatedAt ?? 'none'} workflowId={workflowId} info={info.data} onChanged={changed} />
            {status.data && <SchedulerStatus status={status.data} />}
          </div>
          <div className="sched-side">
            <CascadesPanel workflowId={workflowId} />
            <RetentionPanel workflowId={workflowId} refresh={finishedTick} />
          </div>
        </div>
        <SlotHistory slots={slots.data ?? []} timezone={timezone} cron={info.data.schedule?.cron} />
        <NotificationsPanel workflowId={workflowId} />
      </div>
    </div>
  );
}

function SchedulerStatus({ status: s }: { status: Status }) {
  let text: string;
  if (s.role !== 'holder') {
    text = 'No scheduler is running: schedules fire only while Aqueduct (the desktop app, aqueduct serve or aqueduct scheduler) is running.';
  } else if (s.thisProcess) {
    text = `Scheduling happens in this app's runner (process ${s.holderPid} on ${s.holderHost}).`;
  } else {
    text = `Scheduling happens in another Aqueduct process (${s.holderPid} on ${s.holderHost}); this one takes over if it stops.`;
  }
  return (
    <p className="sched-status" role="note" aria-label="Scheduler" data-role={s.role}>
      <span className="status-dot" aria-hidden="true" /> {text}
    </p>
  );
}

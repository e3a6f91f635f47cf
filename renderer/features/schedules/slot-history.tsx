// Every slot the scheduler decided, newest first: whether it ran, and if not, why (missed
// while the app was closed, the previous run still going, ...). A slot that ran opens its
// run on the graph.
import { StatusBadge } from '../../components/status.tsx';
import { useUi } from '../../stores/ui-store.ts';
import type { SlotRecord } from '../../../runner/schedule/types.ts';
import { decisionLabel, formatInZone, formatRelative, hasSeconds } from './schedule-format.ts';

export function SlotHistory({ slots, timezone, cron }: { slots: SlotRecord[]; timezone: string; cron?: string }) {
  const pinRun = useUi((s) => s.pinRun);
  const setTab = useUi((s) => s.setTab);
  const open = (runId: string) => {
    pinRun(runId);
    setTab('graph');
  };

  return (
    <section className="card" aria-labelledby="slots-title">
      <header className="card-head">
        <div>
          <h2 id="slots-title">Schedule history</h2>
          <p className="muted">What the scheduler decided at each scheduled time, newest first.</p>
        </div>
      </header>
      {slots.length === 0 ? (
        <p className="card-empty muted" role="note">
          Nothing yet. Once the schedule’s first time comes, each one is listed here: whether it ran, and if not, why.
        </p>
      ) : (
        <table className="list-table flat" aria-label="Schedule history">
          <thead>
            <tr>
              <th scope="col">Scheduled for</th>
              <th scope="col">Decision</th>
              <th scope="col">Why</th>
              <th scope="col">Run</th>
            </tr>
          </thead>
          <tbody>
            {slots.map((s) => {
              const d = decisionLabel(s.decision);
              return (
                <tr key={s.id} data-decision={s.decision}>
                  <td>
                    {formatInZone(s.slotTime, timezone, hasSeconds(cron))} <span className="muted">· {formatRelative(s.slotTime)}</span>
                  </td>
                  <td>
                    <span className="badge" data-tone={d.tone}>{d.label}</span>
                  </td>
                  <td className="slot-reason">{s.reason}</td>
                  <td>
                    {s.runId ? (
                      <button className="btn small ghost" onClick={() => open(s.runId!)} aria-label={`Open run ${s.runId.slice(0, 8)}`}>
                        {s.runStatus && <StatusBadge status={s.runStatus} />} <span className="mono">{s.runId.slice(0, 8)}</span>
                      </button>
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

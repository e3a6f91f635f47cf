// Every check across runs as a row of cells (pass, warning, fail), oldest run left, so a
// check that started failing stands out at a glance.
import { formatTime, shortHash } from '../../components/format.ts';
import type { CheckTimeline } from './metric-series.ts';

const SYMBOL = { pass: '✓', warn: '!', fail: '✕' } as const;

export function CheckTimelineView({ timeline }: { timeline: CheckTimeline }) {
  const { runs, rows } = timeline;
  return (
    <div className="timeline" role="table" aria-label="Check history">
      <div className="timeline-row timeline-header" role="row">
        <div className="timeline-name" role="columnheader">Check</div>
        {runs.map((r, i) => (
          <div key={r.runId} className="timeline-cell-head" role="columnheader" title={`${shortHash(r.runId)} · ${formatTime(r.ts)}`}>
            #{i + 1}
          </div>
        ))}
      </div>
      {rows.map((row) => (
        <div key={row.nodeId} className="timeline-row" role="row">
          <div className="timeline-name" role="rowheader">
            {row.nodeId} <span className="muted">{row.severity}</span>
          </div>
          {row.cells.map((c, i) => (
            <div key={i} role="cell" className="timeline-cell-wrap">
              {c ? (
                <span
                  className="timeline-cell"
                  data-outcome={c.outcome}
                  aria-label={`${row.nodeId}, run #${i + 1}: ${c.outcome}${c.message ? ` (${c.message})` : ''}`}
                  title={`Run #${i + 1} · ${formatTime(c.ts)}${c.message ? `\n${c.message}` : ''}`}
                >
                  {SYMBOL[c.outcome]}
                </span>
              ) : (
                <span className="timeline-cell" data-outcome="none" aria-label={`${row.nodeId}, run #${i + 1}: not run`} />
              )}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

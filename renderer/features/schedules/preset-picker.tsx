// The presets of the Schedule tab, each with the detail people mean: hourly at a minute
// past the hour, daily at a time, weekly on a weekday at a time, monthly on a day at a
// time. Choosing or changing one writes the cron field; a cron typed by hand that is one
// of them shows as that preset with its details.
import { useState } from 'react';
import { presetCron, presetOf, timeText, WEEKDAYS, DEFAULT_PRESET, type Preset, type PresetKind } from './cron-presets.ts';

const KINDS: { kind: PresetKind; label: string }[] = [
  { kind: 'hourly', label: 'Hourly' },
  { kind: 'daily', label: 'Daily' },
  { kind: 'weekly', label: 'Weekly' },
  { kind: 'monthly', label: 'Monthly' },
];

export function PresetPicker({ cron, onCron }: { cron: string; onCron(cron: string): void }) {
  const [draft, setDraft] = useState<Preset>(() => presetOf(cron) ?? DEFAULT_PRESET);
  const matched = presetOf(cron, draft);
  // the details shown: the cron's own when it is a preset, else the last one chosen
  const shown = matched ?? draft;
  const change = (patch: Partial<Preset>) => {
    const next = { ...shown, ...patch };
    setDraft(next);
    onCron(presetCron(next));
  };

  return (
    <div className="preset-picker">
      <div className="preset-row" role="group" aria-label="Presets">
        {KINDS.map(({ kind, label }) => (
          <button key={kind} type="button" className="btn preset" aria-pressed={matched?.kind === kind} onClick={() => change({ kind })}>
            {label}
          </button>
        ))}
      </div>
      {matched && (
        <div className="preset-details" role="group" aria-label="Preset details">
          {shown.kind === 'hourly' ? (
            <label>
              at minute{' '}
              <input
                type="number"
                min={0}
                max={59}
                className="num-input"
                aria-label="Minute past the hour"
                value={shown.minute}
                onChange={(e) => change({ minute: Math.max(0, Math.min(59, Math.round(Number(e.target.value) || 0))) })}
              />{' '}
              past the hour
            </label>
          ) : (
            <>
              {shown.kind === 'weekly' && (
                <label>
                  on{' '}
                  <select aria-label="Day of the week" value={shown.weekday} onChange={(e) => change({ weekday: Number(e.target.value) })}>
                    {WEEKDAYS.map((d, i) => <option key={d} value={i}>{d}</option>)}
                  </select>
                </label>
              )}
              {shown.kind === 'monthly' && (
                <label>
                  on day{' '}
                  <input
                    type="number"
                    min={1}
                    max={31}
                    className="num-input"
                    aria-label="Day of the month"
                    value={shown.day}
                    onChange={(e) => change({ day: Math.max(1, Math.min(31, Math.round(Number(e.target.value) || 1))) })}
                  />
                </label>
              )}
              <label>
                at{' '}
                <input
                  type="time"
                  aria-label="Time of day"
                  value={timeText(shown)}
                  onChange={(e) => {
                    const [h, m] = e.target.value.split(':').map(Number);
                    if (Number.isInteger(h) && Number.isInteger(m)) change({ hour: h!, minute: m! });
                  }}
                />
              </label>
            </>
          )}
        </div>
      )}
    </div>
  );
}

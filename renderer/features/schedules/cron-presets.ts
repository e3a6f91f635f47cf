// Presets of the Schedule tab with the details people mean ("daily at 07:30", "weekly on
// Monday at 06:00", "monthly on day 1") as cron, and cron back into a preset when it is
// one, so the form and the cron field show the same schedule; plus the cron in words
// (cronstrue) as it is typed. Pure: unit-tested.
import cronstrue from 'cronstrue';

export type PresetKind = 'hourly' | 'daily' | 'weekly' | 'monthly';

export interface Preset {
  kind: PresetKind;
  /** 0–59 */
  minute: number;
  /** 0–23 (not for hourly) */
  hour: number;
  /** 0 Sunday … 6 Saturday (weekly) */
  weekday: number;
  /** 1–31 (monthly) */
  day: number;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const DEFAULT_PRESET: Preset = { kind: 'daily', minute: 0, hour: 0, weekday: 1, day: 1 };

export function presetCron(p: Preset): string {
  switch (p.kind) {
    case 'hourly':
      return `${p.minute} * * * *`;
    case 'daily':
      return `${p.minute} ${p.hour} * * *`;
    case 'weekly':
      return `${p.minute} ${p.hour} * * ${p.weekday}`;
    case 'monthly':
      return `${p.minute} ${p.hour} ${p.day} * *`;
  }
}

const int = (s: string, min: number, max: number) => (/^\d{1,2}$/.test(s) && Number(s) >= min && Number(s) <= max ? Number(s) : undefined);

/** The preset a five-field cron is, if it is one (with `base` filling the details it does not set). */
export function presetOf(cron: string, base: Preset = DEFAULT_PRESET): Preset | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return undefined;
  const [mi, h, dom, mon, dow] = f as [string, string, string, string, string];
  const minute = int(mi, 0, 59);
  if (minute === undefined || mon !== '*') return undefined;
  if (h === '*' && dom === '*' && dow === '*') return { ...base, kind: 'hourly', minute };
  const hour = int(h, 0, 23);
  if (hour === undefined) return undefined;
  if (dom === '*' && dow === '*') return { ...base, kind: 'daily', minute, hour };
  const weekday = dow === '7' ? 0 : int(dow, 0, 6);
  if (dom === '*' && weekday !== undefined) return { ...base, kind: 'weekly', minute, hour, weekday };
  const day = int(dom, 1, 31);
  if (day !== undefined && dow === '*') return { ...base, kind: 'monthly', minute, hour, day };
  return undefined;
}

/** "07:30" as the time field shows it. */
export const timeText = (p: Pick<Preset, 'hour' | 'minute'>) => `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;

/** "At 07:30, only on Monday": the cron in words, or undefined while it does not parse. */
export function describeCron(cron: string): string | undefined {
  const c = cron.trim();
  if (!c || c.startsWith('@')) return undefined;
  try {
    return cronstrue.toString(c, { use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
  } catch {
    return undefined;
  }
}

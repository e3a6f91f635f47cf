// How schedule times and decisions read on the Schedule tab and the home page. A slot is
// shown in the schedule's own zone (that is what the cron means) and, when the viewer's
// zone differs, in local time too, since "00:00 Europe/Berlin" is not midnight everywhere.
import { TRPCClientError } from '../../client/index.ts';
import type { SlotDecision } from '../../../runner/schedule/types.ts';
import type { Tone } from '../../components/format.ts';

export const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string, withDate: boolean, seconds = false): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}|${seconds}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    formats.set(key, f);
  }
  return f;
}

/** A cron with a seconds field fires more than once a minute: its times show seconds. */
export const hasSeconds = (cron: string | undefined) => (cron ?? '').trim().split(/\s+/).length === 6;

/** "Tue 2 Jun 2026, 00:00" in the zone. */
export function formatInZone(ms: number, timeZone: string, seconds = false): string {
  try {
    return fmt(timeZone, true, seconds).format(ms);
  } catch {
    return fmt('UTC', true, seconds).format(ms);
  }
}

/** Local time ("00:00"), with the date too when the local day is not the day in `zoneOfOther`. */
export function formatLocal(ms: number, zoneOfOther: string, seconds = false): string {
  const dayThere = fmt(zoneOfOther, true).format(ms).split(',')[0];
  const here = fmt(LOCAL_ZONE, true, seconds).format(ms);
  return here.split(',')[0] === dayThere ? fmt(LOCAL_ZONE, false, seconds).format(ms) : here;
}

/** "in 3 h 20 min", "in 45 s", "5 min ago", "in 2 days"; `coarse` drops the minutes of hours. */
export function formatRelative(ms: number, now = Date.now(), coarse = false): string {
  const d = ms - now;
  const s = Math.round(Math.abs(d) / 1000);
  let text: string;
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.round(s / 60)} min`;
  else if (s < 24 * 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s - h * 3600) / 60);
    text = m && !coarse ? `${h} h ${m} min` : `${coarse ? Math.round(s / 3600) : h} h`;
  } else {
    const days = Math.round(s / 86400);
    text = days === 1 ? '1 day' : `${days} days`;
  }
  return d >= 0 ? `in ${text}` : `${text} ago`;
}

const DECISIONS: Record<SlotDecision, { label: string; tone: Tone }> = {
  ran: { label: 'ran', tone: 'ok' },
  skipped_missed: { label: 'skipped: missed', tone: 'muted' },
  skipped_overlap: { label: 'skipped: still running', tone: 'warn' },
  queued: { label: 'queued', tone: 'run' },
  cancelled_previous: { label: 'ran, cancelled previous', tone: 'warn' },
  failed_to_start: { label: 'could not start', tone: 'fail' },
};

export function decisionLabel(d: SlotDecision): { label: string; tone: Tone } {
  return DECISIONS[d] ?? { label: d, tone: 'muted' };
}

/** The server's message and the input it names (`data.field`), for an inline error. */
export function fieldError(e: unknown): { message: string; field?: string } {
  if (e instanceof TRPCClientError) {
    const data = e.data as { field?: string } | undefined;
    return { message: e.message, field: data?.field ?? undefined };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

/** Every IANA zone the browser knows, with UTC and `extra` (a stored zone) surely in it. */
export function timeZones(extra?: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const set = new Set(['UTC', ...all]);
  if (extra) set.add(extra);
  set.add(LOCAL_ZONE);
  return [...set].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

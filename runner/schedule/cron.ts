// Cron expressions in an IANA time zone: validation with messages naming the field,
// presets, and the slot sequence the scheduler walks. Croner does the calendar maths.
//
// Daylight-saving time, decided here (tested in cron.test.ts with Europe/Berlin):
// - A local time that does not exist (spring forward, 02:30 on 2026-03-29) fires once,
//   shifted forward by the gap: 03:30 CEST. That is croner's behaviour.
// - A local time that occurs twice (fall back, 02:30 on 2026-10-25) fires once, at its
//   first occurrence (02:30 CEST): croner's behaviour, and Vixie cron's for fixed times.
// - Except schedules whose hour field is a wildcard (hourly, every N minutes): they
//   follow elapsed time, as Vixie cron does, so they also fire in the repeated hour
//   (02:00 CET after 02:00 CEST). Croner alone skips it; nextSlot() adds it back. An
//   hourly schedule therefore has 23 slots on the spring day and 25 on the autumn day.
import { Cron } from 'croner';

export type Preset = 'hourly' | 'daily' | 'weekly' | 'monthly';
export const PRESETS: Record<Preset, string> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
};

export const CRON_EXAMPLE = '"30 2 * * *" (every day at 02:30) or a preset: hourly, daily, weekly, monthly';

export class ScheduleInvalidError extends Error {
  constructor(
    readonly field: string,
    /** the sentence without the field and example, for messages that name those themselves */
    readonly reason: string,
    readonly example?: string,
  ) {
    super(`schedule.${field}: ${reason}${example ? ` (example: ${example})` : ''}`);
    this.name = 'ScheduleInvalidError';
  }
}

/** The machine's IANA zone: the default for new schedules. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function checkTimeZone(tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new ScheduleInvalidError('timezone', `"${tz}" is not an IANA time zone`, '"Europe/Berlin", "America/New_York" or "UTC"');
  }
}

/** A preset name, an @nickname or a 5-field (or 6-field, with seconds) cron expression, normalised. */
export function normaliseCron(expr: string): string {
  const e = expr.trim();
  if (Object.hasOwn(PRESETS, e)) return PRESETS[e as Preset];
  if (e.startsWith('@')) {
    const nick = e.slice(1).toLowerCase();
    if (Object.hasOwn(PRESETS, nick)) return PRESETS[nick as Preset];
    if (nick === 'yearly' || nick === 'annually') return '0 0 1 1 *';
    if (nick === 'midnight') return PRESETS.daily;
    throw new ScheduleInvalidError('cron', `"${e}" is not a known nickname`, CRON_EXAMPLE);
  }
  return e.split(/\s+/).join(' ');
}

export interface CompiledCron {
  cron: string;
  timezone: string;
  /** hour field starts with "*": follows elapsed time through a repeated hour */
  hourWildcard: boolean;
  zoned: Cron;
  byOffset: Map<number, Cron>;
  offsetFormat: Intl.DateTimeFormat;
}

const compiledCache = new Map<string, CompiledCron>();

/** Validates and compiles; throws ScheduleInvalidError naming the field and an example. */
export function compileCron(expr: string, timezone: string): CompiledCron {
  const key = `${expr}\u0000${timezone}`;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const tz = checkTimeZone(timezone);
  const cron = normaliseCron(expr);
  const fields = cron.split(' ');
  if (fields.length !== 5 && fields.length !== 6) {
    throw new ScheduleInvalidError('cron', `"${expr}" has ${fields.length} fields; a cron expression has 5 (minute hour day month weekday)`, CRON_EXAMPLE);
  }
  let zoned: Cron;
  try {
    zoned = new Cron(cron, { timezone: tz, mode: '5-or-6-parts' });
  } catch (e) {
    const why = (e as Error).message.replace(/^CronPattern: /, '');
    throw new ScheduleInvalidError('cron', `"${expr}" is not a valid cron expression: ${why}`, CRON_EXAMPLE);
  }
  if (!zoned.nextRun(new Date())) {
    throw new ScheduleInvalidError('cron', `"${expr}" never fires (no such date)`, CRON_EXAMPLE);
  }
  const hourField = fields.length === 6 ? fields[2]! : fields[1]!;
  const compiled: CompiledCron = {
    cron,
    timezone: tz,
    hourWildcard: hourField.startsWith('*'),
    zoned,
    byOffset: new Map(),
    offsetFormat: new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }),
  };
  if (compiledCache.size > 5000) compiledCache.clear();
  compiledCache.set(key, compiled);
  return compiled;
}

/** The zone's UTC offset in minutes at an instant. */
export function offsetAt(c: CompiledCron, ms: number): number {
  const name = c.offsetFormat.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function fixedOffsetCron(c: CompiledCron, offset: number): Cron {
  let cron = c.byOffset.get(offset);
  if (!cron) {
    cron = new Cron(c.cron, { utcOffset: offset, mode: '5-or-6-parts' });
    c.byOffset.set(offset, cron);
  }
  return cron;
}

const WEEK = 7 * 24 * 3600_000;

/** The first slot strictly after `after` (ms), or null if the expression never fires again. */
export function nextSlot(c: CompiledCron, after: number): number | null {
  // Fast path: between two DST changes a zone is a fixed offset, and croner with a
  // fixed offset is ten times cheaper than with a zone name.
  const offset = offsetAt(c, after + 1);
  const fast = fixedOffsetCron(c, offset).nextRun(new Date(after))?.getTime() ?? null;
  if (fast !== null && fast - after <= WEEK && offsetAt(c, fast) === offset) return fast;
  // A DST change lies between: ask croner in the zone itself.
  let zoned = c.zoned.nextRun(new Date(after))?.getTime() ?? null;
  while (zoned !== null && zoned <= after) zoned = c.zoned.nextRun(new Date(after + 1000))?.getTime() ?? null;
  if (c.hourWildcard && fast !== null && fast > after && (zoned === null || fast < zoned) && c.zoned.match(new Date(fast))) {
    return fast; // the repeated hour, which croner skips (see the top of this file)
  }
  return zoned;
}

/** Slots in (after, until], oldest first, at most `limit`; `more` says the limit cut it short. */
export function slotsBetween(c: CompiledCron, after: number, until: number, limit: number): { slots: number[]; more: boolean } {
  const slots: number[] = [];
  let t = after;
  for (;;) {
    const n = nextSlot(c, t);
    if (n === null || n > until) return { slots, more: false };
    if (slots.length === limit) return { slots, more: true };
    slots.push(n);
    t = n;
  }
}

/** The `n` latest slots at or before `until`, oldest first (for long gaps: no walk from the start). */
export function latestSlots(c: CompiledCron, until: number, n: number): number[] {
  return c.zoned
    .previousRuns(n, new Date(until + 1000))
    .map((d) => d.getTime())
    .filter((t) => t <= until)
    .reverse();
}

/** The next `n` times a schedule fires after `from`, for the UI ("next runs"). */
export function nextRuns(expr: string, timezone: string, n = 5, from: number = Date.now()): Date[] {
  const c = compileCron(expr, timezone);
  const out: Date[] = [];
  let t = from;
  while (out.length < n) {
    const next = nextSlot(c, t);
    if (next === null) break;
    out.push(new Date(next));
    t = next;
  }
  return out;
}

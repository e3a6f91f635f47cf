// Built-in parameters every node gets besides the workflow's own: the run's date and time
// and, for a scheduled run, its slot's time. SQL reads them as $today, $run_time and
// $slot_time, Python's run() as arguments of those names; the bundle runtime gives the
// same (aqueduct_runtime/builtins.py). They are never stored with the run's parameters.
//   run_time   when the run started, as ISO 8601 in UTC ('2024-05-01T06:00:00.000Z')
//   slot_time  the schedule slot the run is for; the run's time when it was not scheduled
//   today      the date of slot_time in the schedule's time zone (else the machine's), 'YYYY-MM-DD'
// A workflow parameter of the same name wins over a built-in one.
import type { ParamValue } from '../api/types.ts';

export const BUILTIN_PARAMS = ['today', 'run_time', 'slot_time'] as const;

export function isBuiltinParam(name: string): boolean {
  return (BUILTIN_PARAMS as readonly string[]).includes(name);
}

/** 'YYYY-MM-DD' of an instant in a time zone (the machine's when none is given). */
export function dateIn(ms: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function builtinParams(runTime: number, slotTime: number | undefined, timeZone?: string): Record<string, ParamValue> {
  const slot = slotTime ?? runTime;
  return { today: dateIn(slot, timeZone), run_time: new Date(runTime).toISOString(), slot_time: new Date(slot).toISOString() };
}

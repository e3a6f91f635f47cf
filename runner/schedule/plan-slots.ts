// What to do with the slots that fell due since a schedule's cursor: a pure function, so
// catch-up and overlap rules are tested without a database or a clock.
// Only the latest due slot can be "on time" (and only within the grace period); every
// earlier one was missed (the machine slept, or no scheduler ran) and the catch-up
// policy decides: skip them all, run once for all, or run each (the newest maxCatchup).
import { latestSlots, slotsBetween, type CompiledCron } from './cron.ts';
import type { CatchUpPolicy, OverlapPolicy, SlotDecision } from './types.ts';

/** Slots walked one by one before a gap counts as huge and is summarised. */
export const MAX_WALKED_SLOTS = 1000;

export interface PlanContext {
  now: number;
  cursor: number;
  graceMs: number;
  maxCatchup: number;
  catchup: CatchUpPolicy;
  overlap: OverlapPolicy;
  /** a run of this workflow still in progress */
  active?: { runId: string; cancellable: boolean; pid?: number };
  /** a slot of this schedule is already waiting to start */
  waiting: boolean;
}

export interface PlannedSlot {
  slotTime: number;
  decision: SlotDecision;
  reason: string;
  /** for cancelled_previous: the run to cancel */
  cancelRunId?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const short = (id: string) => id.slice(0, 8);

export function planSlots(c: CompiledCron, ctx: PlanContext): { slots: PlannedSlot[]; cursor: number } {
  const walked = slotsBetween(c, ctx.cursor, ctx.now, MAX_WALKED_SLOTS);
  let due = walked.slots;
  const out: PlannedSlot[] = [];
  if (walked.more) {
    // a long gap: decide the newest slots one by one and summarise everything before them
    const recent = latestSlots(c, ctx.now, ctx.maxCatchup + 2).filter((t) => t > ctx.cursor);
    const [summary, ...rest] = recent;
    if (summary !== undefined) {
      out.push({
        slotTime: summary,
        decision: 'skipped_missed',
        reason: `missed: this and every earlier slot since ${iso(ctx.cursor)} fell due while no scheduler was running (more than ${MAX_WALKED_SLOTS}); skipped`,
      });
    }
    due = rest;
  }
  if (due.length === 0) return { slots: out, cursor: out.length ? out[out.length - 1]!.slotTime : ctx.cursor };

  const last = due[due.length - 1]!;
  const onTime = ctx.now - last <= ctx.graceMs;
  const missed = onTime ? due.slice(0, -1) : due;
  const whyMissed = 'missed: it fell due while no scheduler was running (asleep, shut down or stopped)';
  let candidate: { slotTime: number; reason: string } | undefined = onTime ? { slotTime: last, reason: 'on time' } : undefined;
  let queuedBehind = 0;

  if (ctx.catchup === 'skip') {
    for (const t of missed) out.push({ slotTime: t, decision: 'skipped_missed', reason: `${whyMissed}; catch-up policy skip` });
  } else if (ctx.catchup === 'once') {
    const runOne = candidate ? undefined : missed[missed.length - 1];
    for (const t of missed) {
      if (t === runOne) continue;
      out.push({ slotTime: t, decision: 'skipped_missed', reason: `${whyMissed}; catch-up policy once: only ${candidate ? 'the on-time slot' : 'the latest missed slot'} runs` });
    }
    if (runOne !== undefined) candidate = { slotTime: runOne, reason: `caught up once for ${missed.length} missed slot${missed.length === 1 ? '' : 's'}` };
  } else {
    const runFrom = Math.max(0, missed.length - ctx.maxCatchup);
    missed.forEach((t, i) => {
      if (i < runFrom) {
        out.push({ slotTime: t, decision: 'skipped_missed', reason: `${whyMissed}; catch-up policy each runs at most the ${ctx.maxCatchup} latest missed slots` });
      } else {
        out.push({ slotTime: t, decision: 'queued', reason: `${whyMissed}; catch-up policy each: runs late, one after another` });
        queuedBehind++;
      }
    });
  }

  if (candidate) {
    const blocked = ctx.active || ctx.waiting || queuedBehind > 0;
    if (!blocked) {
      out.push({ slotTime: candidate.slotTime, decision: 'ran', reason: candidate.reason });
    } else if (queuedBehind > 0) {
      out.push({ slotTime: candidate.slotTime, decision: 'queued', reason: `${candidate.reason}; queued behind ${queuedBehind} caught-up run${queuedBehind === 1 ? '' : 's'}` });
    } else {
      out.push(overlapDecision(candidate, ctx));
    }
  }
  return { slots: out, cursor: last };
}

function overlapDecision(candidate: { slotTime: number; reason: string }, ctx: PlanContext): PlannedSlot {
  const { slotTime } = candidate;
  const active = ctx.active;
  const busy = active ? `run ${short(active.runId)} of this workflow is still running` : 'an earlier slot is still waiting to start';
  if (ctx.overlap === 'skip') return { slotTime, decision: 'skipped_overlap', reason: `${busy} (overlap policy skip)` };
  if (ctx.waiting) return { slotTime, decision: 'skipped_overlap', reason: `${busy} and another slot is already queued (overlap policy ${ctx.overlap} keeps one waiting)` };
  if (ctx.overlap === 'cancel' && active?.cancellable) {
    return { slotTime, decision: 'cancelled_previous', reason: `${busy}: cancelled it to start this slot (overlap policy cancel)`, cancelRunId: active.runId };
  }
  if (ctx.overlap === 'cancel' && active) {
    return { slotTime, decision: 'queued', reason: `${busy} in another process${active.pid ? ` (pid ${active.pid})` : ''}, which cannot be cancelled from here; queued instead (overlap policy cancel)` };
  }
  return { slotTime, decision: 'queued', reason: `${busy}; starts when it finishes (overlap policy queue)` };
}

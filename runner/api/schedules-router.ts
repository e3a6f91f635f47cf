// `schedules.*`: everything the Schedule tab does. Schedules (one per workflow) are
// validated at the edge (a bad cron is BAD_REQUEST with `data.field`) and written back
// into workflow.yaml so file and store agree; slot decisions, cascades, retention and
// notification settings are plain calls of the ScheduleService. Secrets are write-only:
// reads say whether a webhook or password is set, never what it is.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { compileCron, localTimeZone, PRESETS } from '../schedule/cron.ts';
import type { SlotRecord } from '../schedule/types.ts';
import type { NotificationSettings, RunNotification, SmtpSettings } from '../notify/types.ts';
import { notFound, procedure, router, type ApiContext } from './context.ts';
import { subscriptionStream } from './subscription-stream.ts';
import { applySchedule, asUserError, fileScheduleProblem } from './schedule-file.ts';
import { requireWorkflow } from './workflows-router.ts';

const wf = z.object({ workflowId: z.string().min(1) });
const catchup = z.enum(['skip', 'once', 'each']);
const overlap = z.enum(['skip', 'queue', 'cancel']);

/** What the UI sees of a workflow's notification settings: no webhook URL, just whether one is set. */
export interface NotificationSettingsView {
  onFailure: boolean;
  onWarning: boolean;
  onSuccess: boolean;
  emailTo: string[];
  desktop: boolean;
  hasWebhook: boolean;
}

/** The SMTP server without its password. */
export interface SmtpView {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  from: string;
  hasPassword: boolean;
  /** the login may go without TLS (a server on this machine only) */
  allowPlainAuth: boolean;
}

const settingsView = (s: NotificationSettings): NotificationSettingsView => ({
  onFailure: s.onFailure, onWarning: s.onWarning, onSuccess: s.onSuccess, emailTo: s.emailTo, desktop: s.desktop, hasWebhook: s.slackWebhookSet,
});
const smtpView = (s: SmtpSettings | undefined): SmtpView | null =>
  s ? { host: s.host, port: s.port, secure: s.secure, user: s.user ?? null, from: s.from, hasPassword: s.passwordSet, allowPlainAuth: s.allowPlainAuth } : null;

function requireSchedule(ctx: ApiContext, workflowId: string) {
  const s = ctx.schedules.getSchedule(workflowId);
  if (!s) throw notFound(`a schedule of workflow ${workflowId}`);
  return s;
}


const cascadesRouter = router({
  list: procedure.input(z.object({ workflowId: z.string().min(1).optional() }).default({})).query(({ ctx, input }) => ctx.schedules.listCascades(input.workflowId)),

  /** "run downstream after upstream succeeds"; a cycle is refused, naming it */
  add: procedure
    .input(z.object({ upstreamWorkflowId: z.string().min(1), downstreamWorkflowId: z.string().min(1) }))
    .mutation(({ ctx, input }) => {
      requireWorkflow(ctx, input.upstreamWorkflowId);
      requireWorkflow(ctx, input.downstreamWorkflowId);
      return asUserError(() => ctx.schedules.addCascade(input.upstreamWorkflowId, input.downstreamWorkflowId));
    }),

  remove: procedure.input(z.object({ id: z.string().min(1) })).mutation(({ ctx, input }) => ({ removed: ctx.schedules.removeCascade(input.id) })),
});

const retentionRouter = router({
  /** the global K, this workflow's own K (null: the global one) and the space its runs use */
  get: procedure.input(wf).query(({ ctx, input }) => {
    requireWorkflow(ctx, input.workflowId);
    const r = ctx.schedules.getRetention();
    const own = r.perWorkflow.find((p) => p.workflowId === input.workflowId)?.keepRuns ?? null;
    const usage = ctx.schedules.retentionUsage().find((u) => u.workflowId === input.workflowId) ?? null;
    return { globalKeepRuns: r.keepRuns, keepRuns: own ?? r.keepRuns, own, usage };
  }),

  /** with a workflow: its own K (null returns it to the global one), applied at once; without: the global K */
  set: procedure
    .input(z.object({ workflowId: z.string().min(1).optional(), keepRuns: z.number().nullable() }))
    .mutation(({ ctx, input }) => {
      if (input.workflowId) {
        requireWorkflow(ctx, input.workflowId);
        asUserError(() => ctx.schedules.setWorkflowRetention(input.workflowId!, input.keepRuns ?? undefined));
      } else {
        if (input.keepRuns === null) throw new TRPCError({ code: 'BAD_REQUEST', message: 'keepRuns: the global setting needs a number of runs (example: 20)' });
        asUserError(() => ctx.schedules.setGlobalRetention(input.keepRuns!));
      }
      const applied = ctx.schedules.applyRetention(input.workflowId);
      return { deleted: applied.deleted.length, bytesFreed: applied.bytesFreed };
    }),

  usage: procedure.query(({ ctx }) => ctx.schedules.retentionUsage()),
});

const notificationsRouter = router({
  get: procedure.input(wf).query(({ ctx, input }) => {
    requireWorkflow(ctx, input.workflowId);
    return { settings: settingsView(ctx.schedules.getNotificationSettings(input.workflowId)), smtp: smtpView(ctx.schedules.getSmtp()) };
  }),

  /** `slackWebhookUrl`: a new URL replaces the stored one, null removes it, absent keeps it */
  set: procedure
    .input(
      wf.extend({
        onFailure: z.boolean().optional(),
        onWarning: z.boolean().optional(),
        onSuccess: z.boolean().optional(),
        desktop: z.boolean().optional(),
        emailTo: z.array(z.string()).optional(),
        slackWebhookUrl: z.string().trim().min(1).nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      requireWorkflow(ctx, input.workflowId);
      const { workflowId, ...settings } = input;
      return settingsView(asUserError(() => ctx.schedules.setNotificationSettings(workflowId, settings)));
    }),

  /** the app-wide SMTP server; `password` as for the webhook: new, null (remove) or absent (keep) */
  setSmtp: procedure
    .input(
      z.object({
        host: z.string().trim(),
        port: z.number().int().optional(),
        secure: z.boolean().optional(),
        user: z.string().trim().optional(),
        password: z.string().min(1).nullable().optional(),
        from: z.string().trim(),
        allowPlainAuth: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => smtpView(asUserError(() => ctx.schedules.setSmtp(input)))!),

  /** sends a test message on every channel the workflow has; each channel's outcome */
  test: procedure.input(wf).mutation(({ ctx, input }) => {
    requireWorkflow(ctx, input.workflowId);
    return ctx.schedules.sendTestNotification(input.workflowId);
  }),

  /** the desktop shell's feed: what to show as OS notifications */
  onDesktop: procedure.subscription(async function* ({ ctx, signal }) {
    const desktop = ctx.desktop;
    if (!desktop) return;
    yield* subscriptionStream<RunNotification>((push) => desktop.onNotification(push), signal);
  }),
});

export const schedulesRouter = router({
  /** every schedule with its next run (the home page) */
  list: procedure.query(({ ctx }) => ctx.schedules.listSchedules()),

  get: procedure.input(wf).query(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return {
      schedule: ctx.schedules.getSchedule(w.id) ?? null,
      /** why workflow.yaml's schedule block is not in effect, if it is not */
      fileProblem: fileScheduleProblem(w.folder) ?? null,
      presets: PRESETS,
      /** the zone this runner is in (the browser may be elsewhere) */
      runnerTimezone: localTimeZone(),
    };
  }),

  /**
   * creates or changes the schedule; a paused one stays paused unless `paused` says otherwise,
   * and the retries of interrupted runs stay as they were unless `retryInterrupted` is given
   */
  set: procedure
    .input(
      wf.extend({
        cron: z.string(),
        timezone: z.string().optional(),
        catchup: catchup.optional(),
        overlap: overlap.optional(),
        paused: z.boolean().optional(),
        retryInterrupted: z.number().optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const w = requireWorkflow(ctx, input.workflowId);
      const { workflowId: _id, ...rest } = input;
      const old = ctx.schedules.getSchedule(w.id);
      return applySchedule(ctx.schedules, w.id, w.folder, {
        ...rest,
        paused: input.paused ?? old?.paused ?? false,
        retryInterrupted: input.retryInterrupted ?? old?.retryInterrupted,
      })!;
    }),

  pause: procedure.input(wf).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return applySchedule(ctx.schedules, w.id, w.folder, { ...requireSchedule(ctx, w.id), paused: true })!;
  }),

  /** slots that passed while paused are not "missed": the timetable goes on from now */
  resume: procedure.input(wf).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return applySchedule(ctx.schedules, w.id, w.folder, { ...requireSchedule(ctx, w.id), paused: false })!;
  }),

  remove: procedure.input(wf).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    const had = ctx.schedules.getSchedule(w.id) !== undefined;
    applySchedule(ctx.schedules, w.id, w.folder, null);
    return { removed: had };
  }),

  /** the preview before saving: the next `count` times (ms) in the zone, and the expression as it will be stored */
  nextRuns: procedure
    .input(z.object({ cron: z.string(), timezone: z.string().optional(), count: z.number().int().min(1).max(50).default(5) }))
    .query(({ ctx, input }) => {
      const timezone = input.timezone ?? localTimeZone();
      const compiled = compileCron(input.cron, timezone);
      return { cron: compiled.cron, timezone: compiled.timezone, times: ctx.schedules.nextRuns(input.cron, timezone, input.count) };
    }),

  /** what the scheduler decided for each slot (ran, skipped and why), newest first */
  history: procedure.input(wf.extend({ limit: z.number().int().min(1).max(500).default(50) })).query(({ ctx, input }) =>
    ctx.schedules.slotHistory({ workflowId: input.workflowId, limit: input.limit }),
  ),

  /** which process holds the scheduling lease (and whether it is this one) */
  status: procedure.query(({ ctx }) => {
    const s = ctx.schedules.schedulerStatus();
    return { ...s, hostedHere: ctx.scheduler !== undefined, thisProcess: ctx.scheduler !== undefined && s.holderId === ctx.scheduler.lease.holderId };
  }),

  /** slot decisions as the scheduler in this process makes them (none where it is passive) */
  onSlot: procedure.input(z.object({ workflowId: z.string().optional() }).optional()).subscription(async function* ({ ctx, input, signal }) {
    const scheduler = ctx.scheduler;
    if (!scheduler) return;
    for await (const s of subscriptionStream<SlotRecord>((push) => scheduler.onSlot(push), signal)) {
      if (!input?.workflowId || s.workflowId === input.workflowId) yield s;
    }
  }),

  cascades: cascadesRouter,
  retention: retentionRouter,
  notifications: notificationsRouter,
});

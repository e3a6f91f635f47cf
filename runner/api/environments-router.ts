// A workflow's Python environment through the API: its status, its packages (added and
// removed one at a time in requirements.txt), app-owned environment or an interpreter of
// the user's own, building ("Set up Python") with live progress and a log, cancelling,
// and what changed in the packages between two runs.
import fs from 'node:fs';
import { z } from 'zod';
import type { EnvProgress, EnvStatus, PackageChange } from './types.ts';
import { checkPythonEnvironment } from '../exec/python/environment.ts';
import { environmentStatus, packageChanges } from '../envs/status.ts';
import { addRequirement, removeRequirement, RequirementError } from '../envs/requirements-file.ts';
import { notFound, procedure, router, UserError, type ApiContext } from './context.ts';
import { subscriptionStream } from './subscription-stream.ts';
import { requireWorkflow } from './workflows-router.ts';

const byWorkflow = z.object({ workflowId: z.string().min(1) });
const LOG_TAIL_BYTES = 256 * 1024;

function status(ctx: ApiContext, workflowId: string): Promise<EnvStatus> {
  const w = requireWorkflow(ctx, workflowId);
  return environmentStatus(ctx.engine.envs, ctx.engine.envRecords, w.id, w.folder);
}

/** Starts a build in the background: progress and the outcome reach the UI through onProgress and status. */
function startBuild(ctx: ApiContext, workflowId: string): void {
  const w = requireWorkflow(ctx, workflowId);
  ctx.engine.envs.build(w.id, w.folder).catch(() => {
    /* the failure is kept as the workflow's last build error and sent as progress */
  });
}

export const environmentsRouter = router({
  status: procedure.input(byWorkflow).query(({ ctx, input }) => status(ctx, input.workflowId)),

  addPackage: procedure.input(byWorkflow.extend({ requirement: z.string() })).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    try {
      addRequirement(w.folder, input.requirement);
    } catch (e) {
      if (!(e instanceof RequirementError)) throw e;
      const err = new UserError(e.message);
      err.field = 'requirement';
      throw err;
    }
    return status(ctx, w.id);
  }),

  removePackage: procedure.input(byWorkflow.extend({ name: z.string().min(1) })).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    if (!removeRequirement(w.folder, input.name)) throw notFound(`package ${input.name} in requirements.txt`);
    return status(ctx, w.id);
  }),

  setMode: procedure
    .input(byWorkflow.extend({ mode: z.enum(['app', 'interpreter']), interpreter: z.string().trim().min(1).optional() }))
    .mutation(async ({ ctx, input }) => {
      const w = requireWorkflow(ctx, input.workflowId);
      if (input.mode === 'interpreter' && input.interpreter) {
        // the user's own interpreter is only checked: it must already have what the nodes need
        const check = await checkPythonEnvironment(input.interpreter);
        if (!check.ok) {
          const e = new UserError(check.message);
          e.field = 'interpreter';
          throw e;
        }
      }
      ctx.engine.envs.setChoice(w.id, input.mode === 'app' ? { mode: 'app' } : { mode: 'interpreter', interpreter: input.interpreter });
      return status(ctx, w.id);
    }),

  build: procedure.input(byWorkflow).mutation(({ ctx, input }) => {
    startBuild(ctx, input.workflowId);
    return status(ctx, input.workflowId);
  }),

  /** "Set up Python": the workflow switches to the app-owned environment (pandas and pyarrow included) and it is built now. */
  setup: procedure.input(byWorkflow).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    ctx.engine.envs.setChoice(w.id, { mode: 'app' });
    startBuild(ctx, w.id);
    return status(ctx, w.id);
  }),

  cancel: procedure.input(byWorkflow).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return { cancelled: ctx.engine.envs.cancel(w.folder) };
  }),

  /** The last build log of the workflow (its tail when long). */
  log: procedure.input(byWorkflow).query(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    const file = ctx.engine.envs.logFile(w.folder);
    if (!fs.existsSync(file)) return { file, text: '' };
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const start = Math.max(0, size - LOG_TAIL_BYTES);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      return { file, text: (start > 0 ? '…\n' : '') + buf.toString('utf8') };
    } finally {
      fs.closeSync(fd);
    }
  }),

  onProgress: procedure.input(byWorkflow).subscription(async function* ({ ctx, input, signal }) {
    const w = requireWorkflow(ctx, input.workflowId);
    for await (const p of subscriptionStream<EnvProgress>((push) => ctx.engine.envs.onProgress(push), signal)) {
      if (p.folder === w.folder) yield p;
    }
  }),

  /** Packages added, removed and changed from run a to run b (by the locks they ran with). */
  packageChanges: procedure.input(z.object({ a: z.string().min(1), b: z.string().min(1) })).query(({ ctx, input }) => {
    const a = ctx.engine.store.getRunSummary(input.a);
    const b = ctx.engine.store.getRunSummary(input.b);
    if (!a || !b) throw notFound(`run ${!a ? input.a : input.b}`);
    const lockOf = (h?: string) => (h ? ctx.engine.envRecords.lockPackages(h) : undefined);
    const changes: PackageChange[] = a.lockHash === b.lockHash ? [] : packageChanges(lockOf(a.lockHash), lockOf(b.lockHash));
    return { a: a.lockHash ?? null, b: b.lockHash ?? null, changes };
  }),
});

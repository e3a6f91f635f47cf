// Runs: start (returns as soon as the run exists; progress arrives as events), preview
// one node, cancel, and read back everything a run recorded.
import { z } from 'zod';
import type { RunDetail, RunSummary } from './types.ts';
import type { StartRunOptions } from '../engine.ts';
import { notFound, procedure, router, type ApiContext } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

const params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional();
const runId = z.string().min(1);

async function start(ctx: ApiContext, workflowId: string, o: StartRunOptions): Promise<RunSummary> {
  const w = requireWorkflow(ctx, workflowId);
  const { run, done } = await ctx.engine.startRun(w.id, o);
  // the outcome is recorded by the executor and announced as run_finished
  done.catch((e: unknown) => console.error(`run ${run.id} failed unexpectedly:`, e));
  return run;
}

function requireRun(ctx: ApiContext, idOrPrefix: string): RunDetail {
  const id = ctx.engine.store.resolveRunId(idOrPrefix);
  const run = id ? ctx.engine.store.getRun(id) : undefined;
  if (!run) throw notFound(`run ${idOrPrefix}`);
  return run;
}

export const runsRouter = router({
  start: procedure
    .input(z.object({ workflowId: z.string().min(1), params }))
    .mutation(({ ctx, input }) => start(ctx, input.workflowId, { params: input.params, trigger: 'app' })),

  preview: procedure
    .input(z.object({ workflowId: z.string().min(1), nodeId: z.string().min(1), params }))
    .mutation(({ ctx, input }) => start(ctx, input.workflowId, { params: input.params, target: input.nodeId, trigger: 'preview' })),

  /** a local run is stopped here; a run followed on a remote engine is stopped there */
  cancel: procedure.input(z.object({ runId })).mutation(async ({ ctx, input }) => ({
    cancelled: ctx.engine.cancelRun(input.runId, 'cancelled by the user') || (await ctx.engines.cancel(input.runId)),
  })),

  list: procedure
    .input(z.object({ workflowId: z.string().optional(), kind: z.enum(['run', 'preview']).optional(), limit: z.number().int().positive().max(1000).optional() }).default({}))
    .query(({ ctx, input }) => ctx.engine.store.listRuns({ workflowId: input.workflowId, kind: input.kind, limit: input.limit ?? 100 })),

  get: procedure.input(z.object({ runId })).query(({ ctx, input }) => requireRun(ctx, input.runId)),

  logs: procedure
    .input(z.object({ runId, nodeId: z.string().optional() }))
    .query(({ ctx, input }) => ctx.engine.store.getLogs(requireRun(ctx, input.runId).id, input.nodeId)),

  output: procedure
    .input(
      z.object({
        runId,
        nodeId: z.string().min(1),
        limit: z.number().int().min(0).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
        orderBy: z.string().optional(),
        descending: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { runId: id, nodeId, ...o } = input;
      return ctx.engine.readPreview(requireRun(ctx, id).id, nodeId, o);
    }),

  version: procedure.input(z.object({ hash: z.string().min(1) })).query(({ ctx, input }) => {
    const definition = ctx.engine.store.getVersion(input.hash);
    if (definition === undefined) throw notFound(`version ${input.hash}`);
    return { hash: input.hash, definition };
  }),
});

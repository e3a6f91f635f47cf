// Metrics and checks over a workflow's real runs (previews excluded), oldest first, for
// the trend charts and the check history.
import { z } from 'zod';
import { procedure, router } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

export const metricsRouter = router({
  history: procedure
    .input(z.object({ workflowId: z.string().min(1), nodeId: z.string().optional(), limit: z.number().int().positive().max(10_000).optional() }))
    .query(({ ctx, input }) => ctx.engine.store.metricHistory(requireWorkflow(ctx, input.workflowId).id, input.nodeId, input.limit)),
});

export const checksRouter = router({
  history: procedure
    .input(z.object({ workflowId: z.string().min(1), limit: z.number().int().positive().max(10_000).optional() }))
    .query(({ ctx, input }) => ctx.engine.store.checkHistory(requireWorkflow(ctx, input.workflowId).id, input.limit)),
});

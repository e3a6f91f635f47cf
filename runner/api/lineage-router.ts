// `lineage.*`: what a workflow (or one run) published where, and deleting a workflow
// together with its published outputs. Dropping is never a default: only on an explicit
// `dropPublished: true`, only targets lineage recorded, and when a drop fails the workflow
// is kept (its lineage is what a retry needs), so nothing is lost silently.
import { z } from 'zod';
import { dropPublished, publishedTargets, type DropResult, type PublishedTarget } from '../connectors/lineage.ts';
import type { Publication } from './types.ts';
import { notFound, procedure, router } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

const id = z.string().min(1);

export interface DeleteWorkflowResult {
  /** false when a drop failed: the workflow stays so the user can retry or keep them */
  deleted: boolean;
  dropped: DropResult[];
}

export const lineageRouter = router({
  /** one line per destination target: the latest publish, its rows, mode and time, and how many runs wrote it */
  forWorkflow: procedure.input(z.object({ workflowId: id })).query(({ ctx, input }): PublishedTarget[] => {
    requireWorkflow(ctx, input.workflowId);
    return publishedTargets(ctx.engine.store.db, input.workflowId);
  }),

  /** what one run published */
  forRun: procedure.input(z.object({ runId: id })).query(({ ctx, input }): Publication[] => {
    const runId = ctx.engine.store.resolveRunId(input.runId);
    const run = runId ? ctx.engine.store.getRun(runId) : undefined;
    if (!run) throw notFound(`run ${input.runId}`);
    return run.publications;
  }),

  /** how many outputs each run of the workflow published (for the runs list) */
  countsByRun: procedure.input(z.object({ workflowId: id })).query(({ ctx, input }): Record<string, number> => {
    const rows = ctx.engine.store.db
      .prepare('SELECT p.run_id AS runId, count(*) AS n FROM publications p JOIN runs r ON r.id = p.run_id WHERE r.workflow_id = ? GROUP BY p.run_id')
      .all(input.workflowId) as { runId: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.runId, r.n]));
  }),

  /** forgets the workflow (its files stay); with dropPublished, first drops what it published */
  deleteWorkflow: procedure
    .input(z.object({ id, dropPublished: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }): Promise<DeleteWorkflowResult> => {
      requireWorkflow(ctx, input.id);
      const dropped = input.dropPublished
        ? await dropPublished(ctx.engine.store.db, input.id, { confirm: true, resolveConnection: (name) => ctx.connections.resolve(name) })
        : [];
      if (dropped.some((d) => d.error)) return { deleted: false, dropped };
      // through the service, so a running scheduler drops the timetable at once
      ctx.schedules.deleteSchedule(input.id);
      ctx.engine.store.deleteWorkflow(input.id);
      return { deleted: true, dropped };
    }),
});

// Monitoring: column profiles of outputs (one run, or per column over runs), the data
// diff of an output between two runs (the service `aqueduct diff` calls too), and the
// overview of what runs where across all workflows and engines.
import { z } from 'zod';
import { diffOutputs } from '../monitor/diff/diff-outputs.ts';
import { MonitorInputError } from '../monitor/monitor-error.ts';
import { profileTrends } from '../monitor/profile/profile-store.ts';
import { profileOf } from '../monitor/profile/profiler.ts';
import { overview } from '../monitor/overview.ts';
import { procedure, router } from './context.ts';

const runId = z.string().min(1);
const nodeId = z.string().min(1);

export const monitorRouter = router({
  profile: procedure.input(z.object({ runId, nodeId })).query(async ({ ctx, input }) => {
    const { store, duck } = ctx.engine;
    const id = store.resolveRunId(input.runId);
    if (!id) throw new MonitorInputError(`no run matches "${input.runId}"`, 'runId');
    const rec = store.getNodeRun(id, input.nodeId);
    if (!rec) throw new MonitorInputError(`run ${id.slice(0, 8)} has no node "${input.nodeId}"`, 'nodeId');
    return profileOf(store.db, duck, id, input.nodeId, rec.artifactPath);
  }),

  /** per column of the node's output, its figures over the runs of the run's workflow */
  profileTrends: procedure
    .input(z.object({ runId, nodeId, limit: z.number().int().positive().max(500).optional() }))
    .query(({ ctx, input }) => {
      const { store } = ctx.engine;
      const run = store.getRunSummary(store.resolveRunId(input.runId) ?? '');
      if (!run) throw new MonitorInputError(`no run matches "${input.runId}"`, 'runId');
      return profileTrends(store.db, run.workflowId, input.nodeId, input.limit);
    }),

  diff: procedure
    .input(z.object({
      runA: runId,
      runB: runId,
      nodeId,
      key: z.array(z.string()).optional(),
      tolerance: z.number().optional(),
      sample: z.number().int().positive().max(200).optional(),
    }))
    .query(({ ctx, input }) => diffOutputs(ctx.engine.duck, ctx.engine.store, input.runA, input.runB, input.nodeId, input)),

  overview: procedure.query(({ ctx }) => overview(ctx.engine.store, ctx.schedules.listSchedules())),
});

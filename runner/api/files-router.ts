// A workflow's files as the source settings need them: the folder's listing (a file
// browser rooted at the workflow folder) and the first rows of a file read with the
// options in the form, before anything is saved. Uploads arrive over HTTP (server/upload.ts).
import { z } from 'zod';
import { SourceNode } from '../spec/schema.ts';
import { sampleSource } from '../exec/kinds/source-sample.ts';
import { procedure, router } from './context.ts';
import { listFolder } from './workflow-files.ts';
import { requireWorkflow } from './workflows-router.ts';

export const filesRouter = router({
  list: procedure.input(z.object({ workflowId: z.string().min(1), dir: z.string().default('') })).query(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return listFolder(w.folder, input.dir.replace(/\/+$/, ''));
  }),

  /** the first rows of a source's file with these settings (the node as edited, not as saved) */
  sample: procedure
    .input(z.object({ workflowId: z.string().min(1), node: SourceNode, limit: z.number().int().min(1).max(500).default(50) }))
    .query(({ ctx, input }) => sampleSource(ctx.engine.duck, requireWorkflow(ctx, input.workflowId).folder, input.node, input.limit)),
});

// `workflows.onChanged({id})`: a subscription that reports whenever the workflow's files
// change on disk, so an open editor can reload or merge edits made in another editor.
// Merged into the workflows namespace next to the other workflow procedures.
import { z } from 'zod';
import { watchWorkflowFolder } from '../spec/watch.ts';
import { mergeRouters, procedure, router } from './context.ts';
import { subscriptionStream } from './subscription-stream.ts';
import { requireWorkflow, workflowsRouter } from './workflows-router.ts';

export interface FilesChanged {
  workflowId: string;
  /** changed paths relative to the workflow folder */
  files: string[];
  at: number;
}

export const watchRouter = router({
  onChanged: procedure.input(z.object({ id: z.string().min(1) })).subscription(async function* ({ ctx, input, signal }) {
    const w = requireWorkflow(ctx, input.id);
    for await (const files of subscriptionStream<string[]>((push) => watchWorkflowFolder(w.folder, push), signal)) {
      yield { workflowId: w.id, files, at: Date.now() } satisfies FilesChanged;
    }
  }),
});

/** The workflows namespace with onChanged added. */
export const workflowsWithWatchRouter = mergeRouters(workflowsRouter, watchRouter);

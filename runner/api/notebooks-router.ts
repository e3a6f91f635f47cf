// `notebooks.*`: the import dialog's calls (analyse a notebook with the cells the user
// marked, then write it as a workflow and register it) and the export of a run as a
// notebook (returned as text, for the UI to download). A notebook arrives as its text
// (uploaded in the browser) or as a path on the machine the runner runs on.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { slugOf } from '../engines/export.ts';
import { analyzeNotebook } from '../notebooks/analyze-notebook.ts';
import { exportNotebook } from '../notebooks/export-notebook.ts';
import { importNotebook, missingSources } from '../notebooks/import-notebook.ts';
import { NotebookError } from '../notebooks/notebook-error.ts';
import { MAX_NOTEBOOK_BYTES, parseNotebook, readNotebookFile, type ParsedNotebook } from '../notebooks/notebook-file.ts';
import { ensurePrivateDir, lockDownTree } from '../store/private-files.ts';
import { procedure, router, type ApiContext } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

const absolute = (what: string) => z.string().trim().min(1).refine((p) => path.isAbsolute(p), `${what} must be an absolute path`);

const NotebookInput = z.object({
  /** the notebook's text (an upload) … */
  text: z.string().max(MAX_NOTEBOOK_BYTES).optional(),
  /** … or its path on this machine */
  path: absolute('the notebook path').optional(),
  /** the uploaded file's name */
  fileName: z.string().max(255).optional(),
  /** where the notebook's relative data paths start (default: the notebook's folder, when given by path) */
  baseDir: absolute('the notebook folder').optional(),
  /** cell indexes (0-based) where nodes begin; default: the suggestion */
  starts: z.array(z.number().int().min(0)).max(10_000).optional(),
});
type NotebookInput = z.infer<typeof NotebookInput>;

function readInput(input: NotebookInput): { nb: ParsedNotebook; name: string; baseDir?: string } {
  if (input.path) {
    return { nb: readNotebookFile(input.path), name: path.basename(input.path), baseDir: input.baseDir ?? path.dirname(input.path) };
  }
  if (input.text === undefined) throw new NotebookError('no notebook given', 'choose a .ipynb file', 'notebook');
  const name = path.basename(input.fileName || 'notebook.ipynb');
  return { nb: parseNotebook(input.text, name), name, baseDir: input.baseDir };
}

/** A new folder under the app's workflows folder, named after the workflow. */
function defaultFolder(ctx: ApiContext, name: string): string {
  const base = path.join(ctx.workflowsDir, slugOf(name));
  let dest = base;
  for (let n = 2; fs.existsSync(dest); n++) dest = `${base}-${n}`;
  return dest;
}

export const notebooksRouter = router({
  /** the cells, the suggested node starts and what the import would make of them */
  analyze: procedure.input(NotebookInput).mutation(async ({ ctx, input }) => {
    const { nb, name, baseDir } = readInput(input);
    const analysis = await analyzeNotebook(nb, { python: ctx.engine.pythonInterpreter, notebookName: name, baseDir, starts: input.starts });
    const cells = nb.cells.map((c, index) => ({ index, type: c.cell_type, source: c.source }));
    return { fileName: name, cells, analysis: { ...analysis, issues: [...analysis.issues, ...missingSources(analysis, baseDir)] } };
  }),

  /** writes the workflow folder, registers it and answers with it */
  import: procedure
    .input(NotebookInput.extend({ folder: absolute('the workflow folder').optional(), name: z.string().trim().max(200).optional() }))
    .mutation(async ({ ctx, input }) => {
      const { nb, name, baseDir } = readInput(input);
      const stem = name.replace(/\.ipynb$/i, '');
      if (!input.folder) ensurePrivateDir(ctx.workflowsDir);
      const out = input.folder ?? defaultFolder(ctx, input.name || stem);
      const result = await importNotebook(nb, { python: ctx.engine.pythonInterpreter, notebookName: name, baseDir, starts: input.starts, out, name: input.name || undefined });
      // a workflow inside the app folder is private like the rest of it (as an example's copy)
      if (!input.folder) lockDownTree(result.folder);
      const workflow = ctx.engine.openWorkflow(result.folder).summary;
      return { workflow, ...result };
    }),

  /** a workflow version as a notebook reading the run's outputs (the run's version, or the current files without a run) */
  export: procedure.input(z.object({ workflowId: z.string().min(1), runId: z.string().min(1).optional() })).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    const r = exportNotebook(ctx.engine.store, ctx.engine.paths, w.id, input.runId);
    return { fileName: r.fileName, text: JSON.stringify(r.notebook, null, 1) + '\n', runId: r.runId, versionHash: r.versionHash };
  }),
});

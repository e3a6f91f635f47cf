// Workflows: the folders the app knows. Opening registers a folder; deleting forgets it
// (the user's files stay); renaming writes the new name into workflow.yaml too, since
// the file is the truth and the store follows it on every open (its schedule block too).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { WorkflowSummary } from './types.ts';
import { DEFINITION_FILE } from '../spec/load.ts';
import type { EditorDefinitionInput } from '../spec/schema.ts';
import { rewriteDefinitionFile, saveProblems, saveWorkflow } from '../spec/save.ts';
import { ensurePrivateDir, lockDownTree } from '../store/private-files.ts';
import { isInside } from '../spec/contained-path.ts';
import { notFound, procedure, router, UserError, type ApiContext } from './context.ts';
import { readWorkflowDocument } from './workflow-document.ts';
import { createWorkflow, defaultFolder, workflowsFolder } from './workflow-create.ts';

const id = z.object({ id: z.string().min(1) });
const editorDefinition = z.custom<EditorDefinitionInput>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'definition must be an object');
const saveInput = z.object({
  id: z.string().min(1),
  // validated by saveWorkflow, which reports every problem by file, node and field
  definition: editorDefinition,
  code: z.record(z.string(), z.string()).default({}),
  base: z.object({ definition: editorDefinition, code: z.record(z.string(), z.string()).default({}) }).optional(),
});

export function requireWorkflow(ctx: ApiContext, workflowId: string): WorkflowSummary {
  const w = ctx.engine.store.getWorkflow(workflowId);
  if (!w) throw notFound(`workflow ${workflowId}`);
  return w;
}

/** A workflow with a folder on this machine: not the stand-in a remote engine's run records are filed under. */
function requireFolder(ctx: ApiContext, workflowId: string): WorkflowSummary {
  const w = requireWorkflow(ctx, workflowId);
  if (!path.isAbsolute(w.folder)) {
    throw new UserError(`workflow "${w.name}" holds runs imported from a remote engine and has no folder here: open the workflow folder itself to edit it`);
  }
  return w;
}

export const workflowsRouter = router({
  list: procedure.query(({ ctx }) => ctx.engine.store.listWorkflows()),

  get: procedure.input(id).query(({ ctx, input }) => {
    const summary = requireWorkflow(ctx, input.id);
    return { summary, ...readWorkflowDocument(summary.folder) };
  }),

  open: procedure.input(z.object({ folder: z.string().min(1) })).mutation(({ ctx, input }) => openFolder(ctx, input.folder)),

  /** a new workflow: empty (a name and a canvas) or a copy of a bundled example under the name given */
  create: procedure
    .input(z.object({ name: z.string(), folder: z.string().trim().min(1).optional(), example: z.enum(['customer-churn']).optional() }))
    .mutation(({ ctx, input }) => withFileSchedule(ctx, createWorkflow(ctx, input))),

  /** where a new workflow of this name would go, and the Workflows folder it would go under */
  suggestFolder: procedure.input(z.object({ name: z.string() })).query(({ ctx, input }) => ({
    folder: defaultFolder(ctx, input.name),
    workflowsFolder: workflowsFolder(ctx),
  })),

  createFromExample: procedure
    .input(z.object({ example: z.enum(['customer-churn']).default('customer-churn'), folder: z.string().min(1).optional() }).default({ example: 'customer-churn' }))
    .mutation(({ ctx, input }) => createFromExample(ctx, input.example, input.folder)),

  rename: procedure.input(z.object({ id: z.string().min(1), name: z.string().trim().min(1) })).mutation(({ ctx, input }) => {
    const w = requireFolder(ctx, input.id);
    if (fs.existsSync(path.join(w.folder, DEFINITION_FILE))) {
      rewriteDefinitionFile(w.folder, (text) => {
        const doc = YAML.parseDocument(text);
        if (doc.errors.length > 0 || !YAML.isMap(doc.contents)) return text;
        doc.set('name', input.name);
        return doc.toString();
      });
    }
    ctx.engine.store.renameWorkflow(w.id, input.name);
    return requireWorkflow(ctx, w.id);
  }),

  delete: procedure.input(id).mutation(({ ctx, input }) => {
    requireWorkflow(ctx, input.id);
    // through the service, so a running scheduler drops the timetable at once
    ctx.schedules.deleteSchedule(input.id);
    ctx.engine.store.deleteWorkflow(input.id);
    return { deleted: true };
  }),

  /** what saving this definition and code would report (the same input as save), without writing anything */
  check: procedure
    .input(saveInput)
    // a mutation only so the code travels in a POST body, not in a URL
    .mutation(({ ctx, input }) => saveProblems(requireWorkflow(ctx, input.id).folder, input.definition, input.code, { base: input.base })),

  /**
   * The graph editor's save: its part of workflow.yaml (name, description, parameters,
   * nodes, layout) and code. Anything else in `definition` (a schedule) is ignored: the
   * file keeps what it has (schedules.set changes the schedule). With `base`, the document
   * the editor started from, what the editor did not change is taken from the file as it
   * is now, so edits made meanwhile by another tab, the CLI or a text editor stay.
   */
  save: procedure
    .input(saveInput)
    .mutation(({ ctx, input }) => {
      const w = requireFolder(ctx, input.id);
      const result = saveWorkflow(w.folder, input.definition, input.code, { base: input.base });
      const saved = ctx.engine.store.upsertWorkflow(w.folder, result.definition.name);
      ctx.engine.store.setWorkflowPeople(saved.id, result.definition.owner, result.definition.watchers);
      const summary = withFileSchedule(ctx, ctx.engine.store.getWorkflow(saved.id) ?? saved);
      return { written: result.written, removed: result.removed, summary };
    }),
});

/** Registers a folder, even one with problems (the editor shows them); not a folder without workflow.yaml. */
export function openFolder(ctx: ApiContext, folder: string): WorkflowSummary {
  const abs = path.resolve(folder);
  const file = path.join(abs, DEFINITION_FILE);
  if (!fs.existsSync(abs)) throw new UserError(`${abs} does not exist`);
  if (!fs.existsSync(file)) {
    const empty = fs.statSync(abs).isDirectory() && fs.readdirSync(abs).filter((f) => !f.startsWith('.')).length === 0;
    throw Object.assign(new UserError(`no ${DEFINITION_FILE} in ${abs}${empty ? ': the folder is empty' : ''}`), {
      field: 'folder',
      fix: 'open the folder that holds it, or create a new workflow in this folder',
      offer: 'create' as const,
    });
  }
  const doc = readWorkflowDocument(abs);
  const rawName = (doc.raw as { name?: unknown } | null)?.name;
  const name = doc.definition?.name ?? (typeof rawName === 'string' && rawName ? rawName : path.basename(abs));
  const w = ctx.engine.store.upsertWorkflow(abs, name);
  if (doc.definition) ctx.engine.store.setWorkflowPeople(w.id, doc.definition.owner, doc.definition.watchers);
  return withFileSchedule(ctx, ctx.engine.store.getWorkflow(w.id) ?? w);
}

/** Makes a `schedule:` block in workflow.yaml live at once; a broken one is reported on the Schedule tab instead. */
function withFileSchedule(ctx: ApiContext, w: WorkflowSummary): WorkflowSummary {
  try {
    ctx.schedules.syncFromFile(w.id);
  } catch {
    // schedules.get reports why the block is not in effect (fileProblem)
  }
  return w;
}

export function createFromExample(ctx: ApiContext, example: string, folder?: string): WorkflowSummary {
  const from = path.join(ctx.examplesDir, example);
  if (!fs.existsSync(path.join(from, DEFINITION_FILE))) throw new UserError(`no bundled example "${example}"`);
  let dest: string;
  if (folder) {
    dest = path.resolve(folder);
    if (fs.existsSync(dest) && fs.readdirSync(dest).length > 0) throw new UserError(`${dest} is not empty: choose an empty or new folder`);
  } else {
    const root = workflowsFolder(ctx);
    dest = path.join(root, example);
    for (let n = 2; fs.existsSync(dest); n++) dest = path.join(root, `${example}-${n}`);
  }
  // a copy inside the app folder is private like the rest of it; elsewhere it is the user's
  const private_ = isInside(ctx.engine.paths.home, dest);
  if (private_) ensurePrivateDir(path.dirname(dest));
  else fs.mkdirSync(path.dirname(dest), { recursive: true });
  // outputs of earlier runs of the bundled copy (out/) are not part of the example
  fs.cpSync(from, dest, { recursive: true, filter: (src) => path.relative(from, src) !== 'out' });
  if (private_) lockDownTree(dest);
  return withFileSchedule(ctx, ctx.engine.openWorkflow(dest).summary);
}

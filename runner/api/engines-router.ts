// `engines.*`: the API's adapter over the engine service (engines/engine-service.ts).
// Export a workflow for an engine (a refusal is BAD_REQUEST with every unsupported node in
// `data.refusals`), submit it to Ray, deploy it to an engine connection and run, follow,
// stop and undeploy it there, keep engine connections (secrets write-only: responses carry
// `hasX` flags), and keep the results folders synced into the one history.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ENGINE_NAMES } from '../engines/bundle-format.ts';
import { ENGINE_FIELDS } from '../engines/engine-connections.ts';
import { slugOf, type ExportResult } from '../engines/export.ts';
import { procedure, router, UserError, type ApiContext } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

const name = z.string().trim().min(1);
const engineType = z.enum(['airflow', 'ray', 'kubernetes']);
/** a form's values; an empty secret means "keep the saved one" */
const settings = z.record(z.string(), z.string()).default({});
const params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({});

export interface ExportAnswer extends ExportResult {
  /** every file written under `out`, relative to it, sorted */
  written: string[];
}

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  }).sort();
}

/** Where an export goes when the dialog gives no folder: the app's exports folder. */
function defaultOut(ctx: ApiContext, workflowName: string, engine: string): string {
  return path.join(ctx.engine.paths.home, 'exports', `${slugOf(workflowName)}-${engine}`);
}

function absolute(p: string, field: string, fix: string): string {
  if (path.isAbsolute(p)) return p;
  const e = new UserError(`"${p}" is not an absolute path`);
  e.field = field;
  e.fix = fix;
  throw e;
}

const connectionsRouter = router({
  list: procedure.query(({ ctx }) => ctx.engines.listConnections()),

  create: procedure.input(z.object({ name, type: engineType, settings })).mutation(({ ctx, input }) =>
    ctx.engines.saveConnection({ ...input.settings, name: input.name, type: input.type }),
  ),

  /** changes settings; a secret left empty keeps the saved one */
  update: procedure.input(z.object({ name, settings })).mutation(({ ctx, input }) => {
    const current = ctx.engines.connections.get(input.name);
    return ctx.engines.saveConnection({ ...input.settings, name: current.name, type: current.type }, true);
  }),

  delete: procedure.input(z.object({ name })).mutation(({ ctx, input }) => {
    ctx.engines.connections.remove(input.name);
    return { deleted: input.name };
  }),

  test: procedure.input(z.object({ name })).mutation(({ ctx, input }) => ctx.engines.testConnection(input.name)),
});

const resultsFoldersRouter = router({
  list: procedure.query(({ ctx }) => ({ folders: ctx.engines.autoSync.folders(), intervalMs: ctx.engines.autoSync.running ? ctx.engines.autoSync.intervalMs : null })),

  add: procedure.input(z.object({ path: z.string().trim().min(1) })).mutation(({ ctx, input }) =>
    ctx.engines.autoSync.add(absolute(input.path, 'path', 'give the full path of the folder the engine writes its run records to')),
  ),

  remove: procedure.input(z.object({ path: z.string().min(1) })).mutation(({ ctx, input }) => ({ removed: ctx.engines.autoSync.remove(input.path) })),
});

const deploymentsRouter = router({
  /** every deployed workflow: engine, deployed against local version, last remote run */
  list: procedure.query(({ ctx }) => ctx.engines.listDeployments()),

  /** the deployed definition and the local one, for the "out of date" diff */
  versions: procedure.input(z.object({ id: name })).query(({ ctx, input }) => ctx.engines.versions(input.id)),

  /** deploys the workflow's current version (again: a redeploy) */
  deploy: procedure.input(z.object({ workflowId: z.string(), connection: name, requirements: z.array(z.string().trim().min(1)).default([]) }))
    .mutation(({ ctx, input }) => ctx.engines.deploy(requireWorkflow(ctx, input.workflowId).id, input.connection, { requirements: input.requirements })),

  undeploy: procedure.input(z.object({ id: name })).mutation(({ ctx, input }) => ctx.engines.undeploy(input.id)),

  /** starts a run of the deployed version; its progress arrives as run events */
  runNow: procedure.input(z.object({ id: name, params })).mutation(({ ctx, input }) => ctx.engines.runNow(input.id, input.params)),
});

export const enginesRouter = router({
  /** the engines a workflow can be exported for, and the fields of each kind of engine connection */
  types: procedure.query(() => ({ engines: ENGINE_NAMES, fields: ENGINE_FIELDS })),

  connections: connectionsRouter,
  resultsFolders: resultsFoldersRouter,
  deployments: deploymentsRouter,

  /** what the runtime cannot run in this workflow (empty: it exports), without writing anything */
  check: procedure.input(z.object({ workflowId: z.string() })).query(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return {
      refusals: ctx.engines.check(w.folder),
      defaultOuts: Object.fromEntries(ENGINE_NAMES.map((e) => [e, defaultOut(ctx, w.name, e)])) as Record<(typeof ENGINE_NAMES)[number], string>,
    };
  }),

  export: procedure
    .input(z.object({
      workflowId: z.string(),
      engine: z.enum(ENGINE_NAMES),
      out: z.string().trim().optional(),
      requirements: z.array(z.string().trim().min(1)).default([]),
      sharedDir: z.string().trim().optional(),
      image: z.string().trim().optional(),
      namespace: z.string().trim().optional(),
      resultsClaim: z.string().trim().optional(),
    }))
    .mutation(async ({ ctx, input }): Promise<ExportAnswer> => {
      const w = requireWorkflow(ctx, input.workflowId);
      const out = absolute(input.out || defaultOut(ctx, w.name, input.engine), 'out', 'give the full path of the folder to write');
      const r = await ctx.engines.export(w.folder, {
        engine: input.engine, out, requirements: input.requirements, sharedDir: input.sharedDir || undefined, image: input.image || undefined,
        namespace: input.namespace || undefined, resultsClaim: input.resultsClaim || undefined,
      });
      return { ...r, written: listFiles(r.out) };
    }),

  /** runs the workflow on a Ray cluster, waits, and syncs its run record into the history */
  submitRay: procedure
    .input(z.object({
      workflowId: z.string(),
      connection: z.string().optional(),
      address: z.string().optional(),
      params: z.record(z.string(), z.string()).default({}),
      timeoutSeconds: z.number().int().min(1).max(86_400).default(3600),
    }))
    .mutation(async ({ ctx, input }) => {
      const w = requireWorkflow(ctx, input.workflowId);
      const r = await ctx.engines.submitRay(w.folder, { connection: input.connection, address: input.address }, { params: input.params, timeoutMs: input.timeoutSeconds * 1000 });
      return { runId: r.runId, submissionId: r.submissionId, jobStatus: r.job.status, run: r.run ?? null };
    }),

  /** syncs one registered results folder, or all; new runs reach every UI as run events */
  sync: procedure.input(z.object({ folder: z.string().optional() }).optional()).mutation(({ ctx, input }) => {
    if (input?.folder && !ctx.engines.autoSync.folders().some((f) => f.path === path.resolve(input.folder!))) {
      const e = new UserError(`${input.folder} is not a registered results folder`);
      e.field = 'folder';
      e.fix = 'add it first (engines.resultsFolders.add)';
      throw e;
    }
    return ctx.engines.autoSync.syncNow(input?.folder);
  }),
});

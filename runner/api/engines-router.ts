// `engines.*`: the app's half of "push to remote engines". Export a workflow for an engine
// (a refusal is BAD_REQUEST with every unsupported node in `data.refusals`), submit it to
// Ray, keep engine connections (secrets write-only: responses carry `hasX` flags), and
// keep the results folders whose run records are synced into the one history.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ENGINE_NAMES } from '../engines/bundle-format.ts';
import { EngineConnectionError, ENGINE_FIELDS, type EngineType } from '../engines/engine-connections.ts';
import { testEngineConnection, type EngineTestResult } from '../engines/engine-test.ts';
import { exportWorkflow, slugOf, type ExportResult } from '../engines/export.ts';
import { portabilityProblems } from '../engines/portability.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import { procedure, router, UserError, type ApiContext } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

const name = z.string().trim().min(1);
const engineType = z.enum(['airflow', 'ray', 'kubernetes']);
/** a form's values; an empty secret means "keep the saved one" */
const settings = z.record(z.string(), z.string()).default({});

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

function rayTarget(ctx: ApiContext, input: { connection?: string; address?: string }) {
  if (input.address) return { address: input.address, token: undefined, remoteResults: undefined };
  if (!input.connection) throw new UserError('say which Ray cluster: a saved connection or an address');
  const conn = ctx.engineConnections.resolve(input.connection);
  if (conn.type !== 'ray') throw new EngineConnectionError(`"${input.connection}" is a ${conn.type} connection, not ray`, 'choose a ray connection');
  return { address: conn['address']!, token: conn['token'], remoteResults: conn['resultsDir'] };
}

const connectionsRouter = router({
  list: procedure.query(({ ctx }) => ctx.engineConnections.list()),

  create: procedure.input(z.object({ name, type: engineType, settings })).mutation(({ ctx, input }) =>
    ctx.engineConnections.save({ ...input.settings, name: input.name, type: input.type }),
  ),

  /** changes settings; a secret left empty keeps the saved one */
  update: procedure.input(z.object({ name, settings })).mutation(({ ctx, input }) => {
    const current = ctx.engineConnections.get(input.name);
    return ctx.engineConnections.save({ ...input.settings, name: current.name, type: current.type }, true);
  }),

  delete: procedure.input(z.object({ name })).mutation(({ ctx, input }) => {
    ctx.engineConnections.remove(input.name);
    return { deleted: input.name };
  }),

  test: procedure.input(z.object({ name })).mutation(({ ctx, input }): Promise<EngineTestResult> =>
    testEngineConnection(ctx.engineConnections.resolve(input.name) as { type: EngineType; [k: string]: string }),
  ),
});

const resultsFoldersRouter = router({
  list: procedure.query(({ ctx }) => ({ folders: ctx.autoSync.folders(), intervalMs: ctx.autoSync.running ? ctx.autoSync.intervalMs : null })),

  add: procedure.input(z.object({ path: z.string().trim().min(1) })).mutation(({ ctx, input }) => {
    if (!path.isAbsolute(input.path)) {
      const e = new UserError(`"${input.path}" is not an absolute path`);
      e.field = 'path';
      e.fix = 'give the full path of the folder the engine writes its run records to';
      throw e;
    }
    return ctx.autoSync.add(input.path);
  }),

  remove: procedure.input(z.object({ path: z.string().min(1) })).mutation(({ ctx, input }) => ({ removed: ctx.autoSync.remove(input.path) })),
});

export const enginesRouter = router({
  /** the engines a workflow can be exported for, and the fields of each kind of engine connection */
  types: procedure.query(() => ({ engines: ENGINE_NAMES, fields: ENGINE_FIELDS })),

  connections: connectionsRouter,
  resultsFolders: resultsFoldersRouter,

  /** what the runtime cannot run in this workflow (empty: it exports), without writing anything */
  check: procedure.input(z.object({ workflowId: z.string() })).query(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return {
      refusals: portabilityProblems(loadWorkflowOrThrow(w.folder)),
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
      const out = input.out || defaultOut(ctx, w.name, input.engine);
      if (!path.isAbsolute(out)) {
        const e = new UserError(`"${out}" is not an absolute path`);
        e.field = 'out';
        e.fix = 'give the full path of the folder to write';
        throw e;
      }
      const r = await exportWorkflow(w.folder, {
        engine: input.engine, out, home: ctx.engine.paths.home, requirements: input.requirements, ensureLock: (f) => ctx.engine.envs.ensureLock(f),
        sharedDir: input.sharedDir || undefined, image: input.image || undefined, namespace: input.namespace || undefined,
        resultsClaim: input.resultsClaim || undefined,
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
      const target = rayTarget(ctx, input);
      const results = path.join(ctx.engine.paths.home, 'engine-results', 'ray');
      ctx.autoSync.add(results);
      const { submitToRay } = await import('../engines/ray/submit.ts');
      let r;
      try {
        r = await submitToRay(w.folder, {
          address: target.address, token: target.token, params: input.params, resultsDir: results,
          remoteResultsDir: target.remoteResults, home: ctx.engine.paths.home, timeoutMs: input.timeoutSeconds * 1000, ensureLock: (f) => ctx.engine.envs.ensureLock(f),
        });
      } catch (e) {
        const err = e as Error & { fix?: string };
        if (err.name !== 'RayError') throw e;
        const out = new UserError(err.message);
        out.fix = err.fix;
        throw out;
      }
      const synced = ctx.autoSync.syncNow(results);
      return { runId: r.runId, submissionId: r.submissionId, jobStatus: r.job.status, run: ctx.engine.store.getRunSummary(r.runId) ?? null, synced: synced.imported + synced.updated };
    }),

  /** syncs one registered results folder, or all; new runs reach every UI as run events */
  sync: procedure.input(z.object({ folder: z.string().optional() }).optional()).mutation(({ ctx, input }) => {
    if (input?.folder && !ctx.autoSync.folders().some((f) => f.path === path.resolve(input.folder!))) {
      const e = new UserError(`${input.folder} is not a registered results folder`);
      e.field = 'folder';
      e.fix = 'add it first (engines.resultsFolders.add)';
      throw e;
    }
    return ctx.autoSync.syncNow(input?.folder);
  }),
});

// App settings: which Python runs python nodes (and builds the app-owned environments),
// and the Workflows folder new workflows go to. A new interpreter is tried before it is
// saved, with the same check a run makes (asynchronously: the event loop keeps serving while
// it runs), so a typo is reported here and not as a failing node later; once saved, the
// worker pools close when idle, so the next run uses it without a restart. A new Workflows
// folder is created (or refused) at once likewise. Your name and email make you the owner
// of every workflow whose file names none.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkPythonEnvironment } from '../exec/python/environment.ts';
import { environmentsRoot } from '../engine.ts';
import { procedure, router, UserError, type ApiContext } from './context.ts';
import { WORKFLOWS_FOLDER_SETTING, workflowsFolder } from './workflow-create.ts';
import { OWNER_EMAIL_SETTING, OWNER_NAME_SETTING } from '../store/metadata-store.ts';
import { emailOf } from '../spec/validate-report.ts';

/** Your name and email: the owner of every workflow whose file names none (empty email: nobody). */
function setDefaultOwner(ctx: ApiContext, owner: { name: string; email: string }): void {
  if (owner.email && !emailOf(owner.email)) {
    const e = new UserError(`"${owner.email}" is not an email address`);
    e.field = 'email';
    e.fix = 'write e.g. ana@example.com';
    throw e;
  }
  ctx.engine.store.setSetting(OWNER_NAME_SETTING, owner.name);
  ctx.engine.store.setSetting(OWNER_EMAIL_SETTING, owner.email);
}

export interface Settings {
  /** the interpreter in use (AQUEDUCT_PYTHON wins over the saved setting) */
  python: string;
  /** the saved setting, if any */
  savedPython: string | null;
  /** the app's data folder */
  home: string;
  /** where new workflows get their folders */
  workflowsFolder: string;
  /** where the app-owned Python environments are built */
  environments: string;
  /** after a change: the pandas/pyarrow check of the new interpreter (it may lack them: app-owned environments do not need them) */
  check?: { ok: boolean; message?: string; lacksPackages?: boolean; version?: string };
  /** the user, owner of every workflow whose file names no owner */
  owner: { name: string; email: string } | null;
}

function read(ctx: ApiContext): Settings {
  const { engine } = ctx;
  return {
    python: engine.pythonInterpreter,
    savedPython: engine.store.getSetting('python') ?? null,
    home: engine.paths.home,
    workflowsFolder: workflowsFolder(ctx),
    environments: environmentsRoot(engine.paths),
    owner: engine.store.defaultOwner() ?? null,
  };
}

const setInput = z.object({
  python: z.string().trim().min(1).optional(),
  workflowsFolder: z.string().trim().min(1).optional(),
  owner: z.object({ name: z.string().trim(), email: z.string().trim() }).optional(),
});

export const settingsRouter = router({
  get: procedure.query(({ ctx }) => read(ctx)),

  set: procedure.input(setInput).mutation(async ({ ctx, input }) => {
    if (input.owner) setDefaultOwner(ctx, input.owner);
    if (input.workflowsFolder !== undefined) {
      const folder = input.workflowsFolder;
      if (!path.isAbsolute(folder)) {
        throw Object.assign(new UserError(`"${folder}" is not a full path`), { field: 'workflowsFolder', fix: 'give the whole path, e.g. /home/me/Workflows' });
      }
      try {
        fs.mkdirSync(folder, { recursive: true });
        fs.accessSync(folder, fs.constants.W_OK);
      } catch (e) {
        throw Object.assign(new UserError(`cannot use ${folder} for workflows: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`), {
          field: 'workflowsFolder',
          fix: 'choose a folder you may write to',
        });
      }
      ctx.engine.store.setSetting(WORKFLOWS_FOLDER_SETTING, path.resolve(folder));
    }
    if (input.python === undefined) return read(ctx);
    const check = await checkPythonEnvironment(input.python);
    if (!check.ok && !check.lacksPackages) {
      const e = new UserError(check.message);
      e.field = 'python';
      throw e;
    }
    ctx.engine.store.setSetting('python', input.python);
    ctx.engine.pythonSettingChanged();
    return { ...read(ctx), check: check.ok ? { ok: true, version: check.version } : { ok: false, message: check.message, lacksPackages: true } };
  }),
});

// App settings: which Python runs python nodes, and the Workflows folder new workflows go
// to. A new interpreter is tried before it is saved, so a typo is reported here and not as
// a failing node later; a new Workflows folder is created (or refused) at once likewise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv } from '../secrets/process-secrets.ts';
import { z } from 'zod';
import { procedure, router, UserError, type ApiContext } from './context.ts';
import { WORKFLOWS_FOLDER_SETTING, workflowsFolder } from './workflow-create.ts';

export interface Settings {
  /** the interpreter in use (AQUEDUCT_PYTHON wins over the saved setting) */
  python: string;
  /** the saved setting, if any */
  savedPython: string | null;
  /** the app's data folder */
  home: string;
  /** where new workflows get their folders */
  workflowsFolder: string;
}

function read(ctx: ApiContext): Settings {
  const { engine } = ctx;
  return { python: engine.pythonInterpreter, savedPython: engine.store.getSetting('python') ?? null, home: engine.paths.home, workflowsFolder: workflowsFolder(ctx) };
}

export const settingsRouter = router({
  get: procedure.query(({ ctx }) => read(ctx)),

  set: procedure.input(z.object({ python: z.string().trim().min(1).optional(), workflowsFolder: z.string().trim().min(1).optional() })).mutation(({ ctx, input }) => {
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
    if (input.python !== undefined) {
      const r = spawnSync(input.python, ['--version'], { encoding: 'utf8', timeout: 15_000, env: childEnv() });
      if (r.error || r.status !== 0) {
        throw new UserError(`could not run "${input.python} --version": ${r.error?.message ?? r.stderr.trim()}; give the path of a Python 3 interpreter`);
      }
      ctx.engine.store.setSetting('python', input.python);
    }
    return read(ctx);
  }),
});

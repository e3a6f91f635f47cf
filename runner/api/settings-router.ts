// App settings. Today: which Python runs python nodes. A new interpreter is tried before
// it is saved, so a typo is reported here and not as a failing node later.
import { spawnSync } from 'node:child_process';
import { childEnv } from '../secrets/process-secrets.ts';
import { z } from 'zod';
import { procedure, router, UserError, type ApiContext } from './context.ts';

export interface Settings {
  /** the interpreter in use (AQUEDUCT_PYTHON wins over the saved setting) */
  python: string;
  /** the saved setting, if any */
  savedPython: string | null;
  /** the app's data folder */
  home: string;
}

function read(ctx: ApiContext): Settings {
  const { engine } = ctx;
  return { python: engine.pythonInterpreter, savedPython: engine.store.getSetting('python') ?? null, home: engine.paths.home };
}

export const settingsRouter = router({
  get: procedure.query(({ ctx }) => read(ctx)),

  set: procedure.input(z.object({ python: z.string().trim().min(1).optional() })).mutation(({ ctx, input }) => {
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

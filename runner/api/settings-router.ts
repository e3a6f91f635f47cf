// App settings. Today: which Python runs python nodes (and builds the app-owned
// environments). A new interpreter is tried before it is saved, with the same check a run
// makes (asynchronously: the event loop keeps serving while it runs), so a typo is
// reported here and not as a failing node later; once saved, the worker pools close when
// idle, so the next run uses it without a restart.
import { z } from 'zod';
import { checkPythonEnvironment } from '../exec/python/environment.ts';
import { environmentsRoot } from '../engine.ts';
import { procedure, router, UserError, type ApiContext } from './context.ts';

export interface Settings {
  /** the interpreter in use (AQUEDUCT_PYTHON wins over the saved setting) */
  python: string;
  /** the saved setting, if any */
  savedPython: string | null;
  /** the app's data folder */
  home: string;
  /** where the app-owned Python environments are built */
  environments: string;
  /** after a change: the pandas/pyarrow check of the new interpreter (it may lack them: app-owned environments do not need them) */
  check?: { ok: boolean; message?: string; lacksPackages?: boolean; version?: string };
}

function read(ctx: ApiContext): Settings {
  const { engine } = ctx;
  return { python: engine.pythonInterpreter, savedPython: engine.store.getSetting('python') ?? null, home: engine.paths.home, environments: environmentsRoot(engine.paths) };
}

export const settingsRouter = router({
  get: procedure.query(({ ctx }) => read(ctx)),

  set: procedure.input(z.object({ python: z.string().trim().min(1).optional() })).mutation(async ({ ctx, input }) => {
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

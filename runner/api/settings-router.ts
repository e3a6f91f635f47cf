// App settings. Today: which Python runs python nodes. A new interpreter is tried before
// it is saved, so a typo is reported here and not as a failing node later.
import { spawnSync } from 'node:child_process';
import { z } from 'zod';
import { procedure, router, UserError, type ApiContext } from './context.ts';
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
  /** the user, owner of every workflow whose file names no owner */
  owner: { name: string; email: string } | null;
}

function read(ctx: ApiContext): Settings {
  const { engine } = ctx;
  return { python: engine.pythonInterpreter, savedPython: engine.store.getSetting('python') ?? null, home: engine.paths.home, owner: engine.store.defaultOwner() ?? null };
}

export const settingsRouter = router({
  get: procedure.query(({ ctx }) => read(ctx)),

  set: procedure.input(z.object({ python: z.string().trim().min(1).optional(), owner: z.object({ name: z.string().trim(), email: z.string().trim() }).optional() })).mutation(({ ctx, input }) => {
    if (input.owner) setDefaultOwner(ctx, input.owner);
    if (input.python !== undefined) {
      const r = spawnSync(input.python, ['--version'], { encoding: 'utf8', timeout: 15_000 });
      if (r.error || r.status !== 0) {
        throw new UserError(`could not run "${input.python} --version": ${r.error?.message ?? r.stderr.trim()}; give the path of a Python 3 interpreter`);
      }
      ctx.engine.store.setSetting('python', input.python);
    }
    return read(ctx);
  }),
});

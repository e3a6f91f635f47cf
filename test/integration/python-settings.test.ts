// Settings → Python through the real API on a real engine: a changed interpreter is what
// the very next run uses (no restart of the app), the new interpreter is tried with the
// same pandas/pyarrow check a run makes, and trying it does not block the event loop.
// Two real interpreters: the test venv, and the same venv reached through another path
// (a symlinked folder), so sys.executable tells which one ran.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createApiContext } from '../../runner/api/router.ts';
import { createCallerFactory } from '../../runner/api/context.ts';
import { Engine } from '../../runner/engine.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow } from '../helpers/workflows.ts';

const venvOf = (python: string) => path.dirname(path.dirname(python));
let engine: Engine;
const callerOf = (e: Engine) => createCallerFactory(appRouter)(createApiContext(e));
let caller: ReturnType<typeof callerOf>;
let first: string;
let second: string;
let folder: string;
const saved = process.env.AQUEDUCT_PYTHON;

beforeAll(async () => {
  // the saved setting is what this test changes; AQUEDUCT_PYTHON would win over it
  delete process.env.AQUEDUCT_PYTHON;
  const home = tempHome('python-settings');
  first = testPython();
  const link = path.join(home, 'same-venv-elsewhere');
  fs.symlinkSync(fs.realpathSync(venvOf(first)), link);
  second = path.join(link, 'bin', 'python');
  engine = await Engine.open({ home, pythonWorkers: 1 });
  caller = callerOf(engine);
  folder = makeWorkflow(
    { nodes: [{ id: 'who', kind: 'python' }] },
    { 'nodes/who.py': 'import sys\nimport pandas as pd\n\ndef run():\n    return pd.DataFrame({"python": [sys.executable]})\n' },
    'python-settings',
  );
});

afterAll(async () => {
  await engine.close();
  if (saved !== undefined) process.env.AQUEDUCT_PYTHON = saved;
});

async function pythonOfNextRun(): Promise<string> {
  const run = await engine.run(folder);
  expect(run.status).toBe('succeeded');
  const p = await engine.readPreview(run.id, 'who');
  return String(p.rows[0]!.python);
}

describe('Settings → Python', () => {
  it('applies a changed interpreter to the next run without restarting the app', async () => {
    await caller.settings.set({ python: first });
    expect(await pythonOfNextRun()).toBe(first);
    const after = await caller.settings.set({ python: second });
    expect(after.python).toBe(second);
    expect(await pythonOfNextRun()).toBe(second);
    // the old interpreter's workers were idle: they are gone, only the new one's pool is warm
    expect(engine.pools.interpreters()).toEqual([second]);
    await caller.settings.set({ python: first });
    expect(await pythonOfNextRun()).toBe(first);
  });

  it('refuses a program that is not a Python with one sentence, and keeps the old setting', async () => {
    await caller.settings.set({ python: first });
    const notPython = path.join(tempHome('not-python'), 'python');
    fs.writeFileSync(notPython, '#!/bin/sh\necho hello\n', { mode: 0o755 });
    await expect(caller.settings.set({ python: notPython })).rejects.toThrow(/^The program at .+ does not behave like a Python interpreter\. Install Python 3\.9\+ or set the interpreter in Settings/);
    await expect(caller.settings.set({ python: '/no/such/python3' })).rejects.toThrow(/^Python interpreter \/no\/such\/python3 does not exist\./);
    expect((await caller.settings.get()).python).toBe(first);
  });

  it('saves an interpreter without pandas but says so, with the check a run would make', async () => {
    // the same venv's base interpreter started without site-packages: a real Python that lacks both
    const bare = path.join(tempHome('bare-python'), 'python');
    fs.writeFileSync(bare, `#!/bin/sh\nexec "${first}" -S "$@"\n`, { mode: 0o755 });
    const after = await caller.settings.set({ python: bare });
    expect(after.python).toBe(bare);
    expect(after.check).toMatchObject({ ok: false, lacksPackages: true });
    expect(after.check?.message).toMatch(/lacks pandas and pyarrow/);
    await caller.settings.set({ python: first });
  });

  it('tries the interpreter without blocking the event loop', async () => {
    const slow = path.join(tempHome('slow-python'), 'python');
    fs.writeFileSync(slow, `#!/bin/sh\nsleep 1\nexec "${first}" "$@"\n`, { mode: 0o755 });
    const order: string[] = [];
    const tick = new Promise<void>((resolve) => setTimeout(() => (order.push('timer'), resolve()), 0));
    await caller.settings.set({ python: slow }).then(() => order.push('saved'));
    await tick;
    expect(order).toEqual(['timer', 'saved']);
    await caller.settings.set({ python: first });
  });
});

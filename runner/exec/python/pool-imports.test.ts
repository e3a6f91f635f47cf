// What a worker pool imports, and when: pandas once per worker (the check before the
// first worker only finds it), a broken pandas told in one sentence by the worker that
// tried, and one worker warmed ahead of the first call. Real Python and pandas; a
// wrapper script puts a sitecustomize (or a pandas that fails to import) on its path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPython } from '../../../test/helpers/python.ts';
import { checkPythonEnvironment } from './environment.ts';
import { PythonEnvironmentError, PythonPool, type PythonCall } from './pool.ts';

const python = testPython();
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-pool-imports-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An interpreter that runs the test Python with `sitePath` first on its module path. */
function pythonWith(name: string, sitePath: string, env: Record<string, string> = {}): string {
  const wrapper = path.join(dir, `${name}.sh`);
  const exports = Object.entries({ PYTHONPATH: sitePath, ...env }).map(([k, v]) => `${k}='${v}' `).join('');
  fs.writeFileSync(wrapper, `#!/bin/sh\n${exports}exec "${python}" "$@"\n`, { mode: 0o755 });
  return wrapper;
}

const call = (code: string[], id = 'n'): PythonCall => ({
  nodeId: id, code: code.join('\n'), file: `nodes/${id}.py`, inputs: {}, params: {}, outputPath: path.join(dir, `${id}-${Date.now()}.parquet`),
});

describe.skipIf(process.platform === 'win32')('what the Python pool imports', { timeout: 120_000 }, () => {
  it('imports pandas in the worker only: the check before it finds pandas without importing it', async () => {
    // every Python process that exits normally (the checks do; workers are killed) records whether it imported pandas
    const site = path.join(dir, 'recording-site');
    fs.mkdirSync(site);
    const log = path.join(dir, 'imports.log');
    fs.writeFileSync(path.join(site, 'sitecustomize.py'), [
      'import atexit, json, os, sys',
      'def _record():',
      '    with open(os.environ["IMPORT_LOG"], "a") as f:',
      '        f.write(json.dumps({"argv0": sys.argv[0], "pandas": "pandas" in sys.modules}) + "\\n")',
      'atexit.register(_record)',
    ].join('\n'));
    const recording = pythonWith('recording', site, { IMPORT_LOG: log });
    const records = () => fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv0: string; pandas: boolean });

    // the full check (Settings) does import it, and the recording sees that
    expect(await checkPythonEnvironment(recording)).toMatchObject({ ok: true });
    expect(records()).toEqual([{ argv0: '-c', pandas: true }]);
    fs.rmSync(log);

    const pool = new PythonPool({ python: recording, size: 1 });
    try {
      const r = await pool.call(call(['import pandas as pd', 'def run():', '    return len(pd.DataFrame({"a": [1, 2, 3]}))']));
      expect(r).toMatchObject({ kind: 'scalar', value: 3 });
    } finally {
      await pool.close();
    }
    expect(records()).toEqual([{ argv0: '-c', pandas: false }]);
  });

  it('tells a pandas that is installed but does not import in one sentence, from the worker', async () => {
    const site = path.join(dir, 'broken-site');
    fs.mkdirSync(path.join(site, 'pandas'), { recursive: true });
    fs.writeFileSync(path.join(site, 'pandas', '__init__.py'), 'raise ImportError("numpy.core.multiarray failed to import")\n');
    const pool = new PythonPool({ python: pythonWith('broken', site), size: 1 });
    try {
      const err = await pool.call(call(['def run():', '    return 1'])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PythonEnvironmentError);
      expect((err as Error).message).toMatch(
        /^Python at \S+ cannot import pandas \(numpy\.core\.multiarray failed to import\); reinstall it with: \S+ -m pip install pandas --force-reinstall$/,
      );
    } finally {
      await pool.close();
    }
  });

  it('warms one worker ahead of the first call, which then runs on it', async () => {
    const pool = new PythonPool({ python, size: 2 });
    try {
      await pool.prewarm();
      expect(pool.stats).toEqual({ started: 1, busy: 0, idle: 1 });
      await pool.call(call(['def run():', '    return 1']));
      expect(pool.stats.started).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('warming a pool whose Python does not exist fails nothing; the first call says why', async () => {
    const pool = new PythonPool({ python: path.join(dir, 'no-such-python'), size: 1 });
    try {
      await pool.prewarm();
      expect(pool.stats.started).toBe(0);
      await expect(pool.call(call(['def run():', '    return 1']))).rejects.toThrow(/no-such-python does not exist/);
    } finally {
      await pool.close();
    }
  });
});

// The Python client's own suite (resources/client/tests, pytest) is part of `npm test`: it
// starts a real `aqueduct serve` from this checkout and drives it through aqueduct_client.
// Any failure, a missing pytest, a skipped test or an empty run fails this test with
// pytest's output.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

describe('the Python client (aqueduct_client)', () => {
  // spawned, not spawnSync: a worker blocked for minutes cannot answer vitest and is killed at teardown
  it('passes its pytest suite against a real aqueduct serve', async () => {
    const python = testPython();
    const r = await run(python, ['-m', 'pytest', 'resources/client/tests', '-q', '-rs', '-p', 'no:cacheprovider', '--basetemp', path.join(tempHome('pytest-client'), 'tmp')], {
      env: {
        ...process.env,
        PYTHONPATH: path.resolve('resources/client/src'),
        AQUEDUCT_PYTHON: python,
        AQUEDUCT_TEST_NODE: process.execPath,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      timeout: 600_000,
    });
    const output = r.output;
    if (/No module named pytest/.test(output)) {
      throw new Error(`pytest is not installed in ${python}: run ${python} -m pip install -r resources/python/requirements-test.txt (npm test does)`);
    }
    expect(r.code, output).toBe(0);
    expect(output).toMatch(/\b\d+ passed\b/);
    expect(output, 'no client test may be skipped').not.toMatch(/skipped|xfail|no tests ran/);
  }, 600_000);
});

function run(cmd: string, args: string[], o: { env: NodeJS.ProcessEnv; timeout: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: o.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: o.timeout });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (output += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

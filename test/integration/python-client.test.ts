// The Python client's own suite (resources/client/tests, pytest) is part of `npm test`: it
// starts a real `aqueduct serve` from this checkout and drives it through aqueduct_client.
// Any failure, a missing pytest, a skipped test or an empty run fails this test with
// pytest's output.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

describe('the Python client (aqueduct_client)', () => {
  it('passes its pytest suite against a real aqueduct serve', () => {
    const python = testPython();
    const r = spawnSync(python, ['-m', 'pytest', 'resources/client/tests', '-q', '-rs', '-p', 'no:cacheprovider', '--basetemp', path.join(tempHome('pytest-client'), 'tmp')], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PYTHONPATH: path.resolve('resources/client/src'),
        AQUEDUCT_PYTHON: python,
        AQUEDUCT_TEST_NODE: process.execPath,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      timeout: 600_000,
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (/No module named pytest/.test(output)) {
      throw new Error(`pytest is not installed in ${python}: run ${python} -m pip install -r resources/python/requirements-test.txt (npm test does)`);
    }
    expect(r.status, output).toBe(0);
    expect(output).toMatch(/\b\d+ passed\b/);
    expect(output, 'no client test may be skipped').not.toMatch(/skipped|xfail|no tests ran/);
  });
});

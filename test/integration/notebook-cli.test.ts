// `aqueduct import` and `aqueduct export-notebook` as a user calls them: real processes,
// exit codes, the nodes and the unmapped items printed with their fixes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { copyFixture, validateWithNbformat } from '../helpers/notebooks.ts';
import { testPython } from '../helpers/python.ts';

function aqueduct(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AQUEDUCT_PYTHON: testPython(), NO_COLOR: '1' },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('aqueduct import / export-notebook', () => {
  it('imports a notebook beside itself, lists what it left out, runs it, and exports the run as a notebook', () => {
    const home = tempHome('nb-cli');
    const nbDir = copyFixture('churn');
    const imported = aqueduct(home, 'import', path.join(nbDir, 'churn.ipynb'));
    expect(imported.code, imported.stderr).toBe(0);
    const folder = path.join(nbDir, 'churn');
    expect(imported.stdout).toContain(`Imported churn.ipynb as Customer churn in ${folder}`);
    expect(imported.stdout).toContain('  predictions (python) ← clean');
    expect(imported.stdout).toContain('  - cell 9: the plot (clean["monthly_charges"].hist(bins=30)) was left out');
    expect(imported.stdout).toContain("    fix: look at the node's output in the app after a run");

    const runs = aqueduct(home, 'run', folder, '--json');
    expect(runs.code, runs.stderr).toBe(0);
    const runId = (JSON.parse(runs.stdout) as { id: string }).id;
    // the app lists the imported workflow, so the run is filed under it
    expect(aqueduct(home, 'runs', '-w', folder).stdout).toContain(runId.slice(0, 8));

    const out = path.join(nbDir, 'exported.ipynb');
    const exported = aqueduct(home, 'export-notebook', folder, '--run', runId.slice(0, 8), '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`Wrote ${out}`);
    validateWithNbformat(out);
    expect(fs.readFileSync(out, 'utf8')).toContain(path.join(home, 'runs', runId, 'predictions.parquet'));

    const again = aqueduct(home, 'import', path.join(nbDir, 'churn.ipynb'));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`error: ${folder} is not empty\nfix: choose an empty or new folder for the workflow`);
  });

  it('shows the suggestion without writing anything on --dry-run, and follows --starts', () => {
    const home = tempHome('nb-cli-dry');
    const nbDir = copyFixture('churn');
    const dry = aqueduct(home, 'import', path.join(nbDir, 'churn.ipynb'), '--dry-run', '--starts', '1,10');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('churn.ipynb: nodes begin at cells 1, 10 (suggested: 1, 6, 10, 13)');
    expect(fs.existsSync(path.join(nbDir, 'churn'))).toBe(false);
    const bad = aqueduct(home, 'import', path.join(nbDir, 'churn.ipynb'), '--starts', 'one');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--starts one: give cell numbers from 1, separated by commas');
  });
});

// Python environments in the real UI, on a fresh-laptop Python: the app points at a new
// `python -m venv` without pandas or pyarrow. A workflow without packages of its own
// offers "Set up Python", which builds an environment with them (showing its steps) and
// then runs green; the bundled example builds its own environment on its first run; the
// Packages panel adds a package, shows the version the lock pins, and the next run uses it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow } from '../helpers/workflows.ts';
import { canvasNode, expectNoPageErrors, startApp, waitForRunEnd, type E2eApp } from './app.ts';

let app: E2eApp;
let bare: string;

beforeAll(async () => {
  const venv = path.join(tempHome('bare-venv'), 'venv');
  const made = spawnSync(testPython(), ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  bare = path.join(venv, 'bin', 'python');
  expect(spawnSync(bare, ['-c', 'import pandas']).status).not.toBe(0);
  app = await startApp('e2e-envs', { python: bare });
});
afterAll(async () => {
  await app?.close();
});

async function openFolder(folder: string) {
  const { page } = app;
  await page.getByRole('button', { name: 'All workflows' }).click().catch(() => {});
  await page.getByRole('button', { name: /Open folder/ }).click();
  await page.getByLabel('Folder that holds workflow.yaml').fill(folder);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
}

describe('Python environments in the app', () => {
  it('offers "Set up Python" for an interpreter without pandas, builds an environment with progress, and the run is green', async () => {
    const { page } = app;
    const folder = makeWorkflow(
      { nodes: [{ id: 'numbers', kind: 'python' }] },
      { 'nodes/numbers.py': 'import pandas as pd\n\ndef run():\n    return pd.DataFrame({"n": range(5)})\n' },
      'e2e-setup',
    );
    await openFolder(folder);
    const banner = page.getByRole('alert', { name: 'Python environment' });
    await expect.poll(() => banner.textContent()).toMatch(/Python nodes cannot run yet\. Python at .+ lacks pandas and pyarrow/);
    await app.shot('env-setup-offered');
    await banner.getByRole('button', { name: 'Set up Python' }).click();
    // each step is shown while it runs, then the banner goes away
    await page.getByRole('status', { name: 'Python environment build' }).waitFor({ timeout: 20_000 }).catch(() => {});
    await page.getByLabel('Python environment', { exact: true }).waitFor({ state: 'detached', timeout: 240_000 });
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    expect(await canvasNode(page, 'numbers').getAttribute('aria-label')).toMatch(/, succeeded$/);
    const run = app.server.engine.store.listRuns({ kind: 'run', limit: 1 })[0]!;
    expect(run.lockHash).toMatch(/^[0-9a-f]{64}$/);
    // the lock it wrote pins pandas and pyarrow
    expect(fs.readFileSync(path.join(folder, 'requirements.lock'), 'utf8')).toMatch(/^pandas==\d/m);
    await app.shot('env-setup-done');
    expectNoPageErrors(app.errors);
  });

  it('runs the bundled example green on that Python: its first run builds the environment', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page, 300_000)).toBe('succeeded');
    expect(await canvasNode(page, 'churn_model').getAttribute('aria-label')).toMatch(/, succeeded$/);
    expectNoPageErrors(app.errors);
  });

  it('adds a package in Workflow settings → Packages, shows its locked version, and the next run imports it', async () => {
    const { page } = app;
    const folder = makeWorkflow(
      { nodes: [{ id: 'table', kind: 'python' }] },
      {
        'requirements.txt': '',
        'nodes/table.py': 'import pandas as pd\n\ndef run():\n    import tabulate\n    return pd.DataFrame({"tabulate": [tabulate.__version__]})\n',
      },
      'e2e-packages',
    );
    await openFolder(folder);
    // a first run without tabulate: the node fails on the import, with its environment recorded
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page, 240_000)).toBe('failed');
    await page.getByRole('button', { name: 'Workflow settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Workflow settings' });
    const packages = settings.getByRole('group', { name: 'Packages' });
    await expect.poll(() => packages.textContent()).toMatch(/No packages of its own yet/);
    await packages.getByLabel('Package to add').fill('tabulate');
    await packages.getByRole('button', { name: 'Add package' }).click();
    const table = packages.getByRole('table', { name: 'Packages' });
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toMatch(/^tabulateany/);
    expect(fs.readFileSync(path.join(folder, 'requirements.txt'), 'utf8')).toBe('tabulate\n');
    await packages.getByRole('button', { name: 'Build now' }).click();
    await expect.poll(() => packages.getByLabel('Locked version of tabulate').textContent(), { timeout: 240_000 }).toMatch(/^\d+\.\d+\.\d+$/);
    await expect.poll(() => packages.getByLabel('Environment state').textContent()).toMatch(/^Built: Python 3\.\d+\.\d+, \d+ packages locked/);
    await app.shot('env-packages-panel');
    // a package that does not exist: refused when locking, in one sentence
    await packages.getByLabel('Package to add').fill('not a package!');
    await packages.getByRole('button', { name: 'Add package' }).click();
    await expect.poll(() => packages.getByRole('alert').textContent()).toMatch(/^"not a package!" is not a package requirement/);
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !/status of 400/.test(e)));
    await settings.getByRole('button', { name: 'Close workflow settings' }).click();
    const runsOf = () => app.server.engine.store.listRuns({ workflowId: app.server.engine.openWorkflow(folder).summary.id, kind: 'run' });
    await page.getByRole('button', { name: /^Run/ }).click();
    // the toolbar still shows the first (failed) run until the second one starts
    await expect.poll(() => runsOf().length, { timeout: 30_000 }).toBe(2);
    expect(await waitForRunEnd(page)).toBe('succeeded');
    const locked = fs.readFileSync(path.join(folder, 'requirements.lock'), 'utf8');
    const run = app.server.engine.store.listRuns({ kind: 'run', limit: 1 })[0]!;
    const preview = await app.server.engine.readPreview(run.id, 'table');
    expect(locked).toContain(`tabulate==${preview.rows[0]!.tabulate}`);

    // Compare: the two runs differ in their packages by tabulate
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(2);
    const picks = runs.getByRole('checkbox', { name: /Pick run .* to compare/ });
    await picks.nth(0).check();
    await picks.nth(1).check();
    await page.getByRole('button', { name: 'Compare' }).click();
    const view = page.getByRole('region', { name: 'Run comparison' });
    const changes = view.getByRole('table', { name: 'Package changes' });
    await expect.poll(() => changes.getByRole('row', { name: 'Package tabulate' }).textContent()).toBe(`tabulate—${preview.rows[0]!.tabulate}`);
    await app.shot('env-compare-packages');
    expectNoPageErrors(app.errors);
  });
});

// Remote engines in the real UI, in Chromium against the headless server: publish the
// example as a Python bundle from the workflow toolbar and see the files written; run the
// bundle with the portable runtime; register its results folder on the Engines screen and
// "Sync now"; the runs list then shows the run with its engine badge. An engine connection
// saved through the form never shows its secret. Screenshots (light and dark) are kept.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginePython, runBundle } from '../helpers/engines-env.ts';
import { tempHome } from '../helpers/home.ts';
import { expectNoPageErrors, startApp, type E2eApp } from './app.ts';

const TOKEN_SECRET = 'ray-Token-e2e-5f1c';

describe('publishing to engines and syncing their runs', () => {
  let app: E2eApp;
  const bundle = path.join(tempHome('e2e-engines-out'), 'bundle');
  const results = path.join(tempHome('e2e-engines-results'), 'results');
  beforeAll(async () => {
    app = await startApp('e2e-engines');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('exports a python bundle from the Publish to engine dialog', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    await page.getByRole('button', { name: 'Publish to engine…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish to engine' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Ray' }).check();
    expect(await dialog.getByLabel('What will be written').textContent()).toContain('Ray job spec');
    await dialog.getByRole('radio', { name: 'Python bundle' }).check();
    await dialog.getByLabel('Output folder').fill(bundle);
    await dialog.getByRole('button', { name: 'Export' }).click();
    const files = dialog.getByRole('list', { name: 'Files written' });
    await files.waitFor();
    const written = await files.textContent();
    expect(written).toContain('aqueduct-bundle.json');
    expect(written).toContain('aqueduct_runtime');
    await app.shot('engines-publish-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('syncs the run the bundle made; the runs list shows its engine', async () => {
    const run = runBundle(enginePython('runtime'), bundle, results);
    expect(run.status, run.stderr).toBe(0);
    const { page } = app;
    await page.getByRole('button', { name: 'Engines', exact: true }).click();
    await page.getByRole('note', { name: 'No engine connections yet' }).waitFor();
    await page.getByLabel('Results folder path').fill(results);
    await page.getByRole('button', { name: 'Add folder' }).click();
    const row = page.getByRole('listitem', { name: `Results folder ${results}` });
    await row.waitFor();
    await row.getByRole('button', { name: `Sync now ${results}` }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Sync result' }).textContent()).toContain('1 imported');
    await expect.poll(() => row.textContent()).toMatch(/last synced just now · 1 imported/);

    await page.getByRole('button', { name: 'Engines', exact: true }).click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await runs.getByLabel('Engine: Python bundle').waitFor();
    expect(await runs.locator('tbody tr').count()).toBe(1);
    await app.shot('engines-runs-badge');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(400); // let the buttons' colour transitions finish
    await app.shot('engines-runs-badge-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('saves an engine connection whose secret is write-only', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Engines', exact: true }).click();
    await page.getByRole('button', { name: 'New engine connection' }).click();
    const form = page.getByRole('form', { name: 'New engine connection' });
    await form.getByLabel('Engine').selectOption('ray');
    await form.getByLabel('Name').fill('cluster');
    await form.getByLabel('address *').fill('http://127.0.0.1:9');
    await form.getByLabel('token').fill(TOKEN_SECRET);
    await form.getByRole('button', { name: 'Save engine connection' }).click();
    const item = page.getByRole('listitem', { name: 'Engine connection cluster' });
    await item.waitFor();
    expect(await item.textContent()).toContain('token saved');
    await item.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => item.getByRole('status', { name: 'Test result' }).textContent()).toMatch(/^Failed: cannot reach the Ray dashboard/);
    expect(await page.content()).not.toContain(TOKEN_SECRET);
    await app.shot('engines-screen');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(400); // let the buttons' colour transitions finish
    await app.shot('engines-screen-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expectNoPageErrors(app.errors);
  });
});

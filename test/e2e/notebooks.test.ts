// A notebook into the app and a run back out, as a user does it in Chromium: upload the
// churn notebook in the import dialog, change where nodes begin and go back to the
// suggestion, import, see the graph, run it; then download a run as a notebook from the
// run history.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, validateWithNbformat } from '../helpers/notebooks.ts';
import { canvasNode, expectNoPageErrors, startApp, waitForRunEnd, type E2eApp } from './app.ts';

describe('notebooks in the app', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp('e2e-notebooks');
  });
  afterAll(async () => app?.close());

  it('imports an uploaded notebook with the cells the user marks, opens it and runs it', async () => {
    const { page } = app;
    const nbDir = copyFixture('churn');
    await page.getByRole('button', { name: 'Import notebook…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a notebook' });
    await dialog.getByLabel('Notebook file').setInputFiles(path.join(nbDir, 'churn.ipynb'));
    const notMapped = dialog.getByRole('list', { name: 'Not mapped' });
    // an upload comes without its data files: the dialog says so until it is told the notebook's folder
    await expect.poll(() => notMapped.textContent()).toContain('data/customers.csv, read by node customers, could not be found');
    const folderField = dialog.getByLabel('Folder of the notebook (where the data files it reads are)');
    await folderField.fill(nbDir);
    await folderField.press('Tab');
    await expect.poll(() => notMapped.textContent()).not.toContain('data/customers.csv');

    const cells = dialog.getByRole('list', { name: 'Notebook cells' });
    const nodes = dialog.getByRole('list', { name: 'Nodes to import' });
    await expect.poll(() => nodes.getByRole('listitem').allTextContents()).toEqual([
      'customers source', 'clean python ← customers', 'predictions python ← clean', 'predictions_csv publish ← predictions',
    ]);
    // the suggestion begins nodes at the markdown above "## Clean" (cell 6) and "## Model" (cell 10)
    const begins = (n: number) => cells.getByRole('listitem', { name: `Cell ${n}`, exact: true }).getByLabel('A node begins here');
    expect(await begins(6).isChecked()).toBe(true);
    expect(await begins(10).isChecked()).toBe(true);
    await expect.poll(() => notMapped.textContent()).toContain('the plot (clean["monthly_charges"].hist(bins=30)) was left out');
    expect(await notMapped.textContent()).toContain('!pip install scikit-learn became requirements.txt (scikit-learn)');
    await app.shot('notebook-import-dialog');

    // the model joins the cleaning node when no node begins at "## Model"
    await begins(10).uncheck();
    await expect.poll(() => nodes.getByRole('listitem').allTextContents()).toEqual([
      'customers source', 'predictions python ← customers', 'predictions_csv publish ← predictions',
    ]);
    await dialog.getByRole('button', { name: 'Use the suggestion' }).click();
    await expect.poll(() => nodes.getByRole('listitem').count()).toBe(4);
    expect(await begins(10).isChecked()).toBe(true);

    await dialog.getByRole('textbox', { name: 'Workflow name' }).fill('Churn from the notebook');
    await dialog.getByRole('button', { name: 'Import 4 nodes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.waitFor();
    for (const id of ['customers', 'clean', 'predictions', 'predictions_csv']) await canvasNode(page, id).waitFor();
    await toolbar.getByRole('button', { name: /^Run/ }).click();
    await toolbar.getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    await app.shot('notebook-imported-run');

    const [wf] = await app.server.engine.store.listWorkflows();
    expect(wf!.name).toBe('Churn from the notebook');
    expect(fs.readFileSync(path.join(wf!.folder, 'out', 'predictions.csv'), 'utf8').split('\n')[0]).toBe('customer_id,contract,churn_probability,high_risk');
    expectNoPageErrors(app.errors);
  });

  it('downloads a run from the run history as a notebook that reads its outputs', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    const [run] = app.server.engine.store.listRuns({ kind: 'run' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      runs.getByRole('button', { name: `Export run ${run!.id.slice(0, 8)} as a notebook` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`churn_from_the_notebook-${run!.id.slice(0, 8)}.ipynb`);
    const file = path.join(path.dirname(app.server.engine.paths.home), 'downloaded.ipynb');
    await download.saveAs(file);
    validateWithNbformat(file);
    const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { source: string[] }[] };
    expect(nb.cells[1]!.source.join('')).toContain(`"predictions": ${JSON.stringify(path.join(app.server.engine.paths.runs, run!.id, 'predictions.parquet'))}`);
    await app.shot('notebook-export-history');
    expectNoPageErrors(app.errors);
  });
});

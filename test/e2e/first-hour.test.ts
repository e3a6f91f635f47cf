// The first hour of a data scientist, in the UI only: "New workflow", upload a house
// prices CSV (with "NA" for missing values) through the browser, read it as pandas would,
// build source → Python cleaning → SQL features → scikit-learn model → check, metric →
// CSV publish by clicking and typing (inputs picked in the form and by keyboard), add
// scikit-learn to the workflow's packages (its first run builds the environment), run it
// with different parameters, see why nodes did not run, compare runs by parameter,
// reload and go back without losing the place, watch a run started from the terminal,
// and schedule it in words until a scheduled run publishes. The test writes no workflow
// file itself. Three screenshots of it illustrate the README's quick start.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPython } from '../helpers/python.ts';
import { canvasNode, expectNoPageErrors, gridColumn, gridRows, nodeStatuses, startApp, waitForRunEnd, type E2eApp } from './app.ts';

const TRAIN_CSV = path.resolve('test/fixtures/house-prices/train.csv');

const CLEAN = `import pandas as pd


def run(houses: pd.DataFrame) -> pd.DataFrame:
    out = houses.copy()
    out["LotFrontage"] = out["LotFrontage"].fillna(out["LotFrontage"].median())
    out["GarageYrBlt"] = out["GarageYrBlt"].fillna(out["YearBuilt"])
    return out
`;
const FEATURES = `SELECT Id, OverallQual, GrLivArea, YearBuilt, LotFrontage, SalePrice
FROM clean
WHERE OverallQual >= $min_quality
`;
const PREDICT = `import pandas as pd
from sklearn.linear_model import LinearRegression

COLUMNS = ["OverallQual", "GrLivArea", "YearBuilt", "LotFrontage"]


def run(features: pd.DataFrame) -> pd.DataFrame:
    model = LinearRegression().fit(features[COLUMNS], features["SalePrice"])
    return features.assign(predicted=model.predict(features[COLUMNS]).round(0))
`;

const inspectorOf = (page: Page, id: string) => page.getByRole('complementary', { name: `Node inspector: ${id}` });
const toolbarOf = (page: Page) => page.getByRole('toolbar', { name: 'Workflow actions' });

/** Clicks a palette item (the new node opens in the inspector), names it and picks its inputs in the form. */
async function addNode(page: Page, kind: string, id: string, inputs: string[] = []) {
  await page.getByRole('button', { name: `Add ${kind} node` }).click();
  const opened = page.getByRole('complementary', { name: /^Node inspector: / });
  await opened.waitFor();
  await opened.getByRole('tab', { name: 'Settings' }).click();
  const idField = opened.getByLabel('Id', { exact: true });
  await idField.fill(id);
  await idField.press('Enter');
  const inspector = inspectorOf(page, id);
  await inspector.waitFor();
  for (const input of inputs) await inspector.getByRole('group', { name: 'Inputs' }).getByRole('checkbox', { name: new RegExp(`^${input} `) }).check();
  return inspector;
}

async function writeCode(page: Page, id: string, code: string) {
  const inspector = inspectorOf(page, id);
  await inspector.getByRole('tab', { name: 'Code' }).click();
  await inspector.getByRole('textbox', { name: `Code of ${id}` }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
}

async function runWith(page: Page, minQuality: string | undefined, timeout?: number): Promise<string> {
  if (minQuality === undefined) {
    await page.keyboard.press('Control+Enter');
  } else {
    await toolbarOf(page).getByRole('button', { name: /^Parameters/ }).click();
    const form = page.getByRole('form', { name: 'Run parameters' });
    await form.getByLabel(/min_quality/).fill(minQuality);
    await form.getByRole('button', { name: 'Run with these values' }).click();
  }
  await toolbarOf(page).getByRole('progressbar').waitFor();
  return waitForRunEnd(page, timeout);
}

/** The kind of the element that has the focus: a node's id, or "edge". */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (el?.classList.contains('react-flow__edge')) return 'edge';
    return el?.getAttribute('data-id') ?? el?.tagName ?? '';
  });

describe('the first hour: a house prices workflow built in the UI', () => {
  let app: E2eApp;
  let folder: string;
  beforeAll(async () => {
    app = await startApp('e2e-first-hour');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('1. starts a blank workflow with a name, in a folder of its own, and says what to add first', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New workflow' }).click();
    const form = page.getByRole('form', { name: 'New workflow' });
    await form.getByLabel('Name').fill('House prices');
    await expect.poll(() => form.getByLabel('Folder').inputValue(), { timeout: 10_000 }).toMatch(/[\\/]workflows[\\/]house-prices$/);
    folder = await form.getByLabel('Folder').inputValue();
    expect(await form.getByLabel('Start from').inputValue()).toBe('');
    await app.shot('first-hour-1-new-workflow');
    await form.getByRole('button', { name: 'Create' }).click();

    await page.getByRole('note', { name: 'Empty workflow' }).waitFor();
    expect(await page.locator('header h1').textContent()).toBe('House prices');
    // the place is in the address
    expect(new URL(page.url()).searchParams.get('tab')).toBe('graph');
    await page.keyboard.press('Control+Enter');
    const notice = page.getByRole('alert').filter({ hasText: 'has no nodes yet' });
    expect(await notice.textContent()).toContain('"House prices" has no nodes yet: add a Source node that reads your data file');
    await notice.getByRole('button', { name: 'Dismiss message' }).click();
    // the refused run answered 400 on purpose
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !/status of 400/.test(e)));
  });

  it('2. uploads the data into the workflow folder and shows where the source reads it', async () => {
    const { page } = app;
    const inspector = await addNode(page, 'Source', 'houses');
    await page.getByRole('note', { name: 'Empty workflow' }).waitFor({ state: 'detached' });
    const fileField = inspector.getByLabel('Source file');
    // a new source points at a placeholder in data/, and says where that is
    expect(await inspector.locator('.field-help', { hasText: 'Reads' }).first().textContent()).toContain(`${folder}/data/source_1.csv`);
    const chooser = page.waitForEvent('filechooser');
    await inspector.getByRole('button', { name: 'Upload…' }).click();
    await (await chooser).setFiles(TRAIN_CSV);
    await expect.poll(() => fileField.inputValue(), { timeout: 10_000 }).toBe('data/train.csv');
    expect(await inspector.locator('.field-help', { hasText: 'Reads' }).first().textContent()).toBe(`Reads ${folder}/data/train.csv Upload puts a copy in its data/ folder.`);

    // the file browser is rooted at the workflow folder and shows the upload in data/
    await inspector.getByRole('button', { name: 'Browse…' }).click();
    const browser = page.getByRole('dialog', { name: 'Choose a file in the workflow folder' });
    await browser.getByRole('list', { name: 'Files in data' }).getByRole('button', { name: 'train.csv' }).click();
    await browser.waitFor({ state: 'detached' });
    expect(await fileField.inputValue()).toBe('data/train.csv');
  });

  it('3. reads "NA" as missing so LotFrontage is a number, and the sample follows the options', async () => {
    const { page } = app;
    const inspector = inspectorOf(page, 'houses');
    const sample = inspector.getByRole('table', { name: 'First rows of data/train.csv' });
    const typeOf = async (column: string) => (await sample.getByRole('columnheader', { name: new RegExp(`^${column} `) }).textContent())?.replace(column, '').trim();
    await expect.poll(() => typeOf('LotFrontage'), { timeout: 10_000 }).toBe('BIGINT');
    expect(await typeOf('GarageYrBlt')).toBe('BIGINT');
    expect(await sample.locator('td.null').count()).toBeGreaterThan(0);

    // only "n/a" as a marker: "NA" is text again, so the column is text
    const markers = inspector.getByLabel('Null markers');
    await markers.fill('n/a');
    await expect.poll(() => typeOf('LotFrontage'), { timeout: 10_000 }).toBe('VARCHAR');
    await inspector.getByRole('button', { name: 'Use pandas’ defaults' }).click();
    await expect.poll(() => typeOf('LotFrontage'), { timeout: 10_000 }).toBe('BIGINT');
    // a wrong delimiter shows at once as one wide column
    await inspector.getByLabel('Delimiter').selectOption({ label: '; (semicolon)' });
    await expect.poll(() => sample.getByRole('columnheader').count(), { timeout: 10_000 }).toBe(1);
    await inspector.getByLabel('Delimiter').selectOption({ label: 'detect' });
    await expect.poll(() => sample.getByRole('columnheader').count(), { timeout: 10_000 }).toBe(14);
    // a column read as text on request
    await inspector.getByLabel('Column to set a type for').selectOption('Id');
    await inspector.getByRole('button', { name: 'Set its type' }).click();
    await expect.poll(() => typeOf('Id'), { timeout: 10_000 }).toBe('VARCHAR');
    await inspector.getByRole('button', { name: 'Read Id as detected' }).click();
    await expect.poll(() => typeOf('Id'), { timeout: 10_000 }).toBe('BIGINT');
    await inspector.getByText('Source file', { exact: true }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    // it runs on an environment of the app's own, which nothing asks to build while no node runs Python
    expect(await page.getByLabel('Python environment', { exact: true }).count()).toBe(0);
    await app.shot('first-hour-2-source');
  });

  it('5. builds the rest without dragging: inputs picked in the form and by keyboard', async () => {
    const { page } = app;
    await addNode(page, 'Python', 'clean', ['houses']);
    await writeCode(page, 'clean', CLEAN);
    await page.getByLabel('Python environment', { exact: true }).filter({ hasText: 'not built yet: the first run builds it' }).waitFor();

    await page.getByRole('button', { name: 'Workflow settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Workflow settings' });
    await settings.getByRole('button', { name: 'Add parameter' }).click();
    await settings.getByLabel('Name of parameter param_1').fill('min_quality');
    await settings.getByLabel('Name of parameter param_1').press('Enter');
    await settings.getByLabel('Type of parameter min_quality').selectOption('integer');
    await settings.getByLabel('Default of parameter min_quality').fill('0');
    // the model needs scikit-learn: a package of the workflow's own, for its app-owned environment
    const packages = settings.getByRole('group', { name: 'Packages' });
    await expect.poll(() => packages.textContent()).toMatch(/No packages of its own yet/);
    expect(await packages.getByRole('radio', { name: /^An environment the app builds/ }).isChecked()).toBe(true);
    await packages.getByLabel('Package to add').fill('scikit-learn');
    await packages.getByRole('button', { name: 'Add package' }).click();
    await expect.poll(() => packages.getByRole('table', { name: 'Packages' }).getByRole('row').nth(1).textContent()).toMatch(/^scikit-learnany/);
    expect(fs.readFileSync(path.join(folder, 'requirements.txt'), 'utf8')).toMatch(/^# .*\nscikit-learn\n$/);
    await settings.getByRole('button', { name: 'Close workflow settings' }).click();

    await canvasNode(page, 'clean').click();
    await addNode(page, 'SQL', 'features', ['clean']);
    await writeCode(page, 'features', FEATURES);
    await addNode(page, 'Python', 'predict', ['features']);
    await writeCode(page, 'predict', PREDICT);
    await addNode(page, 'Check', 'enough_rows', ['predict']);
    await writeCode(page, 'enough_rows', 'SELECT count(*) >= 50 FROM predict\n');
    await canvasNode(page, 'predict').click();
    await addNode(page, 'Metric', 'mean_abs_error', ['predict']);
    await writeCode(page, 'mean_abs_error', 'SELECT avg(abs(predicted - SalePrice)) FROM predict\n');
    const publish = await addNode(page, 'Publish', 'to_csv');
    await publish.getByLabel('Path', { exact: true }).fill('out/predictions.csv');

    // connect predict → to_csv from the keyboard: C on predict, Tab to to_csv, Enter
    await canvasNode(page, 'predict').focus();
    await page.keyboard.press('c');
    await page.getByRole('status', { name: 'Connecting' }).waitFor();
    for (let i = 0; i < 8 && (await focused(page)) !== 'to_csv'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('to_csv');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="rf__edge-predict->to_csv"]').waitFor({ state: 'attached' });
    expect(await inspectorOf(page, 'to_csv').getByLabel('Input (the table it publishes)').inputValue()).toBe('predict');

    // Tab visits every node before any edge
    await canvasNode(page, 'houses').focus();
    const order: string[] = [await focused(page)];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order.slice(0, 7).sort()).toEqual(['clean', 'enough_rows', 'features', 'houses', 'mean_abs_error', 'predict', 'to_csv']);
    expect(order.slice(7)).toEqual(['edge', 'edge', 'edge', 'edge', 'edge', 'edge']);

    // Ctrl+A selects the nodes, not the page's text
    await canvasNode(page, 'houses').focus();
    await page.keyboard.press('Control+A');
    await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(7);
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');

    await page.keyboard.press('Control+S');
    await toolbarOf(page).getByText('Unsaved changes').waitFor({ state: 'detached' });
  });

  it('5. moves a node with the arrow keys and keeps it there', async () => {
    const { page } = app;
    await canvasNode(page, 'mean_abs_error').click();
    const node = page.locator('.react-flow__node[data-id="mean_abs_error"]');
    // the arrow keys move the selected nodes: the click has to have selected it first
    await expect.poll(() => node.getAttribute('class')).toMatch(/\bselected\b/);
    const before = await node.evaluate((el) => (el as HTMLElement).style.transform);
    for (let i = 0; i < 6; i++) await node.press('ArrowDown');
    await expect.poll(() => node.evaluate((el) => (el as HTMLElement).style.transform)).not.toBe(before);
    await toolbarOf(page).getByText('Unsaved changes').waitFor();
    const moved = await node.evaluate((el) => (el as HTMLElement).style.transform);
    await page.keyboard.press('Control+S');
    await toolbarOf(page).getByText('Unsaved changes').waitFor({ state: 'detached' });
    await page.reload();
    await canvasNode(page, 'mean_abs_error').waitFor();
    expect(await page.locator('.react-flow__node[data-id="mean_abs_error"]').evaluate((el) => (el as HTMLElement).style.transform)).toBe(moved);
  });

  it('6. runs, and says on each node why it did not run', async () => {
    const { page } = app;
    // publishes wait on the check: a dashed edge says so
    await page.getByLabel('to_csv publishes only if check enough_rows passes').waitFor({ state: 'attached' });
    // the first run builds the workflow's environment (pandas, pyarrow, scikit-learn) first
    expect(await runWith(page, undefined, 300_000)).toBe('succeeded');
    await page.getByLabel('Python environment', { exact: true }).waitFor({ state: 'detached' });
    expect(Object.values(await nodeStatuses(page)).every((s) => s === 'succeeded')).toBe(true);

    // few houses of quality 10: the check fails, so nothing is published
    expect(await runWith(page, '10')).toBe('failed');
    expect(await canvasNode(page, 'to_csv').textContent()).toContain('not published: check enough_rows failed');
    // none of quality 11: the model cannot fit, and what follows it is skipped
    expect(await runWith(page, '11')).toBe('failed');
    expect((await nodeStatuses(page)).predict).toBe('failed');
    expect(await canvasNode(page, 'enough_rows').textContent()).toContain('skipped: predict failed');
    expect(await canvasNode(page, 'to_csv').getAttribute('aria-label')).toBe('to_csv (publish node), skipped: predict failed');
    await app.shot('first-hour-skipped');
    await toolbarOf(page).getByRole('button', { name: /^Parameters/ }).click();
    await page.getByRole('form', { name: 'Run parameters' }).getByRole('button', { name: 'Reset to defaults' }).click();
    await toolbarOf(page).getByRole('button', { name: /^Parameters/ }).click();
  }, 480_000);

  it('7. shows the parameters where runs are compared: the run list, its filter, the metric chart', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(3);
    expect(await runs.locator('td.run-params').allTextContents()).toEqual(['min_quality=11', 'min_quality=10', 'min_quality=0']);
    // each ran on the workflow's locked packages
    expect(await runs.locator('td[title^="requirements.lock "]').count()).toBe(3);
    await page.getByLabel('Only runs with min_quality').selectOption('10');
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1);
    expect(await runs.locator('tbody tr').textContent()).toMatch(/failed.*min_quality=10/);
    await page.getByLabel('Only runs with min_quality').selectOption('');
    await app.shot('first-hour-runs');

    await page.getByRole('tab', { name: 'Metrics' }).click();
    const chart = page.getByRole('figure', { name: 'Metric mean_abs_error' });
    await expect.poll(() => chart.locator('circle.metric-point').count()).toBe(2);
    await chart.locator('circle.metric-point').last().hover();
    await expect.poll(() => page.locator('.chart-tooltip').textContent(), { timeout: 10_000 }).toMatch(/min_quality\s*= 10/);
    await page.getByLabel('X axis').selectOption('min_quality');
    expect(await chart.getAttribute('data-x')).toBe('min_quality');
    await chart.locator('.recharts-label', { hasText: 'min_quality' }).waitFor();
    await page.getByLabel('X axis').selectOption('');
    await page.getByLabel('Lines').selectOption({ label: 'one per min_quality' });
    await expect.poll(() => chart.getAttribute('data-lines')).toBe('2');
    expect(await chart.locator('.recharts-legend-item').allTextContents()).toEqual(['min_quality = 0', 'min_quality = 10']);
    await app.shot('first-hour-metrics');
  });

  it('8. keeps the place in the address: reload, back and forward', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Graph' }).click();
    await canvasNode(page, 'predict').click();
    await inspectorOf(page, 'predict').waitFor();
    const url = new URL(page.url());
    expect([url.searchParams.get('tab'), url.searchParams.get('node')]).toEqual(['graph', 'predict']);
    await page.reload();
    await inspectorOf(page, 'predict').waitFor();
    expect(await page.getByRole('tab', { name: 'Graph' }).getAttribute('aria-selected')).toBe('true');
    await page.goBack();
    await page.getByRole('figure', { name: 'Metric mean_abs_error' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Metrics' }).getAttribute('aria-selected')).toBe('true');
    await page.goForward();
    await inspectorOf(page, 'predict').waitFor();

    // a past run opened from the list is in the address too, and survives a reload
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('table', { name: 'Runs' }).locator('tbody tr').last().click();
    await toolbarOf(page).getByText(/Viewing run/).waitFor();
    expect(new URL(page.url()).searchParams.get('run')).toMatch(/[0-9a-f-]{36}/);
    await page.reload();
    await toolbarOf(page).getByText(/Viewing run/).waitFor();
    expect(await toolbarOf(page).locator('.badge').first().getAttribute('data-status')).toBe('succeeded');
    await toolbarOf(page).getByRole('button', { name: 'Back to latest' }).click();
  });

  it('8. shows a run started in a terminal in the toolbar as it happens', async () => {
    const { page } = app;
    // `aqueduct run` in another process, as in a terminal next to the app
    const child = spawn(process.execPath, ['bin/aqueduct.mjs', 'run', folder, '--home', app.server.engine.paths.home, '--json'], {
      env: { ...process.env, AQUEDUCT_PYTHON: testPython() },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // while it runs, the toolbar shows its progress
    await toolbarOf(page).getByRole('progressbar').waitFor({ timeout: 60_000 });
    expect(await exited, stderr).toBe(0);
    const id = (JSON.parse(stdout) as { id: string }).id;
    await toolbarOf(page).getByText(`Last run ${id.slice(0, 8)}`).waitFor({ timeout: 20_000 });
    expect(await toolbarOf(page).locator('.badge').first().getAttribute('data-status')).toBe('succeeded');
  });

  it('9. schedules it in words, and a scheduled run publishes', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Schedule' }).click();
    await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'Daily' }).click();
    await page.getByLabel('Time of day').fill('07:30');
    const cron = page.getByLabel('Cron expression');
    expect(await cron.inputValue()).toBe('30 7 * * *');
    const words = page.getByLabel('Schedule in words');
    await expect.poll(() => words.textContent()).toMatch(/^At 07:30/);
    const next = page.getByRole('list', { name: 'Next five runs' });
    await expect.poll(async () => (await next.locator('time').allTextContents()).length, { timeout: 10_000 }).toBe(5);
    await expect.poll(async () => (await next.locator('time').allTextContents()).every((t) => t.endsWith('07:30')), { timeout: 10_000 }).toBe(true);

    await page.getByRole('button', { name: 'Weekly' }).click();
    await page.getByLabel('Day of the week').selectOption('Monday');
    await page.getByLabel('Time of day').fill('06:00');
    expect(await cron.inputValue()).toBe('0 6 * * 1');
    await expect.poll(() => words.textContent()).toMatch(/^At 06:00, only on Monday/);
    await app.shot('first-hour-schedule');
    await cron.fill('0 6 * * 1-5');
    await expect.poll(() => words.textContent()).toMatch(/^At 06:00, Monday through Friday/);
    expect(await page.getByRole('button', { name: 'Weekly' }).getAttribute('aria-pressed')).toBe('false');

    // every five seconds for a moment, to see a scheduled run publish; then weekly
    await cron.fill('*/5 * * * * *');
    await expect.poll(() => words.textContent()).toMatch(/^Every 5 seconds/);
    await page.getByRole('button', { name: 'Save schedule' }).click();
    const history = page.getByRole('table', { name: 'Schedule history' });
    await history.locator('tr[data-decision="ran"]').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Weekly' }).click();
    await page.getByLabel('Day of the week').selectOption('Monday');
    await page.getByLabel('Time of day').fill('06:00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const region = page.getByRole('region', { name: 'Schedule', exact: true });
    await expect.poll(() => region.textContent(), { timeout: 10_000 }).toMatch(/Next run .*06:00/);

    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    const scheduled = runs.locator('tbody tr', { hasText: 'schedule' }).last();
    await expect.poll(() => scheduled.locator('.badge').first().getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    expect(await scheduled.getByRole('button', { name: /^Published by run/ }).textContent()).toBe('1 output');
    const published = page.getByRole('table', { name: 'Published targets' });
    expect(await published.locator('[title$="predictions.csv"]').getAttribute('title')).toBe(`${folder}/out/predictions.csv`);

    // the graph shows the scheduled run, and the publish node what it published
    await scheduled.click();
    await canvasNode(page, 'to_csv').click();
    const inspector = inspectorOf(page, 'to_csv');
    await inspector.getByRole('tab', { name: 'Output' }).click();
    await expect.poll(() => inspector.getByRole('status').filter({ hasText: 'Published' }).textContent(), { timeout: 10_000 }).toMatch(/Published 300 rows to .*predictions\.csv/);
    const grid = inspector.getByRole('grid', { name: 'Output of predict' });
    await expect.poll(async () => (await gridRows(grid)).length, { timeout: 10_000 }).toBeGreaterThan(5);
    const year = await gridColumn(grid, 'YearBuilt');
    expect((await gridRows(grid))[0]!.cells[year]).toMatch(/^(19|20)\d\d$/);
    const dismiss = page.getByRole('button', { name: 'Dismiss message' });
    if (await dismiss.isVisible()) await dismiss.click();
    await page.setViewportSize({ width: 1680, height: 960 });
    // a narrower inspector leaves the graph room to be read
    const resize = page.getByRole('separator', { name: 'Resize the inspector' });
    for (let i = 0; i < 8; i++) await resize.press('ArrowRight');
    await page.getByRole('toolbar', { name: 'Editing' }).getByRole('button', { name: 'Zoom to fit' }).click();
    await page.waitForTimeout(600);
    await app.shot('first-hour-3-published');
    expectNoPageErrors(app.errors);
  });
});

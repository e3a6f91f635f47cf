// Starting a workflow of one's own (issue 11, point 1): the Workflows folder chosen in
// Settings is where "New workflow" puts it; a copy of the example under a new name gets a
// folder of that name and none of the example's notes (but its packages and their lock);
// "Open folder…" on an empty folder offers to start a workflow there, which opens on an
// empty canvas with a hint.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { canvasNode, expectNoPageErrors, startApp, type E2eApp } from './app.ts';

describe('new workflows', () => {
  let app: E2eApp;
  let workflows: string;
  beforeAll(async () => {
    app = await startApp('e2e-new-workflow');
    workflows = path.join(tempHome('e2e-new-workflow-folder'), 'My workflows');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('puts new workflows under the Workflows folder set in Settings', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('main', { name: 'Settings' });
    await settings.getByLabel('Path of the Workflows folder').fill(workflows);
    await settings.getByRole('form', { name: 'Workflows folder' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'New workflows will be created in' }).waitFor();
    await settings.getByRole('button', { name: 'Back' }).click();

    await page.getByRole('button', { name: 'New workflow' }).click();
    const form = page.getByRole('form', { name: 'New workflow' });
    await form.getByLabel('Name').fill('Churn for Q3');
    await expect.poll(() => form.getByLabel('Folder').inputValue(), { timeout: 10_000 }).toBe(path.join(workflows, 'churn-for-q3'));
  });

  it('copies the example under that name, without the example’s README or comments', async () => {
    const { page } = app;
    const form = page.getByRole('form', { name: 'New workflow' });
    await form.getByLabel('Start from').selectOption({ label: 'A copy of the customer churn example' });
    await form.getByRole('button', { name: 'Create' }).click();
    await canvasNode(page, 'churn_model').waitFor();
    expect(await page.locator('header h1').textContent()).toBe('Churn for Q3');

    // the source's file browser shows the folder as it is: no README, no earlier outputs
    await canvasNode(page, 'customers').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: customers' });
    await inspector.getByRole('tab', { name: 'Settings' }).click();
    await inspector.getByRole('button', { name: 'Browse…' }).click();
    const browser = page.getByRole('dialog', { name: 'Choose a file in the workflow folder' });
    await browser.getByRole('button', { name: 'churn-for-q3' }).click();
    const root = browser.getByRole('list', { name: 'Files in the workflow folder' });
    await expect.poll(() => root.getByRole('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Folder data', 'Folder nodes', 'requirements.lock', 'requirements.txt', 'workflow.yaml']);
    await browser.getByRole('button', { name: 'Close' }).click();
    expect(fs.readFileSync(path.join(workflows, 'churn-for-q3', 'workflow.yaml'), 'utf8')).not.toContain('#');
  });

  it('offers to start a workflow in an empty folder, which opens on an empty canvas with a hint', async () => {
    const { page } = app;
    const empty = path.join(tempHome('e2e-empty-folder'), 'price-study');
    fs.mkdirSync(empty);
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: /Open folder/ }).click();
    await page.getByLabel('Folder that holds workflow.yaml').fill(empty);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const offer = page.getByRole('group', { name: 'Create a workflow in this folder' });
    await offer.waitFor();
    expect(await page.getByRole('alert').first().textContent()).toBe(`no workflow.yaml in ${empty}: the folder is empty`);
    expect(await offer.getByLabel('Name').inputValue()).toBe('Price study');
    await offer.getByRole('button', { name: 'Create workflow here' }).click();
    const hint = page.getByRole('note', { name: 'Empty workflow' });
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(/Start with a Source node/);
    expect(fs.readFileSync(path.join(empty, 'workflow.yaml'), 'utf8')).toBe('name: Price study\nnodes: []\n');
    // it runs on an app-owned Python environment: its requirements.txt says so, with no packages yet
    expect(fs.readFileSync(path.join(empty, 'requirements.txt'), 'utf8')).toMatch(/^# [^\n]*\n$/);
    await app.shot('new-workflow-empty-canvas');
    // the refused open answered 400 on purpose
    expectNoPageErrors(app.errors.filter((e) => !/status of 400/.test(e)));
  });
});

// A schedule is not the graph editor's to remove: in Chromium against the headless server,
// a schedule saved on the Schedule tab (or set with `aqueduct schedule set` while the page
// is open) stays in workflow.yaml and on the home page through every later save from the
// graph: Save, Run and Preview (the last two save first). The reproduction, step
// by step, with no page reload between the saves.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasNode, expectNoPageErrors, startApp, waitForRunEnd, type E2eApp } from './app.ts';

const run = promisify(execFile);

describe('a schedule through saves from the graph', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp('e2e-schedule-saves');
  });
  afterAll(async () => {
    await app?.close();
  });

  const folderOf = (name: string) => app.server.engine.store.listWorkflows().find((w) => path.basename(w.folder) === name)!.folder;
  const scheduleIn = (folder: string) => (YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')) as { schedule?: unknown }).schedule;
  const descriptionIn = (folder: string, id: string) =>
    (YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')) as { nodes: { id: string; description?: string }[] }).nodes.find((n) => n.id === id)?.description;

  /** Types a new description for a node on its Settings tab (an unsaved edit). */
  async function describeNode(id: string, text: string): Promise<void> {
    const { page } = app;
    await page.getByRole('tab', { name: 'Graph' }).click();
    await canvasNode(page, id).click();
    const inspector = page.getByRole('complementary', { name: `Node inspector: ${id}` });
    await inspector.getByRole('tab', { name: 'Settings' }).click();
    await inspector.getByLabel('Description').fill(text);
    await page.getByRole('toolbar', { name: 'Workflow actions' }).getByText('Unsaved changes').waitFor();
  }

  it('keeps a schedule saved on the Schedule tab through Save, Run and Preview in the graph, and on the home page', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    const folder = folderOf('customer-churn');

    await page.getByRole('tab', { name: 'Schedule' }).click();
    await page.getByLabel('Cron expression').fill('0 6 * * *');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('list', { name: 'Next five runs' }).getByRole('listitem').nth(4).waitFor();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('region', { name: 'Schedule', exact: true }).locator('.badge', { hasText: 'active' }).waitFor();
    const block = { cron: '0 6 * * *', timezone: 'Europe/Berlin' };
    expect(scheduleIn(folder)).toEqual(block);

    // Save: a node's description
    await describeNode('features', 'Edited after scheduling');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => descriptionIn(folder, 'features'), { timeout: 10_000 }).toBe('Edited after scheduling');
    expect(scheduleIn(folder)).toEqual(block);

    // Run: a node's code (Run saves first)
    await canvasNode(page, 'predictions').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: predictions' });
    await inspector.getByRole('tab', { name: 'Code' }).click();
    await inspector.getByRole('textbox', { name: 'Code of predictions' }).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n-- edited after scheduling');
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toMatch(/^succeeded/);
    expect(fs.readFileSync(path.join(folder, 'nodes', 'predictions.sql'), 'utf8')).toContain('-- edited after scheduling');
    expect(scheduleIn(folder)).toEqual(block);

    // Preview: another description (Preview saves first)
    await describeNode('predictions', 'Edited before a preview');
    await page.getByRole('complementary', { name: 'Node inspector: predictions' }).getByRole('button', { name: 'Preview' }).click();
    expect(await waitForRunEnd(page)).toMatch(/^succeeded/);
    expect(descriptionIn(folder, 'predictions')).toBe('Edited before a preview');
    expect(scheduleIn(folder)).toEqual(block);

    // the store agrees, and the home page shows it
    const listed = app.server.engine.store.listWorkflows().find((w) => w.folder === folder)!;
    expect((await app.server.scheduling!.service.listSchedules()).find((s) => s.workflowId === listed.id)).toMatchObject(block);
    await page.getByRole('button', { name: 'All workflows' }).click();
    const cell = page.getByRole('button', { name: /^Schedule of Customer churn: next in / });
    await cell.waitFor();
    expect(await cell.getAttribute('title')).toMatch(/06:00 \(Europe\/Berlin\) · 0 6 \* \* \*/);
    await app.shot('schedule-after-graph-saves');
    expectNoPageErrors(app.errors);
  });

  it('keeps a schedule set with `aqueduct schedule set` while the page is open, through the page’s next saves', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    const folder = folderOf('customer-churn-2');
    const home = app.server.engine.paths.home;
    const cli = (...args: string[]) => run(process.execPath, ['bin/aqueduct.mjs', ...args, '--home', home], { env: { ...process.env, AQUEDUCT_HOME: home } });

    // the page is on another tab while the CLI writes the schedule, then the graph saves
    await page.getByRole('tab', { name: 'Runs' }).click();
    await cli('schedule', 'set', folder, '30 7 * * *', '--tz', 'UTC');
    expect(scheduleIn(folder)).toEqual({ cron: '30 7 * * *', timezone: 'UTC' });
    // and a text editor changes a node meanwhile: the graph shows it without a reload
    const yamlFile = path.join(folder, 'workflow.yaml');
    fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8').replace('Scores with a risk band.', 'Changed in a text editor.'));
    await page.getByRole('tab', { name: 'Graph' }).click();
    await canvasNode(page, 'predictions').click();
    await expect.poll(() => page.getByRole('complementary', { name: 'Node inspector: predictions' }).locator('.inspector-desc').textContent(), { timeout: 10_000 }).toBe('Changed in a text editor.');
    await describeNode('features', 'Edited after the CLI scheduled it');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => descriptionIn(folder, 'features'), { timeout: 10_000 }).toBe('Edited after the CLI scheduled it');
    expect(scheduleIn(folder)).toEqual({ cron: '30 7 * * *', timezone: 'UTC' });

    // an unsaved edit on the graph, the CLI changes the schedule, the page saves at once
    await describeNode('features', 'Edited while the CLI changed the schedule');
    await cli('schedule', 'set', folder, '45 8 * * 1-5', '--tz', 'Europe/Berlin');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => descriptionIn(folder, 'features'), { timeout: 10_000 }).toBe('Edited while the CLI changed the schedule');
    expect(scheduleIn(folder)).toEqual({ cron: '45 8 * * 1-5', timezone: 'Europe/Berlin' });
    const id = app.server.engine.store.listWorkflows().find((w) => w.folder === folder)!.id;
    expect((await app.server.scheduling!.service.listSchedules()).find((s) => s.workflowId === id)).toMatchObject({ cron: '45 8 * * 1-5', timezone: 'Europe/Berlin' });
    await page.getByRole('tab', { name: 'Schedule' }).click();
    await page.getByRole('region', { name: 'Schedule', exact: true }).getByText(/08:45/).first().waitFor();
    expectNoPageErrors(app.errors);
  });
});

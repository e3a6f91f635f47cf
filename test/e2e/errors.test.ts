// A workflow with a broken Python node, opened by typing its folder: the run fails, the
// node turns red with its message, and the inspector shows the traceback; nodes after it
// do not run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { canvasNode, expectNoPageErrors, nodeStatuses, startApp, waitForRunEnd, type E2eApp } from './app.ts';

function brokenWorkflow(): string {
  const dir = path.join(tempHome('e2e-broken-wf'), 'broken');
  fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'numbers.csv'), 'id,amount\n1,10\n2,20\n3,30\n');
  fs.writeFileSync(
    path.join(dir, 'workflow.yaml'),
    [
      'name: Broken model',
      'nodes:',
      '  - { id: numbers, kind: source, file: data/numbers.csv }',
      '  - { id: model, kind: python, inputs: [numbers], description: Divides by a column that is not there. }',
      '  - { id: report, kind: sql, inputs: [model] }',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'nodes', 'model.py'),
    ['def run(numbers):', '    ratio = numbers["amount"] / numbers["weight"]', '    return numbers.assign(ratio=ratio)', ''].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'nodes', 'report.sql'), 'SELECT * FROM model\n');
  return dir;
}

describe('a failing node', () => {
  let app: E2eApp;
  let folder: string;
  beforeAll(async () => {
    app = await startApp('e2e-errors');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('says why a folder cannot be opened', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /Open folder/ }).click();
    await page.getByLabel('Folder that holds workflow.yaml').fill('/nonexistent/place');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/does not exist/);
    // the browser logs the refused request (400); that one was expected
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !/status of 400/.test(e)));
  });

  it('opens the folder, runs, and shows the error on the node and in the inspector', async () => {
    const { page } = app;
    folder = brokenWorkflow();
    await page.getByLabel('Folder that holds workflow.yaml').fill(folder);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.waitFor();
    await toolbar.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toBe('failed');

    const statuses = await nodeStatuses(page);
    expect(statuses.numbers).toBe('succeeded');
    expect(statuses.model).toBe('failed');
    expect(statuses.report).not.toBe('succeeded');
    expect(await canvasNode(page, 'model').textContent()).toMatch(/weight/);

    await canvasNode(page, 'model').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: model' });
    const error = inspector.getByRole('alert', { name: 'Error in model' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/weight/);
    const traceback = error.locator('pre.traceback');
    expect(await traceback.textContent()).toMatch(/Traceback|KeyError|line \d+/);
    await page.waitForTimeout(800);
    await app.shot('node-error');
    expectNoPageErrors(app.errors);
  });

  it('fixes the code in the editor, saves it to the file, and the next run succeeds', async () => {
    const { page } = app;
    const inspector = page.getByRole('complementary', { name: 'Node inspector: model' });
    const editor = inspector.getByRole('textbox', { name: 'Code of model' });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('def run(numbers):\n    return numbers.assign(ratio=numbers["amount"] / 10)\n');
    const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.getByText('Unsaved changes').waitFor();
    await page.keyboard.press('Control+S');
    await toolbar.getByText('Unsaved changes').waitFor({ state: 'detached' });
    expect(fs.readFileSync(path.join(folder, 'nodes', 'model.py'), 'utf8')).toContain('/ 10');

    await page.keyboard.press('Control+Enter');
    await toolbar.getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    expect(Object.values(await nodeStatuses(page))).toEqual(['succeeded', 'succeeded', 'succeeded']);
    await inspector.getByRole('alert', { name: 'Error in model' }).waitFor({ state: 'detached' });
    await inspector.getByRole('tab', { name: 'Output' }).click();
    expect(await inspector.locator('output[aria-label="Row count"]').getAttribute('data-rows')).toBe('3');
    expectNoPageErrors(app.errors);
  });
});

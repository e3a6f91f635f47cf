// Building a workflow by hand in the real UI: open a folder holding only a CSV source,
// drag a SQL node from the palette, connect it by its handle, type its query, add a
// metric, run, and compare the preview with totals computed here. Also: a cycle is
// refused with its path, undo/redo, and edits made to the files in another editor show up
// (reloaded when nothing is unsaved, a clash on the same code asks which to keep).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { canvasNode, expectNoPageErrors, gridRows, startApp, waitForRunEnd, type E2eApp } from './app.ts';

const SQL = 'SELECT grp, sum(amount) AS total FROM numbers GROUP BY grp ORDER BY grp';

function csvWorkflow(): { folder: string; expected: { grp: string; total: number }[] } {
  const folder = path.join(tempHome('e2e-editor-wf'), 'totals');
  fs.mkdirSync(folder, { recursive: true });
  const rows: [string, number][] = [];
  for (let i = 0; i < 40; i++) rows.push([['north', 'south', 'east', 'west'][i % 4]!, ((i * 37) % 101) + 0.5]);
  fs.writeFileSync(path.join(folder, 'numbers.csv'), ['grp,amount', ...rows.map(([g, a]) => `${g},${a}`)].join('\n') + '\n');
  fs.writeFileSync(path.join(folder, 'workflow.yaml'), '# written by the test\nname: Totals by group\nnodes:\n  - id: numbers\n    kind: source\n    file: numbers.csv\n');
  const sums = new Map<string, number>();
  for (const [g, a] of rows) sums.set(g, (sums.get(g) ?? 0) + a);
  const expected = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([grp, total]) => ({ grp, total }));
  return { folder, expected };
}

const handle = (page: Page, id: string, type: 'source' | 'target') => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${type}`);
const edge = (page: Page, from: string, to: string) => page.locator(`[data-testid="rf__edge-${from}->${to}"]`);

/** Drags from one node's output handle to another's input handle, as a user would. */
async function connect(page: Page, from: string, to: string): Promise<void> {
  const a = (await handle(page, from, 'source').boundingBox())!;
  const b = (await handle(page, to, 'target').boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.up();
}

async function fit(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Editing' }).getByRole('button', { name: 'Zoom to fit' }).click();
  await page.waitForTimeout(400);
}

async function codeOf(page: Page, id: string): Promise<string> {
  return (await page.getByRole('complementary', { name: `Node inspector: ${id}` }).locator('.cm-content').innerText()).replace(/\u00a0/g, ' ');
}

describe('the visual editor', () => {
  let app: E2eApp;
  let wf: ReturnType<typeof csvWorkflow>;
  beforeAll(async () => {
    app = await startApp('e2e-editor');
    wf = csvWorkflow();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens a folder with one source and adds a SQL node by dragging it from the palette', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /Open folder/ }).click();
    await page.getByLabel('Folder that holds workflow.yaml').fill(wf.folder);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await canvasNode(page, 'numbers').waitFor();
    await page.getByRole('navigation', { name: 'Node palette' }).waitFor();
    await app.shot('editor-start');

    const canvas = page.getByRole('region', { name: 'Workflow graph' });
    const box = (await canvas.boundingBox())!;
    await page.getByRole('button', { name: 'Add SQL node' }).dragTo(canvas, { targetPosition: { x: box.width * 0.72, y: box.height * 0.5 } });
    await canvasNode(page, 'sql_1').waitFor();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: sql_1' });
    await inspector.waitFor();
    expect(await codeOf(page, 'sql_1')).toContain('SELECT 1 AS x');

    // rename it in its settings: the inspector follows the new id
    await inspector.getByRole('tab', { name: 'Settings' }).click();
    await inspector.getByLabel('Id').fill('totals');
    await inspector.getByLabel('Id').press('Enter');
    await canvasNode(page, 'totals').waitFor();
    await page.getByRole('complementary', { name: 'Node inspector: totals' }).waitFor();
  });

  it('connects source → sql by dragging the handle, and the starter query follows', async () => {
    const { page } = app;
    await fit(page);
    await connect(page, 'numbers', 'totals');
    await edge(page, 'numbers', 'totals').waitFor({ state: 'attached' });
    const inspector = page.getByRole('complementary', { name: 'Node inspector: totals' });
    await inspector.getByRole('tab', { name: 'Code' }).click();
    await expect.poll(() => codeOf(page, 'totals')).toContain('FROM numbers');

    const code = inspector.getByRole('textbox', { name: 'Code of totals' });
    await code.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(SQL);
    await expect.poll(() => codeOf(page, 'totals')).toBe(SQL);
    await app.shot('editor-sql-typed');
  });

  it('adds a metric by clicking the palette and connects it', async () => {
    const { page } = app;
    await canvasNode(page, 'totals').click();
    await expect.poll(() => page.locator('.react-flow__node[data-id="totals"]').getAttribute('class')).toMatch(/\bselected\b/);
    await page.getByRole('button', { name: 'Add Metric node' }).click();
    await canvasNode(page, 'metric_1').waitFor();
    // placed right of the selected node, where the data goes next (both measured at one
    // instant: the view may pan to keep the new node in sight)
    const [t, m] = await page.evaluate(() => {
      const box = (id: string) => {
        const r = document.querySelector(`.react-flow__node[data-id="${id}"]`)!.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width };
      };
      return [box('totals'), box('metric_1')] as const;
    });
    expect(m.x).toBeGreaterThan(t.x + t.width);
    expect(Math.abs(m.y - t.y)).toBeLessThan(5);
    await fit(page);
    await connect(page, 'totals', 'metric_1');
    await edge(page, 'totals', 'metric_1').waitFor({ state: 'attached' });
    await expect.poll(() => codeOf(page, 'metric_1')).toContain('SELECT count(*)FROM totals'.replace('FROM', '\nFROM'));
  });

  it('refuses a connection that would make a cycle, and says which', async () => {
    const { page } = app;
    await canvasNode(page, 'totals').click();
    await page.getByRole('button', { name: 'Add SQL node' }).click();
    await canvasNode(page, 'sql_1').waitFor();
    await fit(page);
    await connect(page, 'totals', 'sql_1');
    await edge(page, 'totals', 'sql_1').waitFor({ state: 'attached' });
    await connect(page, 'sql_1', 'totals');
    const refusal = page.getByRole('alert', { name: 'Connection refused' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Cannot connect sql_1 → totals: it would create a cycle: totals → sql_1 → totals.');
    expect(await edge(page, 'sql_1', 'totals').count()).toBe(0);
    await app.shot('editor-cycle-refused');

    // a metric gives no table, so it has no output handle to drag a connection from
    expect(await handle(page, 'metric_1', 'source').isVisible()).toBe(false);
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('deletes a node with the Delete key; undo brings it back, redo removes it again', async () => {
    const { page } = app;
    await canvasNode(page, 'sql_1').click();
    await page.keyboard.press('Delete');
    await canvasNode(page, 'sql_1').waitFor({ state: 'detached' });
    expect(await edge(page, 'totals', 'sql_1').count()).toBe(0);

    await page.keyboard.press('ControlOrMeta+Z');
    await canvasNode(page, 'sql_1').waitFor();
    await edge(page, 'totals', 'sql_1').waitFor({ state: 'attached' });
    await page.keyboard.press('ControlOrMeta+Shift+Z');
    await canvasNode(page, 'sql_1').waitFor({ state: 'detached' });
    // the toolbar's buttons do the same
    await page.getByRole('button', { name: 'Undo' }).click();
    await canvasNode(page, 'sql_1').waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await canvasNode(page, 'sql_1').waitFor({ state: 'detached' });
  });

  it('edits node settings and the workflow parameters', async () => {
    const { page } = app;
    await canvasNode(page, 'metric_1').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: metric_1' });
    await inspector.getByRole('tab', { name: 'Settings' }).click();
    await inspector.getByLabel('Lower bound').fill('1');
    await inspector.getByLabel('Severity').selectOption('warning');
    await inspector.getByLabel('Description').fill('How many groups there are.');
    await app.shot('editor-node-settings');

    await page.getByRole('button', { name: 'Workflow settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Workflow settings' });
    await settings.getByRole('button', { name: 'Add parameter' }).click();
    await settings.getByLabel('Name of parameter param_1').fill('min_amount');
    await settings.getByLabel('Name of parameter param_1').press('Enter');
    await settings.getByLabel('Type of parameter min_amount').selectOption('number');
    await settings.getByLabel('Default of parameter min_amount').fill('0');
    await app.shot('editor-workflow-settings');
    await settings.getByRole('button', { name: 'Close workflow settings' }).click();
  });

  it('runs the workflow: the preview shows the totals computed here', async () => {
    const { page } = app;
    await page.getByRole('toolbar', { name: 'Editing' }).getByRole('button', { name: 'Auto layout' }).click();
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toBe('succeeded');

    // saved as files a person can read
    const yaml = fs.readFileSync(path.join(wf.folder, 'workflow.yaml'), 'utf8');
    expect(yaml).toMatch(/^# written by the test/);
    const nodes = (YAML.parse(yaml) as { nodes: { id: string; kind: string; inputs?: string[] }[] }).nodes;
    expect(nodes.map((n) => [n.id, n.kind, n.inputs ?? []])).toEqual([
      ['numbers', 'source', []],
      ['totals', 'sql', ['numbers']],
      ['metric_1', 'metric', ['totals']],
    ]);
    expect(fs.readFileSync(path.join(wf.folder, 'nodes', 'totals.sql'), 'utf8')).toBe(SQL);
    const def = YAML.parse(yaml) as { parameters: unknown; nodes: Record<string, unknown>[] };
    expect(def.parameters).toEqual({ min_amount: { type: 'number', default: 0 } });
    expect(def.nodes[2]).toMatchObject({ id: 'metric_1', severity: 'warning', bounds: { lower: 1 }, description: 'How many groups there are.' });

    await canvasNode(page, 'totals').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: totals' });
    await inspector.getByRole('tab', { name: 'Output' }).click();
    const table = inspector.getByRole('grid', { name: 'Output of totals' });
    await table.waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe(String(wf.expected.length + 1));
    const rows = await gridRows(table);
    expect(rows.map((r) => r.n)).toEqual(wf.expected.map((_, i) => i + 1));
    const shown = rows.map(({ cells }) => ({ grp: cells[0]!, total: Number(cells[1]!.replace(/,/g, '')) }));
    expect(shown.map((r) => r.grp)).toEqual(wf.expected.map((r) => r.grp));
    shown.forEach((r, i) => expect(r.total).toBeCloseTo(wf.expected[i]!.total, 6));
    await expect.poll(() => canvasNode(page, 'metric_1').textContent()).toContain(String(wf.expected.length));
    await page.waitForTimeout(500);
    await app.shot('editor-run-output');
  });

  it('shows an edit of a code file made in another editor', async () => {
    const { page } = app;
    const inspector = page.getByRole('complementary', { name: 'Node inspector: totals' });
    await inspector.getByRole('tab', { name: 'Code' }).click();
    const external = 'SELECT grp, sum(amount) AS total, count(*) AS n FROM numbers GROUP BY grp ORDER BY grp';
    fs.writeFileSync(path.join(wf.folder, 'nodes', 'totals.sql'), external);
    await expect.poll(() => codeOf(page, 'totals'), { timeout: 10_000 }).toBe(external);
    expect(await page.getByRole('toolbar', { name: 'Workflow actions' }).textContent()).not.toContain('Unsaved changes');
    await app.shot('editor-external-reload');
  });

  it('keeps both sides: their edit of one node merges with an unsaved edit of another; a clash asks', async () => {
    const { page } = app;
    // unsaved edit here: the metric's code
    await canvasNode(page, 'metric_1').click();
    const metricCode = page.getByRole('complementary', { name: 'Node inspector: metric_1' }).getByRole('textbox', { name: 'Code of metric_1' });
    await metricCode.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('SELECT count(*) AS groups FROM totals');
    // meanwhile in the file: totals changes
    const theirs = 'SELECT grp, sum(amount) AS total FROM numbers WHERE amount > 1 GROUP BY grp ORDER BY grp';
    fs.writeFileSync(path.join(wf.folder, 'nodes', 'totals.sql'), theirs);
    await canvasNode(page, 'totals').click();
    await page.getByRole('complementary', { name: 'Node inspector: totals' }).getByRole('tab', { name: 'Code' }).click();
    await expect.poll(() => codeOf(page, 'totals'), { timeout: 10_000 }).toBe(theirs);
    await canvasNode(page, 'metric_1').click();
    expect(await codeOf(page, 'metric_1')).toBe('SELECT count(*) AS groups FROM totals');

    // now both change the metric's code: the app asks, showing both
    fs.writeFileSync(path.join(wf.folder, 'nodes', 'metric_1.sql'), 'SELECT 42');
    const dialog = page.getByRole('dialog', { name: 'Resolve conflicting edits' });
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.getByRole('region', { name: 'Your unsaved version' }).textContent()).toContain('SELECT count(*) AS groups FROM totals');
    expect(await dialog.getByRole('region', { name: 'Version in the file' }).textContent()).toContain('SELECT 42');
    await app.shot('editor-conflict');
    await dialog.getByRole('button', { name: 'Keep mine' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await codeOf(page, 'metric_1')).toBe('SELECT count(*) AS groups FROM totals');

    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fs.readFileSync(path.join(wf.folder, 'nodes', 'metric_1.sql'), 'utf8')).toBe('SELECT count(*) AS groups FROM totals');
    expect(fs.readFileSync(path.join(wf.folder, 'nodes', 'totals.sql'), 'utf8')).toBe(theirs);
    expectNoPageErrors(app.errors);
  });

  it('compares two runs: code diff per node, rows and schema changes per output', async () => {
    const { page } = app;
    // a second run with a changed query that adds a column
    await canvasNode(page, 'totals').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: totals' });
    await inspector.getByRole('tab', { name: 'Code' }).click();
    await inspector.getByRole('textbox', { name: 'Code of totals' }).click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('SELECT grp, sum(amount) AS total, count(*) AS n\nFROM numbers\nGROUP BY grp\nORDER BY grp');
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toBe('succeeded');

    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(2);
    const picks = runs.getByRole('checkbox', { name: /Pick run .* to compare/ });
    await picks.nth(0).check();
    await picks.nth(1).check();
    await page.getByRole('button', { name: 'Compare' }).click();

    const view = page.getByRole('region', { name: 'Run comparison' });
    await view.getByRole('region', { name: 'Run A' }).waitFor();
    const totals = view.getByRole('region', { name: 'Changes to totals' });
    const diff = totals.getByRole('table', { name: 'Code diff of totals' });
    expect(await diff.getByRole('row', { name: 'added' }).allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('SELECT grp, sum(amount) AS total, count(*) AS n')]),
    );
    // run A ran the query typed at first
    expect(await diff.getByRole('row', { name: 'removed' }).allTextContents()).toEqual([expect.stringContaining(SQL)]);
    await view.getByRole('region', { name: 'Changes to metric_1' }).waitFor();
    const out = view.getByRole('table', { name: 'Output changes' }).getByRole('row', { name: 'Output of totals' });
    expect(await out.textContent()).toContain('+ n');
    expect(await out.textContent()).toContain('no change');
    await app.shot('compare-runs');
    await view.getByRole('button', { name: 'Back to run history' }).click();
    await runs.waitFor();
    expectNoPageErrors(app.errors);
  });
});


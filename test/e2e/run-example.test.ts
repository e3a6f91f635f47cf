// The main path in the real UI: create the churn example from the empty home page, run
// it, watch every node turn green, and read the predictions' output in the inspector.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValue } from '../../renderer/components/format.ts';
import { canvasNode, expectNoPageErrors, gridColumn, gridRows, nodeStatuses, startApp, waitForRunEnd, type E2eApp } from './app.ts';

const NODES = [
  'customers',
  'features',
  'churn_model',
  'predictions',
  'no_missing_scores',
  'probabilities_in_range',
  'mean_churn_probability',
  'scored_customers',
  'predictions_csv',
  'predictions_duckdb',
  'churn_by_band',
  'churn_report',
  'report_to_folder',
  'email_report',
];
/** with no SMTP connection on this machine the email is skipped (the run stays green) */
const SKIPPED = new Set(['email_report']);

describe('running the example workflow', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp('e2e-run');
  });
  afterAll(async () => {
    await app?.close();
  });
  /** the last full run, the one the inspector shows */
  const predictionsRun = () => app.server.engine.store.listRuns({ kind: 'run', limit: 1 })[0]!.id;

  it('starts empty, says what to do, and creates the example', async () => {
    const { page } = app;
    await page.getByRole('note', { name: 'No workflows yet' }).waitFor();
    await app.shot('home-empty');
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    await expect.poll(async () => Object.keys(await nodeStatuses(page)).sort()).toEqual([...NODES].sort());
    for (const id of NODES) expect(await canvasNode(page, id).getAttribute('aria-label')).toMatch(/not run$/);
    await app.shot('graph-before-run');
  });

  it('runs it and every node turns green', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Run/ }).click();
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
    await app.shot('graph-running');
    expect(await waitForRunEnd(page)).toBe('succeeded');
    const statuses = await nodeStatuses(page);
    expect(statuses).toEqual(Object.fromEntries(NODES.map((id) => [id, SKIPPED.has(id) ? 'skipped' : 'succeeded'])));
    for (const id of NODES) expect(await canvasNode(page, id).getAttribute('aria-label')).toMatch(SKIPPED.has(id) ? /, not sent: no SMTP connection "smtp" is configured: add one under Connections \(type smtp\), then run again$/ : /, succeeded$/);
    // rows and timings are on the nodes
    await expect.poll(() => canvasNode(page, 'predictions').textContent()).toContain('2,000 rows');
    await app.shot('graph-succeeded');
  });

  it("shows the predictions' output: 2,000 rows, typed columns, sortable", async () => {
    const { page } = app;
    await canvasNode(page, 'predictions').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: predictions' });
    await inspector.waitFor();
    await inspector.getByRole('tab', { name: 'Output' }).click();
    const count = inspector.getByRole('status', { name: 'Row count' }).or(inspector.locator('output[aria-label="Row count"]'));
    await count.first().waitFor();
    expect(await count.first().getAttribute('data-rows')).toBe('2000');
    expect(await count.first().textContent()).toBe('2,000 rows');

    const table = inspector.getByRole('grid', { name: 'Output of predictions' });
    expect(await table.getAttribute('aria-rowcount')).toBe('2001');
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers.join(' ')).toMatch(/churn_probability\s*double/i);
    // a window of rows from row 1, not all 2,000
    await expect.poll(async () => (await gridRows(table)).every((r) => r.cells.some((c) => c !== ''))).toBe(true);
    const first = await gridRows(table);
    expect(first[0]!.n).toBe(1);
    expect(first.map((r) => r.n)).toEqual(first.map((_, i) => i + 1));
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(100);

    // ascending by probability: the rows in view are in order, the first is the smallest of all
    const all = (await app.server.engine.readPreview(predictionsRun(), 'predictions', { limit: 2000 })).rows.map((r) => Number(r.churn_probability));
    await table.getByRole('button', { name: 'Sort by churn_probability' }).click();
    await expect.poll(() => table.getByRole('columnheader', { name: /churn_probability/ }).getAttribute('aria-sort')).toBe('ascending');
    const col = await gridColumn(table, 'churn_probability');
    await expect
      .poll(async () => {
        const values = (await gridRows(table)).map((r) => Number(r.cells[col]));
        return values.length > 10 && values[0] === Number(formatValue(Math.min(...all))) && values.every((v, i) => i === 0 || values[i - 1]! <= v);
      })
      .toBe(true);
    await app.shot('inspector-output');

    // the wheel halfway down: the rows there are fetched and still in order
    await table.hover();
    await page.mouse.wheel(0, 26_000);
    await expect
      .poll(async () => {
        const mid = await gridRows(table);
        const values = mid.map((r) => Number(r.cells[col]));
        return (mid[0]?.n ?? 0) > 900 && mid.every((r) => r.cells[col] !== '') && values.every((v, i) => i === 0 || values[i - 1]! <= v);
      })
      .toBe(true);

    // keyboard to the end: row 2,000 holds the largest probability, as the engine reads it
    await table.focus();
    await page.keyboard.press('End');
    const last = await app.server.engine.readPreview(predictionsRun(), 'predictions', { orderBy: 'churn_probability', offset: 1999, limit: 1 });
    expect(last.rows[0]!.churn_probability).toBe(Math.max(...all));
    await expect
      .poll(async () => (await gridRows(table)).at(-1))
      .toMatchObject({ n: 2000, rowIndex: 2001 });
    await expect.poll(async () => (await gridRows(table)).at(-1)?.cells[col]).toBe(formatValue(Math.max(...all)));
    const end = await gridRows(table);
    expect(end.length).toBeLessThan(100);
    expect(end.map((r) => r.n)).toEqual(end.map((_, i) => 2000 - end.length + 1 + i));
    expect(end.map((r) => Number(r.cells[col])).every((v, i, vs) => i === 0 || vs[i - 1]! <= v)).toBe(true);
    expect(await inspector.getByLabel('Rows in view').textContent()).toMatch(/–2,000$/);
    // the header is still in view at the end
    expect(await table.getByRole('columnheader', { name: /churn_probability/ }).isVisible()).toBe(true);
    await app.shot('inspector-output-end');

    // and Home goes back to row 1
    await page.keyboard.press('Home');
    await expect.poll(async () => (await gridRows(table))[0]?.n).toBe(1);

    await inspector.getByRole('tab', { name: 'Code' }).click();
    await inspector.getByRole('textbox', { name: 'Code of predictions' }).waitFor();
    expect(await inspector.locator('.cm-content').textContent()).toContain('risk_band');
    await app.shot('inspector-code');

    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });

    // keyboard only: focus a node, Enter opens it, Esc closes it
    await canvasNode(page, 'customers').focus();
    await page.keyboard.press('Enter');
    const source = page.getByRole('complementary', { name: 'Node inspector: customers' });
    await source.waitFor();
    expect(await source.textContent()).toContain('data/customers.csv');
    await page.keyboard.press('Escape');
    await source.waitFor({ state: 'detached' });
  });

  it('previews a single node and shows its output', async () => {
    const { page } = app;
    await canvasNode(page, 'features').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: features' });
    await inspector.getByRole('button', { name: 'Preview' }).click();
    await inspector.getByRole('tab', { name: 'Output', selected: true }).waitFor();
    const count = inspector.locator('output[aria-label="Row count"]');
    await count.waitFor({ timeout: 120_000 });
    expect(await count.getAttribute('data-rows')).toBe('2000');
    expect(await page.getByRole('toolbar', { name: 'Workflow actions' }).textContent()).toContain('Preview of features');
    // the output shows as soon as the node is done; the preview itself ends once its
    // column profiles are stored, and only then may the next one start
    expect(await waitForRunEnd(page)).toBe('succeeded');
    expectNoPageErrors(app.errors);
  });

  it('previews a publish node: runs its checks, says what it would publish, and writes nothing', async () => {
    const { page } = app;
    const folder = app.server.engine.store.listWorkflows()[0]!.folder;
    const csv = join(folder, 'out', 'churn_predictions.csv');
    const before = createHash('sha256').update(readFileSync(csv)).digest('hex');
    const runsBefore = app.server.engine.store.listRuns({ kind: 'run' }).length;
    await canvasNode(page, 'predictions_csv').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: predictions_csv' });
    await inspector.getByRole('button', { name: 'Preview' }).click();
    await inspector.getByRole('tab', { name: 'Output', selected: true }).waitFor();
    const outcome = inspector.getByRole('status', { name: 'Publish outcome of predictions_csv' });
    await outcome.waitFor({ timeout: 120_000 });
    expect(await outcome.textContent()).toMatch(/^would publish 2000 rows to .*out\/churn_predictions\.csv \(replace\)A preview never writes/);
    expect(await page.getByRole('toolbar', { name: 'Workflow actions' }).textContent()).toContain('Preview of predictions_csv');
    // the checks that gate publishing ran in the preview
    const preview = app.server.engine.store.listRuns({ kind: 'preview', limit: 1 })[0]!;
    expect(app.server.engine.store.getRun(preview.id)!.checks.map((c) => c.nodeId).sort()).toEqual(['no_missing_scores', 'probabilities_in_range']);
    expect(app.server.engine.store.getRun(preview.id)!.publications).toEqual([]);
    expect(createHash('sha256').update(readFileSync(csv)).digest('hex')).toBe(before);
    expect(app.server.engine.store.listRuns({ kind: 'run' })).toHaveLength(runsBefore);
    await app.shot('inspector-publish-preview');
    await page.keyboard.press('Escape');
    expectNoPageErrors(app.errors);
  });

  it('lists the workflow on the home page with its last run', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    const row = page.getByRole('list', { name: 'Workflows' }).getByRole('listitem', { name: 'Customer churn' });
    await row.waitFor();
    // previews do not count as the last run; the full run does
    expect(await row.locator('.badge').getAttribute('data-status')).toBe('succeeded');
    await app.shot('home-list');
    await row.getByRole('button', { name: 'Open Customer churn' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    expectNoPageErrors(app.errors);
  });

  it('cancels a run while it goes', async () => {
    const { page } = app;
    const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.getByRole('button', { name: /^Run/ }).click();
    await toolbar.getByRole('button', { name: 'Cancel' }).click();
    expect(await waitForRunEnd(page)).toBe('cancelled');
    const statuses = Object.values(await nodeStatuses(page));
    expect(statuses.filter((st) => st === 'succeeded').length).toBeLessThan(NODES.length);
    await app.shot('graph-cancelled');
    expectNoPageErrors(app.errors);
  });

  it('follows the dark colour scheme of the OS', async () => {
    const dark = await app.browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    try {
      const page = await dark.newPage();
      await page.goto(app.server.url);
      await page.getByRole('list', { name: 'Workflows' }).waitFor();
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      // a dark background: every channel low
      const channels = bg.match(/\d+/g)!.slice(0, 3).map(Number);
      expect(Math.max(...channels)).toBeLessThan(60);
      await page.getByRole('button', { name: 'Open Customer churn' }).click();
      await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
      await canvasNode(page, 'predictions').click();
      await page.getByRole('complementary', { name: 'Node inspector: predictions' }).waitFor();
      await page.waitForTimeout(400);
      await page.screenshot({ path: 'test/e2e/screenshots/dark-graph-inspector.png' });
    } finally {
      await dark.close();
    }
  });
});

// Details that were stale or misleading (issue 11, point 10), each checked the way a user
// sees it: handles only where a connection can start, the title following the name as it
// is typed, whole parameter names, a publish switched to SQLite proposing a SQLite file, a
// save error that goes once its cause is fixed, what a publish published, years without a
// thousands separator, paths that keep their distinguishing tail, previews not counted as
// runs, and no "needs at least one node" once the last node was deleted and one added.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home.ts';
import { canvasNode, gridColumn, gridRows, startApp, waitForRunEnd, type E2eApp } from './app.ts';

const YEARS = [2003, 1976, 2001, 1915, 2000];

function housesWorkflow(): string {
  const dir = path.join(tempHome('e2e-stale-wf'), 'client-projects-2026-third-quarter-pricing-review', 'house-prices-v2');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'nodes'), { recursive: true });
  const rows = YEARS.map((y, i) => `${i + 1},${y},${200000 + i * 1000}`);
  fs.writeFileSync(path.join(dir, 'data', 'houses.csv'), ['Id,YearBuilt,SalePrice', ...rows].join('\n') + '\n');
  fs.writeFileSync(
    path.join(dir, 'workflow.yaml'),
    [
      'name: Houses',
      'nodes:',
      '  - { id: houses, kind: source, file: data/houses.csv }',
      '  - { id: enough_rows, kind: check, inputs: [houses] }',
      '  - { id: mean_price, kind: metric, inputs: [houses] }',
      '  - id: to_csv',
      '    kind: publish',
      '    inputs: [houses]',
      '    destination: { type: csv, path: out/houses_published_for_the_pricing_team_final.csv }',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'nodes', 'enough_rows.sql'), 'SELECT count(*) >= 5 FROM houses\n');
  fs.writeFileSync(path.join(dir, 'nodes', 'mean_price.sql'), 'SELECT avg(SalePrice) FROM houses\n');
  return dir;
}

/** Whether `text` inside the element is drawn inside every box that clips it. */
async function visibleText(el: Locator, text: string, which: 'first' | 'last'): Promise<boolean> {
  return el.evaluate(
    (root, [wanted, at]) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const nodes: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const whole = nodes.map((n) => n.data).join('');
      const start = at === 'first' ? whole.indexOf(wanted!) : whole.lastIndexOf(wanted!);
      if (start < 0) return false;
      const rects: DOMRect[] = [];
      let offset = 0;
      for (const n of nodes) {
        const from = Math.max(start, offset);
        const to = Math.min(start + wanted!.length, offset + n.data.length);
        if (from < to) {
          const r = document.createRange();
          r.setStart(n, from - offset);
          r.setEnd(n, to - offset);
          rects.push(r.getBoundingClientRect());
          let clip: Element | null = n.parentElement;
          while (clip) {
            const style = getComputedStyle(clip);
            if (style.overflowX !== 'visible') {
              const c = clip.getBoundingClientRect();
              const last = rects[rects.length - 1]!;
              if (last.left < c.left - 0.5 || last.right > c.right + 0.5) return false;
            }
            if (clip === root) break;
            clip = clip.parentElement;
          }
        }
        offset += n.data.length;
      }
      return rects.length > 0;
    },
    [text, which] as const,
  );
}

describe('stale or misleading details', () => {
  let app: E2eApp;
  let folder: string;
  beforeAll(async () => {
    app = await startApp('e2e-stale');
    folder = housesWorkflow();
  });
  afterAll(async () => {
    await app?.close();
  });

  const inspector = (id: string) => app.page.getByRole('complementary', { name: `Node inspector: ${id}` });
  const toolbar = () => app.page.getByRole('toolbar', { name: 'Workflow actions' });

  it('opens the workflow', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /Open folder/ }).click();
    await page.getByLabel('Folder that holds workflow.yaml').fill(folder);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await canvasNode(page, 'to_csv').waitFor();
  });

  it('offers no output handle on checks, metrics and publishes, which no node may read', async () => {
    const { page } = app;
    const outputHandle = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.source`);
    expect(await outputHandle('houses').isVisible()).toBe(true);
    for (const id of ['enough_rows', 'mean_price', 'to_csv']) {
      const handles = await outputHandle(id).all();
      const shown = await Promise.all(handles.map((h) => h.isVisible()));
      expect(shown.filter(Boolean), `${id} shows an output handle`).toEqual([]);
    }
  });

  it('shows the new name in the title as it is typed, before saving', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Workflow settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Workflow settings' });
    await settings.getByLabel('Name', { exact: true }).fill('House prices');
    await expect.poll(() => page.locator('header h1').textContent(), { timeout: 5000 }).toBe('House prices');
  });

  it('shows a parameter’s whole name in the parameters table', async () => {
    const { page } = app;
    const settings = page.getByRole('dialog', { name: 'Workflow settings' });
    await settings.getByRole('button', { name: 'Add parameter' }).click();
    const name = settings.getByLabel('Name of parameter param_1');
    await name.fill('minimum_sale_price_threshold');
    await name.press('Enter');
    const renamed = settings.getByLabel('Name of parameter minimum_sale_price_threshold');
    await renamed.waitFor();
    const fits = await renamed.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth);
    await app.shot('stale-parameter-name');
    await settings.getByRole('button', { name: 'Remove parameter minimum_sale_price_threshold' }).click();
    await settings.getByRole('button', { name: 'Close workflow settings' }).click();
    expect(fits).toBe(true);
  });

  it('proposes a SQLite file and a table when a CSV publish becomes a SQLite one', async () => {
    const { page } = app;
    await canvasNode(page, 'to_csv').click();
    await inspector('to_csv').getByRole('tab', { name: 'Settings' }).click();
    const form = inspector('to_csv');
    await form.getByLabel('Destination type').selectOption('sqlite');
    try {
      await expect.poll(() => form.getByLabel('Path', { exact: true }).inputValue(), { timeout: 5000 }).toMatch(/\.sqlite$/);
    expect(await form.getByLabel('Path', { exact: true }).inputValue()).not.toContain('.csv');
      expect(await form.getByLabel('Table', { exact: true }).inputValue()).toBe('to_csv');
    } finally {
      await page.getByRole('toolbar', { name: 'Editing' }).getByRole('button', { name: 'Undo' }).click();
    }
    await expect.poll(() => form.getByLabel('Destination type').inputValue()).toBe('csv');
    expect(await form.getByLabel('Path', { exact: true }).inputValue()).toBe('out/houses_published_for_the_pricing_team_final.csv');
  });

  it('takes a save error away once its cause is fixed, without saving again', async () => {
    const { page } = app;
    const form = inspector('to_csv');
    await form.getByLabel('Mode').selectOption('upsert');
    try {
      await toolbar().getByRole('button', { name: 'Save' }).click();
      const error = page.getByRole('alert').filter({ hasText: /upsert needs key/ });
      await error.waitFor();
      await form.getByLabel(/Key columns/).fill('Id');
      await error.waitFor({ state: 'detached', timeout: 10_000 });
    } finally {
      await form.getByLabel('Mode').selectOption('replace');
    }
  });

  it('shows what a publish node published on its Output tab', async () => {
    const { page } = app;
    await toolbar().getByRole('button', { name: /^Run/ }).click();
    await toolbar().getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    await canvasNode(page, 'to_csv').click();
    await inspector('to_csv').getByRole('tab', { name: 'Output' }).click();
    const panel = inspector('to_csv').getByRole('tabpanel');
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toMatch(/Published 5 rows/);
    expect(await panel.textContent()).toContain('houses_published_for_the_pricing_team_final.csv');
    expect(await panel.textContent()).not.toMatch(/No output/);
  });

  it('shows years as years in an output table', async () => {
    const { page } = app;
    await canvasNode(page, 'houses').click();
    await inspector('houses').getByRole('tab', { name: 'Output' }).click();
    const grid = inspector('houses').getByRole('grid', { name: 'Output of houses' });
    await expect.poll(async () => (await gridRows(grid)).length, { timeout: 10_000 }).toBe(5);
    const col = await gridColumn(grid, 'YearBuilt');
    expect((await gridRows(grid)).map((r) => r.cells[col])).toEqual(YEARS.map(String));
  });

  it('keeps a published path’s tail in view, the whole path on hover', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const table = page.getByRole('table', { name: 'Published targets' });
    const target = path.join(folder, 'out', 'houses_published_for_the_pricing_team_final.csv');
    const cell = table.locator(`[title="${target}"]`);
    await cell.waitFor({ timeout: 10_000 });
    expect(await visibleText(cell, 'houses_published_for_the_pricing_team_final.csv', 'last')).toBe(true);
    // the path's start stays in view too (only its middle gives way); how much of it fits
    // depends on where the suite's folder is, so only its first characters are asserted
    expect(await visibleText(cell, target.slice(0, 5), 'first')).toBe(true);
  });

  it('counts previews apart from runs under "Keep outputs"', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Graph' }).click();
    await canvasNode(page, 'houses').click();
    await inspector('houses').getByRole('button', { name: 'Preview' }).click();
    await toolbar().getByText(/Preview of houses/).waitFor();
    await page.getByRole('tab', { name: 'Schedule' }).click();
    const usage = page.getByLabel('Space used');
    await expect.poll(() => usage.textContent(), { timeout: 10_000 }).toMatch(/\b1 run\b/);
    expect(await usage.textContent()).toMatch(/\b1 preview\b/);
  });

  it('keeps a workflow folder’s own name in view on the home page, the whole path on hover', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    const row = page.getByRole('list', { name: 'Workflows' }).getByRole('listitem').first();
    const shown = row.locator(`[title="${folder}"]`);
    await shown.waitFor();
    await app.shot('stale-home-path');
    expect(await visibleText(shown, 'house-prices-v2', 'last')).toBe(true);
    expect(await visibleText(shown, folder.split(path.sep).slice(0, 3).join(path.sep), 'first')).toBe(true);
  });

  it('says nothing about "at least one node" once the last node was deleted and a new one added', async () => {
    const { page } = app;
    await page.getByRole('list', { name: 'Workflows' }).getByRole('button', { name: /^Open / }).first().click();
    for (const id of ['to_csv', 'mean_price', 'enough_rows', 'houses']) {
      await canvasNode(page, id).click();
      await page.keyboard.press('Delete');
      await canvasNode(page, id).waitFor({ state: 'detached' });
    }
    await toolbar().getByRole('button', { name: 'Save' }).click();
    await page.waitForTimeout(1000);
    await page.getByRole('button', { name: 'Add Source node' }).click();
    await canvasNode(page, 'source_1').waitFor();
    await page.waitForTimeout(1000);
    expect(await page.getByText(/at least one node/).count()).toBe(0);
  });
});

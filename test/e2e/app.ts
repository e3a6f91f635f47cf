// What every end-to-end test needs: the headless server on a free port with its own app
// folder, Chromium, and a page on the app; plus waits phrased the way a user sees things.
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';

export interface E2eApp {
  server: RunningServer;
  browser: Browser;
  page: Page;
  errors: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** `python`: the interpreter in Settings (default: the test venv, which has pandas and pyarrow) */
export async function startApp(label: string, o: { colorScheme?: 'light' | 'dark'; python?: string } = {}): Promise<E2eApp> {
  const server = await startServer({ host: '127.0.0.1', port: 0, home: tempHome(label), python: o.python ?? testPython(), seedExample: false });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const { page, errors } = await openPage(browser, server.url, { colorScheme: o.colorScheme });
    page.setDefaultTimeout(30_000);
    return {
      server,
      browser,
      page,
      errors,
      shot: (name) => screenshot(page, name),
      close: async () => {
        await browser?.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}

/** The canvas node of `id`, found by its accessible name ("<id> (<kind> node), <status>"). */
export function canvasNode(page: Page, id: string) {
  return page.getByRole('button', { name: new RegExp(`^${id} \\(`) });
}

/** Waits until the run on display has finished, and returns its status word. */
export async function waitForRunEnd(page: Page, timeout = 150_000): Promise<string> {
  const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
  await toolbar.getByRole('progressbar').waitFor({ state: 'detached', timeout });
  await toolbar.getByRole('button', { name: /^Run/ }).and(page.locator(':enabled')).waitFor({ timeout });
  return (await toolbar.locator('.badge').first().getAttribute('data-status')) ?? 'unknown';
}

/** The statuses of all canvas nodes by id, read from their data-status attributes. */
export async function nodeStatuses(page: Page): Promise<Record<string, string>> {
  return page.locator('.react-flow__node').evaluateAll((els) =>
    Object.fromEntries(els.map((el) => [el.getAttribute('data-id') ?? '', el.querySelector('.wf-node')?.getAttribute('data-status') ?? ''])),
  );
}

export interface GridRow {
  /** the row number shown, 1-based */
  n: number;
  /** aria-rowindex: the header is row 1, so this is n + 1 */
  rowIndex: number;
  /** the cells' text, in column order (row number excluded) */
  cells: string[];
}

/** The data rows a virtual grid has in the DOM (the ones in view and a few either side). */
export async function gridRows(grid: Locator): Promise<GridRow[]> {
  return grid.locator('[role="rowgroup"] [role="row"]:has([role="gridcell"])').evaluateAll((rows) =>
    rows.map((row) => ({
      n: Number(row.querySelector('[role="rowheader"]')?.textContent?.replace(/,/g, '')),
      rowIndex: Number(row.getAttribute('aria-rowindex')),
      cells: [...row.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? ''),
    })),
  );
}

/** The column's position among the data cells, found by its header text. */
export async function gridColumn(grid: Locator, name: string): Promise<number> {
  const headers = await grid.getByRole('columnheader').allTextContents();
  // headers start with the row-number column, which has no data cell
  return headers.findIndex((h) => h.startsWith(name)) - 1;
}

export function expectNoPageErrors(errors: string[]): void {
  expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
}

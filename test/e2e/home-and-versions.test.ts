// The home page's glance and the history's memory: two runs of the example give a two-point
// sparkline and a "local" engine badge on its row; after the SQL of a node changes (through
// the API, as another editor would) and it runs again, the first run opens on the graph as
// it was, its old code in the inspector; Settings shows the interpreter and rejects a bad one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeApiClient, createApiClient, type Api } from '../../renderer/client/index.ts';
import { canvasNode, expectNoPageErrors, startApp, waitForRunEnd, type E2eApp } from './app.ts';

describe('home sparkline, past versions and settings', () => {
  let app: E2eApp;
  let api: Api;
  beforeAll(async () => {
    app = await startApp('e2e-home-versions');
    api = createApiClient({ kind: 'web', baseUrl: `http://127.0.0.1:${app.server.port}`, token: app.server.token, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  });
  afterAll(async () => {
    if (api) closeApiClient(api);
    await app?.close();
  });

  const runOnce = async () => {
    const toolbar = app.page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.getByRole('button', { name: /^Run/ }).click();
    await toolbar.getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(app.page)).toBe('succeeded');
  };

  it('shows a two-point sparkline and the engine after two runs', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    await runOnce();
    await runOnce();
    await page.getByRole('button', { name: 'All workflows' }).click();
    const row = page.getByRole('list', { name: 'Workflows' }).getByRole('listitem', { name: 'Customer churn' });
    const spark = row.getByRole('img', { name: /over the last 2 runs/ });
    await spark.waitFor();
    expect(await spark.getAttribute('data-points')).toBe('2');
    expect(await spark.locator('circle.spark-point').count()).toBe(2);
    expect(await spark.locator('circle[data-passed="false"]').count()).toBe(0);
    expect(await row.getByLabel('Last run on engine local').textContent()).toBe('local');
    await app.shot('home-sparkline');
  });

  it('opens the first run as the version that ran, with its old code', async () => {
    const { page } = app;
    const [wf] = await api.workflows.list.query();
    const detail = await api.workflows.get.query({ id: wf!.id });
    const oldSql = detail.nodes.find((n) => n.id === 'features')!.source!;
    await api.workflows.save.mutate({ id: wf!.id, definition: detail.definition!, code: { features: `${oldSql.trimEnd()}\n-- edited after the first runs\n` } });

    await page.getByRole('list', { name: 'Workflows' }).getByRole('button', { name: 'Open Customer churn' }).click();
    await runOnce();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(3);
    await runs.locator('tbody tr').last().click();

    const banner = page.getByRole('status', { name: 'Past version' });
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Showing version [0-9a-f]{12} as it ran/);
    await canvasNode(page, 'features').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: features' });
    await inspector.getByRole('textbox', { name: 'Code of features' }).waitFor();
    const code = (await inspector.locator('.cm-content').textContent()) ?? '';
    expect(code).not.toContain('edited after the first runs');
    expect(code.length).toBeGreaterThan(20);
    expect(await inspector.locator('.cm-content').getAttribute('contenteditable')).toBe('false');
    await app.shot('past-version');

    await banner.getByRole('button', { name: 'Back to current' }).click();
    await banner.waitFor({ state: 'detached' });
    await canvasNode(page, 'features').click();
    await expect.poll(() => page.getByRole('complementary', { name: 'Node inspector: features' }).locator('.cm-content').textContent()).toContain('edited after the first runs');
  });

  it('shows the interpreter in Settings and reports a bad one inline', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    const screen = page.getByRole('main', { name: 'Settings' });
    const input = screen.getByRole('textbox', { name: 'Path of the Python interpreter' });
    await expect.poll(() => input.inputValue()).toMatch(/python/);
    expect(await screen.getByLabel('Interpreter in use').textContent()).toMatch(/python/);
    expect(await screen.getByLabel('Location of the app data folder').textContent()).toMatch(/\S/);
    // everything so far without a page error; the refusal below answers 400 on purpose
    expectNoPageErrors(app.errors);
    await input.fill('/no/such/python');
    await screen.getByRole('form', { name: 'Python interpreter' }).getByRole('button', { name: 'Save' }).click();
    expect(await screen.getByRole('alert').textContent()).toMatch(/^Python interpreter \/no\/such\/python does not exist\. Install Python 3\.9\+/);
    await app.shot('settings');
    await screen.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('list', { name: 'Workflows' }).waitFor();
  });
});

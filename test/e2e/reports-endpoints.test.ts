// Reports, owners and endpoints in the real UI (Chromium on the headless server): run the
// example and read its churn report in the inspector's sandboxed frame, download its PDF;
// build a report from the palette (a metric and a delivery connected by hand); set the
// owner in Settings and in Workflow settings and see it on the home page ("Only mine"),
// in the run history and on a failure; serve an output, make a key on the Endpoints
// screen, read the endpoint with it over HTTP, revoke it.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasNode, expectNoPageErrors, startApp, waitForRunEnd, type E2eApp } from './app.ts';
import { connect, edge, fit } from './graph-actions.ts';

async function closeInspector(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Close inspector' });
  if (await close.count()) await close.click();
}

describe('reports, owners and endpoints', () => {
  let app: E2eApp;
  let folder: string;
  beforeAll(async () => {
    app = await startApp('e2e-reports');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the example\'s churn report in the inspector, and its PDF downloads', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    folder = app.server.engine.store.listWorkflows()[0]!.folder;
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    // skipped, and the node says why (no SMTP connection on this machine)
    expect(await canvasNode(page, 'email_report').getAttribute('aria-label')).toMatch(/, not sent: no SMTP connection "smtp" is configured/);
    await canvasNode(page, 'churn_report').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: churn_report' });
    await inspector.getByRole('tab', { name: 'Output' }).click();
    const frame = inspector.frameLocator('iframe[title^="Report: Customer churn"]');
    await frame.getByRole('heading', { level: 1, name: /^Customer churn: \d+\.\d% expected to leave$/ }).waitFor();
    const chart = frame.getByRole('img', { name: 'Customers by risk band' });
    await chart.waitFor();
    expect(await chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 200)).toBe(true);
    expect(await frame.getByRole('table').nth(1).getByRole('row').count()).toBe(11);
    // the frame runs nothing: no scripts, no same origin
    expect(await inspector.locator('iframe').getAttribute('sandbox')).toBe('');
    expect(await inspector.getByRole('list', { name: 'Deliveries of this run' }).textContent()).toMatch(/delivered.*report_to_folder/);
    await app.shot('report-in-inspector');
    const [download] = await Promise.all([page.waitForEvent('download'), inspector.getByRole('button', { name: /^Download PDF/ }).click()]);
    const pdf = fs.readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/^Customer-churn-\d+\.\d-expected-to-leave\.pdf$/);
    // the delivery's Output says where the report went, and shows the report it delivered
    await closeInspector(page);
    await canvasNode(page, 'report_to_folder').click();
    const delivery = page.getByRole('complementary', { name: 'Node inspector: report_to_folder' });
    await delivery.getByRole('tab', { name: 'Output' }).click();
    const outcome = delivery.getByRole('status', { name: 'Publish outcome of report_to_folder' });
    expect(await outcome.textContent()).toMatch(/^Delivered .*out\/reports\/churn-report · Report to a folder$/);
    await delivery.frameLocator('iframe[title^="Report: Customer churn"]').getByRole('heading', { level: 1 }).waitFor();
    await app.shot('delivery-output');
    expectNoPageErrors(app.errors);
  });

  it('builds a report from the palette: a metric feeds it, a publish delivers it', async () => {
    const { page } = app;
    await canvasNode(page, 'scored_customers').click();
    await page.getByRole('button', { name: 'Add Report node' }).click();
    await canvasNode(page, 'report_1').waitFor();
    // a metric gives a value, not a table: it has no handle to drag from, and is chosen in the report's Inputs
    await canvasNode(page, 'report_1').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: report_1' });
    await inspector.getByRole('tab', { name: 'Settings' }).click();
    const inputs = inspector.getByRole('group', { name: 'Inputs' });
    expect(await inputs.getByRole('checkbox', { name: /^churn_report / }).count()).toBe(0);
    await inputs.getByRole('checkbox', { name: /^scored_customers metric/ }).check();
    await edge(page, 'scored_customers', 'report_1').waitFor({ state: 'attached' });
    const title = inspector.getByRole('textbox', { name: 'Title' });
    await title.fill('Scored {{scored_customers}} customers');
    await canvasNode(page, 'report_1').click();
    await page.getByRole('button', { name: 'Add Publish node' }).click();
    await canvasNode(page, 'publish_1').waitFor();
    await closeInspector(page);
    await fit(page);
    await connect(page, 'report_1', 'publish_1');
    await edge(page, 'report_1', 'publish_1').waitFor({ state: 'attached' });
    await canvasNode(page, 'publish_1').click();
    const pub = page.getByRole('complementary', { name: 'Node inspector: publish_1' });
    await pub.getByRole('tab', { name: 'Settings' }).click();
    await pub.getByRole('combobox', { name: 'Destination type' }).selectOption('folder');
    await pub.getByRole('textbox', { name: 'Folder' }).fill('out/scored');
    await app.shot('report-built-by-hand');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).toContain('id: publish_1');
    const def = YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')) as { nodes: Record<string, unknown>[] };
    expect(def.nodes.find((n) => n.id === 'report_1')).toEqual({ id: 'report_1', kind: 'report', inputs: ['scored_customers'], title: 'Scored {{scored_customers}} customers' });
    expect(def.nodes.find((n) => n.id === 'publish_1')).toMatchObject({ kind: 'publish', inputs: ['report_1'], destination: { type: 'folder', path: 'out/scored' } });
    await page.getByRole('button', { name: /^Run/ }).click();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    expect(fs.readFileSync(path.join(folder, 'out/scored/report_1.html'), 'utf8')).toContain('<h1>Scored 2,000 customers</h1>');
    expectNoPageErrors(app.errors);
  });

  it('has an owner: you by default (Settings, "Only mine"), or the one Workflow settings name; shown in the runs and on a failure', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Your name' }).fill('Ana Lima');
    await page.getByRole('textbox', { name: 'Your email' }).fill('ana@example.com');
    await page.getByRole('form', { name: 'Your name and email' }).getByRole('button', { name: 'Update' }).click();
    await page.getByRole('status').or(page.locator('.notice')).first().waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    const row = page.getByRole('listitem', { name: 'Customer churn' });
    await expect.poll(() => row.textContent()).toContain('owner Ana Lima');
    await page.getByRole('checkbox', { name: /Only mine/ }).check();
    await row.waitFor();
    await app.shot('home-only-mine');

    await row.getByRole('button', { name: 'Open Customer churn' }).click();
    await page.getByRole('button', { name: 'Workflow settings' }).click();
    await page.getByRole('textbox', { name: "Owner's name" }).fill('Ben Okafor');
    await page.getByRole('textbox', { name: "Owner's email" }).fill('ben@example.com');
    await page.getByRole('textbox', { name: 'Watchers' }).fill('chloe@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')).owner).toEqual({ name: 'Ben Okafor', email: 'ben@example.com' });
    await page.getByRole('button', { name: 'Close workflow settings' }).click();

    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.locator('.runs-owner').textContent()).toBe('Owner Ben Okafor <ben@example.com> · watchers chloe@example.com');
    await page.getByRole('button', { name: /^Details of run/ }).first().click();
    const facts = page.getByRole('definition').filter({ hasText: 'Owner Ben' });
    await facts.waitFor();
    const about = page.locator('.run-facts');
    expect(await about.textContent()).toMatch(/What ranversion [0-9a-f]{8} of Customer churn, 16 nodes/);
    expect(await about.textContent()).toMatch(/WhereLocal/);
    await app.shot('run-facts');

    // a failure shows who owns it
    fs.writeFileSync(path.join(folder, 'nodes/churn_by_band.sql'), 'SELECT nope FROM predictions\n');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByRole('button', { name: /^Run/ }).click();
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
    expect(await waitForRunEnd(page)).toBe('failed');
    await canvasNode(page, 'churn_by_band').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: churn_by_band' });
    await expect.poll(() => inspector.locator('.inspector-owner').textContent()).toContain('Owner Ben Okafor');
    fs.writeFileSync(path.join(folder, 'nodes/churn_by_band.sql'), 'SELECT risk_band, count(*) AS customers, avg(churn_probability) AS mean_probability FROM predictions GROUP BY risk_band\n');
    expectNoPageErrors(app.errors);
  });

  it('serves an output to a key made on the Endpoints screen, and stops when it is revoked', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Run/ }).click();
    await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    await page.getByRole('button', { name: 'Endpoints', exact: true }).click();
    const served = page.getByRole('table', { name: 'Served outputs' });
    await served.waitFor();
    const url = `${app.server.url.split('/?')[0]}/api/v1/outputs/customer-churn/predictions`;
    expect(await served.textContent()).toContain(url);
    await page.getByRole('textbox', { name: 'What the key is for' }).fill('CRM sync');
    await page.getByRole('combobox', { name: 'Output the key reads' }).selectOption('predictions');
    await page.getByRole('button', { name: 'New key' }).click();
    const box = page.getByRole('status', { name: 'The new key' });
    const key = (await box.locator('.endpoint-key').textContent())!;
    expect(key).toMatch(/^aqk_[0-9a-f]{16}_[\w-]{43}$/);
    await app.shot('endpoints-new-key');
    const one = await fetch(`${url}?customer_id=C01001`, { headers: { Authorization: `Bearer ${key}` } });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { rows: unknown[] }).rows).toEqual([expect.objectContaining({ customer_id: 'C01001' })]);
    await box.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('body').textContent()).not.toContain(key);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page.getByRole('table', { name: 'Endpoint keys' }).getByText('revoked').waitFor();
    expect((await fetch(url, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
    await app.shot('endpoints-revoked');
    expectNoPageErrors(app.errors);
  });
});

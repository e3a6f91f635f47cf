// Scheduling in the real UI, in Chromium against the headless server: the Schedule tab
// refuses a bad cron with the runner's message, previews the next five runs of the
// daily preset in the chosen zone, saves (into workflow.yaml too), shows the next run on
// the home page, pauses, and lists slots live as a seconds schedule fires. Screenshots in light and dark go to test/e2e/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { openPage, screenshot } from '../helpers/browser.ts';
import { expectNoPageErrors, startApp, type E2eApp } from './app.ts';

describe('the Schedule tab', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp('e2e-schedules');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses an invalid cron with the runner’s message, inline', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    await page.getByRole('tab', { name: 'Schedule' }).click();
    const editor = page.getByRole('region', { name: 'Schedule', exact: true });
    await editor.getByText('No schedule yet').waitFor();
    expect(await page.getByRole('note', { name: 'Scheduler' }).textContent()).toMatch(/Scheduling happens in this app's runner/);
    await app.shot('schedule-empty');

    const cron = page.getByLabel('Cron expression');
    await cron.fill('61 * * * *');
    const error = page.locator('#sched-cron-error');
    await expect.poll(() => error.textContent(), { timeout: 10_000 }).toMatch(/schedule\.cron: "61 \* \* \* \*" is not a valid cron expression/);
    expect(await cron.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save schedule' }).isDisabled()).toBe(true);
    await app.shot('schedule-invalid');
    // the browser logs the refused preview requests (400); those were expected
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !/status of 400/.test(e)));
  });

  it('previews the daily preset in the chosen zone, saves it, and writes workflow.yaml', async () => {
    const { page } = app;
    await page.getByRole('group', { name: 'Presets' }).getByRole('button', { name: 'Daily' }).click();
    expect(await page.getByLabel('Cron expression').inputValue()).toBe('0 0 * * *');
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    const list = page.getByRole('list', { name: 'Next five runs' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 10_000 }).toBe(5);
    // every one at midnight in Tokyo, one day apart, with the local time beside it
    await expect.poll(async () => (await list.locator('time').allTextContents()).every((t) => t.endsWith('00:00')), { timeout: 10_000 }).toBe(true);
    const stamps = await list.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
    for (let i = 1; i < 5; i++) expect(stamps[i]! - stamps[i - 1]!).toBe(24 * 3600_000);
    expect(await page.getByRole('button', { name: 'Daily' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('When the previous run is still going').selectOption('queue');
    await app.shot('schedule-preview');

    await page.getByRole('button', { name: 'Save schedule' }).click();
    const region = page.getByRole('region', { name: 'Schedule', exact: true });
    await region.locator('.badge', { hasText: 'active' }).waitFor();
    expect(await region.textContent()).toMatch(/Next run .*00:00.*Asia\/Tokyo/);
    const folder = app.server.engine.store.listWorkflows()[0]!.folder;
    const yaml = fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8');
    expect((YAML.parse(yaml) as { schedule: unknown }).schedule).toEqual({ cron: '0 0 * * *', timezone: 'Asia/Tokyo', overlap: 'queue' });
    expect(yaml).toContain('# Customer churn: score every customer');
    await page.getByRole('table', { name: 'Schedule history' }).or(page.getByText('Nothing yet.')).first().waitFor();
    await app.shot('schedule-saved');
  });

  it('shows the next run on the home page, and pauses from the tab', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    const cell = page.getByRole('button', { name: /^Schedule of Customer churn: next in / });
    await cell.waitFor();
    expect(await cell.getAttribute('title')).toMatch(/00:00 \(Asia\/Tokyo\) · 0 0 \* \* \*/);
    await page.getByRole('list', { name: 'Workflows' }).hover();
    await app.shot('home-scheduled');

    await cell.click();
    await page.getByRole('button', { name: 'Pause' }).click();
    const region = page.getByRole('region', { name: 'Schedule', exact: true });
    await region.locator('.badge', { hasText: 'paused' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const folder = app.server.engine.store.listWorkflows()[0]!.folder;
    expect((YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')) as { schedule: { paused?: boolean } }).schedule.paused).toBe(true);

    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'Schedule of Customer churn: paused' }).waitFor();
    expectNoPageErrors(app.errors);
  });

  it('lists each slot as the scheduler decides it, live', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Schedule of Customer churn/ }).click();
    // every three seconds (a cron with seconds); a run still going when the next slot comes is skipped
    await page.getByLabel('Cron expression').fill('*/3 * * * * *');
    await page.getByLabel('When the previous run is still going').selectOption('skip');
    await page.getByRole('list', { name: 'Next five runs' }).getByRole('listitem').nth(4).waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    const history = page.getByRole('table', { name: 'Schedule history' });
    await history.locator('tr[data-decision="ran"]').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('region', { name: 'Schedule', exact: true }).locator('.badge', { hasText: 'paused' }).waitFor();
    const runs = app.server.engine.store.listRuns({ workflowId: app.server.engine.store.listWorkflows()[0]!.id, limit: 10 });
    expect(runs.some((r) => r.trigger === 'schedule')).toBe(true);
    await history.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await app.shot('schedule-history');
  });

  it('chains a second workflow after the first, and refuses a loop', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'New from example' }).click();
    await page.getByRole('toolbar', { name: 'Workflow actions' }).waitFor();
    const store = app.server.engine.store;
    const second = store.listWorkflows().find((w) => w.folder.endsWith('customer-churn-2'))!;
    store.renameWorkflow(second.id, 'Churn report');
    await page.getByRole('tab', { name: 'Schedule' }).click();
    await page.getByLabel('Run this workflow after').selectOption({ label: 'Customer churn' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const chains = page.getByRole('list', { name: 'Chains' });
    expect(await chains.getByRole('listitem').first().textContent()).toMatch(/After Customer churn succeeds, this workflow runs/);

    // the other way round would loop: refused, with the loop spelled out
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: /^Schedule of Customer churn/ }).click();
    expect(await page.getByRole('list', { name: 'Chains' }).textContent()).toMatch(/When this workflow succeeds, Churn report runs/);
    await page.getByLabel('Run this workflow after').selectOption({ label: 'Churn report' });
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.locator('#cascade-error').textContent()).toMatch(/cannot close a cycle: Churn report → Customer churn → Churn report/);
    await app.shot('schedule-cascades');
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !/status of 400/.test(e)));
  });

  it('sets what happens to a run interrupted by a crash, into workflow.yaml too', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: /^Schedule of Customer churn/ }).click();
    const retry = page.getByLabel('A run interrupted by a crash');
    expect(await retry.inputValue()).toBe('1');
    await retry.selectOption({ label: 'Retry up to 3 times' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    const folder = app.server.engine.store.listWorkflows().find((w) => path.basename(w.folder) === 'customer-churn')!.folder;
    const block = () => (YAML.parse(fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8')) as { schedule: { retry_interrupted?: number; paused?: boolean } }).schedule;
    await expect.poll(() => block().retry_interrupted, { timeout: 10_000 }).toBe(3);
    expect(block().paused).toBe(true);
    await page.getByRole('button', { name: 'Save changes' }).and(page.locator(':disabled')).waitFor();
    expect(await page.getByLabel('A run interrupted by a crash').inputValue()).toBe('3');
    await page.getByRole('region', { name: 'Schedule', exact: true }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await app.shot('schedule-retry-interrupted');
  });

  it('looks right in dark mode too', async () => {
    const { page, errors } = await openPage(app.browser, app.server.url, { colorScheme: 'dark' });
    try {
      await page.getByRole('button', { name: /^Schedule of Customer churn/ }).click();
      await page.getByRole('region', { name: 'Schedule', exact: true }).locator('.badge', { hasText: 'paused' }).waitFor();
      await page.getByRole('list', { name: 'Next five runs' }).getByRole('listitem').nth(4).waitFor();
      await screenshot(page, 'dark-schedule');
      await page.getByText('Email server (SMTP)').click();
      // the only channel on is the desktop one, and a browser tab is no desktop shell
      await page.getByRole('button', { name: 'Send test' }).click();
      expect(await page.getByRole('status', { name: 'Test results' }).textContent()).toMatch(/desktop.*no desktop shell is listening/);
      await page.getByRole('button', { name: 'Save email server' }).evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await screenshot(page, 'dark-schedule-notifications');
      expectNoPageErrors(errors);
    } finally {
      await page.context().close();
    }
  });
});

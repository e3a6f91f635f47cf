// Runs accumulate: three runs of the example give three points on each metric chart and
// three columns in the check history; the run list opens any past run on the graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasNode, expectNoPageErrors, nodeStatuses, startApp, waitForRunEnd, type E2eApp } from './app.ts';

describe('run history and metric charts', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp('e2e-history');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs the example three times (button, shortcut, parameter form)', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New from example' }).click();
    const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.waitFor();

    await toolbar.getByRole('button', { name: /^Run/ }).click();
    await toolbar.getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');

    // Ctrl+Enter runs too
    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('Control+Enter');
    await toolbar.getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');

    // a run with a parameter override: a higher tenure cut-off scores fewer customers
    await toolbar.getByRole('button', { name: /^Parameters/ }).click();
    const form = page.getByRole('form', { name: 'Run parameters' });
    await form.getByLabel(/min_tenure_months/).fill('12');
    await app.shot('run-parameters');
    await form.getByRole('button', { name: 'Run with these values' }).click();
    await toolbar.getByRole('progressbar').waitFor();
    expect(await waitForRunEnd(page)).toBe('succeeded');
    const scored = Number((await canvasNode(page, 'scored_customers').textContent())?.match(/([\d,]+)$/)?.[1]?.replace(/,/g, ''));
    expect(scored).toBeGreaterThan(0);
    expect(scored).toBeLessThan(2000);
  });

  it('charts one point per run for each metric, with the bounds', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const mean = page.getByRole('figure', { name: 'Metric mean_churn_probability' });
    const scored = page.getByRole('figure', { name: 'Metric scored_customers' });
    await expect.poll(() => mean.locator('circle.metric-point').count()).toBe(3);
    await expect.poll(() => scored.locator('circle.metric-point').count()).toBe(3);
    expect(await mean.getAttribute('data-points')).toBe('3');
    // all inside the bounds: no red point
    expect(await mean.locator('circle.metric-point[data-passed="false"]').count()).toBe(0);
    expect(await mean.textContent()).toMatch(/bounds 0\.02 … 0\.6/);
    expect(await mean.locator('.recharts-reference-line').count()).toBe(2);

    const checks = page.getByRole('table', { name: 'Check history' });
    const cells = checks.getByRole('row', { name: /no_missing_scores/ }).locator('[data-outcome]');
    await expect.poll(() => cells.count()).toBe(3);
    expect(await checks.locator('[data-outcome="pass"]').count()).toBe(6);
    await app.shot('metrics-three-runs');
  });

  it('lists the runs and opens a past one on the graph', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(3);
    const rows = await runs.locator('tbody tr').allTextContents();
    // status, trigger, the run's parameters, kind
    for (const row of rows) expect(row).toMatch(/succeeded.*app\s*min_tenure_months=\d+, high_risk_threshold=[\d.]+\s*run/);
    await app.shot('runs-list');

    // the oldest run is last; open it
    await runs.locator('tbody tr').last().click();
    const toolbar = page.getByRole('toolbar', { name: 'Workflow actions' });
    await toolbar.getByRole('button', { name: 'Back to latest' }).waitFor();
    expect(await toolbar.textContent()).toContain('Viewing run');
    // every node succeeded but the email, skipped on a machine with no SMTP connection
    expect(Object.entries(await nodeStatuses(page)).filter(([, s]) => s !== 'succeeded')).toEqual([['email_report', 'skipped']]);
    // the oldest run scored everyone
    await expect.poll(() => canvasNode(page, 'scored_customers').textContent()).toMatch(/2,000$/);

    await canvasNode(page, 'churn_model').click();
    const inspector = page.getByRole('complementary', { name: 'Node inspector: churn_model' });
    await inspector.getByRole('tab', { name: 'Logs' }).click();
    await inspector.getByRole('log', { name: 'Logs of churn_model' }).or(inspector.getByText('No log lines')).first().waitFor();
    await app.shot('past-run-logs');
    await toolbar.getByRole('button', { name: 'Back to latest' }).click();
    await toolbar.getByRole('button', { name: 'Back to latest' }).waitFor({ state: 'detached' });
    expectNoPageErrors(app.errors);
  });
});

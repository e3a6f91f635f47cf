// Connections and lineage in the real UI, in Chromium against the headless server and a
// real PostgreSQL: add a connection through the form, test it ("Connected"), browse its
// tables and preview one; a wrong password is answered as such, with the fix; a workflow
// publishing through it shows its lineage on the Runs tab; the connection cannot be
// deleted while used; removing the workflow with "drop them" really drops the table.
// Screenshots (light and dark) go to test/e2e/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, screenshot } from '../helpers/browser.ts';
import { startPostgres, type TestServer } from '../helpers/db-servers.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';
import { expectNoPageErrors, startApp, type E2eApp } from './app.ts';

const SECRET = 'E2e-Secret-31c9aa';

describe('the Connections screen', () => {
  let app: E2eApp;
  let pg: TestServer;
  beforeAll(async () => {
    [app, pg] = await Promise.all([startApp('e2e-connections'), startPostgres()]);
    await pg.query(`CREATE ROLE analyst LOGIN PASSWORD '${SECRET}'`);
    await pg.query('GRANT USAGE, CREATE ON SCHEMA public TO analyst');
    await pg.query('CREATE TABLE public.customers (id int, name text, churn_score double precision)');
    await pg.query("INSERT INTO public.customers VALUES (1, 'Ada', 0.12), (2, 'Grace', 0.87), (3, 'Edsger', NULL)");
    await pg.query('GRANT SELECT ON public.customers TO analyst');
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await pg?.stop();
  });

  it('adds a Postgres connection through the form and tests it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Connections' }).click();
    await page.getByRole('note', { name: 'No connections yet' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Saved connections' }).count()).toBe(0);
    await app.shot('connections-empty');

    await page.getByRole('button', { name: 'New connection' }).click();
    const form = page.getByRole('form', { name: 'New connection' });
    await form.getByRole('radio', { name: 'PostgreSQL' }).check();
    await form.getByLabel('Name').fill('warehouse');
    await form.getByLabel('Host').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(pg.config.port));
    await form.getByLabel('Database', { exact: false }).first().fill('aqueduct_test');
    await form.getByLabel('User', { exact: false }).first().fill('analyst');
    await form.getByLabel('Password', { exact: true }).fill(SECRET);
    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = form.getByRole('status', { name: 'Test result' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Connected.*connected to PostgreSQL .* as analyst/);
    await app.shot('connections-form-tested');

    await form.getByRole('button', { name: 'Save connection' }).click();
    const card = page.getByRole('region', { name: 'Connection warehouse' });
    await card.waitFor();
    expect(await page.getByRole('list', { name: 'Connections' }).textContent()).toContain('warehouse');
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByRole('status', { name: 'Test result' }).waitFor();
    await page.getByRole('button', { name: /^warehouse, PostgreSQL, connected$/ }).waitFor();
    expect(await page.content()).not.toContain(SECRET);
  });

  it('browses the tables and previews one', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Browse tables' }).click();
    await page.getByRole('button', { name: 'Preview public.customers' }).click();
    const table = page.getByRole('table', { name: 'Preview of public.customers' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('thead').textContent()).toMatch(/id.*name.*churn_score/);
    expect(await table.locator('tbody').textContent()).toContain('Grace');
    await app.shot('connections-browse');
  });

  it('says the password is wrong, with the fix, when it is', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit connection warehouse' });
    const password = form.getByLabel('Password', { exact: true });
    expect(await password.getAttribute('placeholder')).toBe('saved — leave empty to keep');
    expect(await password.inputValue()).toBe('');
    await password.fill('not-the-password');
    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = form.getByRole('alert', { name: 'Test result' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Wrong user or password.*the server refused the password for user "analyst".*Fix: check the user name and password/);
    await app.shot('connections-wrong-password');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('region', { name: 'Connection warehouse' }).waitFor();
  });

  it('asks for the password again when the connection is pointed at another port', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit connection warehouse' });
    const password = form.getByLabel('Password', { exact: true });
    await form.getByLabel('Port').fill(String(Number(pg.config.port) + 1));
    expect(await password.getAttribute('placeholder')).toBe('enter it again');
    expect(await form.locator('#conn-field-password-help').textContent()).toMatch(/The port changed: a saved password is only sent to the server it was saved for/);
    await form.getByRole('button', { name: 'Save changes' }).click();
    const refused = form.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/Not saved:.*the port of "warehouse" changed: enter the password again/);
    await app.shot('connections-port-changed');
    // back to the saved port, the saved password is kept again
    await form.getByLabel('Port').fill(String(pg.config.port));
    expect(await password.getAttribute('placeholder')).toBe('saved — leave empty to keep');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('region', { name: 'Connection warehouse' }).waitFor();
  });

  it('shows what a workflow published, and refuses to delete the connection it uses', async () => {
    const { page, server } = app;
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'numbers.csv' },
        { id: 'publish_scores', kind: 'publish', inputs: ['numbers'], destination: { type: 'postgres', connection: 'warehouse', table: 'scores' }, mode: 'replace' },
      ],
    }, { 'numbers.csv': numbersCsv(25) }, 'Scores to warehouse');
    const { summary } = server.engine.openWorkflow(folder);
    const { done } = await server.engine.startRun(summary.id, { trigger: 'test' });
    expect((await done).status).toBe('succeeded');
    expect(await pg.query('SELECT count(*)::int AS n FROM public.scores')).toEqual([{ n: 25 }]);

    await page.getByRole('button', { name: 'Delete connection warehouse' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const refusal = page.getByRole('alert', { name: 'Delete refused' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/connection "warehouse" is used by Scores to warehouse \(publish_scores\)/);
    await refusal.getByRole('button', { name: 'Scores to warehouse' }).waitFor();
    await page.getByRole('region', { name: 'Used by' }).getByRole('button', { name: 'Open workflow Scores to warehouse' }).waitFor();
    await app.shot('connections-delete-refused');
    app.errors.splice(0, app.errors.length, ...app.errors.filter((e) => !/status of 400/.test(e)));

    await refusal.getByRole('button', { name: 'Scores to warehouse' }).click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const lineage = page.getByRole('table', { name: 'Published targets' });
    await lineage.waitFor();
    expect(await lineage.locator('tbody').textContent()).toMatch(/PostgreSQL · warehouse.*aqueduct_test\/public\.scores.*publish_scores.*25.*replace/);
    await page.getByRole('button', { name: /^Published by run .*: 1 output$/ }).click();
    const perRun = page.getByRole('table', { name: /^Published by run / });
    await perRun.waitFor();
    expect(await perRun.textContent()).toContain('aqueduct_test/public.scores');
    await app.shot('runs-published');
  });

  it('removes the workflow and drops its published table when asked', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'All workflows' }).click();
    await page.getByRole('button', { name: 'Remove Scores to warehouse' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Scores to warehouse?' });
    await dialog.getByRole('list', { name: 'Published outputs' }).waitFor();
    expect(await dialog.getByRole('list', { name: 'Published outputs' }).textContent()).toContain('aqueduct_test/public.scores');
    expect(await dialog.getByRole('radio', { name: /^Keep them/ }).isChecked()).toBe(true);
    await dialog.getByRole('radio', { name: /^Drop them/ }).check();
    await app.shot('delete-workflow-dialog');
    await dialog.getByRole('button', { name: 'Remove and drop outputs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('note', { name: 'No workflows yet' }).waitFor();
    expect(await pg.query("SELECT to_regclass('public.scores') AS t")).toEqual([{ t: null }]);
    expect(await pg.query('SELECT count(*)::int AS n FROM public.customers')).toEqual([{ n: 3 }]);
    await app.shot('delete-workflow-done');
    expectNoPageErrors(app.errors);
  });

  it('looks right in dark mode', async () => {
    const { page, errors } = await openPage(app.browser, app.server.url, { colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Connections' }).click();
    await page.getByRole('region', { name: 'Connection warehouse' }).waitFor();
    await page.getByRole('button', { name: 'Browse tables' }).click();
    await page.getByRole('button', { name: 'Preview public.customers' }).click();
    await page.getByRole('table', { name: 'Preview of public.customers' }).waitFor();
    await screenshot(page, 'connections-dark');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await screenshot(page, 'connections-edit-dark');
    expectNoPageErrors(errors);
    await page.context().close();
  });
});

// Deploying to Airflow from the real UI, against a real Airflow 3.3.2 on loopback
// (test/helpers/airflow-server.ts): an Airflow engine connection saved through the form,
// "Deploy to Airflow" in the Publish dialog, then the Engines screen's "Deployed
// workflows": the deployed version against the local one, "Run now" and its last run
// arriving on its own, "out of date" with the changed node's diff after an edit on disk,
// and Redeploy. Screenshots are kept.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeApiClient, createApiClient, type Api } from '../../renderer/client/index.ts';
import { startAirflow, type AirflowServer } from '../helpers/airflow-server.ts';
import { enginePython } from '../helpers/engines-env.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';
import { expectNoPageErrors, startApp, type E2eApp } from './app.ts';

describe('deploying to Airflow from the app (a real Airflow 3.3.2 on loopback)', () => {
  let app: E2eApp;
  let airflow: AirflowServer;
  let folder: string;
  let workflowId: string;
  let api: Api;

  beforeAll(async () => {
    airflow = await startAirflow(enginePython('airflow'));
    app = await startApp('e2e-deployments');
    folder = makeWorkflow({
      name: 'af-e2e',
      parameters: { min_amount: { type: 'number', default: 6 } },
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'filtered', kind: 'sql', inputs: ['numbers'] },
        { id: 'total', kind: 'metric', inputs: ['filtered'] },
        { id: 'few_rows', kind: 'check', inputs: ['filtered'], severity: 'warning' },
      ],
    }, {
      'data/numbers.csv': numbersCsv(12),
      'nodes/filtered.sql': 'SELECT * FROM numbers WHERE amount >= $min_amount ORDER BY id',
      'nodes/total.sql': 'SELECT sum(amount) FROM filtered',
      'nodes/few_rows.sql': 'SELECT count(*) < 5 FROM filtered',
    }, 'af-e2e');
    workflowId = app.server.engine.openWorkflow(folder).summary.id;
    api = createApiClient({ kind: 'web', baseUrl: `http://127.0.0.1:${app.server.port}`, token: app.server.token, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  }, 600_000);

  afterAll(async () => {
    if (api) closeApiClient(api);
    await app?.close();
    await airflow?.stop();
  });

  /** Each test stands alone: the connection and a deployment of the workflow as it is now, made through the API when missing. */
  const deployed = async () => {
    const conns = await api.engines.connections.list.query();
    if (!conns.some((c) => c.name === 'local-airflow')) {
      await api.engines.connections.create.mutate({
        name: 'local-airflow', type: 'airflow',
        settings: { url: airflow.url, username: airflow.username, password: airflow.password, dagsFolder: airflow.dagsFolder, sharedDir: airflow.sharedDir },
      });
    }
    const list = await api.engines.deployments.list.query();
    if (!list.some((d) => d.workflowId === workflowId && !d.outOfDate)) await api.engines.deployments.deploy.mutate({ workflowId, connection: 'local-airflow' });
  };

  const engines = async () => {
    const { page } = app;
    await page.goto(app.server.url);
    await page.getByRole('button', { name: 'Engines', exact: true }).click();
    return page.getByRole('listitem', { name: 'Deployment of af-e2e to local-airflow' });
  };

  it('saves an Airflow connection and deploys from the Publish dialog', async () => {
    const { page } = app;
    for (const d of await api.engines.deployments.list.query()) await api.engines.deployments.undeploy.mutate({ id: d.id });
    if ((await api.engines.connections.list.query()).length) await api.engines.connections.delete.mutate({ name: 'local-airflow' });
    await page.goto(app.server.url);
    await page.getByRole('button', { name: 'Engines', exact: true }).click();
    await page.getByRole('note', { name: 'Nothing deployed yet' }).waitFor();
    await page.getByRole('button', { name: 'New engine connection' }).click();
    const form = page.getByRole('form', { name: 'New engine connection' });
    await form.getByLabel('Engine').selectOption('airflow');
    await form.getByLabel('Name', { exact: true }).fill('local-airflow');
    await form.getByLabel('url *').fill(airflow.url);
    await form.getByLabel('username').fill(airflow.username);
    await form.getByLabel('password').fill(airflow.password);
    await form.getByLabel('dagsFolder').fill(airflow.dagsFolder);
    await form.getByLabel('sharedDir').fill(airflow.sharedDir);
    await form.getByRole('button', { name: 'Save engine connection' }).click();
    await page.getByRole('listitem', { name: 'Engine connection local-airflow' }).waitFor();

    const url = new URL(app.server.url);
    url.searchParams.set('workflow', workflowId);
    await page.goto(url.toString());
    await page.getByRole('button', { name: 'Publish to engine…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish to engine' });
    await dialog.getByRole('radio', { name: 'Airflow' }).check();
    await dialog.getByRole('button', { name: 'Deploy to Airflow' }).click();
    const said = dialog.getByRole('status', { name: 'Deployment' });
    await said.waitFor({ timeout: 300_000 });
    expect(await said.textContent()).toMatch(/^Deployed version [0-9a-f]{8} to local-airflow as aqueduct_af_e2e\. Airflow parsed DAG aqueduct_af_e2e \(unpaused\)/);
    expect(fs.existsSync(path.join(airflow.dagsFolder, 'aqueduct_af_e2e.py'))).toBe(true);
    await app.shot('engines-deploy-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  }, 600_000);

  it('lists the deployment with its version; Run now brings the run back into the history', async () => {
    await deployed();
    const before = new Set(app.server.engine.store.listRuns({ workflowId }).map((r) => r.id));
    const row = await engines();
    expect(await row.getByLabel('Versions').textContent()).toContain('same version');
    await row.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => row.getByLabel('Last remote run').textContent(), { timeout: 20_000 }).toMatch(/^last run running/);
    await expect.poll(() => row.getByLabel('Last remote run').textContent(), { timeout: 300_000, interval: 1000 }).toMatch(/^last run warnings/);
    const runs = app.server.engine.store.listRuns({ workflowId }).filter((r) => !before.has(r.id));
    expect(runs.map((r) => [r.engine, r.status, r.trigger])).toEqual([['airflow', 'succeeded_with_warnings', 'app']]);
    await app.shot('engines-deployed-ran');
  }, 600_000);

  it('shows "out of date" with the changed node after an edit on disk, and Redeploy brings it level', async () => {
    await deployed();
    const file = path.join(folder, 'nodes/total.sql');
    const edited = `${fs.readFileSync(file, 'utf8').trim()} + 1`;
    fs.writeFileSync(file, edited);
    const row = await engines();
    await expect.poll(() => row.getByLabel('Versions').textContent()).toContain('out of date');
    await row.getByRole('button', { name: 'Show changes' }).click();
    const changes = row.getByLabel('Changes since the deployed version');
    await changes.getByRole('region', { name: 'Changes to total' }).waitFor();
    expect(await changes.getByRole('region').count()).toBe(1);
    expect(await changes.textContent()).toContain(edited);
    await app.shot('engines-deployment-out-of-date');
    await row.getByRole('button', { name: 'Redeploy' }).click();
    await expect.poll(() => row.getByLabel('Versions').textContent(), { timeout: 300_000, interval: 1000 }).toContain('same version');
    expectNoPageErrors(app.errors);
  }, 600_000);
});

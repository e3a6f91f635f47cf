// Airflow as a deployed engine, against a real Airflow 3.3.2 started on loopback (API
// server, scheduler with the LocalExecutor, DAG processor; test/helpers/airflow-server.ts):
// the engine service writes the DAG and its bundle into the DAGs folder and waits until
// Airflow has parsed that version; "Run now" triggers a DAG run through the REST API v2
// with the workflow's parameters; the app polls the DAG run and its task instances, so node
// states arrive while it runs, and the run record comes back through the API (an XCom), no
// shared results folder read by the app. The run must match a local run of the same workflow.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runner/api/types.ts';
import { ConnectionService } from '../../runner/connections/service.ts';
import type { Engine } from '../../runner/engine.ts';
import { airflowClient } from '../../runner/engines/airflow/airflow-engine.ts';
import { versionTag } from '../../runner/engines/airflow/dag.ts';
import { EngineService } from '../../runner/engines/engine-service.ts';
import { resolveTarget, type AirflowTarget } from '../../runner/engines/engine-targets.ts';
import { startAirflow, type AirflowServer } from '../helpers/airflow-server.ts';
import { startPostgres } from '../helpers/db-servers.ts';
import { enginePython, runEssence } from '../helpers/engines-env.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const CONNECTION = 'local-airflow';
const run = promisify(execFile);
const DAG_ID = 'aqueduct_af_deploy';

describe('Airflow deployed from the app: DAGs folder, runs through the REST API v2 (a real Airflow 3.3.2 on loopback)', () => {
  let airflow: AirflowServer;
  let engine: Engine;
  let service: EngineService;
  let folder: string;

  /** Each test stands alone: a deployment of the workflow as it is now, made when missing or out of date. */
  const deployed = async (): Promise<string> => {
    const d = service.listDeployments().find((x) => x.folder === folder && !x.outOfDate);
    return d?.id ?? (await service.deploy(folder, CONNECTION)).deployment.id;
  };

  const target = () => resolveTarget(service.connections, CONNECTION, 'airflow') as AirflowTarget;

  beforeAll(async () => {
    airflow = await startAirflow(enginePython('airflow'));
    engine = await openTestEngine('af-deploy');
    service = new EngineService({ engine, pollMs: 500 });
    service.connections.save({ name: CONNECTION, type: 'airflow', url: airflow.url, username: airflow.username, password: airflow.password, dagsFolder: airflow.dagsFolder, sharedDir: airflow.sharedDir });
    folder = makeWorkflow({
      name: 'af-deploy',
      parameters: { min_amount: { type: 'number', default: 0 } },
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
    }, 'af-deploy');
  }, 600_000);

  afterAll(async () => {
    service?.close();
    await engine?.close();
    await airflow?.stop();
  });

  it('deploys into the DAGs folder and returns once Airflow has parsed this version', async () => {
    for (const old of service.listDeployments()) await service.undeploy(old.id);
    const r = await service.deploy(folder, CONNECTION);
    const d = r.deployment;
    expect(d).toMatchObject({ engine: 'airflow', connection: CONNECTION, remoteId: DAG_ID, where: airflow.url, outOfDate: false, paused: false });
    expect(d.deployedVersion).toBe(d.localVersion);
    expect(fs.existsSync(path.join(airflow.dagsFolder, `${DAG_ID}.py`))).toBe(true);
    expect(fs.readFileSync(path.join(airflow.dagsFolder, '.airflowignore'), 'utf8')).toContain('.aqueduct/');
    const dag = await airflowClient(target()).dag(DAG_ID);
    expect(dag?.tags.map((t) => t.name)).toContain(versionTag(d.deployedVersion));
    expect(dag?.is_paused).toBe(false);
    expect(service.listDeployments().map((x) => x.id)).toEqual([d.id]);
  }, 600_000);

  it('"Run now" goes through the REST API with the parameters; node states arrive while it runs; the run matches a local one', async () => {
    const deploymentId = await deployed();
    const events: RunEvent[] = [];
    const off = engine.events.on((e) => events.push(e));
    try {
      const started = await service.runNow(deploymentId, { min_amount: 6 });
      expect(started).toMatchObject({ engine: 'airflow', status: 'running', trigger: 'app' });
      const done = await service.waitForRun(started.id);
      expect(done?.status).toBe('succeeded_with_warnings');
      const remote = engine.store.getRun(started.id)!;
      expect(remote.params).toEqual({ min_amount: 6 });
      // polled states came in as events before the end, like a local run's
      const mine = events.filter((e) => ('runId' in e && e.runId === started.id) || ('node' in e && e.node.runId === started.id) || ('run' in e && e.run.id === started.id));
      expect(mine.some((e) => e.type === 'node_finished')).toBe(true);
      expect(mine.at(-1)?.type).toBe('run_finished');
      const local = await engine.run(folder, { params: { min_amount: 6 }, trigger: 'test' });
      expect(runEssence(remote, airflow.outputDir)).toEqual(runEssence(local, folder));
      expect(remote.nodes.find((n) => n.nodeId === 'total')?.value).toBe(local.nodes.find((n) => n.nodeId === 'total')?.value);
      expect(service.deployment(deploymentId).lastRun?.id).toBe(started.id);
    } finally {
      off();
    }
  }, 600_000);

  it('the command line lists the deployment and runs its deployed version (aqueduct engines deployments, engines run)', async () => {
    const cli = (args: string[]) => run(process.execPath, ['bin/aqueduct.mjs', '--home', engine.paths.home, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
    const deploymentId = await deployed();
    const listed = JSON.parse((await cli(['engines', 'deployments', '--json'])).stdout) as { id: string; outOfDate: boolean; remoteId: string }[];
    expect(listed.map((d) => [d.id, d.outOfDate, d.remoteId])).toEqual([[deploymentId, false, DAG_ID]]);
    const ran = JSON.parse((await cli(['engines', 'run', folder, '--on', CONNECTION, '--param', 'min_amount=13', '--json'])).stdout) as { id: string; status: string; engine: string; params: Record<string, unknown> };
    expect(ran).toMatchObject({ status: 'succeeded', engine: 'airflow', params: { min_amount: 13 } });
    // 4 rows of 12 from 13.5 up: the warning check passes this time
    expect(engine.store.getRun(ran.id)?.nodes.find((n) => n.nodeId === 'filtered')?.rows).toBe(4);
    expect(service.deployment(deploymentId).lastRun?.id).toBe(ran.id);
  }, 600_000);

  it('says "out of date" after a local edit; redeploying brings Airflow to the new version', async () => {
    const deploymentId = await deployed();
    const file = path.join(folder, 'nodes/total.sql');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8').trim()} + 1`);
    const stale = service.deployment(deploymentId);
    expect(stale.outOfDate).toBe(true);
    expect(stale.localVersion).not.toBe(stale.deployedVersion);
    const versions = service.versions(deploymentId);
    expect(JSON.stringify(versions.local)).not.toBe(JSON.stringify(versions.deployed));
    const again = await service.deploy(folder, CONNECTION);
    expect(again.deployment.id).toBe(deploymentId);
    expect(again.deployment.outOfDate).toBe(false);
    const dag = await airflowClient(target()).dag(DAG_ID);
    expect(dag?.tags.map((t) => t.name)).toContain(versionTag(again.deployment.deployedVersion));
  }, 600_000);

  it('undeploys: the DAG file and Airflow\'s DAG are gone, the runs stay in the history', async () => {
    const deploymentId = await deployed();
    const runs = engine.store.listRuns({}).filter((r) => r.engine === 'airflow');
    await service.undeploy(deploymentId);
    expect(fs.existsSync(path.join(airflow.dagsFolder, `${DAG_ID}.py`))).toBe(false);
    expect(fs.existsSync(path.join(airflow.dagsFolder, '.aqueduct', DAG_ID))).toBe(false);
    expect(await airflowClient(target()).dag(DAG_ID)).toBeUndefined();
    expect(service.listDeployments()).toEqual([]);
    expect(engine.store.listRuns({}).filter((r) => r.engine === 'airflow').map((r) => r.id)).toEqual(runs.map((r) => r.id));
  }, 600_000);

  it('a data connection\'s secret reaches Airflow only as an Airflow connection: none in the DAGs folder, and a publish to PostgreSQL works with it', async () => {
    const pg = await startPostgres();
    try {
      const secret = String(pg.config.password);
      const data = new ConnectionService(engine.store.db, engine.paths.home);
      if (data.list().some((c) => c.name === 'warehouse')) data.remove('warehouse');
      data.create({ name: 'warehouse', ...pg.config } as Parameters<ConnectionService['create']>[0]);
      const pgFolder = makeWorkflow({
        name: 'af-secrets',
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'to_pg', kind: 'publish', inputs: ['numbers'], destination: { type: 'postgres', connection: 'warehouse', table: 'numbers_out' }, mode: 'replace' },
        ],
      }, { 'data/numbers.csv': numbersCsv(12) }, 'af-secrets');
      const d = (await service.deploy(pgFolder, CONNECTION)).deployment;
      const files = (fs.readdirSync(airflow.dagsFolder, { recursive: true }) as string[]).map((f) => path.join(airflow.dagsFolder, f)).filter((f) => fs.statSync(f).isFile());
      expect(files.some((f) => f.endsWith('aqueduct_af_secrets.py'))).toBe(true);
      expect(files.filter((f) => fs.readFileSync(f).includes(secret))).toEqual([]);
      const started = await service.runNow(d.id);
      const done = await service.waitForRun(started.id);
      expect(done?.status, done?.error).toBe('succeeded');
      expect(await pg.query('SELECT count(*)::int AS n FROM numbers_out')).toEqual([{ n: 12 }]);
      expect(JSON.stringify(engine.store.getRun(started.id))).not.toContain(secret);
      await service.undeploy(d.id);
      const gone = await airflowClient(target()).call('GET', '/connections/aqueduct_warehouse');
      expect(gone.status).toBe(404);
    } finally {
      await pg.stop();
    }
  }, 600_000);

  it('stopping a run from the app stops the DAG run in Airflow; the run ends cancelled in the history', async () => {
    const slowFolder = makeWorkflow({
      name: 'af-cancel',
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'slow', kind: 'python', inputs: ['numbers'] },
      ],
    }, { 'data/numbers.csv': numbersCsv(3), 'nodes/slow.py': 'import time\n\ndef run(numbers):\n    time.sleep(600)\n    return numbers\n' }, 'af-cancel');
    const d = (await service.deploy(slowFolder, CONNECTION)).deployment;
    const started = await service.runNow(d.id);
    const slowState = () => engine.store.getRun(started.id)?.nodes.find((n) => n.nodeId === 'slow')?.status;
    for (let i = 0; i < 240 && slowState() !== 'running'; i++) await new Promise((r) => setTimeout(r, 500));
    expect(slowState()).toBe('running');
    expect(await service.cancel(started.id)).toBe(true);
    const done = await service.waitForRun(started.id);
    expect(done?.status).toBe('cancelled');
    expect(slowState()).toBe('cancelled');
    const dagRunId = service.deployments.run(started.id)!.engineRef;
    expect((await airflowClient(target()).dagRun(d.remoteId, dagRunId)).state).toBe('failed');
    expect(await service.cancel(started.id)).toBe(false);
    await service.undeploy(d.id);
  }, 600_000);
});

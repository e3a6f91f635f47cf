// Ray: a real local Ray head (started here on 127.0.0.1 from the Ray venv) receives the
// workflow through the Jobs API, spoken by the app (upload the bundle as working_dir,
// submit, wait, read logs). Each node runs as a Ray task, tables travel through the
// object store, and the imported run must match a local run of the same workflow.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { RayJobsClient } from '../../runner/engines/ray/client.ts';
import { submitToRay } from '../../runner/engines/ray/submit.ts';
import { syncRunRecords } from '../../runner/engines/sync.ts';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../helpers/home.ts';
import { enginePython, groupAlive, logEssence, runEssence, startRayHead, type RayHead } from '../helpers/engines-env.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';
import { FAILURES, WARNINGS_AND_PARAMS } from './engines-fixtures.ts';

describe('Ray: one Ray task per node, submitted through the Jobs API', () => {
  let engine: Engine;
  let head: RayHead;
  let duck: DuckDBInstance;
  beforeAll(async () => {
    const python = enginePython('ray');
    head = await startRayHead(python);
    engine = await openTestEngine('ray', { python });
    duck = await DuckDBInstance.create(':memory:');
  }, 240_000);
  afterAll(async () => {
    duck?.closeSync();
    await engine?.close();
    if (head) {
      await head.stop();
      let alive = groupAlive(head.pid);
      for (let i = 0; alive && i < 20; i++) {
        await new Promise((r) => setTimeout(r, 250));
        alive = groupAlive(head.pid);
      }
      expect(alive, 'the Ray head and its processes are gone').toBe(false);
    }
  }, 120_000);

  async function table(p: string): Promise<unknown[]> {
    const c = await duck.connect();
    try {
      return (await c.runAndReadAll(`SELECT * FROM read_parquet('${p}')`)).getRowsJson();
    } finally {
      c.closeSync();
    }
  }

  it('runs the churn example like the local runner, tables and all (shared results folder)', async () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'ray-churn');
    const local = await engine.run(folder, { trigger: 'test' });
    const results = path.join(tempHome('ray-results'), 'results');
    const outputDir = path.join(tempHome('ray-out'), 'out-root');
    const r = await submitToRay(folder, { address: head.address, resultsDir: results, remoteResultsDir: results, outputDir, requirements: ['scikit-learn'] });
    expect(r.job.status, r.logs.slice(-3000)).toBe('SUCCEEDED');
    // each node ran as its own Ray task (Ray prefixes a task's output with its name)
    expect(r.logs).toMatch(/\(aqueduct:churn_model pid=\d+\)(\u001b\[0m)? training on 1700 customers/);
    const synced = syncRunRecords(engine.store, engine.paths, results);
    expect(synced.imported.map((x) => [x.runId, x.engine])).toEqual([[r.runId, 'ray']]);
    const remote = engine.store.getRun(r.runId)!;
    expect(runEssence(remote, outputDir)).toEqual(runEssence(local, folder));
    expect(logEssence(engine.store.getLogs(remote.id), outputDir)).toEqual(logEssence(engine.store.getLogs(local.id), folder));
    for (const n of local.nodes.filter((x) => x.artifactPath)) {
      const other = remote.nodes.find((x) => x.nodeId === n.nodeId)!;
      expect(await table(other.artifactPath!), n.nodeId).toEqual(await table(n.artifactPath!));
    }
    expect(fs.readFileSync(path.join(outputDir, 'out/churn_predictions.csv'), 'utf8')).toBe(fs.readFileSync(path.join(folder, 'out/churn_predictions.csv'), 'utf8'));
    const runs = engine.store.listRuns({ workflowId: local.workflowId });
    expect(runs.map((x) => x.engine).sort()).toEqual(['local', 'ray']);
  });

  it('parameters, warnings and failures agree; the record comes back through the job logs', async () => {
    for (const f of [WARNINGS_AND_PARAMS, FAILURES]) {
      const folder = makeWorkflow(f.definition, f.files, `ray-${f.label}`);
      const params = Object.fromEntries(Object.entries(f.params ?? {}).map(([k, v]) => [k, String(v)]));
      const local = await engine.run(folder, { params, trigger: 'test' });
      const results = path.join(tempHome('ray-results'), 'results');
      const elsewhere = path.join(tempHome('ray-remote'), 'remote-results'); // not readable by the app: logs only
      const outputDir = path.join(tempHome('ray-out'), 'out-root');
      const r = await submitToRay(folder, { address: head.address, resultsDir: results, remoteResultsDir: `${elsewhere}-cluster`, outputDir, params });
      expect(r.recordFile).toBe(path.join(results, `${r.runId}.json`));
      const synced = syncRunRecords(engine.store, engine.paths, results);
      expect(synced.imported).toHaveLength(1);
      const remote = engine.store.getRun(r.runId)!;
      expect(remote.engine).toBe('ray');
      expect(runEssence(remote, outputDir), f.label).toEqual(runEssence(local, folder));
      expect(logEssence(engine.store.getLogs(remote.id), outputDir), f.label).toEqual(logEssence(engine.store.getLogs(local.id), folder));
    }
  });

  it('aqueduct engines submit: through a saved ray connection, into the history', () => {
    const home = tempHome('ray-cli');
    const folder = makeWorkflow(WARNINGS_AND_PARAMS.definition, WARNINGS_AND_PARAMS.files, 'ray-cli');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
    expect(cli('engines', 'add', 'local-ray', '--type', 'ray', '--set', `address=${head.address}`).status).toBe(0);
    const r = cli('engines', 'submit', folder, '--ray', 'local-ray', '--param', 'factor=3', '--output-dir', path.join(home, 'outputs'), '--remote-results', path.join(home, 'cluster-results'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; job: { status: string }; run: { engine: string; status: string } };
    expect([out.job.status, out.run.engine, out.run.status]).toEqual(['SUCCEEDED', 'ray', 'succeeded_with_warnings']);
    const runs = JSON.parse(cli('runs', '--json').stdout) as { engine: string; params: Record<string, unknown> }[];
    expect(runs.map((x) => [x.engine, x.params['factor']])).toEqual([['ray', 3]]);
  });

  it('reports an unreachable dashboard clearly', async () => {
    const client = new RayJobsClient('http://127.0.0.1:9');
    await expect(client.version()).rejects.toThrow(/cannot reach the Ray dashboard at http:\/\/127.0.0.1:9/);
  });
});

// Airflow: a real Airflow (pinned, from PyPI, in .venv-airflow) loads the generated DAG
// with no import errors, has one task per node with the workflow's edges, its schedule
// and its parameters, and runs it with `airflow dags test`. The run record it leaves in
// the shared folder is imported and must match a local run of the same workflow.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { exportWorkflow } from '../../runner/engines/export.ts';
import { syncRunRecords } from '../../runner/engines/sync.ts';
import { EXAMPLE_CHURN, copyWorkflow, tempHome } from '../helpers/home.ts';
import { enginePython, runEssence } from '../helpers/engines-env.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';
import { FAILURES, WARNINGS_AND_PARAMS } from './engines-fixtures.ts';

describe('Airflow: one task per node, run with airflow dags test', () => {
  let engine: Engine;
  let python: string;
  let dags: string;
  let shared: string;
  let env: NodeJS.ProcessEnv;

  function airflow(args: string[], o: { mayFail?: boolean } = {}): string {
    const r = spawnSync(path.join(path.dirname(python), 'airflow'), args, { env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
    if (o.mayFail && r.status === 1) return r.stdout + r.stderr;
    if (r.status !== 0) throw new Error(`airflow ${args.join(' ')} failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-4000)}`);
    return r.stdout;
  }

  /** The last line of JSON `airflow … -o json` printed (log lines come before it). */
  const jsonOut = (text: string): unknown => JSON.parse(text.trim().split('\n').filter((l) => /^[[{]/.test(l)).at(-1) ?? 'null');

  function inspectDag(dagId: string) {
    const script = `
import json
from airflow.dag_processing.dagbag import DagBag
b = DagBag(${JSON.stringify(dags)})
d = b.dags[${JSON.stringify(dagId)}]
tt = d.timetable
print(json.dumps({"errors": {k: str(v) for k, v in b.import_errors.items()}, "cron": getattr(tt, "expression", None) or getattr(tt, "_expression", None),
  "timezone": str(getattr(tt, "timezone", None) or getattr(tt, "_timezone", None) or d.timezone), "catchup": d.catchup,
  "params": {k: {"default": v.value, "schema": v.schema} for k, v in d.params.items()},
  "upstream": {t.task_id: sorted(t.upstream_task_ids) for t in d.tasks}}))`;
    const r = spawnSync(python, ['-c', script], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr.slice(-3000));
    return jsonOut(r.stdout) as { errors: object; cron: string | null; timezone: string; catchup: boolean; params: Record<string, { default: unknown; schema: Record<string, unknown> }>; upstream: Record<string, string[]> };
  }

  beforeAll(async () => {
    python = enginePython('airflow');
    engine = await openTestEngine('airflow', { python });
    const root = tempHome('airflow');
    dags = path.join(root, 'dags');
    shared = path.join(root, 'shared');
    env = {
      ...process.env, AIRFLOW_HOME: path.join(root, 'home'), AIRFLOW__CORE__DAGS_FOLDER: dags, AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
      AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'True', AQUEDUCT_OUTPUT_DIR: path.join(root, 'outputs'),
    };
    fs.mkdirSync(dags, { recursive: true });
    airflow(['db', 'migrate']);
  }, 240_000);
  afterAll(() => engine?.close());

  async function runOnAirflow(folder: string, params: Record<string, string | number> = {}, requirements: string[] = [], fails = false) {
    const exported = await exportWorkflow(folder, { engine: 'airflow', out: dags, sharedDir: shared, requirements });
    const dagId = path.basename(exported.bundleDir);
    airflow(['dags', 'reserialize']);
    expect(jsonOut(airflow(['dags', 'list-import-errors', '-o', 'json'])) ?? []).toEqual([]);
    const listed = jsonOut(airflow(['dags', 'list', '-o', 'json'])) as { dag_id: string }[];
    expect(listed.map((d) => d.dag_id)).toContain(dagId);
    const before = new Set(fs.existsSync(path.join(shared, 'results')) ? fs.readdirSync(path.join(shared, 'results')) : []);
    const out = airflow(['dags', 'test', dagId, '2024-06-03', '-c', JSON.stringify(params)], { mayFail: fails });
    expect(out.includes('DagRun failed'), 'the DAG run fails exactly when the workflow does').toBe(fails);
    const created = fs.readdirSync(path.join(shared, 'results')).filter((f) => f.endsWith('.json') && !before.has(f));
    expect(created).toHaveLength(1);
    const synced = syncRunRecords(engine.store, engine.paths, path.join(shared, 'results', created[0]!));
    expect(synced.imported).toHaveLength(1);
    return { dagId, exported, remote: engine.store.getRun(synced.imported[0]!.runId)! };
  }

  it('loads the churn DAG without import errors, runs it, and matches the local run', async () => {
    const folder = copyWorkflow(EXAMPLE_CHURN, 'af-churn');
    const local = await engine.run(folder, { trigger: 'test' });
    const { dagId, remote } = await runOnAirflow(folder, {}, ['scikit-learn']);
    const dag = inspectDag(dagId);
    expect(dag.errors).toEqual({});
    expect(Object.keys(dag.upstream).sort()).toEqual([...local.nodes.map((n) => n.nodeId), 'aqueduct_run_record'].sort());
    expect(dag.upstream['features']).toEqual(['customers']);
    expect(dag.upstream['no_missing_scores']).toEqual(['predictions']);
    // publishes wait for every other node
    expect(dag.upstream['predictions_csv']).toEqual(['churn_model', 'customers', 'features', 'mean_churn_probability', 'no_missing_scores', 'predictions', 'probabilities_in_range', 'scored_customers']);
    expect(remote.engine).toBe('airflow');
    expect(runEssence(remote, env.AQUEDUCT_OUTPUT_DIR!)).toEqual(runEssence(local, folder));
    expect(fs.readFileSync(path.join(env.AQUEDUCT_OUTPUT_DIR!, 'out/churn_predictions.csv'), 'utf8')).toBe(fs.readFileSync(path.join(folder, 'out/churn_predictions.csv'), 'utf8'));
    expect(remote.nodes.every((n) => n.nodeId === 'predictions_csv' || n.nodeId === 'predictions_duckdb' || !n.artifactPath || fs.existsSync(n.artifactPath))).toBe(true);
  });

  it('carries the schedule and parameters over, and warnings and failures match the local runner', async () => {
    const scheduled = { ...WARNINGS_AND_PARAMS.definition, schedule: { cron: '15 6 * * 1-5', timezone: 'Europe/Berlin' } };
    const folder = makeWorkflow(scheduled, WARNINGS_AND_PARAMS.files, 'af-params');
    const local = await engine.run(folder, { params: WARNINGS_AND_PARAMS.params, trigger: 'test' });
    const { dagId, remote } = await runOnAirflow(folder, WARNINGS_AND_PARAMS.params);
    const dag = inspectDag(dagId);
    expect([dag.cron, dag.timezone, dag.catchup]).toEqual(['15 6 * * 1-5', 'Europe/Berlin', false]);
    expect(dag.params['factor']).toEqual({ default: 1, schema: { type: 'number' } });
    expect(dag.params['day']).toEqual({ default: '2024-03-01', schema: { type: 'string', format: 'date' } });
    expect(remote.params).toMatchObject({ min_amount: 6, factor: 2.5, label: 'big' });
    expect(runEssence(remote, env.AQUEDUCT_OUTPUT_DIR!)).toEqual(runEssence(local, folder));

    const failing = makeWorkflow(FAILURES.definition, FAILURES.files, 'af-failures');
    const localFailed = await engine.run(failing, { trigger: 'test' });
    const failed = await runOnAirflow(failing, {}, [], true);
    expect(failed.remote.status).toBe('failed');
    expect(runEssence(failed.remote, env.AQUEDUCT_OUTPUT_DIR!)).toEqual(runEssence(localFailed, failing));
    // Airflow's own task states say the same: failed nodes failed, skipped nodes skipped
    const dagRunId = String((JSON.parse(fs.readFileSync(path.join(shared, 'results', `${failed.remote.id}.json`), 'utf8')) as { engineRun: { dagRunId: string } }).engineRun.dagRunId);
    const states = Object.fromEntries((jsonOut(airflow(['tasks', 'states-for-dag-run', failed.dagId, dagRunId, '-o', 'json'])) as { task_id: string; state: string }[]).map((t) => [t.task_id, t.state]));
    expect(states).toMatchObject({ broken: 'failed', after_broken: 'skipped', publish_csv: 'skipped', stamped: 'success', aqueduct_run_record: 'failed' });
  });
});

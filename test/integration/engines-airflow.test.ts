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
import { enginePython, logEssence, runEssence } from '../helpers/engines-env.ts';
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

  type DagInfo = { cron: string | null; timezone: string; catchup: boolean; params: Record<string, { default: unknown; schema: Record<string, unknown> }>; upstream: Record<string, string[]> };

  /** What Airflow itself makes of the dags folder (its DagBag), in one process for every DAG. */
  function inspectDags(): { errors: object; dags: Record<string, DagInfo> } {
    const script = `
import json
from airflow.dag_processing.dagbag import DagBag
b = DagBag(${JSON.stringify(dags)})
def info(d):
    tt = d.timetable
    return {"cron": getattr(tt, "expression", None) or getattr(tt, "_expression", None),
            "timezone": str(getattr(tt, "timezone", None) or getattr(tt, "_timezone", None) or d.timezone), "catchup": d.catchup,
            "params": {k: {"default": v.value, "schema": v.schema} for k, v in d.params.items()},
            "upstream": {t.task_id: sorted(t.upstream_task_ids) for t in d.tasks}}
print(json.dumps({"errors": {k: str(v) for k, v in b.import_errors.items()}, "dags": {i: info(d) for i, d in b.dags.items()}}))`;
    const r = spawnSync(python, ['-c', script], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr.slice(-3000));
    return jsonOut(r.stdout) as { errors: object; dags: Record<string, DagInfo> };
  }

  const folders: Record<string, string> = {};
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
    folders.churn = copyWorkflow(EXAMPLE_CHURN, 'af-churn');
    const scheduled = { ...WARNINGS_AND_PARAMS.definition, schedule: { cron: '15 6 * * 1-5', timezone: 'Europe/Berlin' } };
    folders.params = makeWorkflow(scheduled, WARNINGS_AND_PARAMS.files, 'af-params');
    folders.failures = makeWorkflow(FAILURES.definition, FAILURES.files, 'af-failures');
    for (const folder of Object.values(folders)) {
      await exportWorkflow(folder, { engine: 'airflow', out: dags, sharedDir: shared, requirements: ['scikit-learn'] });
    }
    airflow(['db', 'migrate']);
  }, 240_000);
  afterAll(() => engine?.close());

  async function runOnAirflow(dagId: string, params: Record<string, string | number> = {}, fails = false) {
    const before = new Set(fs.existsSync(path.join(shared, 'results')) ? fs.readdirSync(path.join(shared, 'results')) : []);
    const out = airflow(['dags', 'test', dagId, '2024-06-03', '-c', JSON.stringify(params)], { mayFail: fails });
    expect(out.includes('DagRun failed'), 'the DAG run fails exactly when the workflow does').toBe(fails);
    const created = fs.readdirSync(path.join(shared, 'results')).filter((f) => f.endsWith('.json') && !before.has(f));
    expect(created).toHaveLength(1);
    const synced = syncRunRecords(engine.store, engine.paths, path.join(shared, 'results', created[0]!));
    expect(synced.imported).toHaveLength(1);
    return engine.store.getRun(synced.imported[0]!.runId)!;
  }

  it('loads every generated DAG with no import errors: one task per node, the edges, schedule and parameters', () => {
    airflow(['dags', 'reserialize']);
    expect(jsonOut(airflow(['dags', 'list-import-errors', '-o', 'json'])) ?? []).toEqual([]);
    const listed = jsonOut(airflow(['dags', 'list', '-o', 'json'])) as { dag_id: string }[];
    expect(listed.map((d) => d.dag_id).sort()).toEqual(['aqueduct_af_failures', 'aqueduct_af_params', 'aqueduct_customer_churn']);
    const bag = inspectDags();
    expect(bag.errors).toEqual({});
    const churn = bag.dags['aqueduct_customer_churn']!;
    expect(Object.keys(churn.upstream).sort()).toEqual(['aqueduct_run_record', 'churn_by_band', 'churn_model', 'customers', 'features', 'mean_churn_probability', 'no_missing_scores',
      'predictions', 'predictions_csv', 'predictions_duckdb', 'probabilities_in_range', 'scored_customers']);
    expect(churn.upstream['features']).toEqual(['customers']);
    expect(churn.upstream['no_missing_scores']).toEqual(['predictions']);
    // publishes wait for every other node
    expect(churn.upstream['predictions_csv']).toEqual(['churn_by_band', 'churn_model', 'customers', 'features', 'mean_churn_probability', 'no_missing_scores', 'predictions', 'probabilities_in_range', 'scored_customers']);
    expect(churn.cron).toBeNull();
    const scheduled = bag.dags['aqueduct_af_params']!;
    expect([scheduled.cron, scheduled.timezone, scheduled.catchup]).toEqual(['15 6 * * 1-5', 'Europe/Berlin', false]);
    expect(scheduled.params['factor']).toEqual({ default: 1, schema: { type: 'number' } });
    expect(scheduled.params['day']).toEqual({ default: '2024-03-01', schema: { type: 'string', format: 'date' } });
  });

  it('runs the churn example with airflow dags test, and the run matches the local one', async () => {
    const local = await engine.run(folders.churn!, { trigger: 'test' });
    const remote = await runOnAirflow('aqueduct_customer_churn');
    expect(remote.engine).toBe('airflow');
    expect(runEssence(remote, env.AQUEDUCT_OUTPUT_DIR!)).toEqual(runEssence(local, folders.churn!));
    expect(logEssence(engine.store.getLogs(remote.id), env.AQUEDUCT_OUTPUT_DIR!)).toEqual(logEssence(engine.store.getLogs(local.id), folders.churn!));
    expect(fs.readFileSync(path.join(env.AQUEDUCT_OUTPUT_DIR!, 'out/churn_predictions.csv'), 'utf8')).toBe(fs.readFileSync(path.join(folders.churn!, 'out/churn_predictions.csv'), 'utf8'));
    expect(remote.nodes.filter((n) => n.artifactPath).map((n) => n.nodeId).sort()).toEqual(['churn_by_band', 'churn_model', 'customers', 'features', 'predictions']);
  });

  it('parameters from the DAG run, warnings and failures match the local runner', async () => {
    const local = await engine.run(folders.params!, { params: WARNINGS_AND_PARAMS.params, trigger: 'test' });
    const remote = await runOnAirflow('aqueduct_af_params', WARNINGS_AND_PARAMS.params);
    expect(remote.params).toMatchObject({ min_amount: 6, factor: 2.5, label: 'big' });
    expect(runEssence(remote, env.AQUEDUCT_OUTPUT_DIR!)).toEqual(runEssence(local, folders.params!));

    const localFailed = await engine.run(folders.failures!, { trigger: 'test' });
    const failed = await runOnAirflow('aqueduct_af_failures', {}, true);
    expect(failed.status).toBe('failed');
    expect(runEssence(failed, env.AQUEDUCT_OUTPUT_DIR!)).toEqual(runEssence(localFailed, folders.failures!));
    expect(logEssence(engine.store.getLogs(failed.id), env.AQUEDUCT_OUTPUT_DIR!)).toEqual(logEssence(engine.store.getLogs(localFailed.id), folders.failures!));
    // Airflow's own task states say the same: failed nodes failed, skipped nodes skipped
    const dagRunId = String((JSON.parse(fs.readFileSync(path.join(shared, 'results', `${failed.id}.json`), 'utf8')) as { engineRun: { dagRunId: string } }).engineRun.dagRunId);
    const states = Object.fromEntries((jsonOut(airflow(['tasks', 'states-for-dag-run', 'aqueduct_af_failures', dagRunId, '-o', 'json'])) as { task_id: string; state: string }[]).map((t) => [t.task_id, t.state]));
    expect(states).toMatchObject({ broken: 'failed', after_broken: 'skipped', publish_csv: 'skipped', stamped: 'success', aqueduct_run_record: 'failed' });
  });
});

// The Airflow wrapper: a DAG file with one task per node (a PythonOperator calling the
// portable runtime for that node), the workflow's edges as task dependencies, publishes
// after every other node (their rule), the schedule's cron and time zone, and the
// parameters as DAG params. Tables pass between tasks through a shared storage folder.
import fs from 'node:fs';
import path from 'node:path';
import type { BundleManifest } from '../bundle-format.ts';
import { slugOf, type EngineWrapper, type ExportOptions } from '../export.ts';

export const RECORD_TASK = 'aqueduct_run_record';
export const DEFAULT_SHARED_DIR = '/tmp/aqueduct-airflow';

export const dagIdOf = (name: string) => `aqueduct_${slugOf(name)}`;
/** The DAG's tag naming the workflow version it runs: how the app sees that Airflow parsed a deploy. */
export const versionTag = (hash: string) => `aqueduct:${hash}`;

/** A JSON-like value as a Python literal. */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'None';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
}

const JSON_TYPE: Record<string, string> = { string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', date: 'string' };

function paramLine(name: string, p: BundleManifest['parameters'][string]): string {
  const type = p.default === null || p.default === undefined ? [JSON_TYPE[p.type]!, 'null'] : JSON_TYPE[p.type]!;
  const extra = p.type === 'date' ? ', format="date"' : '';
  const description = p.description ? `, description=${py(p.description)}` : '';
  return `        ${JSON.stringify(name)}: Param(${py(p.default ?? null)}, type=${py(type)}${extra}${description}),`;
}

/** Airflow settings from the workflow's schedule (catch-up each → catchup=True; skip/once → False). */
function scheduleArgs(m: BundleManifest): string[] {
  const s = m.schedule;
  if (!s) return ['    schedule=None,', '    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),', '    catchup=False,'];
  return [
    `    schedule=${py(s.cron)},`,
    `    start_date=pendulum.datetime(2024, 1, 1, tz=${py(s.timezone ?? 'UTC')}),`,
    `    catchup=${py(s.catchup === 'each')},`,
    `    is_paused_upon_creation=${py(s.paused)},`,
  ];
}

export function dagSource(m: BundleManifest, o: { dagId: string; bundleDirName: string; sharedDir: string }): string {
  const publishes = m.nodes.filter((n) => n.kind === 'publish').map((n) => n.id);
  const others = m.nodes.filter((n) => n.kind !== 'publish').map((n) => n.id);
  const edges: string[] = [];
  for (const n of m.nodes) for (const up of n.inputs) edges.push(`    tasks[${py(up)}] >> tasks[${py(n.id)}]`);
  for (const p of publishes) for (const other of others) {
    if (!m.nodes.find((n) => n.id === p)!.inputs.includes(other)) edges.push(`    tasks[${py(other)}] >> tasks[${py(p)}]  # publishes run last`);
  }
  const env = slugOf(m.workflow.name).toUpperCase();
  return `"""Aqueduct workflow ${JSON.stringify(m.workflow.name)}, version ${m.version.hash}: exported by Aqueduct desktop.

One Airflow task per node; each calls Aqueduct's portable runtime (in ./${o.bundleDirName}/) for
that node, with the desktop app's semantics. Tables pass between tasks through the shared
folder, which every worker must reach. Edit the workflow in Aqueduct and export again.
"""
import os
import sys

import pendulum

try:
    from airflow.sdk import DAG, Param
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models.param import Param
try:
    from airflow.providers.standard.operators.python import PythonOperator
except ImportError:  # Airflow 2
    from airflow.operators.python import PythonOperator

BUNDLE = os.environ.get("AQUEDUCT_BUNDLE_${env}") or os.path.join(os.path.dirname(os.path.abspath(__file__)), ${py(o.bundleDirName)})
SHARED = os.environ.get("AQUEDUCT_SHARED_DIR") or ${py(o.sharedDir)}
OUTPUT = os.environ.get("AQUEDUCT_OUTPUT_DIR") or None  # relative publish paths: default <shared>/outputs


def _runtime():
    # imported when a task runs, never while Airflow parses this file
    if BUNDLE not in sys.path:
        sys.path.insert(0, BUNDLE)
    from aqueduct_runtime import airflow_tasks

    return airflow_tasks


def run_node(node_id, **context):
    return _runtime().run_node(BUNDLE, SHARED, node_id, context, OUTPUT)


def write_run_record(**context):
    return _runtime().finish_run(BUNDLE, SHARED, context, OUTPUT)


with DAG(
    dag_id=${py(o.dagId)},
    description=${py(m.workflow.description ?? `Aqueduct workflow ${m.workflow.name}`)},
${scheduleArgs(m).join('\n')}
    max_active_runs=1,
    tags=["aqueduct", ${py(versionTag(m.version.hash))}],
    default_args={"retries": 0},
    params={
${Object.entries(m.parameters).map(([k, p]) => paramLine(k, p)).join('\n')}
    },
) as dag:
    tasks = {}
${m.nodes.map((n) => `    tasks[${py(n.id)}] = PythonOperator(task_id=${py(n.id)}, python_callable=run_node, op_kwargs={"node_id": ${py(n.id)}}, trigger_rule="all_done")`).join('\n')}
    record = PythonOperator(task_id=${py(RECORD_TASK)}, python_callable=write_run_record, trigger_rule="all_done")
${edges.join('\n')}
    list(tasks.values()) >> record
`;
}

export const airflowWrapper: EngineWrapper = {
  bundleDir: (out, def) => path.join(out, dagIdOf(def.name)),
  async write(out: string, bundleDir: string, m: BundleManifest, o: ExportOptions) {
    const dagId = dagIdOf(m.workflow.name);
    const file = path.join(out, `${dagId}.py`);
    const sharedDir = o.sharedDir ? path.resolve(o.sharedDir) : DEFAULT_SHARED_DIR;
    fs.writeFileSync(file, dagSource(m, { dagId, bundleDirName: path.basename(bundleDir), sharedDir }));
    // Airflow must not parse the bundle's own Python files as DAGs
    const ignore = path.join(out, '.airflowignore');
    const lines = new Set(fs.existsSync(ignore) ? fs.readFileSync(ignore, 'utf8').split('\n').filter(Boolean) : []);
    lines.add(`${path.basename(bundleDir)}/`);
    fs.writeFileSync(ignore, [...lines].join('\n') + '\n');
    const notes = [`copy ${dagId}.py, ${path.basename(bundleDir)}/ and .airflowignore into the dags folder; install ${path.basename(bundleDir)}/requirements.txt on the workers`];
    if (m.schedule?.catchup === 'once') notes.push('schedule catch-up "once" has no Airflow equivalent: the DAG does not catch up');
    if (m.schedule?.overlap === 'cancel') notes.push('schedule overlap "cancel" has no Airflow equivalent: runs queue (max_active_runs=1)');
    if (!o.sharedDir) notes.push(`tables and run records go to ${DEFAULT_SHARED_DIR} (set --shared-dir, or AQUEDUCT_SHARED_DIR on the workers, to storage every worker reaches)`);
    return { files: [file, ignore], notes };
  },
};

// Airflow as a remote engine the app deploys to and runs on. Deploy writes the DAG and its
// bundle into the DAGs folder (dags-folder.ts), saves the workflow's data connections as
// Airflow connections (the engine's secret store: the bundle never holds a secret), waits
// until the DAG processor has parsed this version (its tag names it) or reports the
// import error, and pauses or unpauses the DAG as the workflow's schedule says. Runs are
// started, followed and stopped through the REST API v2; when a run ends, the run record
// the last task pushed as an XCom brings statuses, logs, metrics and checks back.
import { connectionType, secretFields } from '../../connections/types.ts';
import type { ConnectionConfig } from '../../connectors/types.ts';
import type { DeploymentRecord } from '../../store/deployment-records.ts';
import type { NodeStatus } from '../../api/types.ts';
import type { AirflowTarget, EngineTarget } from '../engine-targets.ts';
import { slugOf } from '../export.ts';
import { RemoteEngineError, type DeployInput, type DeployOutcome, type DiscoveredRun, type RemoteEngine, type RemoteSnapshot } from '../remote-engine.ts';
import { airflowRunId } from '../run-ids.ts';
import { AirflowClient, ms, type AirflowTaskInstance } from './client.ts';
import { RECORD_TASK, versionTag } from './dag.ts';
import { removeDagFiles, writeDagFiles } from './dags-folder.ts';

/** The XCom key the record task pushes the run record under (airflow_tasks.py RECORD_XCOM). */
export const RECORD_XCOM = 'aqueduct_record';
/** How long deploy waits for the DAG processor (a new file is found on its refresh interval, 5 min by default). */
export const PARSE_TIMEOUT_MS = Number(process.env.AQUEDUCT_AIRFLOW_PARSE_TIMEOUT_MS ?? 6 * 60_000);

export const airflowConnId = (name: string) => `aqueduct_${slugOf(name, 200)}`;

const asAirflow = (t: EngineTarget): AirflowTarget => {
  if (t.type !== 'airflow') throw new Error(`not an airflow target: ${t.type}`);
  return t;
};

export function airflowClient(t: AirflowTarget): AirflowClient {
  return new AirflowClient(t.url, { username: t.username, password: t.password });
}

/** A data connection as an Airflow connection: the usual fields where Airflow has them, the rest in extra. */
function asAirflowConnection(name: string, cfg: ConnectionConfig) {
  const { type, host, port, user, password, database, ...rest } = cfg;
  return {
    connection_id: airflowConnId(name), conn_type: type, host: host ?? null, port: port === undefined ? null : Number(port), login: user ?? null,
    password: password ?? null, schema: database ?? null, extra: JSON.stringify(rest),
  };
}

/** What a bundle may say about a connection: its settings without a secret, and where Airflow keeps the rest. */
function publicSettings(name: string, cfg: ConnectionConfig | undefined): Record<string, unknown> | undefined {
  if (!cfg) return undefined;
  const hidden = new Set(secretFields(cfg.type));
  const out = Object.fromEntries(Object.entries(cfg).filter(([k]) => !hidden.has(k) && k !== 'password'));
  return { ...out, type: connectionType(cfg.type)?.type ?? cfg.type, airflowConnId: airflowConnId(name) };
}

const STATE: Record<string, NodeStatus> = {
  running: 'running', up_for_retry: 'running', restarting: 'running', deferred: 'running',
  success: 'succeeded', failed: 'failed', skipped: 'skipped', upstream_failed: 'skipped', removed: 'skipped',
};

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

export const airflowEngine: RemoteEngine = {
  async deploy(input: DeployInput): Promise<DeployOutcome> {
    const t = asAirflow(input.target);
    if (!t.dagsFolder) {
      throw new RemoteEngineError(`the airflow connection "${t.connection}" has no dagsFolder`, 'set dagsFolder to the folder Airflow reads DAGs from (a mounted or synced folder this machine can write)');
    }
    const client = airflowClient(t);
    await client.health();
    const connIds: string[] = [];
    for (const [name, cfg] of Object.entries(input.secrets)) {
      await client.putConnection(asAirflowConnection(name, cfg));
      connIds.push(airflowConnId(name));
    }
    const started = Date.now();
    const files = await writeDagFiles(t.dagsFolder, input.workflow, {
      sharedDir: t.sharedDir, requirements: input.requirements, connectionSettings: (name) => publicSettings(name, input.secrets[name]),
    });
    input.log?.(`wrote ${files.dagFile}; waiting for Airflow to parse it`);
    const dag = await waitParsed(client, files.dagId, files.manifest.version.hash, started, input.signal);
    const paused = input.workflow.definition.schedule?.paused ?? false;
    if (dag.is_paused !== paused) await client.setPaused(files.dagId, paused);
    const notes = [`Airflow parsed DAG ${files.dagId} (${paused ? 'paused' : 'unpaused'})`];
    if (!t.sharedDir) notes.push('tables pass between tasks through /tmp/aqueduct-airflow on the workers: set sharedDir on the connection when tasks run on several machines');
    return { versionHash: files.manifest.version.hash, remoteId: files.dagId, detail: { dagsFolder: t.dagsFolder, connIds, paused, dagFile: files.dagFile }, notes };
  },

  async undeploy(d: DeploymentRecord, target: EngineTarget): Promise<string[]> {
    const t = asAirflow(target);
    const notes: string[] = [];
    const folder = (d.detail['dagsFolder'] as string | undefined) ?? t.dagsFolder;
    if (folder) removeDagFiles(folder, d.remoteId);
    const client = airflowClient(t);
    if (!(await client.deleteDag(d.remoteId))) notes.push(`Airflow had no DAG ${d.remoteId} any more`);
    for (const id of (d.detail['connIds'] as string[] | undefined) ?? []) {
      if (!((d.detail['keepConnIds'] as string[] | undefined) ?? []).includes(id)) await client.deleteConnection(id);
    }
    return notes;
  },

  async trigger(d: DeploymentRecord, target: EngineTarget, run) {
    const client = airflowClient(asAirflow(target));
    const dag = await client.dag(d.remoteId);
    if (!dag) throw new RemoteEngineError(`Airflow has no DAG ${d.remoteId}`, 'deploy the workflow again (its DAG file may have been removed)');
    if (dag.is_paused) throw new RemoteEngineError(`DAG ${d.remoteId} is paused in Airflow, so a run would wait`, 'unpause it in Airflow, or set schedule.paused: false in the workflow and deploy again');
    const dagRunId = `aqueduct__${new Date().toISOString()}__${run.runId.slice(0, 8)}`;
    await client.trigger(d.remoteId, dagRunId, run.params);
    return { engineRef: dagRunId, runId: airflowRunId(d.remoteId, dagRunId) };
  },

  async poll(d: DeploymentRecord, target: EngineTarget, dagRunId: string): Promise<RemoteSnapshot> {
    const client = airflowClient(asAirflow(target));
    const [run, tis] = await Promise.all([client.dagRun(d.remoteId, dagRunId), client.taskInstances(d.remoteId, dagRunId)]);
    const nodes = Object.fromEntries(tis.filter((ti) => ti.task_id !== RECORD_TASK).map((ti) => [ti.task_id, nodeState(ti)]));
    if (run.state !== 'success' && run.state !== 'failed') return { state: run.state === 'queued' ? 'queued' : 'running', nodes };
    const raw = await client.xcom(d.remoteId, dagRunId, RECORD_TASK, RECORD_XCOM);
    if (typeof raw === 'string') {
      try {
        return { state: 'finished', nodes, record: JSON.parse(raw) };
      } catch {
        // not JSON: told below as a run without a record
      }
    }
    // no record (the record task never ran, or was killed): what Airflow itself says
    const recordTi = tis.find((ti) => ti.task_id === RECORD_TASK);
    const logs = [];
    for (const ti of tis.filter((x) => x.state === 'failed' && x.try_number > 0)) {
      for (const l of await client.taskLog(d.remoteId, dagRunId, ti.task_id, ti.try_number)) {
        logs.push({ nodeId: ti.task_id === RECORD_TASK ? undefined : ti.task_id, line: l.line, stream: l.stdout ? 'stdout' as const : 'system' as const, ts: l.ts ?? Date.now() });
      }
    }
    return {
      state: 'finished', nodes, logs,
      outcome: { status: run.state === 'success' ? 'succeeded' : 'failed', error: `Airflow run ${dagRunId} ended (${run.state}) without a run record (task ${RECORD_TASK}: ${recordTi?.state ?? 'not run'})` },
    };
  },

  async cancel(d: DeploymentRecord, target: EngineTarget, dagRunId: string): Promise<void> {
    await airflowClient(asAirflow(target)).setRunState(d.remoteId, dagRunId, 'failed');
  },

  async discover(d: DeploymentRecord, target: EngineTarget): Promise<DiscoveredRun[]> {
    const runs = await airflowClient(asAirflow(target)).dagRuns(d.remoteId, 10);
    return runs.map((r) => ({
      engineRef: r.dag_run_id, runId: airflowRunId(d.remoteId, r.dag_run_id), createdAt: ms(r.queued_at ?? r.run_after) ?? Date.now(),
      trigger: `airflow:${r.run_type ?? 'run'}`, params: Object.fromEntries(Object.entries(r.conf ?? {}).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) as DiscoveredRun['params'],
    }));
  },
};

function nodeState(ti: AirflowTaskInstance) {
  return { status: (ti.state && STATE[ti.state]) || 'pending', startedAt: ms(ti.start_date), finishedAt: ms(ti.end_date), attempts: Math.max(ti.try_number, ti.state ? 1 : 0) };
}

/** Waits until Airflow serves the DAG at this version, or has an import error for its file. */
async function waitParsed(client: AirflowClient, dagId: string, hash: string, since: number, signal?: AbortSignal) {
  const deadline = Date.now() + PARSE_TIMEOUT_MS;
  let asked = false;
  for (;;) {
    const dag = await client.dag(dagId);
    if (dag?.tags.some((t) => t.name === versionTag(hash))) return dag;
    const failed = (await client.importErrors()).find((e) => e.filename.endsWith(`/${dagId}.py`) && Date.parse(e.timestamp) >= since - 2000);
    if (failed) {
      const last = failed.stack_trace.trim().split('\n').filter(Boolean).at(-1) ?? 'an import error';
      throw new RemoteEngineError(`Airflow could not import ${dagId}.py: ${last}`, 'install the bundle\'s requirements.txt on the Airflow workers and DAG processor, then deploy again', failed.stack_trace);
    }
    // a redeploy: ask for the changed file to be parsed now rather than on the next round
    if (dag?.file_token && !asked) {
      asked = true;
      await client.reparse(dag.file_token).catch(() => undefined);
    }
    if (Date.now() > deadline || signal?.aborted) {
      throw new RemoteEngineError(`Airflow has not picked up ${dagId}.py after ${Math.round(PARSE_TIMEOUT_MS / 60_000)} min`, 'check that dagsFolder is the folder Airflow reads DAGs from and that its DAG processor runs');
    }
    await sleep(1000);
  }
}

// A deployment as the Engines screen and `aqueduct engines deployments` show it: where it
// went, which version is there against the workflow's version on disk now ("out of date"
// when they differ), and the last run the app knows of it.
import type { RunSummary } from '../api/types.ts';
import { versionOf } from '../exec/plan.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import type { DeploymentRecord, DeploymentRecords } from '../store/deployment-records.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { EngineConnectionService } from './engine-connections.ts';
import { whereOf } from './engine-targets.ts';

export interface DeploymentView {
  id: string;
  workflowId: string;
  workflowName: string;
  folder: string;
  connection: string;
  engine: DeploymentRecord['engine'];
  /** where the engine connection points; empty when the connection was removed */
  where: string;
  /** what the engine calls it: the DAG id, the Kubernetes name, the Ray package */
  remoteId: string;
  deployedVersion: string;
  deployedAt: number;
  /** the workflow's version on disk now (absent: the folder does not load) */
  localVersion?: string;
  localProblem?: string;
  outOfDate: boolean;
  paused?: boolean;
  /** the last deploy's failure (an Airflow import error) */
  problem?: string;
  lastRun?: RunSummary;
}

export function describeDeployment(d: DeploymentRecord, o: { store: MetadataStore; records: DeploymentRecords; connections: EngineConnectionService }): DeploymentView {
  const w = o.store.getWorkflow(d.workflowId);
  let localVersion: string | undefined;
  let localProblem: string | undefined;
  try {
    localVersion = versionOf(loadWorkflowOrThrow(w?.folder ?? '')).hash;
  } catch (e) {
    localProblem = (e as Error).message.split('\n')[0];
  }
  let where = '';
  try {
    where = whereOf(o.connections.get(d.connection));
  } catch {
    // the engine connection was deleted: the screen says so
  }
  const lastRunId = o.records.lastRunId(d.id);
  return {
    id: d.id, workflowId: d.workflowId, workflowName: w?.name ?? '(deleted workflow)', folder: w?.folder ?? '', connection: d.connection, engine: d.engine,
    where, remoteId: d.remoteId, deployedVersion: d.versionHash, deployedAt: d.deployedAt, localVersion, localProblem,
    outOfDate: localVersion !== undefined && localVersion !== d.versionHash,
    paused: typeof d.detail['paused'] === 'boolean' ? d.detail['paused'] : undefined,
    problem: d.problem, lastRun: lastRunId ? o.store.getRunSummary(lastRunId) : undefined,
  };
}

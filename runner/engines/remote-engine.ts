// What the app asks of each remote engine it deploys to (Airflow, Ray, Kubernetes): put a
// workflow version there, take it away, start a run, say how a run is doing, stop it.
// The engine service and the remote-run watcher speak only this; each engine's folder
// holds its adapter.
import type { NodeStatus, ParamValue } from '../api/types.ts';
import type { ConnectionConfig } from '../connectors/types.ts';
import type { Workflow } from '../spec/workflow.ts';
import type { DeploymentRecord } from '../store/deployment-records.ts';
import type { EngineTarget } from './engine-targets.ts';
import type { RunRecord } from './run-record.ts';

export interface DeployInput {
  workflow: Workflow;
  target: EngineTarget;
  /** the deployment being replaced, if any */
  previous?: DeploymentRecord;
  /** the data connections the workflow reads or publishes through, secrets opened: for the engine's secret store only */
  secrets: Record<string, ConnectionConfig>;
  /** extra pip requirement lines */
  requirements?: string[];
  /** the app folder (for what the app keeps of a deployment, e.g. Ray's package) */
  home: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface DeployOutcome {
  versionHash: string;
  /** what the engine calls the deployed workflow (a DAG id, a Kubernetes name, a Ray package) */
  remoteId: string;
  detail: Record<string, unknown>;
  notes: string[];
}

export interface RemoteNodeState {
  status: NodeStatus;
  startedAt?: number;
  finishedAt?: number;
  attempts?: number;
}

/** How a remote run is doing, as far as the engine says. */
export interface RemoteSnapshot {
  state: 'queued' | 'running' | 'finished';
  nodes: Record<string, RemoteNodeState>;
  /** when finished: the run record the runtime left (checked before it touches the store) */
  record?: unknown;
  /** a folder the record's table artifacts are relative to (tables brought back), if any */
  tablesDir?: string;
  /** when finished without a record: how it ended and why */
  outcome?: { status: 'failed' | 'cancelled' | 'succeeded'; error?: string };
  /** log lines the engine gave (used when there is no record) */
  logs?: { nodeId?: string; line: string; stream: 'stdout' | 'stderr' | 'system'; ts: number }[];
  /** clean up what the snapshot brought (a temp folder of tables) */
  dispose?: () => void;
}

export interface TriggerInput {
  /** the run id the app gives the run, when the engine lets it choose */
  runId: string;
  params: Record<string, ParamValue>;
}

/** A run the engine started on its own (a schedule), found when the app looks. */
export interface DiscoveredRun {
  engineRef: string;
  runId: string;
  createdAt: number;
  trigger: string;
  params: Record<string, ParamValue>;
}

export interface RemoteEngine {
  deploy(input: DeployInput): Promise<DeployOutcome>;
  /** removes everything deploy made; returns notes on what could not be removed */
  undeploy(d: DeploymentRecord, target: EngineTarget): Promise<string[]>;
  /** starts a run; returns the engine's id for it and the run id the runtime will record */
  trigger(d: DeploymentRecord, target: EngineTarget, run: TriggerInput): Promise<{ engineRef: string; runId: string }>;
  poll(d: DeploymentRecord, target: EngineTarget, engineRef: string, runId: string): Promise<RemoteSnapshot>;
  cancel(d: DeploymentRecord, target: EngineTarget, engineRef: string): Promise<void>;
  /** recent runs of the deployment the engine started by itself */
  discover?(d: DeploymentRecord, target: EngineTarget): Promise<DiscoveredRun[]>;
}

/** A failure talking to a remote engine, told in one sentence with what to do. */
export class RemoteEngineError extends Error {
  constructor(message: string, readonly fix?: string, readonly detail?: string) {
    super(message);
    this.name = 'RemoteEngineError';
  }
}

export type { RunRecord };

// The records every UI, the CLI and remote engines exchange with the runner. Types only:
// the renderer imports this file, so nothing here may pull in Node modules.

export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'succeeded_with_warnings'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

export type NodeStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'warning'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'interrupted';

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'succeeded_with_warnings',
  'failed',
  'cancelled',
  'interrupted',
];

export type RunKind = 'run' | 'preview';

export type ParamValue = string | number | boolean | null;

export interface WorkflowSummary {
  id: string;
  folder: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  lastRun?: RunSummary;
  /** who answers for it: the file's owner:, else the user named in Settings (ownerIsDefault) */
  owner?: Person;
  ownerIsDefault?: boolean;
  /** more people told about its failures */
  watchers?: string[];
}

export interface Person {
  name: string;
  email: string;
}

export interface RunSummary {
  id: string;
  workflowId: string;
  workflowName?: string;
  versionHash: string;
  kind: RunKind;
  targetNode?: string;
  trigger: string;
  params: Record<string, ParamValue>;
  status: RunStatus;
  engine: string;
  error?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface NodeError {
  message: string;
  /** the Python traceback or the SQL error detail */
  detail?: string;
  /** what the user can do about it */
  fix?: string;
}

export interface NodeRunRecord {
  runId: string;
  nodeId: string;
  kind: string;
  status: NodeStatus;
  attempts: number;
  startedAt?: number;
  finishedAt?: number;
  cacheKey?: string;
  /** set when the output was reused from an earlier run's identical node */
  cachedFrom?: string;
  artifactPath?: string;
  rows?: number;
  bytes?: number;
  columns?: ColumnInfo[];
  /** scalar result of python/metric/check nodes */
  value?: ParamValue;
  error?: NodeError;
}

export interface LogLine {
  runId: string;
  nodeId?: string;
  ts: number;
  stream: 'stdout' | 'stderr' | 'system';
  line: string;
}

export interface MetricValue {
  runId: string;
  nodeId: string;
  value: number | null;
  lower?: number;
  upper?: number;
  passed: boolean;
  ts: number;
}

export interface CheckResult {
  runId: string;
  nodeId: string;
  passed: boolean;
  severity: 'error' | 'warning';
  message?: string;
  ts: number;
}

export interface Publication {
  runId: string;
  nodeId: string;
  destination: string;
  connection?: string;
  target: string;
  mode: string;
  rows: number;
  ts: number;
}

export interface RunDetail extends RunSummary {
  nodes: NodeRunRecord[];
  metrics: MetricValue[];
  checks: CheckResult[];
  publications: Publication[];
}

export interface Preview {
  runId: string;
  nodeId: string;
  columns: ColumnInfo[];
  rows: Record<string, unknown>[];
  totalRows: number;
}

export type RunEvent =
  | { type: 'run_started'; run: RunSummary }
  | { type: 'node_started'; runId: string; nodeId: string; attempt: number; ts: number }
  | { type: 'node_log'; log: LogLine }
  | { type: 'node_finished'; node: NodeRunRecord }
  | { type: 'run_finished'; run: RunSummary };

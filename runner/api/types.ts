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

/** What a browser offers when opening the API's WebSocket: the protocol, and the token beside it (never in the URL). */
export type ApiSocketProtocols = ['aqueduct', `aqueduct-token.${string}`];

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
  /** the Python packages' lock (requirements.lock) the run used, when it ran in the workflow's own environment */
  lockHash?: string;
  /** the Python version of that environment */
  pythonVersion?: string;
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
  /** the warning band, when the metric has one besides its bounds */
  warnLower?: number;
  warnUpper?: number;
  passed: boolean;
  ts: number;
  /** the parameters of the run that gave it (metric history only) */
  params?: Record<string, ParamValue>;
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

export type EnvPhase = 'tool' | 'lock' | 'venv' | 'install' | 'verify' | 'ready' | 'failed' | 'cancelled';

/** One step (or one line of tool output) of locking and building a workflow's Python environment. */
export interface EnvProgress {
  folder: string;
  phase: EnvPhase;
  /** the step, e.g. "installing 14 locked packages" */
  message: string;
  /** a line of uv's or pip's output (also in the build log) */
  line?: string;
  ts: number;
}

export interface DeclaredPackage {
  name: string;
  /** version specifiers as written, e.g. ">=0.9" */
  spec: string;
  line: string;
  /** the version the lock pins (several when it differs by Python version or platform) */
  locked?: string;
}

/** A workflow's Python environment as the Packages panel and `aqueduct env status` show it. */
export interface EnvStatus {
  workflowId: string;
  /** app: the app-owned environment built from requirements.txt; interpreter: a Python the user prepared */
  mode: 'app' | 'interpreter';
  /** whether the user chose the mode, or it follows from the folder (requirements.txt present or not) */
  modeChosen: boolean;
  /** the interpreter Python nodes run on (interpreter mode), or the one environments are built from (app mode) */
  interpreter: string;
  /** the user's own interpreter for this workflow, when set */
  ownInterpreter?: string;
  requirementsFile: boolean;
  declared: DeclaredPackage[];
  /** lines of requirements.txt that are not plain packages (options, paths, URLs), kept as written */
  otherLines: string[];
  lock?: { hash: string; current: boolean; packages: { name: string; version: string; marker?: string }[] };
  /** app mode: whether the environment for the current lock is built */
  env?: { state: 'ready' | 'missing' | 'unlocked'; python?: string; pythonVersion?: string };
  building: boolean;
  progress?: EnvProgress;
  /** the last build's failure, in one sentence */
  error?: string;
  /** interpreter mode: the pandas/pyarrow check of that interpreter */
  check?: { ok: boolean; message?: string; lacksPackages?: boolean; version?: string };
  /** where the last build log is */
  logFile: string;
}

export interface PackageChange {
  name: string;
  /** absent: added in the second run */
  from?: string;
  /** absent: removed in the second run */
  to?: string;
}

export type RunEvent =
  | { type: 'run_started'; run: RunSummary }
  | { type: 'node_started'; runId: string; nodeId: string; attempt: number; ts: number }
  | { type: 'node_log'; log: LogLine }
  | { type: 'node_finished'; node: NodeRunRecord }
  | { type: 'run_finished'; run: RunSummary };

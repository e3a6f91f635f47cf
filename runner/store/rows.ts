// SQLite rows (snake_case, JSON in text columns) to the API's records.
import type {
  CheckResult,
  MetricValue,
  NodeRunRecord,
  ParamValue,
  Publication,
  RunSummary,
  WorkflowSummary,
} from '../api/types.ts';

export type Row = Record<string, unknown>;

const opt = <T>(v: unknown, f: (x: unknown) => T): T | undefined => (v === null || v === undefined ? undefined : f(v));
const json = (v: unknown) => JSON.parse(String(v));

export function mapWorkflow(r: Row): WorkflowSummary {
  return {
    id: String(r.id),
    folder: String(r.folder),
    name: String(r.name),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    ...(r.owner_email != null ? { owner: { name: String(r.owner_name ?? r.owner_email), email: String(r.owner_email) } } : {}),
    ...(r.watchers != null && r.watchers !== '[]' ? { watchers: json(r.watchers) as string[] } : {}),
  };
}

export function mapRun(r: Row): RunSummary {
  return {
    id: String(r.id),
    workflowId: String(r.workflow_id),
    workflowName: opt(r.workflow_name, String),
    versionHash: String(r.version_hash),
    kind: r.kind as RunSummary['kind'],
    targetNode: opt(r.target_node, String),
    trigger: String(r.trigger),
    params: json(r.params),
    status: r.status as RunSummary['status'],
    engine: String(r.engine),
    lockHash: opt(r.lock_hash, String),
    pythonVersion: opt(r.python_version, String),
    error: opt(r.error, String),
    createdAt: Number(r.created_at),
    startedAt: opt(r.started_at, Number),
    finishedAt: opt(r.finished_at, Number),
  };
}

export function mapNodeRun(r: Row): NodeRunRecord {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    kind: String(r.kind),
    status: r.status as NodeRunRecord['status'],
    attempts: Number(r.attempts),
    startedAt: opt(r.started_at, Number),
    finishedAt: opt(r.finished_at, Number),
    cacheKey: opt(r.cache_key, String),
    cachedFrom: opt(r.cached_from, String),
    artifactPath: opt(r.artifact_path, String),
    rows: opt(r.rows, Number),
    bytes: opt(r.bytes, Number),
    columns: opt(r.columns, json),
    value: opt(r.value, json),
    error: opt(r.error, json),
  };
}

export function mapMetric(r: Row): MetricValue {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    value: r.value === null ? null : Number(r.value),
    lower: opt(r.lower, Number),
    upper: opt(r.upper, Number),
    warnLower: opt(r.warn_lower, Number),
    warnUpper: opt(r.warn_upper, Number),
    passed: Boolean(r.passed),
    ts: Number(r.ts),
    ...(typeof r.run_params === 'string' ? { params: JSON.parse(r.run_params) as Record<string, ParamValue> } : {}),
  };
}

export function mapCheck(r: Row): CheckResult {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    passed: Boolean(r.passed),
    severity: r.severity as CheckResult['severity'],
    message: opt(r.message, String),
    ts: Number(r.ts),
  };
}

export function mapPublication(r: Row): Publication {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    destination: String(r.destination),
    connection: opt(r.connection, String),
    target: String(r.target),
    mode: String(r.mode),
    rows: Number(r.rows),
    ts: Number(r.ts),
  };
}

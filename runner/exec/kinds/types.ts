// What a node kind gets to do its work, and what it hands back. Kinds never touch the
// store or the event bus: the executor records and announces their outcome.
import type { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo, NodeError, NodeRunRecord, ParamValue } from '../../api/types.ts';
import type { DeliveryLedger } from '../../deliveries/ledger.ts';
import type { LoadedNode, Workflow } from '../../spec/workflow.ts';
import type { PythonPool } from '../python/pool.ts';
import type { ConnectionConfig, StagedPublish } from '../../connectors/types.ts';
import type { StagingArea } from '../../connectors/staging.ts';
import type { RunHistory } from '../../monitor/history.ts';

export interface TableRef {
  path: string;
  columns: ColumnInfo[];
  rows: number;
}

export interface NodeContext {
  runId: string;
  workflow: Workflow;
  node: LoadedNode;
  params: Record<string, ParamValue>;
  /** upstream tables by node id */
  inputs: Map<string, TableRef>;
  /** where a table output must be written */
  outputPath: string;
  duck: DuckDBInstance;
  python: () => PythonPool;
  signal: AbortSignal;
  log: (stream: 'stdout' | 'stderr' | 'system', line: string) => void;
  resolveConnection: (name: string) => Promise<ConnectionConfig>;
  /** the records of the upstream nodes in this run (metric values, figures, reports) */
  upstream: Map<string, NodeRunRecord>;
  /** where deliveries to people are claimed and recorded, so one run never sends twice */
  deliveries: DeliveryLedger;
  /** the workflow's earlier runs, for history-based checks and learned metric bounds */
  history?: RunHistory;
  /** shared by the run's publishes while they are staged */
  staging: StagingArea;
  /** a preview: publishes say what they would do and write nothing */
  preview: boolean;
}

export type NodeOutcome =
  | { type: 'table'; table: TableRef; bytes: number }
  | { type: 'check'; passed: boolean; message?: string; value: ParamValue }
  | {
      type: 'metric';
      value: number | null;
      passed: boolean;
      message?: string;
      /** outside the warning band only: a warning whatever the metric's severity */
      warningOnly?: boolean;
      /** the bands as resolved in this run (parameters and history applied) */
      bounds?: { lower?: number; upper?: number };
      warnBounds?: { lower?: number; upper?: number };
    }
  | { type: 'staged'; staged: StagedPublish; destination: string; connection?: string; mode: string }
  | { type: 'would_publish'; target: string; rows: number; mode: string }
  /** a report delivered to people (email, slack, folder): sent at once, never staged */
  | { type: 'published'; destination: string; target: string; rows: number; connection?: string; mode: string; warning?: string; delivered?: boolean }
  /** a python node's figure (PNG) for a report */
  | { type: 'figure'; path: string; bytes: number }
  /** a report rendered to HTML and PDF in the run's folder (see reports/report-files.ts) */
  | { type: 'report'; bytes: number }
  /** nothing to do, and that is fine (an optional delivery without its connection) */
  | { type: 'skipped'; reason: string };

/** A failure with what the user needs: message, detail (traceback, SQL error) and fix. */
export class NodeFailure extends Error {
  constructor(
    message: string,
    readonly detail?: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'NodeFailure';
  }

  toNodeError(): NodeError {
    return { message: this.message, detail: this.detail, fix: this.fix };
  }
}

/**
 * A publish whose staging was stopped by its run (a cancel, its timeout, or another publish
 * failing): not a fault of its own, so the executor reports why the run stopped it.
 */
export class PublishStopped extends NodeFailure {}

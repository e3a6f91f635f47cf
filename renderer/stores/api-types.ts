// The records the renderer receives, named once. All of them are the runner's own types
// (imported as types only, so no runner code reaches the browser bundle).
import type { WorkflowFile, NodeKind, ParameterSpec } from '../../runner/spec/schema.ts';
import type { LoadedNode, SpecProblem } from '../../runner/spec/workflow.ts';
import type { WorkflowSummary } from '../../runner/api/types.ts';

export type {
  CheckResult,
  ColumnInfo,
  LogLine,
  MetricValue,
  NodeError,
  NodeRunRecord,
  NodeStatus,
  ParamValue,
  Preview,
  RunDetail,
  RunEvent,
  RunStatus,
  RunSummary,
  WorkflowSummary,
} from '../../runner/api/types.ts';
export type { WorkflowFile, NodeKind, ParameterSpec, LoadedNode, SpecProblem };

/** What `workflows.get` answers: the definition, each node with its code, and any problems. */
export interface WorkflowDetail {
  summary: WorkflowSummary;
  /** null when workflow.yaml does not match the schema (see `problems`) */
  definition: WorkflowFile | null;
  /** the YAML as written, for what the schema rejected */
  raw: unknown;
  nodes: LoadedNode[];
  problems: SpecProblem[];
}

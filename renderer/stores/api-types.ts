// The records the renderer receives, named once. All of them are the runner's own types
// (imported as types only, so no runner code reaches the browser bundle).
import type { EditorDefinition, WorkflowFile, NodeKind, ParameterSpec } from '../../runner/spec/schema.ts';
import type { LoadedNode, SpecProblem } from '../../runner/spec/workflow.ts';
import type { RouterOutputs } from '../client/index.ts';

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
export type { EditorDefinition, WorkflowFile, NodeKind, ParameterSpec, LoadedNode, SpecProblem };
export type {
  ColumnProfile,
  ColumnTrend,
  DataDiff,
  DiffRow,
  KeyedDiff,
  MultisetDiff,
  OverviewRow,
  TableProfile,
} from '../../runner/api/monitor-types.ts';
export type { CheckTemplate, CheckTemplateType } from '../../runner/spec/monitor-schema.ts';

/** What `workflows.get` answers: the definition (null when workflow.yaml does not match
 * the schema), the YAML as written, each node with its code, and the problems. */
export type WorkflowDetail = RouterOutputs['workflows']['get'];

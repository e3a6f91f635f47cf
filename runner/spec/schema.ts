// The workflow definition file (`workflow.yaml`) as a zod schema. The types the rest of
// the code uses are inferred from it, so the file format and the code cannot drift apart.
import { z } from 'zod';
import { Band, CheckTemplate } from './monitor-schema.ts';

export const NODE_ID = /^[a-z_][a-z0-9_]*$/;

const nodeId = z
  .string()
  .regex(NODE_ID, 'must be lower_snake_case (letters, digits, _), starting with a letter or _');

/** A path to a file: no NUL character, which the file system would refuse with an internal error. */
const filePath = z.string().refine((s) => !s.includes('\0'), {
  message: 'contains a NUL character, which no file name can hold',
  params: { fix: 'remove the \\0 from the path' },
});
/** A name handed to a database or a connection lookup. */
const plainName = z.string().refine((s) => !s.includes('\0'), { message: 'contains a NUL character', params: { fix: 'remove the \\0' } });

export const ParameterType = z.enum(['string', 'integer', 'number', 'boolean', 'date']);
export type ParameterType = z.infer<typeof ParameterType>;

export const ParameterSpec = z.strictObject({
  type: ParameterType,
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  description: z.string().optional(),
});
export type ParameterSpec = z.infer<typeof ParameterSpec>;

export const FileFormat = z.enum(['csv', 'parquet', 'json', 'excel']);
export type FileFormat = z.infer<typeof FileFormat>;

/** The longest timeout in seconds: Node's timers hold at most 2^31-1 ms (a longer one fires at once). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

const base = {
  id: nodeId,
  description: z.string().optional(),
  inputs: z.array(z.string()).default([]),
  /** seconds; a node running longer is stopped and fails */
  timeout: z
    .number()
    .positive()
    .max(MAX_TIMEOUT_SECONDS, `timeout can be at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days)`)
    .optional(),
  /** extra attempts after a failure (not after a timeout of the whole run) */
  retries: z.number().int().min(0).max(10).default(0),
  /** path of the code file, relative to the workflow folder; default nodes/<id>.sql|.py */
  code: filePath.optional(),
};

/** Column types a source can be told to read a column as (CSV and Excel sources). */
export const ColumnType = z.enum(['string', 'integer', 'number', 'boolean', 'date', 'timestamp']);
export type ColumnType = z.infer<typeof ColumnType>;
export const ENCODINGS = ['utf-8', 'utf-16', 'latin-1'] as const;

export const SourceNode = z.strictObject({
  ...base,
  kind: z.literal('source'),
  /** a data file relative to the workflow folder (or absolute) */
  file: filePath.optional(),
  format: FileFormat.optional(),
  /** Excel: the sheet to read (default: first) */
  sheet: plainName.optional(),
  /** CSV and Excel: cells that mean "no value" (default: the markers pandas' read_csv uses) */
  null_values: z.array(z.string()).optional(),
  /** CSV: the column separator, one character (default: detected) */
  delimiter: z.string().min(1, 'give one character, e.g. ";"').max(1, 'one character, e.g. ";" or "\\t"').optional(),
  /** CSV and Excel: whether the first row names the columns (default true) */
  header: z.boolean().optional(),
  /** CSV: the text encoding (default utf-8) */
  encoding: z.enum(ENCODINGS).optional(),
  /** CSV and Excel: lines to skip before the header */
  skip_rows: z.number().int().min(0).optional(),
  /** columns read as a given type instead of the detected one */
  column_types: z.record(z.string().min(1), ColumnType).optional(),
  /** a named connection to query instead of a file (publishing issue) */
  connection: plainName.optional(),
  query: z.string().optional(),
});

export const SqlNode = z.strictObject({ ...base, kind: z.literal('sql') });
export const PythonNode = z.strictObject({ ...base, kind: z.literal('python') });

export const Severity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof Severity>;

export const CheckNode = z.strictObject({
  ...base,
  kind: z.literal('check'),
  severity: Severity.default('error'),
  /** a check without code: the template's settings instead of a .sql or .py file */
  template: CheckTemplate.optional(),
});

export const MetricNode = z.strictObject({
  ...base,
  kind: z.literal('metric'),
  /** outside these the metric counts as its severity says */
  bounds: Band.optional(),
  /** how a bound violation counts, like a check's severity */
  severity: Severity.default('error'),
  /** outside these (but inside bounds) the metric is a warning */
  warn_bounds: Band.optional(),
});

/** How a report shows a column: percent, number, integer, text, date or datetime; ":N" digits. */
export const COLUMN_FORMAT = /^(percent|number|integer|text|date|datetime)(:[0-9])?$/;

export const ReportTable = z.strictObject({
  /** a table input of the report */
  input: nodeId,
  title: z.string().optional(),
  /** the first N rows are shown (the rest is counted, never loaded) */
  rows: z.number().int().min(1).max(1000, 'a report table shows at most 1000 rows').optional(),
  /** which columns, in this order (default: all) */
  columns: z.array(z.string()).optional(),
  /** column name → percent | number | integer | text | date | datetime, with :N digits, e.g. percent:1 */
  format: z.record(z.string(), z.string().regex(COLUMN_FORMAT, 'must be percent, number, integer, text, date or datetime, optionally with :N digits (e.g. percent:1)')).optional(),
});
export type ReportTable = z.infer<typeof ReportTable>;

export const ReportChart = z.strictObject({
  title: z.string().optional(),
  /** the table input whose rows become the Vega-Lite spec's data */
  input: nodeId.optional(),
  /** a Vega-Lite spec (its data comes from input:) */
  vega_lite: z.record(z.string(), z.unknown()).optional(),
  /** a python node whose run() returned a figure (matplotlib, plotly or PNG bytes) */
  figure: nodeId.optional(),
  /** at most this many rows of the input feed the chart (default 5000) */
  max_rows: z.number().int().min(1).max(100_000, 'a chart takes at most 100000 rows: aggregate in a SQL node first').optional(),
});
export type ReportChart = z.infer<typeof ReportChart>;

const ReportFields = {
  /** the report's heading; {{metric}} and {{parameter}} placeholders are filled in */
  title: z.string().min(1),
  /** paragraphs of markdown-ish text (# headings, **bold**, *italic*, - lists) with placeholders */
  text: z.string().optional(),
  tables: z.array(ReportTable).optional(),
  charts: z.array(ReportChart).optional(),
};

/** Fields of the destinations that deliver a report to people (email, slack, folder). */
const DeliveryFields = {
  /** email: recipients (addresses, "Name <address>", or owner / watchers of the workflow) */
  to: z.union([z.string(), z.array(z.string())]).optional(),
  cc: z.union([z.string(), z.array(z.string())]).optional(),
  /** email: the subject, with placeholders like the report's text */
  subject: z.string().optional(),
  /** email, folder: pdf, html, or a table input of the report as <node>.csv / <node>.xlsx */
  attach: z.array(z.string()).optional(),
  /** email: the largest message to send, in MB (default 20) */
  max_size_mb: z.number().positive().max(100).optional(),
  /** slack: the channel to post to (#name or its id) */
  channel: z.string().optional(),
  /** folder: the files' name without extension, placeholders allowed (default: the report's id) */
  name: filePath.optional(),
  /** email, slack: with no such connection saved, skip the delivery with the reason instead of failing */
  optional: z.boolean().optional(),
};

/** Who answers for a workflow. */
export const Owner = z.strictObject({ name: z.string().min(1), email: z.string().min(3) });
export type Owner = z.infer<typeof Owner>;

export const PublishMode = z.enum(['replace', 'append', 'upsert', 'fail_if_exists']);
export type PublishMode = z.infer<typeof PublishMode>;

export const Destination = z.strictObject({
  /** csv, parquet, json, duckdb, sqlite, or a connector type such as postgres */
  type: z.string().min(1),
  /** file destinations: a path relative to the workflow folder (or absolute) */
  path: filePath.optional(),
  /** database destinations: the table to write */
  table: plainName.optional(),
  /** a named connection (database destinations beyond local files) */
  connection: plainName.optional(),
  /** Excel: the sheet name */
  sheet: plainName.optional(),
  // deliveries of a report to people (destination types email, slack and folder)
  ...DeliveryFields,
});
export type Destination = z.infer<typeof Destination>;

export const PublishNode = z.strictObject({
  ...base,
  kind: z.literal('publish'),
  destination: Destination,
  mode: PublishMode.default('replace'),
  /** columns forming the key, for mode upsert */
  key: z.array(z.string()).optional(),
});

export const ReportNode = z.strictObject({ ...base, kind: z.literal('report'), ...ReportFields });

export const NodeSpec = z.discriminatedUnion('kind', [
  SourceNode,
  SqlNode,
  PythonNode,
  CheckNode,
  MetricNode,
  PublishNode,
  ReportNode,
]);
export type NodeSpec = z.infer<typeof NodeSpec>;
export type NodeKind = NodeSpec['kind'];
export const NODE_KINDS: readonly NodeKind[] = ['source', 'sql', 'python', 'check', 'metric', 'publish', 'report'];

export const ScheduleSpec = z.strictObject({
  cron: z.string(),
  timezone: z.string().optional(),
  paused: z.boolean().default(false),
  catchup: z.enum(['skip', 'once', 'each']).default('skip'),
  overlap: z.enum(['skip', 'queue', 'cancel']).default('skip'),
  /** times a run interrupted by a crash is retried for its slot (absent: once) */
  retry_interrupted: z.number().int('retry_interrupted must be a whole number').min(0).max(5, 'retry_interrupted can be at most 5').optional(),
});
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

export const WorkflowFile = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string().regex(NODE_ID, 'parameter names must be lower_snake_case'), ParameterSpec).default({}),
  /** empty while a new workflow is being built; running one says what to add */
  nodes: z.array(NodeSpec).default([]),
  schedule: ScheduleSpec.optional(),
  /** who answers for this workflow (default: the user named in Settings); failures are told to them */
  owner: Owner.optional(),
  /** more people told about failures: email addresses, or "Name <email>" */
  watchers: z.array(z.string()).optional(),
  /** table outputs served read-only at /api/v1/outputs/<workflow>/<output> (see endpoints/) */
  endpoints: z.array(nodeId).optional(),
  /** editor positions by node id; the editor owns this, the engine ignores it */
  layout: z.record(z.string(), z.strictObject({ x: z.number(), y: z.number() })).default({}),
});
export type WorkflowFile = z.infer<typeof WorkflowFile>;
export type WorkflowFileInput = z.input<typeof WorkflowFile>;

/**
 * The part of workflow.yaml the graph editor edits. The rest (the schedule, which the
 * Schedule tab and `aqueduct schedule` own) is never written by a save from the editor.
 */
export const EDITOR_FIELDS = ['name', 'description', 'parameters', 'nodes', 'layout', 'owner', 'watchers', 'endpoints'] as const;
export type EditorDefinition = Pick<WorkflowFile, (typeof EDITOR_FIELDS)[number]>;
export type EditorDefinitionInput = Pick<WorkflowFileInput, (typeof EDITOR_FIELDS)[number]>;

/** Node kinds whose code lives in a file of its own (.sql or .py). */
export const CODE_KINDS: ReadonlySet<NodeKind> = new Set(['sql', 'python', 'check', 'metric']);

/** Whether this node has a code file: code kinds do, except checks made from a template. */
export function hasCodeFile(node: NodeSpec): boolean {
  return CODE_KINDS.has(node.kind) && !(node.kind === 'check' && node.template);
}

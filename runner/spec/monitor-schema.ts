// The parts of workflow.yaml for checks without code and metric bands. A check can be a
// template (filled in a form or in the file) instead of SQL or Python; a metric can carry
// an error band (`bounds`) and a warning band (`warn_bounds`) at once, each bound a number
// or a parameter ($name), or learned from the metric's own last runs (`history`).
import { z } from 'zod';

/** A parameter used as a value: `$name` (lower_snake_case, like parameter names). */
export const PARAM_REF = /^\$([a-z_][a-z0-9_]*)$/;

export const BoundValue = z.union([
  z.number(),
  z.string().regex(PARAM_REF, 'must be a number or a parameter written $name, e.g. $max_rate'),
]);
export type BoundValue = z.infer<typeof BoundValue>;

/** Bounds learned from the metric's values in its last runs. */
export const HistoryBounds = z.strictObject({
  /** how many earlier runs to learn from */
  runs: z.number().int().min(2).max(1000).default(20),
  /** sigma: mean ± k·σ of those values; quantile: their q_low and q_high quantiles */
  method: z.enum(['sigma', 'quantile']).default('sigma'),
  k: z.number().positive().default(3),
  quantiles: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.05, 0.95]),
  /** fewer earlier values than this: no bound yet (the metric passes) */
  min_runs: z.number().int().min(2).max(1000).default(5),
});
export type HistoryBounds = z.infer<typeof HistoryBounds>;

export const Band = z.strictObject({
  lower: BoundValue.optional(),
  upper: BoundValue.optional(),
  history: HistoryBounds.optional(),
});
export type Band = z.infer<typeof Band>;

const column = z.string().min(1);

/** Checks without code; each compiles to one SQL query over the check's one input. */
export const CheckTemplate = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('not_null'), columns: z.array(column).min(1) }),
  z.strictObject({ type: z.literal('unique'), columns: z.array(column).min(1) }),
  z.strictObject({ type: z.literal('accepted_values'), column, values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1) }),
  z.strictObject({ type: z.literal('range'), column, min: BoundValue.optional(), max: BoundValue.optional() }),
  z.strictObject({ type: z.literal('regex'), column, pattern: z.string().min(1) }),
  /** the row count within max_change_percent of the mean of the input's last runs */
  z.strictObject({ type: z.literal('row_count'), max_change_percent: z.number().positive(), runs: z.number().int().min(1).max(100).default(5) }),
  /** a column's mean or null rate within max_z standard deviations of its last runs (from their profiles) */
  z.strictObject({
    type: z.literal('drift'),
    column,
    measure: z.enum(['mean', 'null_rate']).default('mean'),
    max_z: z.number().positive().default(3),
    runs: z.number().int().min(2).max(100).default(10),
  }),
  /** the newest value of a timestamp or date column at most max_age_hours before the run's time */
  z.strictObject({ type: z.literal('freshness'), column, max_age_hours: z.number().positive() }),
  /** the same columns with the same types as the input had in the last run */
  z.strictObject({ type: z.literal('schema_unchanged') }),
]);
export type CheckTemplate = z.infer<typeof CheckTemplate>;
export type CheckTemplateType = CheckTemplate['type'];
export const CHECK_TEMPLATE_TYPES: readonly CheckTemplateType[] = [
  'not_null', 'unique', 'accepted_values', 'range', 'regex', 'row_count', 'drift', 'freshness', 'schema_unchanged',
];

/** Templates whose verdict compares with earlier runs (their history is read from the store). */
export const HISTORY_TEMPLATES: ReadonlySet<CheckTemplateType> = new Set(['row_count', 'drift', 'schema_unchanged']);

// The run record a remote engine writes (resources/runtime/aqueduct_runtime/record.py),
// as a zod schema: `engines sync` reads files that crossed machines and versions, so
// everything is checked at this edge before it touches the store.
import { z } from 'zod';
import { ENGINE_NAMES } from './bundle-format.ts';

export const RECORD_FORMAT = 'aqueduct-run-record/1';

const num = z.number();
const maybe = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const nodeError = z.object({ message: z.string(), detail: maybe(z.string()), fix: maybe(z.string()) });
const column = z.object({ name: z.string(), type: z.string() });

export const RecordNode = z.object({
  nodeId: z.string(),
  kind: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'warning', 'failed', 'skipped', 'cancelled', 'interrupted']),
  attempts: num,
  startedAt: maybe(num),
  finishedAt: maybe(num),
  rows: maybe(num),
  bytes: maybe(num),
  columns: maybe(z.array(column)),
  value: scalar.optional(),
  error: maybe(nodeError),
  /** path of the table output, relative to the results folder */
  artifact: maybe(z.string()),
});

export const RunRecord = z.object({
  format: z.literal(RECORD_FORMAT),
  runtimeVersion: z.string(),
  runId: z.string().uuid(),
  engine: z.enum(ENGINE_NAMES),
  engineRun: z.unknown().optional(),
  workflow: z.object({ name: z.string(), folder: maybe(z.string()) }),
  version: z.object({ hash: z.string().min(1), definition: z.unknown() }),
  trigger: z.string(),
  params: z.record(z.string(), scalar),
  status: z.enum(['queued', 'running', 'succeeded', 'succeeded_with_warnings', 'failed', 'cancelled', 'interrupted']),
  error: maybe(z.string()),
  createdAt: num,
  startedAt: maybe(num),
  finishedAt: maybe(num),
  nodes: z.array(RecordNode),
  metrics: z.array(z.object({
    nodeId: z.string(), value: num.nullable(), lower: maybe(num), upper: maybe(num), warnLower: maybe(num), warnUpper: maybe(num), passed: z.boolean(), ts: num,
  })),
  checks: z.array(z.object({ nodeId: z.string(), passed: z.boolean(), severity: z.enum(['error', 'warning']), message: maybe(z.string()), ts: num })),
  publications: z.array(
    z.object({ nodeId: z.string(), destination: z.string(), connection: maybe(z.string()), target: z.string(), mode: z.string(), rows: num, ts: num }),
  ),
  logs: z.array(z.object({ nodeId: maybe(z.string()), ts: num, stream: z.enum(['stdout', 'stderr', 'system']), line: z.string() })),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** Markers around a record printed on a log stream (Ray job logs, a pod's logs). */
export const RECORD_BEGIN = '----- aqueduct run record begin -----';
export const RECORD_END = '----- aqueduct run record end -----';

/** The records printed between markers in a log text, newest last. */
export function recordsInLogs(text: string): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  for (;;) {
    const begin = text.indexOf(RECORD_BEGIN, at);
    if (begin < 0) return out;
    const end = text.indexOf(RECORD_END, begin);
    if (end < 0) return out;
    out.push(JSON.parse(text.slice(begin + RECORD_BEGIN.length, end).trim()));
    at = end + RECORD_END.length;
  }
}

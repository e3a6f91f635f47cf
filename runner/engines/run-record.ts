// The run record a remote engine writes (resources/runtime/aqueduct_runtime/record.py),
// as a zod schema: `engines sync` reads files that crossed machines and versions, so
// everything is checked at this edge before it touches the store.
import { z } from 'zod';
import { NODE_ID, NODE_KINDS } from '../spec/schema.ts';
import { ENGINE_NAMES } from './bundle-format.ts';

export const RECORD_FORMAT = 'aqueduct-run-record/1';

/** A record file larger than this is refused before it is parsed. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** Free text (log lines, errors) is kept to this many characters: head and tail. */
const MAX_TEXT = 20_000;

function clip(s: string): string {
  if (s.length <= MAX_TEXT) return s;
  const half = MAX_TEXT / 2;
  return `${s.slice(0, half)}\n… (${s.length - MAX_TEXT} characters left out) …\n${s.slice(-half)}`;
}

const num = z.number().finite();
const maybe = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);
/** short strings that name things (ids, types, hashes) */
const name = (max = 200) => z.string().max(max);
const text = z.string().transform(clip);
/** node ids follow the workflow file's own rule: they become file names under the run folder */
const nodeId = z.string().max(200).regex(NODE_ID, 'must be a node id (lower_snake_case)');
const scalar = z.union([text, num, z.boolean(), z.null()]);
const nodeError = z.object({ message: text, detail: maybe(text), fix: maybe(text) });
const column = z.object({ name: name(1000), type: name(1000) });

export const RecordNode = z.object({
  nodeId,
  kind: z.enum(NODE_KINDS as [string, ...string[]]),
  status: z.enum(['pending', 'running', 'succeeded', 'warning', 'failed', 'skipped', 'cancelled', 'interrupted']),
  attempts: num.int().min(0).max(1000),
  startedAt: maybe(num),
  finishedAt: maybe(num),
  rows: maybe(num),
  bytes: maybe(num),
  columns: maybe(z.array(column).max(10_000)),
  value: scalar.optional(),
  error: maybe(nodeError),
  /** path of the table output, relative to the results folder */
  artifact: maybe(name(1000)),
});

export const RunRecord = z.object({
  format: z.literal(RECORD_FORMAT),
  runtimeVersion: name(),
  runId: z.string().uuid(),
  engine: z.enum(ENGINE_NAMES),
  engineRun: z.unknown().optional(),
  /** `folder` only finds a workflow the user opened there; a record never registers one */
  workflow: z.object({ name: name().min(1), folder: maybe(name(4096)) }),
  version: z.object({ hash: name().min(1), definition: z.unknown() }),
  trigger: name(),
  params: z.record(name(), scalar).refine((p) => Object.keys(p).length <= 1000, 'has more than 1000 parameters'),
  status: z.enum(['queued', 'running', 'succeeded', 'succeeded_with_warnings', 'failed', 'cancelled', 'interrupted']),
  error: maybe(text),
  createdAt: num,
  startedAt: maybe(num),
  finishedAt: maybe(num),
  nodes: z.array(RecordNode).max(10_000),
  metrics: z.array(z.object({
    nodeId, value: num.nullable(), lower: maybe(num), upper: maybe(num), warnLower: maybe(num), warnUpper: maybe(num), passed: z.boolean(), ts: num,
  })).max(10_000),
  checks: z.array(z.object({ nodeId, passed: z.boolean(), severity: z.enum(['error', 'warning']), message: maybe(text), ts: num })).max(10_000),
  /** shown in the run's details; never a drop target (lineage drops only what this machine published) */
  publications: z.array(
    z.object({ nodeId, destination: name(), connection: maybe(name()), target: name(4096), mode: name(), rows: num, ts: num }),
  ).max(10_000),
  logs: z.array(z.object({ nodeId: maybe(nodeId), ts: num, stream: z.enum(['stdout', 'stderr', 'system']), line: text })).max(500_000),
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

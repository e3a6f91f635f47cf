// A schedule edited in the app is written back into workflow.yaml's `schedule:` block, so
// the file (which a user keeps in git) and the store agree. Only the block's text is
// replaced, and inside it yaml's Document API edits the existing nodes: comments and
// formatting elsewhere, and inside the block, stay.
// Then the store takes the block as from the file (source "file", its hash recorded), so
// the scheduler's file watcher sees nothing new and removing the block in a text editor
// still removes the schedule.
import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { DEFINITION_FILE } from '../spec/load.ts';
import { rewriteDefinitionFile } from '../spec/save.ts';
import { checkScheduleInput } from '../schedule/schedule-store.ts';
import type { ScheduleService } from '../schedule/service.ts';
import type { Schedule, ScheduleInput } from '../schedule/types.ts';
import { readScheduleBlock } from '../schedule/file-sync.ts';
import { UserError } from './user-error.ts';

/** The block as a person would write it: defaults left out, the time zone always spelled out. */
export function scheduleBlock(s: Required<Omit<ScheduleInput, 'params'>>): Record<string, unknown> {
  const out: Record<string, unknown> = { cron: s.cron, timezone: s.timezone };
  if (s.paused) out.paused = true;
  if (s.catchup !== 'skip') out.catchup = s.catchup;
  if (s.overlap !== 'skip') out.overlap = s.overlap;
  if (s.retryInterrupted !== 1) out.retry_interrupted = s.retryInterrupted;
  return out;
}

/** Rewrites (or, with undefined, removes) the `schedule:` block of a workflow folder's definition file. */
export function writeScheduleBlock(folder: string, block: Record<string, unknown> | undefined): boolean {
  const file = path.join(folder, DEFINITION_FILE);
  if (!fs.existsSync(file)) throw new UserError(`${file} does not exist: the workflow's folder was moved or deleted`);
  return rewriteDefinitionFile(folder, (before) => spliceScheduleBlock(before, block));
}

/**
 * The file's text with only the schedule block replaced: the rest of the text is kept
 * byte for byte (re-printing the whole document would re-wrap folded text a user wrapped
 * by hand), and inside the block the existing nodes are edited, so their comments stay.
 */
export function spliceScheduleBlock(before: string, block: Record<string, unknown> | undefined): string {
  const doc = YAML.parseDocument(before);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new UserError(`${DEFINITION_FILE} is not valid YAML (${doc.errors[0]?.message.split('\n')[0] ?? 'not a mapping'}): fix it before changing the schedule`);
  }
  const map = doc.contents;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'schedule') as Pair<Scalar, Node | null> | undefined;
  const value = pair?.value;
  // a block map ends where its last entry does; comments after it belong to what follows
  const pairStart = pair?.key.range?.[0];
  const pairEnd = isMap(value) && !value.flow ? value.range?.[1] : (value?.range?.[2] ?? pair?.key.range?.[2]);
  if (pair && (pairStart === undefined || pairEnd === undefined)) return fallback(doc, block);
  if (!block) return pair ? before.slice(0, pairStart) + before.slice(pairEnd) : before;

  let node: Node;
  if (isMap(value)) {
    for (const key of Object.keys(value.toJSON() as object)) if (!(key in block)) value.delete(key);
    for (const [key, v] of Object.entries(block)) if (value.get(key) !== v) value.set(key, v);
    value.comment = undefined; // left in place in the text
    node = value;
  } else {
    node = doc.createNode(block);
    const cron = (node as YAMLMap).get('cron', true);
    if (isScalar(cron)) cron.type = 'QUOTE_DOUBLE'; // "0 0 * * *" reads as one value
  }
  const sub = new YAML.Document({ schedule: null });
  sub.set('schedule', node);
  const text = sub.toString({ lineWidth: 100 });
  if (pair) return before.slice(0, pairStart) + text + before.slice(pairEnd);
  // a new block goes after the name and description, on a line of its own
  const head = map.items.filter((p) => isScalar(p.key) && (p.key.value === 'name' || p.key.value === 'description')).at(-1);
  const at = (head?.value as Node | null | undefined)?.range?.[2] ?? 0;
  if (at > 0 && before[at - 1] !== '\n') {
    const nl = before.indexOf('\n', at);
    return nl < 0 ? `${before}\n${text}` : before.slice(0, nl + 1) + text + before.slice(nl + 1);
  }
  return before.slice(0, at) + text + before.slice(at);
}

function fallback(doc: ReturnType<typeof YAML.parseDocument>, block: Record<string, unknown> | undefined): string {
  if (block) doc.set('schedule', doc.createNode(block));
  else doc.delete('schedule');
  return doc.toString({ lineWidth: 100 });
}

/**
 * Sets, changes or (with null) removes a workflow's schedule: validates first (throws
 * ScheduleInvalidError naming the field), writes the file, then the store.
 */
export function applySchedule(service: ScheduleService, workflowId: string, folder: string, input: ScheduleInput | null): Schedule | undefined {
  if (input === null) {
    writeScheduleBlock(folder, undefined);
    service.syncFromFile(workflowId);
    service.deleteSchedule(workflowId);
    return undefined;
  }
  const checked = checkScheduleInput(input);
  const params = input.params ?? service.getSchedule(workflowId)?.params ?? {};
  writeScheduleBlock(folder, scheduleBlock(checked));
  // records the block's hash (and takes it when it changed); parameters are not part of
  // the file, so the values are set once more with them, keeping the hash
  service.syncFromFile(workflowId);
  return service.schedules.set(workflowId, { ...checked, params }, 'file');
}

/** Why the file's schedule block is not in effect, if it is not (shown on the Schedule tab). */
export function fileScheduleProblem(folder: string): string | undefined {
  try {
    const spec = readScheduleBlock(folder);
    if (spec) checkScheduleInput({ ...spec, timezone: spec.timezone });
    return undefined;
  } catch (e) {
    return `${DEFINITION_FILE}: ${(e as Error).message.replace(/^workflow\.yaml: /, '')}`;
  }
}

/** Lets a settings store's plain errors ("notifications.emailTo: ...") reach the UI as user errors naming the field. */
export function asUserError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const m = e instanceof Error && !(e instanceof UserError) ? /^(notifications|smtp|retention)\.?(\w*):/.exec(e.message) : null;
    const cycle = e instanceof Error && e.name === 'CascadeCycleError';
    if (!m && !cycle) throw e;
    const err = new UserError((e as Error).message);
    err.field = m ? (m[1] === 'retention' ? 'keepRuns' : m[2]) : 'upstreamWorkflowId';
    throw err;
  }
}

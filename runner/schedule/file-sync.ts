// A workflow's `schedule:` block in workflow.yaml becomes its schedule in the store. The
// file wins only when its schedule block changed since it was last read (a hash is
// kept), so pausing in the app is not undone by a file nobody touched. Removing the
// block removes a schedule that came from the file. The scheduler re-reads files whose
// modification time changed, so an edit in a text editor or a git pull takes effect.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { MetadataStore } from '../store/metadata-store.ts';
import { DEFINITION_FILE } from '../spec/load.ts';
import { ScheduleSpec } from '../spec/schema.ts';
import { zodProblems } from '../spec/schema-messages.ts';
import { formatProblem } from '../spec/workflow.ts';
import { localTimeZone } from './cron.ts';
import { ScheduleStore } from './schedule-store.ts';
import type { Schedule } from './types.ts';

export type FileSyncResult = { action: 'unchanged' | 'created' | 'updated' | 'removed' | 'none'; schedule?: Schedule };

/** Applies a workflow file's schedule block (or its absence) to the store. Throws ScheduleInvalidError. */
export function syncScheduleFromFile(store: MetadataStore, workflowId: string, spec: ScheduleSpec | undefined): FileSyncResult {
  const schedules = new ScheduleStore(store.db, () => store.clock.now(), () => store.clock.newId());
  const existing = schedules.fileHashOf(workflowId);
  if (!spec) {
    if (existing?.source === 'file') {
      const s = schedules.forWorkflow(workflowId)!;
      schedules.delete(s.id);
      return { action: 'removed' };
    }
    return { action: 'none' };
  }
  const hash = crypto.createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
  if (existing?.fileHash === hash) return { action: 'unchanged', schedule: schedules.forWorkflow(workflowId) };
  const schedule = schedules.set(
    workflowId,
    { cron: spec.cron, timezone: spec.timezone ?? localTimeZone(), paused: spec.paused, catchup: spec.catchup, overlap: spec.overlap, retryInterrupted: spec.retry_interrupted },
    'file',
    hash,
  );
  return { action: existing ? 'updated' : 'created', schedule };
}

/** Reads just the schedule block of a workflow folder's definition file. */
export function readScheduleBlock(folder: string): ScheduleSpec | undefined {
  const raw = YAML.parse(fs.readFileSync(path.join(folder, DEFINITION_FILE), 'utf8')) as { schedule?: unknown } | null;
  if (!raw || raw.schedule === undefined || raw.schedule === null) return undefined;
  const parsed = ScheduleSpec.safeParse(raw.schedule);
  if (!parsed.success) throw new Error(zodProblems(raw.schedule, parsed.error, ['schedule']).map(formatProblem).join('; '));
  return parsed.data;
}

/** Re-reads the schedule block of every known workflow whose file changed since the last call. */
export class FileScheduleWatcher {
  private readonly seen = new Map<string, string>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly store: MetadataStore,
    private readonly log: (line: string) => void,
  ) {}

  syncAll(): number {
    let changed = 0;
    for (const w of this.store.db.prepare('SELECT id, folder, name FROM workflows').all() as { id: string; folder: string; name: string }[]) {
      const file = path.join(w.folder, DEFINITION_FILE);
      let stamp: string;
      try {
        const st = fs.statSync(file);
        stamp = `${st.mtimeMs}:${st.size}`;
      } catch {
        continue; // folder moved or deleted: leave its schedule alone, the UI shows the workflow as missing
      }
      if (this.seen.get(w.id) === stamp) continue;
      this.seen.set(w.id, stamp);
      try {
        const r = syncScheduleFromFile(this.store, w.id, readScheduleBlock(w.folder));
        if (r.action !== 'unchanged' && r.action !== 'none') {
          changed++;
          this.log(`schedule of ${w.name} ${r.action} from ${file}`);
        }
      } catch (e) {
        const msg = `schedule of ${w.name} in ${file} not applied: ${(e as Error).message}`;
        if (!this.reported.has(msg)) this.log(msg);
        this.reported.add(msg);
      }
    }
    return changed;
  }
}

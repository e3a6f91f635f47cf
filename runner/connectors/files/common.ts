// Why: file destinations share path resolution (see file-target.ts), mode rules and the
// staged write: the new file is written in full to a temp file beside the target and
// flushed (stage), then renamed over the target (commit), so readers see the old file or
// the new one, never half of one, even after kill -9. A later publish of the same file in
// the same run builds on the version an earlier one staged.
import { lstatSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileTargetProblem, realTarget } from '../file-target.ts';
import { StagingArea, tempPathFor } from '../staging.ts';
import { PublishError, refuseNulInPath, type PublishRequest, type StagedPublish } from '../types.ts';
import { existsError } from '../sql.ts';

/** Absolute path of the destination as written (before links are followed), for messages. */
function absolutePath(type: string, req: PublishRequest, what = 'the file to write'): string {
  const p = req.destination.path;
  if (!p) throw new PublishError(`${type} destination has no path`, `set destination.path to ${what}`);
  refuseNulInPath(type, p);
  return isAbsolute(p) ? p : resolve(req.workflowFolder, p);
}

/**
 * The real file a file destination writes (symlinks followed). Refuses paths that are not
 * a regular file (or nothing yet) and the workflow's own definition files.
 */
export function checkedFileTarget(type: string, req: PublishRequest, what?: string): string {
  const p = absolutePath(type, req, what);
  const problem = fileTargetProblem(p, req.workflowFolder, req.protectedPaths ?? []);
  if (problem) throw new PublishError(`${type}: ${problem.message}`, problem.fix);
  return realTarget(p, req.workflowFolder);
}

/** As checkedFileTarget, and refuses upsert (files have no keys). */
export function fileTarget(type: string, req: PublishRequest): string {
  const target = checkedFileTarget(type, req);
  if (req.mode === 'upsert') {
    throw new PublishError(`${type} ${target}: upsert needs a database destination`, 'use mode replace or append, or publish to a database');
  }
  return target;
}

export function stagingOf(req: PublishRequest): StagingArea {
  return req.staging ?? new StagingArea();
}

/** The content of `target` as this run sees it: a version staged earlier in the run, else the file; undefined if neither. */
export function currentVersion(area: StagingArea, target: string): string | undefined {
  const staged = area.staged(target);
  if (staged) return staged;
  try {
    return statSync(target).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}

/** True when `base` holds something to append to; throws for fail_if_exists. */
export function checkExisting(type: string, target: string, base: string | undefined, req: PublishRequest): boolean {
  if (base && req.mode === 'fail_if_exists') throw existsError(type, target);
  return !!base && statSync(base).size > 0;
}

/** Refuses a rename over anything but a regular file or nothing (it may have changed since staging). */
function assertReplaceable(type: string, target: string): void {
  let st;
  try {
    st = lstatSync(target);
  } catch {
    return;
  }
  if (!st.isFile()) {
    throw new PublishError(`${type} ${target} is no longer a regular file (it changed while publishing); nothing was changed`, 'set destination.path to a regular file or to a new file name');
  }
}

function retell(type: string, target: string, e: unknown): PublishError {
  if (e instanceof PublishError) return e;
  const err = e as NodeJS.ErrnoException;
  const fix = err.code === 'EACCES' || err.code === 'EPERM' ? 'check the permissions of the folder (and close the file if another program has it open)' : undefined;
  return new PublishError(`${type} ${target}: ${err.message}`, fix);
}

/** Removes the folders a stage created for its target, deepest first, as long as they are empty. */
async function removeMadeFolders(made: string | undefined, dir: string): Promise<void> {
  if (!made) return;
  for (let d = dir; d.length >= made.length; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === made) return;
  }
}

/**
 * Stages a new version of `target`: `fill` writes it to a temp file beside the target
 * (recorded in the run's staging ledger first), which is flushed to disk. Commit renames
 * it over the target; abort removes it. A stage stopped by `signal` (a timeout, a cancel)
 * leaves nothing staged.
 */
export async function stageFile(
  type: string,
  target: string,
  area: StagingArea,
  rows: number,
  fill: (tmpPath: string) => Promise<void>,
  signal?: AbortSignal,
): Promise<StagedPublish> {
  const dir = dirname(target);
  let made: string | undefined;
  try {
    made = await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new PublishError(`${type} ${target}: cannot create folder ${dir}: ${(e as Error).message}`, 'check the path and its permissions');
  }
  const tmp = tempPathFor(target);
  const discard = async () => {
    await rm(tmp, { force: true });
    await rm(`${tmp}.part`, { force: true });
    area.ledger.release(tmp);
  };
  area.ledger.record(tmp, 'file');
  try {
    await fill(tmp);
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (signal?.aborted) throw new PublishError(`${type} ${target}: publish cancelled; nothing was changed`);
  } catch (e) {
    await discard();
    await removeMadeFolders(made, dir);
    throw retell(type, target, e);
  }
  area.setStaged(target, tmp);
  return {
    rows,
    target,
    held: true,
    async commit() {
      assertReplaceable(type, target);
      try {
        await rename(tmp, target);
      } catch (e) {
        throw retell(type, target, e);
      }
      area.ledger.release(tmp);
    },
    async abort() {
      await discard();
      await removeMadeFolders(made, dir);
      return true;
    },
  };
}

export function sameColumns(type: string, target: string, existing: string[], incoming: string[]): void {
  if (existing.length !== incoming.length || existing.some((c, i) => c !== incoming[i])) {
    throw new PublishError(
      `${type} ${target}: cannot append, its columns (${existing.join(', ')}) differ from the published table's (${incoming.join(', ')})`,
      'use mode replace, or make the columns match',
    );
  }
}

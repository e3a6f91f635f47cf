// Why: file destinations share path resolution, mode rules and the temp-then-rename
// write that makes a failed publish leave the old file untouched.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { PublishError, refuseNulInPath, type PublishRequest } from '../types.ts';
import { existsError } from '../sql.ts';

/** The absolute target path; refuses upsert (files have no keys). */
export function fileTarget(type: string, req: PublishRequest): string {
  const p = req.destination.path;
  if (!p) throw new PublishError(`${type} destination has no path`, 'set destination.path to the file to write');
  refuseNulInPath(type, p);
  const target = isAbsolute(p) ? p : resolve(req.workflowFolder, p);
  if (req.mode === 'upsert') {
    throw new PublishError(`${type} ${target}: upsert needs a database destination`, 'use mode replace or append, or publish to a database');
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new PublishError(`${type} ${target} is a folder`, 'set destination.path to a file name');
  }
  return target;
}

/** True when the target exists and holds something; throws for fail_if_exists. */
export function checkExisting(type: string, target: string, req: PublishRequest): boolean {
  const exists = existsSync(target);
  if (exists && req.mode === 'fail_if_exists') throw existsError(type, target);
  return exists && statSync(target).size > 0;
}

/**
 * Write through a temp file in the target's folder, flush it, then rename over the target:
 * readers see the old file or the new one, never half of one, even after kill -9.
 */
export async function atomicWrite(type: string, target: string, fill: (tmpPath: string) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const dir = dirname(target);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new PublishError(`${type} ${target}: cannot create folder ${dir}: ${(e as Error).message}`, 'check the path and its permissions');
  }
  const tmp = join(dir, `.${basename(target)}.aq-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fill(tmp);
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    // stopped (a timeout, a cancel) before the rename: the target stays as it was
    if (signal?.aborted) throw new PublishError(`${type} ${target}: publish cancelled; nothing was changed`);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof PublishError) throw e;
    const err = e as NodeJS.ErrnoException;
    const fix = err.code === 'EACCES' || err.code === 'EPERM' ? 'check the permissions of the folder (and close the file if another program has it open)' : undefined;
    throw new PublishError(`${type} ${target}: ${err.message}`, fix);
  }
}

export function sameColumns(type: string, target: string, existing: string[], incoming: string[]): void {
  if (existing.length !== incoming.length || existing.some((c, i) => c !== incoming[i])) {
    throw new PublishError(
      `${type} ${target}: cannot append, its columns (${existing.join(', ')}) differ from the published table's (${incoming.join(', ')})`,
      'use mode replace, or make the columns match',
    );
  }
}

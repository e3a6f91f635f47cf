// Why: SQLite and DuckDB destinations are database files next to the workflow; both resolve
// the path the same way and remove a file they created if the publish then fails.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { PublishError, refuseNulInPath, type PublishRequest } from './types.ts';

export interface DbFile {
  path: string;
  /** true when the publish creates the file (so a failure removes it again) */
  created: boolean;
}

export async function openDbFile(type: string, req: PublishRequest): Promise<DbFile> {
  const p = req.destination.path;
  if (!p) throw new PublishError(`${type} destination has no path`, `set destination.path to the ${type} database file`);
  refuseNulInPath(type, p);
  const path = isAbsolute(p) ? p : resolve(req.workflowFolder, p);
  const created = !existsSync(path);
  if (created) await mkdir(dirname(path), { recursive: true });
  return { path, created };
}

export async function removeCreated(file: DbFile, sidecars: string[]): Promise<void> {
  if (!file.created) return;
  for (const suffix of ['', ...sidecars]) await rm(file.path + suffix, { force: true });
}

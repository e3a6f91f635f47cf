// Why: SQLite and DuckDB destinations are database files next to the workflow; both resolve
// and check the path like every file target, and remove a file they created if the
// publish then fails.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkedFileTarget } from './files/common.ts';
import type { PublishRequest } from './types.ts';

export interface DbFile {
  path: string;
  /** true when the publish creates the file (so a failure removes it again) */
  created: boolean;
}

/** The real database file a sqlite/duckdb destination writes. */
export function dbFileTarget(type: string, req: PublishRequest): string {
  return checkedFileTarget(type, req, `the ${type} database file`);
}

/** Notes whether the file exists yet, and makes its folder. */
export async function prepareDbFile(path: string): Promise<DbFile> {
  const created = !existsSync(path);
  if (created) await mkdir(dirname(path), { recursive: true });
  return { path, created };
}

export async function removeCreated(file: DbFile, sidecars: string[]): Promise<void> {
  if (!file.created) return;
  for (const suffix of ['', ...sidecars]) await rm(file.path + suffix, { force: true });
}

// The app folder holds run outputs, the metadata database and the key that seals secrets:
// it is the user's alone, whatever their umask (022 is common). Folders in it are made
// 0700 and files 0600 where we create them; what a run writes (DuckDB, pyarrow) is locked
// down when the run ends. Not process.umask: that would also change the files the user's
// workflows publish elsewhere, which follow the user's own umask.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/** Creates `dir` (and missing parents) as a private folder; an existing one is made private too. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.chmodSync(dir, PRIVATE_DIR);
}

/** Makes an existing file private; a missing one is not an error. */
export function makePrivate(file: string): void {
  try {
    fs.chmodSync(file, PRIVATE_FILE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Every folder and file under `dir` (itself included) made private; symlinks are left alone. */
export function lockDownTree(dir: string): void {
  let entries: fs.Dirent[];
  try {
    fs.chmodSync(dir, PRIVATE_DIR);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const d of entries) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) lockDownTree(p);
    else if (d.isFile()) makePrivate(p);
  }
}

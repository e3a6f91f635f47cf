// Why: a run killed while its publishes were staged leaves their temp files (and, for a
// SQLite destination, a rollback journal) beside the user's outputs. The next run or
// start cleans up exactly what the staging ledger says such a run left: a temp file only
// if its name is one we give temp files and it is a regular file. A SQLite journal that
// holds pages already changed in the database ("hot") is rolled back by SQLite itself,
// never just deleted; one that holds none yet (the run died before changing the file) is
// removed while we hold the database's exclusive lock, so no live writer can own it.
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import Database from 'better-sqlite3';
import type { MetadataStore } from '../store/metadata-store.ts';
import { StagedFiles, type Leftover } from '../store/staged-files.ts';
import { isTempName } from './staging.ts';

export interface CleanupNote {
  /** the run that left it */
  runId: string;
  /** what was done, in words */
  line: string;
}

function isRegularFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

/** Cleans one leftover; returns what it did (undefined: nothing to do), and whether the ledger row can go. */
async function cleanOne(l: Leftover): Promise<{ did?: string; done: boolean }> {
  if (!isAbsolute(l.path)) return { done: true };
  if (l.kind === 'file') {
    if (!isTempName(basename(l.path))) return { done: true };
    let removed = false;
    for (const p of [l.path, `${l.path}.part`]) {
      if (!isRegularFile(p)) continue;
      await rm(p, { force: true });
      removed = true;
    }
    return { did: removed ? `removed the temp file ${l.path} it left` : undefined, done: true };
  }
  const journal = `${l.path}-journal`;
  if (!isRegularFile(journal) || !isRegularFile(l.path)) return { done: true };
  const db = new Database(l.path, { timeout: 1000 });
  try {
    // taking the lock rolls a hot journal back (and deletes it); a journal still there is stale
    db.exec('BEGIN EXCLUSIVE');
    try {
      if (existsSync(journal)) rmSync(journal);
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
  if (existsSync(journal)) return { done: false };
  return { did: `rolled back its unfinished change to ${l.path} (${basename(journal)})`, done: true };
}

/**
 * Cleans what `leftovers` name; `forget` drops a ledger row once it is dealt with. A
 * leftover that cannot be cleaned now (a database another program holds) is kept for
 * the next time.
 */
export async function cleanLeftovers(leftovers: Leftover[], forget: (l: Leftover) => void): Promise<CleanupNote[]> {
  const notes: CleanupNote[] = [];
  for (const l of leftovers) {
    try {
      const r = await cleanOne(l);
      if (r.did) notes.push({ runId: l.runId, line: `cleaned up after run ${l.runId.slice(0, 8)} (${l.runStatus}): ${r.did}` });
      if (r.done) forget(l);
    } catch (e) {
      notes.push({ runId: l.runId, line: `could not clean up ${l.path} after run ${l.runId.slice(0, 8)} (${(e as Error).message}); trying again next time` });
    }
  }
  return notes;
}

/**
 * Removes what publishes of runs that can no longer finish (killed, crashed) left beside
 * the user's outputs, and says so in those runs' logs; returns the notes. Every start
 * does this: the engine's, and commands that open only the store (`aqueduct runs`).
 */
export async function cleanUpStaged(store: MetadataStore, staged = new StagedFiles(store.db, () => store.clock.now())): Promise<string[]> {
  const notes = await cleanLeftovers(staged.leftovers(), (l) => staged.release(l.runId, l.path));
  const ts = store.clock.now();
  for (const n of notes) {
    if (store.getRunSummary(n.runId)) store.appendLogs([{ runId: n.runId, ts, stream: 'system', line: n.line }]);
  }
  return notes.map((n) => n.line);
}

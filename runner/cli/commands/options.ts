// Options several commands share: --param k=v (repeatable), numbers checked once for
// every command (a bad value is commander's "argument … is invalid" sentence and exit 2,
// never a database's "datatype mismatch"), and opening the engine on the --home given.
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { openDatabase } from '../../store/db.ts';
import { MetadataStore } from '../../store/metadata-store.ts';
import { appHome, appPaths, type AppPaths } from '../../store/paths.ts';
import type { Engine } from '../../engine.ts';

export function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`write it as name=value, e.g. --param since=2024-01-01`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

/** A parser for a whole-number option within [min, max]. */
export function wholeNumber(flag: string, min: number, max?: number, example?: number): (v: string) => number {
  return (v) => {
    const n = /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      const range = max === undefined ? `of ${min} or more` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`${flag} must be a whole number ${range}${example === undefined ? '' : `, e.g. ${flag} ${example}`}`);
    }
    return n;
  };
}

/** A parser for a duration option in seconds (fractions allowed), above 0. */
export function positiveSeconds(flag: string, example: number): (v: string) => number {
  return (v) => {
    const n = /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a number of seconds above 0, e.g. ${flag} ${example}`);
    return n;
  };
}

/** The engine (DuckDB, the store, the Python pools), loaded only by the commands that use it. */
export async function openEngine(cmd: Command, extra: { python?: string } = {}): Promise<Engine> {
  const home = cmd.optsWithGlobals().home as string | undefined;
  const { Engine } = await import('../../engine.ts');
  return Engine.open({ home, python: extra.python });
}

export function homePaths(cmd: Command): AppPaths {
  const given = cmd.optsWithGlobals().home as string | undefined;
  return appPaths(given ? path.resolve(given) : appHome());
}

/**
 * The store alone, left as any start of the app leaves it: runs of processes that died
 * marked interrupted, and what their publishes staged cleaned up. The caller closes it.
 */
export async function openStore(cmd: Command): Promise<MetadataStore> {
  const store = new MetadataStore(openDatabase(homePaths(cmd).database));
  try {
    store.interruptOrphanedRuns();
    const { cleanUpStaged } = await import('../../connectors/staging-cleanup.ts');
    await cleanUpStaged(store);
    return store;
  } catch (e) {
    store.db.close();
    throw e;
  }
}

/** The metadata store alone, for commands that only read or edit records (no DuckDB, no Python). */
export function withStore<T>(cmd: Command, work: (store: MetadataStore, paths: AppPaths) => T): T {
  const paths = homePaths(cmd);
  const store = new MetadataStore(openDatabase(paths.database));
  try {
    return work(store, paths);
  } finally {
    store.db.close();
  }
}

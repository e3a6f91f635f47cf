// Garbage collection of built environments: an environment stays while a workflow of this
// app folder locks it (any Python version's build of that lock); the rest goes, and so do
// the temp folders of builds that were interrupted (unless their process still runs).
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST, readManifest } from './build.ts';
import { readLock } from './requirements-file.ts';

export interface GcResult {
  removed: string[];
  kept: string[];
}

export function collectGarbage(root: string, folders: string[], o: { dryRun?: boolean; busy: boolean; building: Set<string> }): GcResult {
  const keep = new Set<string>();
  for (const folder of folders) {
    const lock = readLock(folder);
    if (lock) keep.add(lock.hash.slice(0, 16));
  }
  const removed: string[] = [];
  const kept: string[] = [];
  if (!fs.existsSync(root)) return { removed, kept };
  for (const name of fs.readdirSync(root)) {
    const dir = path.join(root, name);
    if (name === 'tools' || o.building.has(dir)) continue;
    if (name.startsWith('.tmp-')) {
      const pid = Number(/-(\d+)-[a-z0-9]+$/.exec(name)?.[1]);
      // a build under way (in another process, or in this one) keeps its temp folder
      if (pid && (pid === process.pid ? o.busy : isAlive(pid))) continue;
    } else if (keep.has(name.split('-py')[0]!) && readManifest(dir)) {
      kept.push(name);
      continue;
    } else if (!fs.existsSync(path.join(dir, MANIFEST)) && !name.includes('-py')) {
      continue; // not ours
    }
    removed.push(name);
    if (!o.dryRun) fs.rmSync(dir, { recursive: true, force: true });
  }
  return { removed, kept };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

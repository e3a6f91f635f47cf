// One rule for "does this path stay inside that folder?", used wherever a path comes from
// something we do not fully trust (a workflow file, a run record): compared after
// resolving `..` and, where the file exists, symlinks, so neither can lead outside.
import fs from 'node:fs';
import path from 'node:path';

/** `child` is `parent` itself or lies under it (both absolute and already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for files not written yet). */
export function realPathOf(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realPathOf(parent), path.basename(abs));
  }
}

/** `rel` (relative, from an untrusted file) resolved under `dir`, if it stays inside `dir` after symlinks. */
export function pathInside(dir: string, rel: string): string | undefined {
  if (path.isAbsolute(rel)) return undefined;
  const abs = path.resolve(dir, rel);
  return isInside(realPathOf(dir), realPathOf(abs)) ? abs : undefined;
}

/** The real path of `file` (absolute, e.g. named by a run record) if it lies under `dir`, else undefined. */
export function realFileInside(dir: string, file: string): string | undefined {
  const top = realPathOf(dir);
  const real = realPathOf(file);
  return real !== top && isInside(top, real) ? real : undefined;
}

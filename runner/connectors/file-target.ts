// Why: a file publish may only replace a regular file or create one, and never the
// workflow's own definition. Paths are resolved first (relative to the workflow folder,
// every symlink followed, also a last one that points at a file not made yet), so a link
// is written through: the file it leads to is replaced and the link stays. The validator
// and every file writer ask here, so the rule and its words live once.
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { realPathOf } from '../spec/contained-path.ts';

export interface TargetProblem {
  message: string;
  fix: string;
}

/** The files and folders of a workflow's definition (its packages and their lock too): no publish may write them. */
export function definitionPaths(folder: string, codeFiles: (string | undefined)[]): string[] {
  const own = ['workflow.yaml', 'nodes', 'requirements.txt', 'requirements.lock'];
  return [...own, ...codeFiles.filter((f): f is string => !!f)].map((f) => resolve(folder, f));
}

/** Where writing `abs` really lands: symlinks followed all the way, also when the last one points at nothing yet. */
export function resolveLinks(abs: string): string {
  let p = resolve(abs);
  for (let hops = 0; hops < 40; hops++) {
    let link: boolean;
    try {
      link = lstatSync(p).isSymbolicLink();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return join(realPathOf(dirname(p)), basename(p));
      throw e;
    }
    if (!link) return realpathSync(p);
    p = resolve(realPathOf(dirname(p)), readlinkSync(p));
  }
  throw Object.assign(new Error(`too many symbolic links on the way to ${abs}`), { code: 'ELOOP' });
}

/** What `real` is when it exists and is not a regular file ("a folder", "a device", …). */
function notAFile(real: string): string | undefined {
  let st;
  try {
    st = statSync(real);
  } catch {
    return undefined;
  }
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const NOT_A_FILE_FIX = 'set destination.path to a regular file or to a new file name';

/**
 * Why a publish must not write `userPath` (as written in workflow.yaml), or undefined when
 * it may. `folder` is the workflow folder; `protect` its definition paths. A path with a
 * NUL never gets here: the schema refuses it, and so does every writer (refuseNulInPath).
 */
export function fileTargetProblem(userPath: string, folder: string, protect: readonly string[]): TargetProblem | undefined {
  const abs = isAbsolute(userPath) ? userPath : resolve(folder, userPath);
  let real: string;
  try {
    real = resolveLinks(abs);
  } catch (e) {
    return { message: `destination.path ${userPath} cannot be resolved (${(e as Error).message})`, fix: 'set destination.path to a file you can write' };
  }
  const via = real === resolve(abs) ? '' : ` (a link to ${real})`;
  const kind = notAFile(real);
  if (kind) return { message: `destination.path ${userPath}${via} is ${kind}, not a file`, fix: NOT_A_FILE_FIX };
  for (const p of protect) {
    let own: string;
    try {
      own = resolveLinks(p);
    } catch {
      continue;
    }
    if (real === own || real.startsWith(own + sep)) {
      const name = relative(folder, p) || basename(p);
      const which = name === userPath ? '' : ` (${name})`;
      return {
        message: `destination.path ${userPath}${via} is part of the workflow's own definition${which}`,
        fix: 'set destination.path to a file outside workflow.yaml, the node code files and nodes/, e.g. one under out/',
      };
    }
  }
  return undefined;
}

/** The real file a publish writes, for a path already found acceptable. */
export function realTarget(userPath: string, folder: string): string {
  return resolveLinks(isAbsolute(userPath) ? userPath : resolve(folder, userPath));
}

// Notices when a workflow's files change on disk (a text editor, git checkout, another
// app), so the visual editor can reload or merge instead of overwriting them. fs.watch on
// the folder and on each folder that holds code files (not recursive: recursive watching
// is unreliable on Linux with Node 20); bursts of events (an editor writes a temp file,
// renames it, touches it) are debounced into one report listing the changed files.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFINITION_FILE } from './load.ts';

export interface WatchOptions {
  /** quiet time before a burst of events is reported */
  debounceMs?: number;
}

/** Files we write ourselves on the way to their real name; never worth a report. */
function ignored(name: string): boolean {
  return name.endsWith('.tmp') || name.endsWith('~') || name.startsWith('.#') || name.endsWith('.swp') || name === '.DS_Store';
}

/** The folders to watch: the workflow folder, nodes/, and any folder a `code:` path names. */
export function watchedFolders(folder: string): string[] {
  const abs = path.resolve(folder);
  const dirs = new Set([abs, path.join(abs, 'nodes')]);
  try {
    const raw = YAML.parse(fs.readFileSync(path.join(abs, DEFINITION_FILE), 'utf8')) as { nodes?: unknown } | null;
    for (const n of Array.isArray(raw?.nodes) ? raw.nodes : []) {
      const code = (n as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && code) dirs.add(path.dirname(path.resolve(abs, code)));
    }
  } catch {
    // an unreadable definition still has a folder and nodes/ worth watching
  }
  return [...dirs].filter((d) => fs.existsSync(d));
}

/**
 * Calls `onChange` with the changed paths (relative to the folder) after each burst of
 * changes. Returns the function that stops watching.
 */
export function watchWorkflowFolder(folder: string, onChange: (files: string[]) => void, o: WatchOptions = {}): () => void {
  const abs = path.resolve(folder);
  const debounceMs = o.debounceMs ?? 150;
  const watchers = new Map<string, fs.FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const files = [...pending].sort();
    pending.clear();
    // the set of folders may have changed (nodes/ created, a code path added)
    sync();
    onChange(files);
  };

  const note = (dir: string, name: string | null) => {
    if (closed) return;
    if (name && ignored(path.basename(name))) return;
    pending.add(path.relative(abs, name ? path.join(dir, name) : dir) || '.');
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  const sync = () => {
    const want = new Set(watchedFolders(abs));
    for (const [dir, w] of watchers) {
      if (!want.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of want) {
      if (watchers.has(dir)) continue;
      try {
        const w = fs.watch(dir, { persistent: false }, (_event, name) => note(dir, name === null ? null : String(name)));
        // a watched folder that is deleted errors on some platforms: forget it, resync later
        w.on('error', () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // gone between the check and the watch; the next burst resyncs
      }
    }
  };

  sync();
  return () => {
    closed = true;
    clearTimeout(timer);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}

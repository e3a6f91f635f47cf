// Where the app's own files are: the folder holding package.json and resources/. Found by
// walking up from this module, so it is right both for the TypeScript sources (runner/)
// and for the desktop's bundled runner (main/dist/runner-host.mjs, possibly inside an
// asar archive). Files other processes read (the Python worker, the runtime, the
// examples) are unpacked beside the archive (asarUnpack), so their paths point there.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'resources'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the app's files (package.json and resources/) above ${from}`);
  }
}

export const APP_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** resources/ as a real folder other processes (Python) can read, also when the app is an asar archive. */
export const RESOURCES_DIR = path.join(APP_ROOT.replace(/\.asar$/, '.asar.unpacked'), 'resources');

/** require() for CommonJS packages loaded on demand, resolved from the app's node_modules in the sources and the bundles alike. */
export const appRequire = createRequire(import.meta.url);

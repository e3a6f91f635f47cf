// Where the compiled `aqueduct` command lives (dist/cli, built by main/build.mjs at
// install, start and test time) and whether it still matches the sources: each build
// lists the files it was made from, and a source changed since then makes it stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = path.join(ROOT, 'dist', 'cli');
export const CLI_ENTRY = path.join(CLI_DIR, 'aqueduct.mjs');
export const CLI_INPUTS = path.join(CLI_DIR, 'inputs.json');

/** True when dist/cli exists and no source it was built from changed (or vanished) since. */
export function cliBundleFresh() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(CLI_INPUTS, 'utf8'));
  } catch {
    return false;
  }
  for (const file of manifest.inputs) {
    const stat = fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > manifest.builtAt) return false;
  }
  return true;
}

// Runs once before the suite: every test gets its own AQUEDUCT_HOME below a folder of
// this vitest invocation (several may run at once), removed again when the suite ends.
// Built Python environments (and the uv tool) are kept per machine in ~/.cache/aqueduct/envs,
// so a lock built once is reused by every test and every later run of the suite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCli } from '../../main/build.mjs';

export const TEST_ENVS = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'aqueduct', 'envs');

export default async function setup(): Promise<() => void> {
  // the tests run `aqueduct` as users get it: the compiled bundle, rebuilt when a source changed
  await ensureCli();
  const root = path.resolve('.aqueduct-test', `${process.pid}-${Date.now()}`);
  fs.mkdirSync(root, { recursive: true });
  process.env.AQUEDUCT_TEST_ROOT = root;
  process.env.AQUEDUCT_ENVS ??= TEST_ENVS;
  return () => {
    if (!process.env.AQUEDUCT_KEEP_TEST_FILES) fs.rmSync(root, { recursive: true, force: true });
  };
}

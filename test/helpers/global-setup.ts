// Runs once before the suite: every test gets its own AQUEDUCT_HOME below a folder of
// this vitest invocation (several may run at once), removed again when the suite ends.
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): () => void {
  const root = path.resolve('.aqueduct-test', `${process.pid}-${Date.now()}`);
  fs.mkdirSync(root, { recursive: true });
  process.env.AQUEDUCT_TEST_ROOT = root;
  return () => {
    if (!process.env.AQUEDUCT_KEEP_TEST_FILES) fs.rmSync(root, { recursive: true, force: true });
  };
}

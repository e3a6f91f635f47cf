// Runs once before the suite: every test gets its own AQUEDUCT_HOME below this folder,
// and the Python interpreter the tests use is the project's venv (made by npm test).
import fs from 'node:fs';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve('.aqueduct-test');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  process.env.AQUEDUCT_TEST_ROOT = root;
}

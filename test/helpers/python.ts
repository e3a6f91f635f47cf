// The Python interpreter tests run against: AQUEDUCT_PYTHON, or the project's .venv that
// `npm test` creates with pandas and pyarrow. Tests use a real Python, never a fake one.
import fs from 'node:fs';
import path from 'node:path';

export function testPython(): string {
  const python = process.env.AQUEDUCT_PYTHON ?? path.resolve('.venv/bin/python');
  const isPath = /[\\/]/.test(python);
  if (isPath && !fs.existsSync(python)) {
    throw new Error(`Python for tests not found at ${python}. Run \`npm test\`, which creates the venv (.venv) with pandas and pyarrow, or set AQUEDUCT_PYTHON to an interpreter that has them.`);
  }
  return python;
}

// A fresh app-data folder per test file, so runs of one test never show up in another.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempHome(label: string): string {
  const root = process.env.AQUEDUCT_TEST_ROOT ?? os.tmpdir();
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, `${label}-`));
}

/** Copies a workflow folder (e.g. the bundled example) somewhere a test may write. */
export function copyWorkflow(from: string, label: string): string {
  const dest = path.join(tempHome(label), path.basename(from));
  fs.cpSync(from, dest, { recursive: true });
  return dest;
}

export const EXAMPLE_CHURN = path.resolve('resources/examples/customer-churn');

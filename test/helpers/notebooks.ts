// For the notebook tests: run a notebook's own code with the test Python (run_notebook.py)
// and read tables back through DuckDB, so a workflow's outputs can be compared with what
// the notebook computes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { quoteLiteral } from '../../runner/exec/duck.ts';
import { tempHome } from './home.ts';
import { testPython } from './python.ts';

export const NOTEBOOK_FIXTURES = path.resolve('test/fixtures/notebooks');

/** A writable copy of a fixture folder (notebooks write files next to themselves). */
export function copyFixture(name: string): string {
  const dest = path.join(tempHome(`nb-${name}`), name);
  fs.cpSync(path.join(NOTEBOOK_FIXTURES, name), dest, { recursive: true });
  return dest;
}

/** Executes the notebook in its folder and returns the Parquet files of the DataFrames asked for. */
export function runNotebookCode(folder: string, notebook: string, names: string[]): Record<string, string> {
  const out = path.join(folder, '.notebook-out');
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(testPython(), [path.resolve('test/helpers/run_notebook.py'), notebook, out, ...names], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MPLBACKEND: 'Agg' } });
  return Object.fromEntries(names.map((n) => [n, path.join(out, `${n}.parquet`)]));
}

/** The non-table values the last runNotebookCode in `folder` was asked for. */
export function notebookScalars(folder: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(folder, '.notebook-out', 'scalars.json'), 'utf8')) as Record<string, unknown>;
}

/** Checks a notebook file with the nbformat package (the reference validator); throws its complaint. */
export function validateWithNbformat(file: string): void {
  execFileSync(testPython(), ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))', file], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A table's rows as JSON, in file order. */
export async function tableRows(duck: DuckDBInstance, file: string): Promise<Record<string, unknown>[]> {
  const reader = file.endsWith('.csv') ? `read_csv(${quoteLiteral(file)}, header = true)` : `read_parquet(${quoteLiteral(file)})`;
  const c = await duck.connect();
  try {
    const r = await c.runAndReadAll(`SELECT * FROM ${reader}`);
    return r.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

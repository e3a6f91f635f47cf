// Asks Python's `ast` how a notebook maps to a workflow (resources/python/notebook_import):
// the cells where nodes begin (suggested, or as the user marked them), the nodes, the
// requirements from `!pip install` lines, and every issue with what to do. The script is
// run with the app's interpreter in isolated mode and only reads the code; the notebook
// never runs. Its answer is checked before anything uses it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { RESOURCES_DIR } from '../app-root.ts';
import { childEnv } from '../secrets/process-secrets.ts';
import { NODE_KINDS } from '../spec/schema.ts';
import { NotebookError } from './notebook-error.ts';
import type { ParsedNotebook } from './notebook-file.ts';

export const ANALYSIS_SCRIPT = path.join(RESOURCES_DIR, 'python', 'notebook_import');
const TIMEOUT_MS = 60_000;

const Issue = z.object({
  kind: z.string(),
  /** the cell's number as people count (1-based), if the issue is about one */
  cell: z.number().int().nullable(),
  line: z.number().int().nullable(),
  message: z.string(),
  fix: z.string(),
});
export type NotebookIssue = z.infer<typeof Issue>;

const PlannedNode = z.looseObject({
  id: z.string(),
  kind: z.enum(NODE_KINDS as [string, ...string[]]),
  inputs: z.array(z.string()),
  /** indexes (0-based) of the cells the node came from */
  cells: z.array(z.number().int()),
  description: z.string().optional(),
  code: z.string().optional(),
  language: z.enum(['python', 'sql']).optional(),
  file: z.string().optional(),
});
export type PlannedNode = z.infer<typeof PlannedNode>;

const Analysis = z.object({
  name: z.string().nullable(),
  description: z.string().nullable(),
  /** cell indexes (0-based) where the suggestion begins nodes */
  suggested: z.array(z.number().int()),
  /** the starts the nodes below were made with */
  starts: z.array(z.number().int()),
  groups: z.array(z.object({ start: z.number().int(), cells: z.array(z.number().int()), nodes: z.array(z.string()) })),
  nodes: z.array(PlannedNode),
  parameters: z.record(z.string(), z.unknown()),
  requirements: z.array(z.string()),
  issues: z.array(Issue),
  /** the notebook came from Aqueduct's export: nodes come from its cells' metadata */
  exported: z.boolean(),
});
export type NotebookAnalysis = z.infer<typeof Analysis>;

export interface AnalyzeOptions {
  python: string;
  /** the notebook's file name, for comments and messages */
  notebookName: string;
  /** the folder the notebook's relative paths start at, if known */
  baseDir?: string;
  /** cell indexes where nodes begin; default: the suggestion */
  starts?: number[];
}

export async function analyzeNotebook(nb: ParsedNotebook, o: AnalyzeOptions): Promise<NotebookAnalysis> {
  const request = JSON.stringify({
    notebook: o.notebookName,
    baseDir: o.baseDir ?? null,
    starts: o.starts ?? null,
    cells: nb.cells,
    metadata: nb.aqueduct ?? null,
  });
  const out = await runScript(o.python, request);
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch {
    throw new NotebookError(`Python at ${o.python} gave no answer Aqueduct could read while analysing ${o.notebookName}`, 'check that it is Python 3.9 or newer (Settings, or AQUEDUCT_PYTHON)');
  }
  const r = Analysis.safeParse(parsed);
  if (!r.success) throw new Error(`the notebook analysis answered in an unexpected shape: ${r.error.message}`);
  return r.data;
}

function runScript(python: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-I', '-B', ANALYSIS_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, env: childEnv({ PYTHONIOENCODING: 'utf-8' }) });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT'
        ? new NotebookError(`Python interpreter ${python} was not found, so the notebook could not be analysed`, 'install Python 3.9+ or set the interpreter in Settings (or AQUEDUCT_PYTHON)')
        : new NotebookError(`Python at ${python} could not be started (${e.code ?? e.message})`, 'choose another interpreter in Settings (or AQUEDUCT_PYTHON)'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(stdout).toString('utf8'));
      const detail = Buffer.concat(stderr).toString('utf8').trim();
      // the traceback is ours to read, not the user's: it goes to the log
      if (detail) console.error(`notebook analysis with ${python} failed:\n${detail}`);
      const last = detail.split('\n').pop() ?? '';
      if (signal === 'SIGKILL') return reject(new NotebookError(`analysing the notebook took longer than ${TIMEOUT_MS / 1000} seconds`, 'split the notebook, or clear very long cells'));
      if (/SyntaxError|AttributeError: .*(reconfigure|end_lineno)/.test(last)) {
        return reject(new NotebookError(`Python at ${python} is too old to analyse notebooks`, 'use Python 3.9 or newer (Settings, or AQUEDUCT_PYTHON)'));
      }
      reject(new Error(`the notebook analysis failed in Python (${last || `exit ${code}`})`));
    });
    child.stdin.on('error', () => undefined); // a child that exits early: its exit code says why
    child.stdin.end(input);
  });
}

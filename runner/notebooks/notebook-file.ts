// Reading a .ipynb file: untrusted input, so it is size-limited and checked against the
// part of nbformat 4 we use (cells with a type and a source; Aqueduct's own metadata).
// Outputs (images, tables) are dropped at once: the import never needs them.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { NotebookError } from './notebook-error.ts';

/** Big enough for notebooks full of images; the cells we keep are a small part of it. */
export const MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024;

const Source = z.union([z.string(), z.array(z.string())]).transform((s) => (Array.isArray(s) ? s.join('') : s));
const Metadata = z.record(z.string(), z.unknown()).catch({});

const Cell = z.object({
  cell_type: z.enum(['code', 'markdown', 'raw']),
  source: Source,
  metadata: Metadata.optional(),
});

const Notebook = z.object({
  nbformat: z.number().int(),
  metadata: Metadata.optional(),
  cells: z.array(Cell),
});

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string;
  /** only Aqueduct's own cell metadata is kept (exported notebooks) */
  metadata: { aqueduct?: Record<string, unknown> };
}

export interface ParsedNotebook {
  cells: NotebookCell[];
  /** Aqueduct's notebook-level metadata, in notebooks Aqueduct exported */
  aqueduct?: Record<string, unknown>;
}

function objectOrUndefined(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Parses a notebook's text; `name` (the file name) only words the error. */
export function parseNotebook(text: string, name: string): ParsedNotebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NotebookError(`${name} is not a Jupyter notebook (it is not JSON)`, 'choose a .ipynb file saved by Jupyter, JupyterLab or VS Code', 'notebook');
  }
  const r = Notebook.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : '';
    throw new NotebookError(`${name} is not a notebook Aqueduct can read${where}`, 'save it again from Jupyter as a current notebook (nbformat 4)', 'notebook');
  }
  if (r.data.nbformat < 4) {
    throw new NotebookError(`${name} is an nbformat ${r.data.nbformat} notebook; Aqueduct reads nbformat 4`, 'open it in Jupyter and save it again to convert it', 'notebook');
  }
  const cells = r.data.cells.map((c): NotebookCell => {
    const aqueduct = objectOrUndefined(c.metadata?.['aqueduct']);
    return { cell_type: c.cell_type, source: c.source.replace(/\r\n/g, '\n'), metadata: aqueduct ? { aqueduct } : {} };
  });
  return { cells, aqueduct: objectOrUndefined(r.data.metadata?.['aqueduct']) };
}

/** Reads and parses a notebook file on this machine. */
export function readNotebookFile(file: string): ParsedNotebook {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new NotebookError(`${abs} does not exist`, 'give the path of a .ipynb file', 'path');
  }
  if (!stat.isFile()) throw new NotebookError(`${abs} is not a file`, 'give the path of a .ipynb file', 'path');
  if (stat.size > MAX_NOTEBOOK_BYTES) {
    throw new NotebookError(`${path.basename(abs)} is ${Math.round(stat.size / 1024 / 1024)} MB, more than a notebook Aqueduct imports (100 MB)`, 'clear its outputs in Jupyter (Edit → Clear All Outputs) and save it', 'path');
  }
  return parseNotebook(fs.readFileSync(abs, 'utf8'), path.basename(abs));
}

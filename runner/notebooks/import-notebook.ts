// A notebook becomes a workflow folder: the analysis's nodes written through the one
// workflow writer (spec/save.ts), the data files its sources read copied in beside them
// (or pointed at, when large), `!pip install` hints in requirements.txt and the list of
// what could not be mapped in IMPORT-NOTES.md. Everything is written into a temporary
// folder that is renamed into place at the end, so a crash leaves no half workflow.
import fs from 'node:fs';
import path from 'node:path';
import { saveWorkflow } from '../spec/save.ts';
import type { WorkflowFileInput } from '../spec/schema.ts';
import { analyzeNotebook, type AnalyzeOptions, type NotebookAnalysis, type NotebookIssue, type PlannedNode } from './analyze-notebook.ts';
import { NotebookError } from './notebook-error.ts';
import type { ParsedNotebook } from './notebook-file.ts';

/** Data files up to this size are copied into the workflow; larger ones are read where they are. */
export const COPY_LIMIT_BYTES = 100 * 1024 * 1024;
export const NOTES_FILE = 'IMPORT-NOTES.md';
const SPEC_FIELDS = ['id', 'kind', 'description', 'inputs', 'timeout', 'retries', 'file', 'format', 'sheet', 'connection', 'query',
  'destination', 'mode', 'key', 'severity', 'bounds'] as const;

export interface ImportOptions extends AnalyzeOptions {
  /** the folder to create; it must not exist or be empty */
  out: string;
  /** the workflow's name; default: the notebook's title, else its file name */
  name?: string;
}

export interface ImportResult {
  folder: string;
  name: string;
  nodes: { id: string; kind: string; inputs: string[] }[];
  issues: NotebookIssue[];
  /** data files copied into the workflow folder, relative to it */
  copied: string[];
  requirements: string[];
}

export async function importNotebook(nb: ParsedNotebook, o: ImportOptions): Promise<ImportResult> {
  const dest = path.resolve(o.out);
  assertFree(dest);
  const analysis = await analyzeNotebook(nb, o);
  return writeWorkflow(analysis, dest, o);
}

function assertFree(dest: string): void {
  if (fs.existsSync(dest) && (!fs.statSync(dest).isDirectory() || fs.readdirSync(dest).length > 0)) {
    throw new NotebookError(`${dest} is not empty`, 'choose an empty or new folder for the workflow', 'out');
  }
}

function writeWorkflow(a: NotebookAnalysis, dest: string, o: ImportOptions): ImportResult {
  const stem = path.basename(o.notebookName).replace(/\.ipynb$/i, '');
  const name = o.name?.trim() || a.name || stem;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dest), `.${path.basename(dest)}-import-`));
  try {
    const issues = [...a.issues];
    const copied: string[] = [];
    const nodes = a.nodes.map((n) => (n.kind === 'source' && n.file ? placeSource(n, tmp, o, issues, copied) : n));
    const code: Record<string, string> = {};
    const definitionNodes = nodes.map((n) => {
      const spec: Record<string, unknown> = {};
      for (const f of SPEC_FIELDS) if (n[f] !== undefined && n[f] !== null) spec[f] = n[f];
      if (n.code !== undefined) {
        code[n.id] = n.code;
        if (n.language === 'python' && n.kind !== 'python') spec.code = `nodes/${n.id}.py`;
      }
      return spec;
    });
    if (definitionNodes.length === 0) {
      throw new NotebookError(`${o.notebookName} gave no nodes: no cell defines a DataFrame other cells use, reads a data file or writes one`, 'mark where nodes begin in the import dialog (or --starts), or add the cells that load and shape the data');
    }
    const description = a.description ?? `Imported from ${path.basename(o.notebookName)}.`;
    const definition = { name, description, parameters: a.parameters, nodes: definitionNodes } as WorkflowFileInput;
    saveWorkflow(tmp, definition, code);
    if (a.requirements.length) {
      fs.writeFileSync(path.join(tmp, 'requirements.txt'), `# from the pip install lines of ${path.basename(o.notebookName)}\n${a.requirements.join('\n')}\n`);
    }
    fs.writeFileSync(path.join(tmp, NOTES_FILE), notes(path.basename(o.notebookName), nodes, issues));
    if (fs.existsSync(dest)) fs.rmdirSync(dest);
    fs.renameSync(tmp, dest);
    return { folder: dest, name, nodes: nodes.map((n) => ({ id: n.id, kind: n.kind, inputs: n.inputs })), issues, copied, requirements: a.requirements };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Where a source's data file is, or the issue saying it could not be found. */
function locateSource(n: PlannedNode, baseDir: string | undefined): { abs: string; stat: fs.Stats } | NotebookIssue {
  const written = n.file!;
  const abs = path.isAbsolute(written) ? written : baseDir ? path.resolve(baseDir, written) : undefined;
  const stat = abs ? statOrUndefined(abs) : undefined;
  if (abs && stat?.isFile()) return { abs, stat };
  const rel = path.isAbsolute(written) ? `data/${path.basename(written)}` : written;
  return {
    kind: 'source-missing', cell: n.cells[0] !== undefined ? n.cells[0] + 1 : null, line: null,
    message: abs ? `${written}, read by node ${n.id}, was not found (looked at ${abs})` : `${written}, read by node ${n.id}, could not be found: the notebook came without the folder of its data files`,
    fix: `give the notebook's folder, or copy the file to ${rel} in the workflow folder after importing${path.isAbsolute(written) ? ` and set node ${n.id}'s file to ${rel}` : ''}`,
  };
}

/** The data files the analysed notebook reads that cannot be found, as issues (the import dialog shows them before importing). */
export function missingSources(a: NotebookAnalysis, baseDir: string | undefined): NotebookIssue[] {
  return a.nodes.filter((n) => n.kind === 'source' && n.file).map((n) => locateSource(n, baseDir)).filter((r): r is NotebookIssue => 'kind' in r);
}

/** Copies a source's data file into the workflow (keeping a relative path that stays inside), or points at it. */
function placeSource(n: PlannedNode, folder: string, o: ImportOptions, issues: NotebookIssue[], copied: string[]): PlannedNode {
  const found = locateSource(n, o.baseDir);
  if ('kind' in found) {
    issues.push(found);
    return n;
  }
  const { abs, stat } = found;
  const written = n.file!;
  const cell = n.cells[0] !== undefined ? n.cells[0] + 1 : null;
  if (stat.size > COPY_LIMIT_BYTES) {
    issues.push({ kind: 'source-in-place', cell, line: null, message: `node ${n.id} reads ${abs} where it is (${Math.round(stat.size / 1024 / 1024)} MB, too large to copy)`, fix: 'keep the file there, or copy it into the workflow folder and change the node\'s file' });
    return { ...n, file: abs };
  }
  const inside = !path.isAbsolute(written) && !path.normalize(written).startsWith('..');
  let rel = inside ? path.normalize(written).split(path.sep).join('/') : `data/${path.basename(abs)}`;
  for (let i = 2; fs.existsSync(path.join(folder, rel)); i++) rel = rel.replace(/(\.[^./]*)?$/, (ext) => `-${i}${ext}`);
  fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
  fs.copyFileSync(abs, path.join(folder, rel));
  copied.push(rel);
  return { ...n, file: rel };
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function notes(notebook: string, nodes: PlannedNode[], issues: NotebookIssue[]): string {
  const cells = (n: PlannedNode) => (n.cells.length ? ` (cell${n.cells.length > 1 ? 's' : ''} ${n.cells.map((c) => c + 1).join(', ')})` : '');
  const lines = [`# Imported from ${notebook}`, '', 'Nodes:', '', ...nodes.map((n) => `- ${n.id}: ${n.kind}${cells(n)}`), ''];
  lines.push(issues.length ? 'What could not be mapped, and what to do:' : 'Everything in the notebook was mapped.', '');
  for (const i of issues) lines.push(`- ${i.cell !== null ? `cell ${i.cell}: ` : ''}${i.message}. Fix: ${i.fix}.`);
  return lines.join('\n') + '\n';
}

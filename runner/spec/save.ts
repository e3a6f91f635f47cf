// Writes a workflow back to its folder: workflow.yaml plus one code file per SQL/Python
// node. The YAML is updated in place (yaml's Document API), so comments and key order a
// user wrote in a text editor survive an edit made in the visual editor. Every file is
// written to a temporary name and renamed, so a crash never leaves half a file. Code files
// are written only inside the folder: a path that leads out is refused before any write. This
// module is the one writer of workflow.yaml: the schedule's block and a rename go
// through rewriteDefinitionFile below.
// A save writes only the editor's part of the definition (EDITOR_FIELDS); the rest stays
// as the file has it now. Given the document the editor started from, the parts the
// editor did not change are taken from the file too (save-merge.ts), so nothing another
// tab, the CLI or a text editor wrote meanwhile is written back over.
import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isSeq, type Document } from 'yaml';
import { EDITOR_FIELDS, hasCodeFile, WorkflowFile, type EditorDefinitionInput } from './schema.ts';
import { pathInside } from './contained-path.ts';
import { codeFileProblem, DEFINITION_FILE, locateCodePath, parseDefinitionText, parseWorkflow } from './load.ts';
import { mergeEditorDefinition } from './save-merge.ts';
import { zodProblems } from './schema-messages.ts';
import { WorkflowInvalidError, type SpecProblem } from './workflow.ts';

export interface SaveResult {
  written: string[];
  removed: string[];
  /** the definition as saved (with what the file had that the editor did not change) */
  definition: WorkflowFile;
}

export interface SaveOptions {
  /** the document as the editor read it; what it did not change is taken from the file as it is now */
  base?: { definition: EditorDefinitionInput; code: Record<string, string> };
}

const editorPart = (d: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(d).filter(([k]) => (EDITOR_FIELDS as readonly string[]).includes(k)));
const otherPart = (d: unknown): Record<string, unknown> =>
  d && typeof d === 'object' && !Array.isArray(d) ? Object.fromEntries(Object.entries(d).filter(([k]) => !(EDITOR_FIELDS as readonly string[]).includes(k))) : {};

/** What a save would write: the merged definition, where each code file goes, and which code texts to write. */
interface PreparedSave {
  file: string;
  before: string;
  def: WorkflowFile;
  codePaths: Map<string, string>;
  code: Record<string, string>;
}

/**
 * The definition and code as a save would leave them, validated; throws WorkflowInvalidError
 * with the problems otherwise. Writes nothing.
 */
function prepareSave(abs: string, definition: EditorDefinitionInput, code: Record<string, string>, o: SaveOptions): PreparedSave {
  const file = path.join(abs, DEFINITION_FILE);
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const onDisk = parseDefinitionText(before);
  if (!onDisk.ok) throw new WorkflowInvalidError([{ ...onDisk.problem, fix: `fix ${DEFINITION_FILE} in a text editor, then save again` }]);
  // fields the editor does not own (the schedule) come from the file as it is now
  const merged = { ...otherPart(onDisk.raw), ...editorPart(definition) };
  const parsed = WorkflowFile.safeParse(merged);
  if (!parsed.success) {
    throw new WorkflowInvalidError(zodProblems(merged, parsed.error));
  }
  let def = parsed.data;
  if (o.base) {
    const base = WorkflowFile.safeParse({ ...otherPart(onDisk.raw), ...editorPart(o.base.definition) });
    const disk = WorkflowFile.safeParse(onDisk.raw);
    if (base.success && disk.success) def = { ...def, ...mergeEditorDefinition(base.data, def, disk.data) };
  }
  const codePaths = codePathsOf(abs, def);
  // a code path leading out of the folder, or naming a folder or a device, can be neither read nor replaced
  const unusable = def.nodes.flatMap((n, i) => {
    const rel = codePaths.get(n.id);
    const at = rel === undefined ? undefined : locateCodePath(abs, rel);
    return at && 'unusable' in at ? [codeFileProblem(n, i, at)] : [];
  });
  if (unusable.length) throw new WorkflowInvalidError(unusable);
  // code the editor left as it was stays as the file has it now
  const baseCode = o.base?.code;
  if (baseCode) {
    code = Object.fromEntries(
      Object.entries(code).filter(([id, text]) => !(baseCode[id] === text && codePaths.has(id) && fs.existsSync(path.join(abs, codePaths.get(id)!)))),
    );
  }
  // validate the whole thing as it will be on disk, before touching any file
  const check = parseWorkflowWithCode(abs, def, code, codePaths);
  if (check) throw new WorkflowInvalidError(check);
  return { file, before, def, codePaths, code };
}

/**
 * Saves the editor's part of the definition, and code. The definition is validated first;
 * nothing is written if it is invalid. Code files of nodes that were removed are deleted.
 */
export function saveWorkflow(folder: string, definition: EditorDefinitionInput, code: Record<string, string>, o: SaveOptions = {}): SaveResult {
  const abs = path.resolve(folder);
  const { file, before, def, codePaths, code: toWrite } = prepareSave(abs, definition, code, o);
  const written: string[] = [];
  const removed: string[] = [];
  for (const [id, rel] of codePaths) {
    const text = toWrite[id];
    if (text === undefined) continue;
    const target = path.join(abs, rel);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text) continue;
    writeAtomic(target, text);
    written.push(rel);
  }
  const yamlText = mergeYaml(before, stripDefaults(def), EDITOR_FIELDS);
  if (yamlText !== before) {
    writeAtomic(file, yamlText);
    written.push(DEFINITION_FILE);
  }
  // code files of nodes no longer in the workflow
  const nodesDir = path.join(abs, 'nodes');
  if (fs.existsSync(nodesDir) && pathInside(abs, 'nodes')) {
    const keep = new Set([...codePaths.values()].map((r) => path.resolve(abs, r)));
    for (const f of fs.readdirSync(nodesDir)) {
      const full = path.join(nodesDir, f);
      const id = f.replace(/\.(sql|py)$/, '');
      if (f === id || keep.has(full) || def.nodes.some((n) => n.id === id)) continue;
      fs.rmSync(full);
      removed.push(path.join('nodes', f));
    }
  }
  return { written, removed, definition: def };
}

/**
 * Rewrites workflow.yaml through `change` (given the text now, it returns the new text),
 * under a temporary name renamed over the file. Returns whether the text changed.
 */
export function rewriteDefinitionFile(folder: string, change: (before: string) => string): boolean {
  const file = path.join(folder, DEFINITION_FILE);
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) return false;
  writeAtomic(file, after);
  return true;
}

/** Where each code node's file is (or will be): as set, as found, or nodes/<id>.sql|.py. */
function codePathsOf(folder: string, def: WorkflowFile): Map<string, string> {
  const codePaths = new Map<string, string>();
  for (const node of def.nodes) {
    if (!hasCodeFile(node)) continue;
    codePaths.set(node.id, node.code ?? existingCodeFile(folder, node.id) ?? `nodes/${node.id}.${node.kind === 'python' ? 'py' : 'sql'}`);
  }
  return codePaths;
}

/** The problems saving would report, without writing anything (the editor's banner follows edits with it). */
export function saveProblems(folder: string, definition: EditorDefinitionInput, code: Record<string, string>, o: SaveOptions = {}): SpecProblem[] {
  try {
    prepareSave(path.resolve(folder), definition, code, o);
    return [];
  } catch (e) {
    if (e instanceof WorkflowInvalidError) return e.problems;
    throw e;
  }
}

function parseWorkflowWithCode(
  folder: string,
  definition: unknown,
  code: Record<string, string>,
  codePaths: Map<string, string>,
) {
  // code files may not exist yet: validate the graph against a view where they do
  const missing = [...codePaths].filter(([id, rel]) => code[id] === undefined && !fs.existsSync(path.join(folder, rel)));
  if (missing.length) {
    return missing.map(([id, rel]) => ({ file: rel, nodeId: id, message: `no code given for node "${id}"`, fix: 'write its SQL or Python first' }));
  }
  const tmp = fs.mkdtempSync(path.join(path.dirname(folder), '.aqueduct-save-'));
  try {
    for (const [id, rel] of codePaths) {
      const text = code[id] ?? fs.readFileSync(path.join(folder, rel), 'utf8');
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    }
    const r = parseWorkflow(tmp, definition);
    return r.ok ? undefined : r.problems;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function existingCodeFile(folder: string, id: string): string | undefined {
  for (const rel of [`nodes/${id}.sql`, `nodes/${id}.py`]) if (fs.existsSync(path.join(folder, rel))) return rel;
  return undefined;
}

/**
 * Applies the new definition to the existing YAML document, keeping its comments. With
 * `keys`, only those top-level keys are set or removed; the others stay as written.
 */
export function mergeYaml(existing: string, next: Record<string, unknown>, keys?: readonly string[]): string {
  if (!existing.trim()) return YAML.stringify(next, { lineWidth: 100 });
  const doc = YAML.parseDocument(existing);
  if (!isMap(doc.contents)) return YAML.stringify(next, { lineWidth: 100 });
  const mine = (key: string) => !keys || keys.includes(key);
  for (const key of Object.keys(doc.toJSON() ?? {})) if (mine(key) && (!(key in next) || next[key] === undefined)) doc.delete(key);
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined || !mine(key)) continue;
    if (key === 'nodes' && Array.isArray(value)) mergeNodes(doc, value as Record<string, unknown>[]);
    else if (!sameJson(doc.get(key, false) === undefined ? undefined : doc.toJSON()?.[key], value)) doc.set(key, doc.createNode(value));
  }
  return doc.toString({ lineWidth: 100 });
}

/** Nodes are matched by id, so a node's comments stay with it when others change. */
function mergeNodes(doc: Document, nodes: Record<string, unknown>[]): void {
  const seq = doc.get('nodes', true);
  if (!isSeq(seq)) return void doc.set('nodes', doc.createNode(nodes));
  const oldItems = new Map<string, unknown>();
  for (const item of seq.items) {
    if (isMap(item)) oldItems.set(String(item.get('id')), item);
  }
  seq.items = nodes.map((n) => {
    const old = oldItems.get(String(n.id));
    if (!isMap(old)) return doc.createNode(n);
    const oldJson = old.toJSON() as Record<string, unknown>;
    for (const k of Object.keys(oldJson)) if (!(k in n) || n[k] === undefined) old.delete(k);
    for (const [k, v] of Object.entries(n)) {
      if (v === undefined || sameJson(oldJson[k], v)) continue;
      old.set(k, doc.createNode(v));
    }
    return old;
  }) as typeof seq.items;
}

/** The definition as a person would write it: fields left at their defaults are omitted. */
export function stripDefaults(def: WorkflowFile): Record<string, unknown> {
  const nodes = def.nodes.map((n) => {
    const out: Record<string, unknown> = { ...n };
    if (n.inputs.length === 0) delete out.inputs;
    if (n.retries === 0) delete out.retries;
    if ((n.kind === 'check' || n.kind === 'metric') && n.severity === 'error') delete out.severity;
    if (n.kind === 'publish' && n.mode === 'replace') delete out.mode;
    return out;
  });
  const out: Record<string, unknown> = { ...def, nodes };
  if (Object.keys(def.parameters).length === 0) delete out.parameters;
  if (Object.keys(def.layout).length === 0) delete out.layout;
  if (def.schedule) {
    const s: Record<string, unknown> = { ...def.schedule };
    if (s.paused === false) delete s.paused;
    if (s.catchup === 'skip') delete s.catchup;
    if (s.overlap === 'skip') delete s.overlap;
    out.schedule = s;
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Temp file and rename, so a crash never leaves it half-written; a file that existed keeps its mode (a private one stays private). */
export function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mode = fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : undefined;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  if (mode !== undefined) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

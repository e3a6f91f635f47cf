// The editable workflow document: the editor's part of workflow.yaml (name, description,
// parameters, nodes, layout; the schedule belongs to the Schedule tab and is not held
// here, so a save can never write back a stale one) plus each code node's source and language. Everything the
// editor changes is a new GraphDoc (never mutated), so undo is a stack of documents and
// "unsaved" is a comparison with the document last read from or written to disk.
import type { EditorDefinition, LoadedNode, NodeKind, WorkflowDetail, WorkflowFile } from './api-types.ts';

export type NodeSpec = WorkflowFile['nodes'][number];
export type Language = 'sql' | 'python';
export type XY = { x: number; y: number };

export interface GraphDoc {
  definition: EditorDefinition;
  /** source by node id, for code nodes only */
  code: Record<string, string>;
  /** language by node id, for code nodes only (checks and metrics may be either) */
  languages: Record<string, Language>;
}

/** Kinds with a code file (mirrors CODE_KINDS of runner/spec/schema.ts). */
export const CODE_KINDS: ReadonlySet<NodeKind> = new Set(['sql', 'python', 'check', 'metric']);
/** Whether a node has a code file: code kinds, except checks made from a template (mirrors hasCodeFile of runner/spec/schema.ts). */
export function hasCode(n: NodeSpec): boolean {
  return CODE_KINDS.has(n.kind) && !(n.kind === 'check' && n.template);
}
/** Kinds whose output is a table another node can read (mirrors runner/spec/validate.ts). */
export const TABLE_KINDS: ReadonlySet<NodeKind> = new Set(['source', 'sql', 'python']);
/** Node and parameter ids (mirrors NODE_ID of runner/spec/schema.ts; not imported, to keep zod out of the bundle). */
export const NODE_ID = /^[a-z_][a-z0-9_]*$/;

export function docFromDetail(detail: WorkflowDetail): GraphDoc | undefined {
  if (!detail.definition) return undefined;
  const code: Record<string, string> = {};
  const languages: Record<string, Language> = {};
  for (const n of detail.nodes) {
    if (!CODE_KINDS.has(n.kind)) continue;
    languages[n.id] = n.language ?? defaultLanguage(n.kind, n.code);
    code[n.id] = n.source ?? '';
  }
  return { definition: editorPart(detail.definition), code, languages };
}

/** The fields of a definition the graph editor edits (mirrors EDITOR_FIELDS of runner/spec/schema.ts). */
export function editorPart(d: WorkflowFile | EditorDefinition): EditorDefinition {
  const { name, description, parameters, nodes, layout, owner, watchers, endpoints } = d;
  const out: EditorDefinition = { name, parameters, nodes, layout };
  // optional fields only when set, so a document compares equal to the file it came from
  if (description !== undefined) out.description = description;
  if (owner !== undefined) out.owner = owner;
  if (watchers !== undefined) out.watchers = watchers;
  if (endpoints !== undefined) out.endpoints = endpoints;
  return out;
}

export function defaultLanguage(kind: NodeKind, codePath?: string): Language {
  if (codePath) return codePath.endsWith('.py') ? 'python' : 'sql';
  return kind === 'python' ? 'python' : 'sql';
}

/** The nodes as the rest of the app reads them (LoadedNode: spec plus source). */
export function loadedNodes(doc: GraphDoc): LoadedNode[] {
  return doc.definition.nodes.map((n) => {
    if (!hasCode(n)) return n;
    const language = doc.languages[n.id] ?? defaultLanguage(n.kind, n.code);
    return { ...n, source: doc.code[n.id] ?? '', language, codeFile: n.code ?? `nodes/${n.id}.${language === 'python' ? 'py' : 'sql'}` };
  });
}

/** What `workflows.save` takes: the editor's part of the definition and the code of every code node. */
export function savePayload(doc: GraphDoc): { definition: EditorDefinition; code: Record<string, string> } {
  const all = new Set(doc.definition.nodes.map((n) => n.id));
  const coded = new Set(doc.definition.nodes.filter((n) => CODE_KINDS.has(n.kind)).map((n) => n.id));
  const layout = Object.fromEntries(Object.entries(doc.definition.layout).filter(([id]) => all.has(id)));
  return {
    definition: { ...editorPart(doc.definition), layout },
    code: Object.fromEntries(Object.entries(doc.code).filter(([id]) => coded.has(id))),
  };
}

/** Deep equality of plain JSON values (documents, node specs). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameJson(ao[k], bo[k]));
}

export function sameDoc(a: GraphDoc | undefined, b: GraphDoc | undefined): boolean {
  return sameJson(a, b);
}

/** The first code a new node gets: runs as is, and names its inputs so editing starts from them. */
export function starterCode(kind: NodeKind, language: Language, inputs: string[]): string {
  const [first] = inputs;
  if (language === 'python') {
    const args = inputs.join(', ');
    if (kind === 'check') return `def run(${args}):\n    """Return True when the data is as expected."""\n    return ${first ? `len(${first}) > 0` : 'True'}\n`;
    if (kind === 'metric') return `def run(${args}):\n    """Return one number to track across runs."""\n    return ${first ? `float(len(${first}))` : '0.0'}\n`;
    const body = first ? `    return ${first}\n` : '    return pd.DataFrame({"x": [1, 2, 3]})\n';
    return `import pandas as pd\n\n\ndef run(${args}):\n    """Inputs arrive as pandas DataFrames; return a DataFrame."""\n${body}`;
  }
  const joins = inputs.slice(1).map((i) => `-- JOIN ${i} USING (...)\n`).join('');
  if (kind === 'check') return first ? `-- true when the check passes\nSELECT count(*) > 0\nFROM ${first}\n${joins}` : 'SELECT true\n';
  if (kind === 'metric') return first ? `SELECT count(*)\nFROM ${first}\n${joins}` : 'SELECT 0\n';
  return first ? `SELECT *\nFROM ${first}\n${joins}` : '-- each input is a table named by its node\nSELECT 1 AS x\n';
}

/** A node of `kind` with the fields it needs and nothing else (defaults as the schema sets them). */
export function newNodeSpec(kind: NodeKind, id: string): NodeSpec {
  // key order as a person writes it: id and kind first
  const base = { inputs: [] as string[], retries: 0 };
  switch (kind) {
    case 'source':
      return { id, kind, ...base, file: `data/${id}.csv` };
    case 'sql':
    case 'python':
      return { id, kind, ...base };
    case 'check':
    case 'metric':
      return { id, kind, ...base, severity: 'error' };
    case 'publish':
      return { id, kind, ...base, destination: { type: 'csv', path: `out/${id}.csv` }, mode: 'replace' };
    case 'report':
      return { id, kind, ...base, title: 'Report' };
  }
}

type Destination = Extract<NodeSpec, { kind: 'publish' }>['destination'];

/** Destination types written to a file, and the extension each gets. */
export const FILE_EXTENSIONS: Record<string, string> = { csv: 'csv', parquet: 'parquet', json: 'json', excel: 'xlsx', duckdb: 'duckdb', sqlite: 'sqlite' };
/** Destination types that are a table in a database. */
const TABLE_TYPES = new Set(['duckdb', 'sqlite', 'postgres', 'mysql', 'mariadb', 'snowflake', 'bigquery', 'google_sheets']);

/**
 * A publish's destination after its type changes: a file path keeps its folder and name
 * and takes the new type's extension (out/x.csv becomes out/x.sqlite); a database gets
 * a table named after the node; fields the new type has no use for go.
 */
export function switchDestination(d: Destination, type: string, nodeId: string): Destination {
  const ext = FILE_EXTENSIONS[type];
  const next: Destination = { type };
  if (ext) {
    const stem = d.path ? d.path.replace(/\.[A-Za-z0-9]+$/, '') : `out/${nodeId}`;
    next.path = `${stem}.${ext}`;
  }
  if (TABLE_TYPES.has(type)) next.table = d.table ?? nodeId;
  if (!ext && d.connection) next.connection = d.connection;
  if (type === 'excel' || type === 'google_sheets') next.sheet = d.sheet ?? (type === 'excel' ? nodeId : undefined);
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as Destination;
}

// The cells of an exported notebook: nbformat 4.5 JSON, one markdown header and one code
// cell per node. Each code cell reads its inputs from the run's Parquet (aq.load), then
// runs the node as the engine would: SQL through DuckDB over the DataFrames, Python by
// calling its run(). Python code sits between marker comments and SQL in the string given
// to aq.sql, and each cell carries its node's definition in its metadata, so importing the
// notebook again (notebook_import/nb_exported.py) gives the same workflow back.
import type { NodeSpec } from '../spec/schema.ts';

export interface NbCell {
  cell_type: 'code' | 'markdown';
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: unknown[];
}

export interface ExportNode {
  spec: NodeSpec;
  language?: 'sql' | 'python';
  code?: string;
  /** the code file, relative to the workflow folder */
  codeFile?: string;
  /** a source's data file, absolute */
  sourcePath?: string;
}

/** A JSON value as a Python literal. */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'float("inf")' : v < 0 ? 'float("-inf")' : 'float("nan")';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x)}`).join(', ')}}`;
}

/** Code as a Python string literal on lines of its own (raw, unless it holds triple quotes). */
export function pyBlock(text: string): string {
  const body = `\n${text.replace(/\n+$/, '')}\n`;
  return body.includes('"""') ? JSON.stringify(body) : `r"""${body}"""`;
}

function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l, i) => l !== '' || i < parts.length - 1);
}

export function markdownCell(id: string, text: string): NbCell {
  return { cell_type: 'markdown', id, metadata: {}, source: lines(text) };
}

export function codeCell(id: string, text: string, metadata: Record<string, unknown> = {}): NbCell {
  return { cell_type: 'code', id, metadata, source: lines(text), execution_count: null, outputs: [] };
}

function describe(n: ExportNode): string {
  const s = n.spec;
  switch (s.kind) {
    case 'source':
      return s.connection ? `Queries the connection \`${s.connection}\`; only the run's output is available here.` : `Reads \`${s.file}\`${s.format ? ` (${s.format})` : ''}.`;
    case 'publish': {
      const where = s.destination.path ?? s.destination.table ?? '';
      return `Publishes \`${s.inputs[0]}\` to ${s.destination.type} \`${where}\` (mode ${s.mode}). Nothing is written from this notebook.`;
    }
    case 'check':
      return `A check (severity ${s.severity}): true passes.`;
    case 'metric':
      return `A metric${s.bounds ? ` (bounds ${s.bounds.lower ?? '-∞'} to ${s.bounds.upper ?? '∞'})` : ''}.`;
    default:
      return '';
  }
}

export function nodeHeader(n: ExportNode, index: number): NbCell {
  const s = n.spec;
  const text = [`## ${s.id} · ${s.kind}${n.language && s.kind !== 'sql' && s.kind !== 'python' ? ` (${n.language})` : ''}`, s.description, describe(n)].filter(Boolean).join('\n\n');
  return markdownCell(`aq-${index}-about`, text);
}

/** The node's code cell; `metadata.aqueduct` holds what the import needs to rebuild the node. */
export function nodeCell(n: ExportNode, index: number): NbCell {
  const s = n.spec;
  const loads = s.kind === 'source' ? [] : s.inputs.map((i) => `${i} = aq.load(${JSON.stringify(i)})`);
  const args = s.inputs.map((i) => `${i}=${i}`).join(', ');
  const body: string[] = [];
  if (s.kind === 'source') {
    const file = n.sourcePath && !s.connection
      ? `, file=${JSON.stringify(n.sourcePath)}, format=${JSON.stringify(s.format ?? formatOf(n.sourcePath))}${s.sheet ? `, sheet=${JSON.stringify(s.sheet)}` : ''}`
      : '';
    body.push(`${s.id} = aq.load(${JSON.stringify(s.id)}${file})`);
  } else if (s.kind === 'publish') {
    body.push(`# ${describe(n)}`, ...loads);
  } else if (n.language === 'python') {
    const file = n.codeFile ?? `nodes/${s.id}.py`;
    // the node's code comes first, so a `from __future__` import in it stays at the top of the cell
    body.push(`# ---- ${file} ----`, (n.code ?? '').replace(/\n+$/, ''), `# ---- end of ${file} ----`, '', ...loads, `${s.id} = aq.call(run${args ? `, ${args}` : ''})`);
  } else {
    const fn = s.kind === 'sql' ? 'sql' : 'scalar';
    body.push(...loads, `${s.id} = aq.${fn}(${pyBlock(n.code ?? '')}${args ? `, ${args}` : ''})`);
  }
  body.push(s.kind === 'publish' ? s.inputs[0] ?? '' : s.id);
  const { id, kind, inputs, code: _code, ...spec } = s;
  if (spec.retries === 0) delete (spec as { retries?: number }).retries;
  const meta: Record<string, unknown> = { node: id, kind, inputs, spec };
  if (n.language) meta.language = n.language;
  if (n.sourcePath) meta.path = n.sourcePath;
  return codeCell(`aq-${index}-node`, body.join('\n'), { aqueduct: meta });
}

function formatOf(file: string): string {
  const ext = file.toLowerCase().split('.').pop() ?? '';
  return ext === 'parquet' || ext === 'pq' ? 'parquet' : ext === 'json' || ext === 'jsonl' || ext === 'ndjson' ? 'json' : ext === 'xlsx' ? 'excel' : 'csv';
}

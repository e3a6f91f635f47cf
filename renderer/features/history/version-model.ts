// A stored version (what `runs.version` answers: the definition as it ran, every node's
// code by id, and the editor layout) turned into the nodes the graph and inspector show,
// and whether it differs from the workflow as it is now. Pure, so it is unit-tested.
import type { LoadedNode, WorkflowDetail } from '../../stores/api-types.ts';

export interface StoredVersion {
  nodes: Omit<LoadedNode, 'source' | 'language' | 'codeFile'>[];
  parameters?: Record<string, unknown>;
  code?: Record<string, string>;
  layout?: Record<string, { x: number; y: number }>;
}

/** Reads the untyped stored definition; undefined when it is not a workflow (no node list). */
export function asStoredVersion(definition: unknown): StoredVersion | undefined {
  const d = definition as Partial<StoredVersion> | null;
  return d && typeof d === 'object' && Array.isArray(d.nodes) ? (d as StoredVersion) : undefined;
}

function languageOf(node: StoredVersion['nodes'][number], source: string, current?: LoadedNode): 'sql' | 'python' {
  if (node.code) return node.code.endsWith('.py') ? 'python' : 'sql';
  if (node.kind === 'python' || node.kind === 'sql') return node.kind;
  if (current?.language) return current.language;
  return /^\s*(import |from \S+ import |def )/m.test(source) ? 'python' : 'sql';
}

/** The version's nodes with their code as it ran (languages taken from the file name, the kind, or today's node). */
export function versionNodes(v: StoredVersion, current: LoadedNode[] = []): LoadedNode[] {
  const now = new Map(current.map((n) => [n.id, n]));
  return v.nodes.map((n) => {
    const source = v.code?.[n.id];
    const inputs = n.inputs ?? [];
    if (source === undefined) return { ...n, inputs } as LoadedNode;
    return { ...n, inputs, source, language: languageOf(n, source, now.get(n.id)) } as LoadedNode;
  });
}

/** JSON with sorted keys and no undefined/default-empty fields, so parsed and edited definitions compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([k, x]) => x !== undefined && !(k === 'retries' && x === 0) && !(k === 'inputs' && Array.isArray(x) && x.length === 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** True when the nodes (settings, wiring or code) of the stored version are not today's. Layout and name do not count. */
export function differsFromCurrent(v: StoredVersion, current: Pick<WorkflowDetail, 'nodes'>): boolean {
  const strip = (n: LoadedNode | StoredVersion['nodes'][number]) => {
    const { source: _s, language: _l, codeFile: _c, ...spec } = n as LoadedNode;
    return spec;
  };
  const then = v.nodes.map((n) => canonical({ spec: strip(n), code: v.code?.[n.id] }));
  const now = current.nodes.map((n) => canonical({ spec: strip(n), code: n.source }));
  return then.join('\n') !== now.join('\n');
}

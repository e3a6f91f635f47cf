// What a save from an editor means when the file changed since the editor read it (the
// Schedule tab, the CLI or a text editor wrote it meanwhile): the editor sends what it
// edits and the document it started from (`base`); each part it left as it was is taken
// from the file as it is now, each part it changed is its own. Parts are compared per
// node (by id), per parameter, per layout entry and per code file, so a change made
// elsewhere to another node, another parameter or the schedule is never written back over.
import type { EditorDefinition, NodeSpec } from './schema.ts';

export interface EditorBase {
  definition: EditorDefinition;
  code: Record<string, string>;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => [k, sortKeys(x)]),
  );
}

/** Ours where the editor changed it, the file's where it did not. */
function pick<T>(base: T | undefined, ours: T | undefined, disk: T | undefined): T | undefined {
  return sameJson(base, ours) ? disk : ours;
}

function pickEach<T>(base: Record<string, T>, ours: Record<string, T>, disk: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of new Set([...Object.keys(ours), ...Object.keys(disk)])) {
    const v = pick(base[k], ours[k], disk[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Nodes by id, in the editor's order; nodes the file gained meanwhile go last. */
function mergeNodes(base: NodeSpec[], ours: NodeSpec[], disk: NodeSpec[]): NodeSpec[] {
  const [b, o, d] = [base, ours, disk].map((list) => new Map(list.map((n) => [n.id, n])));
  const ids = [...o!.keys(), ...[...d!.keys()].filter((id) => !o!.has(id))];
  return ids.flatMap((id) => {
    const n = pick(b!.get(id), o!.get(id), d!.get(id));
    return n ? [n] : [];
  });
}

/** The editor's fields merged with the file's current ones (both parsed, defaults filled in). */
export function mergeEditorDefinition(base: EditorDefinition, ours: EditorDefinition, disk: EditorDefinition): EditorDefinition {
  const nodes = mergeNodes(base.nodes, ours.nodes, disk.nodes);
  const kept = new Set(nodes.map((n) => n.id));
  const layout = Object.fromEntries(Object.entries(pickEach(base.layout, ours.layout, disk.layout)).filter(([id]) => kept.has(id)));
  return {
    name: pick(base.name, ours.name, disk.name) ?? ours.name,
    description: pick(base.description, ours.description, disk.description),
    parameters: pickEach(base.parameters, ours.parameters, disk.parameters),
    nodes,
    layout,
    owner: pick(base.owner, ours.owner, disk.owner),
    watchers: pick(base.watchers, ours.watchers, disk.watchers),
    endpoints: pick(base.endpoints, ours.endpoints, disk.endpoints),
  };
}

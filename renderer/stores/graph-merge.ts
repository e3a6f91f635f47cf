// Three-way merge of the open document with the files as another editor left them.
// `base` is what both sides started from (the files when last read or written here),
// `ours` the unsaved document, `theirs` the files now. Per node and per field: a change on
// one side only is taken; the same change on both sides is taken once; different changes
// to the same node's code (or the same setting) become a Conflict the user settles. A node
// deleted on one side but changed on the other is kept, so neither side's work is lost.
import { sameJson, type GraphDoc, type Language, type NodeSpec, type XY } from './graph-doc.ts';

export type Conflict =
  | { nodeId: string; part: 'code'; ours: CodeSide; theirs: CodeSide }
  | { nodeId: string; part: 'settings'; fields: string[]; ours: Record<string, unknown>; theirs: Record<string, unknown> };
export type CodeSide = { code: string; language?: Language };
export type Choice = 'ours' | 'theirs';

export interface MergeResult {
  doc: GraphDoc;
  conflicts: Conflict[];
}

type Three<T> = { base: T | undefined; ours: T | undefined; theirs: T | undefined };

/** One value three ways: undefined `conflict` means it merged cleanly. */
function pick<T>({ base, ours, theirs }: Three<T>): { value: T | undefined; conflict?: true } {
  if (sameJson(ours, theirs)) return { value: ours };
  if (sameJson(base, ours)) return { value: theirs };
  if (sameJson(base, theirs)) return { value: ours };
  return { value: ours, conflict: true };
}

const byId = (doc: GraphDoc) => new Map(doc.definition.nodes.map((n) => [n.id, n]));
const codeSide = (doc: GraphDoc, id: string): CodeSide | undefined =>
  doc.code[id] === undefined ? undefined : { code: doc.code[id]!, language: doc.languages[id] };

/** Settings field by field; the fields both sides changed differently are reported. */
function mergeSpec(b: NodeSpec | undefined, o: NodeSpec, t: NodeSpec): { spec: NodeSpec; conflict?: Conflict } {
  const bo = (b ?? {}) as Record<string, unknown>;
  const oo = o as Record<string, unknown>;
  const to = t as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fields: string[] = [];
  for (const k of new Set([...Object.keys(oo), ...Object.keys(to)])) {
    const r = pick({ base: bo[k], ours: oo[k], theirs: to[k] });
    if (r.conflict) fields.push(k);
    if (r.value !== undefined) out[k] = r.value;
  }
  const spec = out as NodeSpec;
  if (!fields.length) return { spec };
  const only = (s: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, s[f]]));
  return { spec, conflict: { nodeId: o.id, part: 'settings', fields, ours: only(oo), theirs: only(to) } };
}

export function mergeDocs(base: GraphDoc, ours: GraphDoc, theirs: GraphDoc): MergeResult {
  const [b, o, t] = [byId(base), byId(ours), byId(theirs)];
  const order = [...ours.definition.nodes.map((n) => n.id), ...theirs.definition.nodes.map((n) => n.id).filter((id) => !o.has(id))];
  const nodes: NodeSpec[] = [];
  const code: Record<string, string> = {};
  const languages: Record<string, Language> = {};
  const layout: Record<string, XY> = {};
  const conflicts: Conflict[] = [];
  const changed = (doc: GraphDoc, n: Map<string, NodeSpec>, id: string) =>
    !sameJson(b.get(id), n.get(id)) || !sameJson(codeSide(base, id), codeSide(doc, id));

  for (const id of order) {
    const [bn, on, tn] = [b.get(id), o.get(id), t.get(id)];
    let spec: NodeSpec | undefined;
    let side: CodeSide | undefined;
    if (on && tn) {
      const m = mergeSpec(bn, on, tn);
      spec = m.spec;
      if (m.conflict) conflicts.push(m.conflict);
      const c = pick({ base: codeSide(base, id), ours: codeSide(ours, id), theirs: codeSide(theirs, id) });
      side = c.value;
      if (c.conflict) conflicts.push({ nodeId: id, part: 'code', ours: codeSide(ours, id)!, theirs: codeSide(theirs, id)! });
    } else if (on) {
      // added here, or deleted there: a deletion loses to a change made here
      if (!bn || changed(ours, o, id)) [spec, side] = [on, codeSide(ours, id)];
    } else if (tn) {
      if (!bn || changed(theirs, t, id)) [spec, side] = [tn, codeSide(theirs, id)];
    }
    if (!spec) continue;
    nodes.push(spec);
    if (side) {
      code[id] = side.code;
      if (side.language) languages[id] = side.language;
    }
    const pos = pick({ base: base.definition.layout[id], ours: ours.definition.layout[id], theirs: theirs.definition.layout[id] }).value;
    const at = pos ?? ours.definition.layout[id] ?? theirs.definition.layout[id];
    if (at) layout[id] = at;
  }

  // inputs naming a node that no longer exists would make the document unsaveable
  const kept = new Set(nodes.map((n) => n.id));
  const cleaned = nodes.map((n) => (n.inputs.every((i) => kept.has(i)) ? n : { ...n, inputs: n.inputs.filter((i) => kept.has(i)) }));

  const field = <K extends 'name' | 'description'>(k: K) =>
    pick({ base: base.definition[k], ours: ours.definition[k], theirs: theirs.definition[k] }).value;
  const parameters: GraphDoc['definition']['parameters'] = {};
  const names = new Set([...Object.keys(ours.definition.parameters), ...Object.keys(theirs.definition.parameters)]);
  for (const name of names) {
    const v = pick({ base: base.definition.parameters[name], ours: ours.definition.parameters[name], theirs: theirs.definition.parameters[name] }).value;
    if (v) parameters[name] = v;
  }

  return {
    doc: {
      definition: { ...ours.definition, name: field('name') ?? ours.definition.name, description: field('description'), parameters, nodes: cleaned, layout },
      code,
      languages,
    },
    conflicts,
  };
}

/** Settles one conflict: 'ours' keeps the document as merged, 'theirs' takes the file's side. */
export function resolveConflict(doc: GraphDoc, c: Conflict, choice: Choice): GraphDoc {
  if (choice === 'ours') return doc;
  if (c.part === 'code') {
    const languages = { ...doc.languages };
    if (c.theirs.language) languages[c.nodeId] = c.theirs.language;
    return { ...doc, code: { ...doc.code, [c.nodeId]: c.theirs.code }, languages };
  }
  const nodes = doc.definition.nodes.map((n) => {
    if (n.id !== c.nodeId) return n;
    const next: Record<string, unknown> = { ...n };
    for (const f of c.fields) {
      if (c.theirs[f] === undefined) delete next[f];
      else next[f] = c.theirs[f];
    }
    return next as NodeSpec;
  });
  return { ...doc, definition: { ...doc.definition, nodes } };
}

// Every edit of the visual editor as a pure function GraphDoc → GraphDoc: add, connect,
// delete, rename, move, copy/paste, settings. The store only sequences them (undo, save);
// keeping them pure makes the rules (no cycles, tables only from table nodes, one input
// per publish) testable without a browser. Refusals carry a reason meant for the user.
import type { NodeKind } from './api-types.ts';
import { layoutPositions, NODE_HEIGHT, NODE_WIDTH } from '../features/editor/graph-layout.ts';
import {
  CODE_KINDS,
  defaultLanguage,
  NODE_ID,
  newNodeSpec,
  starterCode,
  TABLE_KINDS,
  type GraphDoc,
  type Language,
  type NodeSpec,
  type XY,
} from './graph-doc.ts';

export type Refusal = { ok: false; reason: string };
export type Edit = { ok: true; doc: GraphDoc; ids: string[] } | Refusal;
export type EdgeRef = { source: string; target: string };

const nodeOf = (doc: GraphDoc, id: string) => doc.definition.nodes.find((n) => n.id === id);
const withNodes = (doc: GraphDoc, nodes: NodeSpec[]): GraphDoc => ({ ...doc, definition: { ...doc.definition, nodes } });

/** `base`, or `base_2`, `base_3`… : the first id no node (nor `taken`) has. */
export function freshId(doc: GraphDoc, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = (id: string) => taken.has(id) || doc.definition.nodes.some((n) => n.id === id);
  if (!used(base)) return base;
  for (let i = 2; ; i++) if (!used(`${base}_${i}`)) return `${base}_${i}`;
}

/** The nearest position at or below `pos` where a node overlaps no placed node. */
export function freePosition(layout: Record<string, XY>, pos: XY): XY {
  const placed = Object.values(layout);
  const p = { x: Math.round(pos.x), y: Math.round(pos.y) };
  const hits = (q: XY) => Math.abs(q.x - p.x) < NODE_WIDTH + 10 && Math.abs(q.y - p.y) < NODE_HEIGHT + 10;
  while (placed.some(hits)) p.y += NODE_HEIGHT + 20;
  return p;
}

/** How far below `offset` a group of positions must go so that none overlaps a placed node. */
function groupOffset(layout: Record<string, XY>, group: XY[], offset: XY): number {
  const placed = Object.values(layout);
  const clash = (dy: number) =>
    group.some((g) => placed.some((q) => Math.abs(q.x - g.x - offset.x) < NODE_WIDTH + 10 && Math.abs(q.y - g.y - offset.y - dy) < NODE_HEIGHT + 10));
  let dy = 0;
  while (clash(dy)) dy += NODE_HEIGHT + 20;
  return dy;
}

export function addNode(doc: GraphDoc, kind: NodeKind, at: XY): { doc: GraphDoc; id: string } {
  let n = 1;
  while (nodeOf(doc, `${kind}_${n}`)) n++;
  const finalId = `${kind}_${n}`;
  const spec = newNodeSpec(kind, finalId);
  let next = withNodes(doc, [...doc.definition.nodes, spec]);
  next = { ...next, definition: { ...next.definition, layout: { ...next.definition.layout, [finalId]: freePosition(doc.definition.layout, at) } } };
  if (CODE_KINDS.has(kind)) {
    const language = defaultLanguage(kind);
    next = { ...next, code: { ...next.code, [finalId]: starterCode(kind, language, []) }, languages: { ...next.languages, [finalId]: language } };
  }
  return { doc: next, id: finalId };
}

/** Sets a node's inputs; code still equal to its starter template follows the new inputs. */
function setInputs(doc: GraphDoc, id: string, inputs: string[]): GraphDoc {
  const node = nodeOf(doc, id);
  if (!node) return doc;
  let next = withNodes(doc, doc.definition.nodes.map((n) => (n.id === id ? { ...n, inputs } : n)));
  const lang = doc.languages[id];
  if (lang && doc.code[id] === starterCode(node.kind, lang, node.inputs)) {
    next = { ...next, code: { ...next.code, [id]: starterCode(node.kind, lang, inputs) } };
  }
  return next;
}

/** The data-flow path from `from` to `to` (each step: a node to one that reads it), if any. */
function pathDownstream(doc: GraphDoc, from: string, to: string): string[] | undefined {
  const readers = new Map<string, string[]>();
  for (const n of doc.definition.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n.id]);
  const prev = new Map<string, string>([[from, '']]);
  const queue = [from];
  while (queue.length) {
    const id = queue.shift()!;
    if (id === to) {
      const path = [to];
      for (let p = prev.get(to)!; p; p = prev.get(p)!) path.unshift(p);
      return path;
    }
    for (const r of readers.get(id) ?? []) {
      if (prev.has(r)) continue;
      prev.set(r, id);
      queue.push(r);
    }
  }
  return undefined;
}

/**
 * Whether a node of `up`'s kind gives something `down` may read: a table; a metric's value
 * (to a check or metric in SQL or Python); a metric's or check's value to a report; a
 * report to the publish node that delivers it to people.
 */
export function givesInputTo(up: NodeSpec, down: NodeSpec): boolean {
  const readsValue = up.kind === 'metric' && (down.kind === 'metric' || (down.kind === 'check' && !down.template));
  const reportReads = down.kind === 'report' && (up.kind === 'metric' || up.kind === 'check');
  const delivers = up.kind === 'report' && down.kind === 'publish';
  return TABLE_KINDS.has(up.kind) || readsValue || reportReads || delivers;
}

/** Whether `target` may read `source`, and if not, why (in words for the user). */
export function canConnect(doc: GraphDoc, source: string, target: string): { ok: true } | Refusal {
  const up = nodeOf(doc, source);
  const down = nodeOf(doc, target);
  if (!up || !down) return { ok: false, reason: `no node ${!up ? source : target}` };
  if (source === target) return { ok: false, reason: 'a node cannot be its own input' };
  if (down.inputs.includes(source)) return { ok: false, reason: `${target} already reads ${source}` };
  if (!givesInputTo(up, down)) {
    return { ok: false, reason: `${source} is a ${up.kind} node, which gives no table: inputs come from source, sql or python nodes${up.kind === 'report' ? ' (deliver a report with a publish node)' : ''}` };
  }
  if (down.kind === 'source') return { ok: false, reason: `${target} is a source node: it reads a file or a connection and takes no inputs` };
  if (down.kind === 'publish' && down.inputs.length >= 1) {
    return { ok: false, reason: `a publish node takes exactly one input, and ${target} already reads ${down.inputs[0]}` };
  }
  const loop = pathDownstream(doc, target, source);
  if (loop) return { ok: false, reason: `it would create a cycle: ${[...loop, target].join(' → ')}` };
  return { ok: true };
}

export function connect(doc: GraphDoc, source: string, target: string): Edit {
  const check = canConnect(doc, source, target);
  if (!check.ok) return check;
  return { ok: true, doc: setInputs(doc, target, [...nodeOf(doc, target)!.inputs, source]), ids: [target] };
}

export function removeEdges(doc: GraphDoc, edges: EdgeRef[]): GraphDoc {
  let next = doc;
  for (const e of edges) {
    const node = nodeOf(next, e.target);
    if (node?.inputs.includes(e.source)) next = setInputs(next, e.target, node.inputs.filter((i) => i !== e.source));
  }
  return next;
}

/** Removes nodes with their code and position; nodes that read them lose those inputs. */
export function removeNodes(doc: GraphDoc, ids: string[]): GraphDoc {
  const gone = new Set(ids);
  if (!doc.definition.nodes.some((n) => gone.has(n.id))) return doc;
  const edges = doc.definition.nodes.flatMap((n) => (gone.has(n.id) ? [] : n.inputs.filter((i) => gone.has(i)).map((i) => ({ source: i, target: n.id }))));
  const next = removeEdges(doc, edges);
  const keep = <T,>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([k]) => !gone.has(k)));
  return {
    definition: { ...next.definition, nodes: next.definition.nodes.filter((n) => !gone.has(n.id)), layout: keep(next.definition.layout), ...servedWithout(next.definition.endpoints, gone) },
    code: keep(next.code),
    languages: keep(next.languages),
  };
}

/** A report's tables and charts name its inputs: they follow a rename. */
function renameReportRefs(n: Extract<NodeSpec, { kind: 'report' }>, from: string, to: string): NodeSpec {
  const r = (id: string | undefined) => (id === from ? to : id);
  return {
    ...n,
    tables: n.tables?.map((t) => ({ ...t, input: r(t.input)! })),
    charts: n.charts?.map((c) => ({ ...c, input: r(c.input), figure: r(c.figure) })),
  };
}

/** The served outputs without removed nodes (the key dropped when none are left). */
function servedWithout(endpoints: string[] | undefined, gone: Set<string>): { endpoints?: string[] } {
  if (!endpoints) return {};
  const left = endpoints.filter((e) => !gone.has(e));
  return { endpoints: left.length ? left : undefined };
}

/** Replaces `from` as a table name in code by `to` (not inside longer names or after a dot). */
export function renameInCode(code: string, from: string, to: string): string {
  return code.replace(new RegExp(`(?<![\\w.])${from}(?!\\w)`, 'g'), to);
}

/** Renames a node: inputs that name it, its position, its code (file too, if it had the default name) follow. */
export function renameNode(doc: GraphDoc, from: string, to: string): Edit {
  if (from === to) return { ok: true, doc, ids: [to] };
  if (!NODE_ID.test(to)) return { ok: false, reason: `"${to}" is not a valid id: use lower_snake_case (letters, digits, _), starting with a letter or _` };
  if (nodeOf(doc, to)) return { ok: false, reason: `there is already a node ${to}` };
  const node = nodeOf(doc, from);
  if (!node) return { ok: false, reason: `no node ${from}` };
  const move = <T,>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k === from ? to : k, v]));
  const readers = new Set(doc.definition.nodes.filter((n) => n.inputs.includes(from)).map((n) => n.id));
  const nodes = doc.definition.nodes.map((n) => {
    let m: NodeSpec = n.inputs.includes(from) ? { ...n, inputs: n.inputs.map((i) => (i === from ? to : i)) } : n;
    if (m.kind === 'report') m = renameReportRefs(m, from, to);
    if (n.id === from) {
      const conventional = n.code?.match(/^nodes\/[a-z0-9_]+\.(sql|py)$/);
      m = { ...m, id: to, code: conventional ? `nodes/${to}.${conventional[1]}` : n.code };
    }
    return m;
  });
  const code = move(doc.code);
  for (const r of readers) if (code[r] !== undefined) code[r] = renameInCode(code[r]!, from, to);
  return {
    ok: true,
    doc: {
      definition: { ...doc.definition, nodes, layout: move(doc.definition.layout), ...(doc.definition.endpoints ? { endpoints: doc.definition.endpoints.map((e) => (e === from ? to : e)) } : {}) },
      code,
      languages: move(doc.languages),
    },
    ids: [to],
  };
}

/** Replaces a node's settings (everything but id and inputs, which have their own edits). */
export function updateNode(doc: GraphDoc, id: string, spec: NodeSpec): GraphDoc {
  const node = nodeOf(doc, id);
  if (!node) return doc;
  const next: NodeSpec = { ...spec, id, inputs: node.inputs };
  return withNodes(doc, doc.definition.nodes.map((n) => (n.id === id ? next : n)));
}

export function setCode(doc: GraphDoc, id: string, code: string): GraphDoc {
  return doc.code[id] === code ? doc : { ...doc, code: { ...doc.code, [id]: code } };
}

/** Switches a check or metric between SQL and Python; untouched starter code is swapped too. */
export function setLanguage(doc: GraphDoc, id: string, language: Language): GraphDoc {
  const node = nodeOf(doc, id);
  if (!node || (node.kind !== 'check' && node.kind !== 'metric') || doc.languages[id] === language) return doc;
  const old = doc.languages[id] ?? 'sql';
  const code = doc.code[id] === starterCode(node.kind, old, node.inputs) ? starterCode(node.kind, language, node.inputs) : doc.code[id] ?? '';
  const file = `nodes/${id}.${language === 'python' ? 'py' : 'sql'}`;
  const next = withNodes(doc, doc.definition.nodes.map((n) => (n.id === id ? { ...n, code: file } : n)));
  return { ...next, code: { ...next.code, [id]: code }, languages: { ...next.languages, [id]: language } };
}

export function moveNodes(doc: GraphDoc, positions: Record<string, XY>): GraphDoc {
  const layout = { ...doc.definition.layout };
  let changed = false;
  for (const [id, p] of Object.entries(positions)) {
    const q = { x: Math.round(p.x), y: Math.round(p.y) };
    if (layout[id]?.x === q.x && layout[id]?.y === q.y) continue;
    layout[id] = q;
    changed = true;
  }
  return changed ? { ...doc, definition: { ...doc.definition, layout } } : doc;
}

/** Positions every node afresh, left to right as the data flows. */
export function autoLayout(doc: GraphDoc): GraphDoc {
  return { ...doc, definition: { ...doc.definition, layout: layoutPositions(doc.definition.nodes, {}) } };
}

export type WorkflowFields = Partial<Pick<GraphDoc['definition'], 'name' | 'description' | 'parameters' | 'owner' | 'watchers' | 'endpoints'>>;

export function setWorkflowFields(doc: GraphDoc, fields: WorkflowFields): GraphDoc {
  return { ...doc, definition: { ...doc.definition, ...fields } };
}

export interface Clipboard {
  nodes: NodeSpec[];
  code: Record<string, string>;
  languages: Record<string, Language>;
  layout: Record<string, XY>;
}

export function copyNodes(doc: GraphDoc, ids: string[]): Clipboard {
  const set = new Set(ids);
  const pick = <T,>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([k]) => set.has(k)));
  return { nodes: doc.definition.nodes.filter((n) => set.has(n.id)), code: pick(doc.code), languages: pick(doc.languages), layout: pick(doc.definition.layout) };
}

/**
 * Adds copies with fresh ids (`<id>_copy`, `<id>_copy_2`…), offset by `offset`. Inputs
 * among the copied nodes point at the copies; inputs from outside stay if that node exists.
 */
export function pasteNodes(doc: GraphDoc, clip: Clipboard, offset: XY): { doc: GraphDoc; ids: string[] } {
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = freshId(doc, `${n.id}_copy`, taken);
    taken.add(id);
    ids.set(n.id, id);
  }
  const exists = (id: string) => doc.definition.nodes.some((n) => n.id === id);
  const layout = { ...doc.definition.layout };
  const code = { ...doc.code };
  const languages = { ...doc.languages };
  const dy = groupOffset(layout, clip.nodes.map((n) => clip.layout[n.id] ?? { x: 0, y: 0 }), offset);
  const added = clip.nodes.map((n): NodeSpec => {
    const id = ids.get(n.id)!;
    const p = clip.layout[n.id] ?? { x: 0, y: 0 };
    layout[id] = { x: Math.round(p.x + offset.x), y: Math.round(p.y + offset.y + dy) };
    if (clip.code[n.id] !== undefined) {
      let text = clip.code[n.id]!;
      for (const i of n.inputs) if (ids.has(i)) text = renameInCode(text, i, ids.get(i)!);
      code[id] = text;
    }
    if (clip.languages[n.id]) languages[id] = clip.languages[n.id]!;
    const conventional = n.code?.match(/^nodes\/[a-z0-9_]+\.(sql|py)$/);
    return {
      ...n,
      id,
      inputs: n.inputs.flatMap((i) => (ids.has(i) ? [ids.get(i)!] : exists(i) ? [i] : [])),
      code: conventional ? `nodes/${id}.${conventional[1]}` : n.code,
    };
  });
  return { doc: { definition: { ...doc.definition, nodes: [...doc.definition.nodes, ...added], layout }, code, languages }, ids: [...ids.values()] };
}

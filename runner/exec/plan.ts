// The fixed plan of one run: which nodes, in which order, with which inputs, and each
// node's content hash (code + settings + parameters + upstream hashes) for caching.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ParamValue } from '../api/types.ts';
import type { LoadedNode, Workflow } from '../spec/workflow.ts';

export interface PlanNode {
  node: LoadedNode;
  upstream: string[];
  downstream: string[];
  cacheKey: string;
}

export interface Plan {
  workflow: Workflow;
  versionHash: string;
  params: Record<string, ParamValue>;
  /** topological order */
  order: string[];
  nodes: Map<string, PlanNode>;
}

export function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/** Stable JSON: object keys sorted, so equal content always hashes equal. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What a version is: the definition without editor layout, plus every node's code. */
export function versionOf(w: Workflow): { hash: string; definition: unknown } {
  const { layout: _layout, ...rest } = w.definition;
  const code = Object.fromEntries(w.nodes.filter((n) => n.source !== undefined).map((n) => [n.id, n.source]));
  const definition = { ...rest, code };
  return { hash: sha256(canonicalJson(definition)).slice(0, 16), definition: { ...definition, layout: w.definition.layout } };
}

export function topoOrder(nodes: LoadedNode[]): string[] {
  const indegree = new Map(nodes.map((n) => [n.id, n.inputs.length]));
  const down = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const i of n.inputs) down.get(i)?.push(n.id);
  const ready = nodes.filter((n) => n.inputs.length === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const d of down.get(id) ?? []) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  return order;
}

/**
 * The plan for a whole run, or (with target) for a preview: the node and its ancestors.
 * A publish's preview also runs every other node but the publishes, since in a run any
 * of them failing (an error check above all) stops the publish.
 */
export function buildPlan(w: Workflow, params: Record<string, ParamValue>, target?: string): Plan {
  const version = versionOf(w);
  let nodes = w.nodes;
  if (target) {
    const keep = ancestorsOf(w.nodes, target);
    if (w.nodes.find((n) => n.id === target)?.kind === 'publish') {
      for (const n of w.nodes) if (n.kind !== 'publish') keep.add(n.id);
    }
    nodes = w.nodes.filter((n) => keep.has(n.id));
  }
  const order = topoOrder(nodes);
  const planNodes = new Map<string, PlanNode>();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of order) {
    const node = byId.get(id)!;
    const upstreamKeys = node.inputs.map((i) => planNodes.get(i)!.cacheKey);
    planNodes.set(id, {
      node,
      upstream: node.inputs,
      downstream: nodes.filter((n) => n.inputs.includes(id)).map((n) => n.id),
      cacheKey: sha256(canonicalJson({ node: { ...node, codeFile: undefined }, params, upstreamKeys, data: dataStamp(w, node) })),
    });
  }
  return { workflow: w, versionHash: version.hash, params, order, nodes: planNodes };
}

export function ancestorsOf(nodes: LoadedNode[], target: string): Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const i of byId.get(id)?.inputs ?? []) walk(i);
  };
  walk(target);
  return seen;
}

/** A file source's cache key changes when the file does (size and modification time). */
function dataStamp(w: Workflow, node: LoadedNode): string | undefined {
  if (node.kind !== 'source' || !node.file) return undefined;
  try {
    const st = fs.statSync(path.resolve(w.folder, node.file));
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

// What the portable runtime can run, checked before anything is written: every node that
// it cannot run is listed with the reason, so the user sees the whole list at once rather
// than a remote run failing on the first one.
import fs from 'node:fs';
import path from 'node:path';
import type { NodeSpec } from '../spec/schema.ts';
import type { Workflow } from '../spec/workflow.ts';
import type { Refusal } from './bundle-format.ts';
import { isDelivery } from '../spec/validate-report.ts';

/** Destination types the runtime publishes to (with the app's spellings for them). */
export const PORTABLE_DESTINATIONS = ['csv', 'parquet', 'json', 'duckdb', 'sqlite', 'postgres'] as const;
const ALIASES: Record<string, string> = { jsonl: 'json', ndjson: 'json', postgresql: 'postgres', sqlite3: 'sqlite', xlsx: 'excel' };

export function canonicalDestination(type: string): string {
  const t = type.trim().toLowerCase();
  return ALIASES[t] ?? t;
}

export function portabilityProblems(w: Workflow): Refusal[] {
  const out: Refusal[] = [];
  // reports and their deliveries are left out of a bundle, not refused (see appOnlyNodes)
  const appOnly = new Set(appOnlyNodes(w.nodes).map((r) => r.nodeId));
  for (const node of w.nodes) {
    if (appOnly.has(node.id)) continue;
    if (node.kind === 'source') {
      if (node.connection) {
        out.push({ nodeId: node.id, why: `it queries connection "${node.connection}"; the runtime reads files only (publish the query's result to a file, or read a file export of it)` });
      } else if (node.file && !fs.existsSync(path.resolve(w.folder, node.file))) {
        out.push({ nodeId: node.id, why: `its file ${node.file} does not exist, so it cannot be copied into the bundle` });
      }
    }
    if (node.kind === 'publish') {
      const type = canonicalDestination(node.destination.type);
      if (!(PORTABLE_DESTINATIONS as readonly string[]).includes(type)) {
        out.push({ nodeId: node.id, why: `destination type "${node.destination.type}" is not supported by the runtime (it publishes to ${PORTABLE_DESTINATIONS.join(', ')})` });
      } else if (type === 'postgres' && !node.destination.connection) {
        out.push({ nodeId: node.id, why: 'a postgres destination needs destination.connection' });
      }
    }
  }
  return out;
}

/**
 * Nodes that run in the app only and are left out of a bundle: reports, the deliveries of
 * a report to people, and python nodes that draw a report's figures. What the bundle runs
 * (tables, checks, metrics, publishes) is not changed by leaving them out.
 */
export function appOnlyNodes(nodes: readonly NodeSpec[]): Refusal[] {
  const figures = new Set(nodes.flatMap((n) => (n.kind === 'report' ? (n.charts ?? []).flatMap((c) => (c.figure ? [c.figure] : [])) : [])));
  return nodes.flatMap((n): Refusal[] => {
    if (n.kind === 'report') return [{ nodeId: n.id, why: 'reports are rendered by the app; run the workflow in the app to get them' }];
    if (n.kind === 'publish' && isDelivery(n.destination)) return [{ nodeId: n.id, why: `a ${n.destination.type} delivery of a report runs in the app only` }];
    if (figures.has(n.id)) return [{ nodeId: n.id, why: 'it draws a figure for a report, which runs in the app only' }];
    return [];
  });
}

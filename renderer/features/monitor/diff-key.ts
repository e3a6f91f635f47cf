// The key a data diff starts from: the upsert key of a publish that writes the node's
// output, else an `id` (or `<node>_id`) column both runs' outputs have, else none
// (then rows are matched whole). Pure, so it is unit-tested.
import type { RunDetail } from '../../stores/api-types.ts';
import type { VersionDoc } from '../compare/compare-diff.ts';

export function suggestedKey(version: VersionDoc, a: RunDetail, b: RunDetail, nodeId: string): string[] {
  const columns = (r: RunDetail) => new Set(r.nodes.find((n) => n.nodeId === nodeId)?.columns?.map((c) => c.name) ?? []);
  const both = [...columns(a)].filter((c) => columns(b).has(c));
  for (const n of version.nodes) {
    const inputs = n.inputs as string[] | undefined;
    const key = n.key as string[] | undefined;
    if (n.kind === 'publish' && inputs?.includes(nodeId) && key?.length && key.every((k) => both.includes(k))) return key;
  }
  for (const name of ['id', `${nodeId}_id`]) if (both.includes(name)) return [name];
  return [];
}

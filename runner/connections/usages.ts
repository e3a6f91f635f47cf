// Why: a connection must not vanish under a workflow that reads or publishes through it.
// We look at every workflow the store knows: its folder as it is now, or (when the folder
// is gone or broken) the last version a run snapshotted.
import type { Db } from '../store/db.ts';
import { loadWorkflow } from '../spec/load.ts';
import type { ConnectionUsage } from './types.ts';

interface NodeLike {
  id?: unknown;
  connection?: unknown;
  destination?: { connection?: unknown };
}

function nodesUsing(nodes: unknown, name: string): string[] {
  if (!Array.isArray(nodes)) return [];
  return (nodes as NodeLike[])
    .filter((n) => n && (n.connection === name || n.destination?.connection === name))
    .map((n) => String(n.id));
}

export function connectionUsages(db: Db, name: string): ConnectionUsage[] {
  const workflows = db.prepare('SELECT id, folder, name FROM workflows ORDER BY name').all() as { id: string; folder: string; name: string }[];
  const lastVersion = db.prepare('SELECT definition FROM workflow_versions WHERE workflow_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const out: ConnectionUsage[] = [];
  for (const w of workflows) {
    let nodes: unknown;
    const loaded = loadWorkflow(w.folder);
    if (loaded.ok) nodes = loaded.workflow.nodes;
    else {
      const row = lastVersion.get(w.id) as { definition: string } | undefined;
      if (row) {
        try {
          const def = JSON.parse(row.definition) as { nodes?: unknown; definition?: { nodes?: unknown } };
          nodes = def.nodes ?? def.definition?.nodes;
        } catch {
          nodes = undefined;
        }
      }
    }
    const used = nodesUsing(nodes, name);
    if (used.length) out.push({ workflowId: w.id, workflowName: w.name, folder: w.folder, nodes: used });
  }
  return out;
}

// A workflow folder as the editor needs it: the definition, every node with its code, and
// the problems. Unlike loadWorkflow, an invalid folder still yields whatever parsed (each
// node that is valid on its own, its code), so the user can open a broken workflow and
// fix it in the app instead of being shown only an error.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFINITION_FILE, findCodeFile, loadWorkflow } from '../spec/load.ts';
import { hasCodeFile, NodeSpec, WorkflowFile } from '../spec/schema.ts';
import type { LoadedNode, SpecProblem } from '../spec/workflow.ts';

export interface WorkflowDocument {
  /** null when workflow.yaml itself does not match the schema; see `raw` and `problems` */
  definition: WorkflowFile | null;
  /** the parsed YAML as written, for whatever the schema rejected */
  raw: unknown;
  nodes: LoadedNode[];
  problems: SpecProblem[];
}

export function readWorkflowDocument(folder: string): WorkflowDocument {
  const loaded = loadWorkflow(folder);
  if (loaded.ok) {
    const { definition, nodes } = loaded.workflow;
    return { definition, raw: definition, nodes, problems: [] };
  }
  const problems = loaded.problems;
  let raw: unknown = null;
  try {
    raw = YAML.parse(fs.readFileSync(path.join(folder, DEFINITION_FILE), 'utf8'));
  } catch {
    return { definition: null, raw: null, nodes: [], problems };
  }
  const whole = WorkflowFile.safeParse(raw);
  const rawNodes = (raw as { nodes?: unknown } | null)?.nodes;
  const specs: NodeSpec[] = whole.success
    ? whole.data.nodes
    : (Array.isArray(rawNodes) ? rawNodes : []).flatMap((n) => {
        const one = NodeSpec.safeParse(n);
        return one.success ? [one.data] : [];
      });
  return { definition: whole.success ? whole.data : null, raw, nodes: specs.map((n) => withCode(folder, n)), problems };
}

/** A node with its code, read only from inside the folder (the problems say why not otherwise). */
function withCode(folder: string, node: NodeSpec): LoadedNode {
  if (!hasCodeFile(node)) return node;
  const found = findCodeFile(folder, node.id, node.code);
  if (!found || 'unusable' in found) return node;
  return { ...node, source: found.source, language: found.language, codeFile: found.rel };
}

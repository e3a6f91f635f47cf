// A workflow as the engine sees it: the parsed definition plus every node's code,
// read from the files beside it. Loading never throws for user mistakes: it returns
// the problems, each naming the file, the node and the field, so the UI and the CLI
// can show them all at once.
import type { NodeSpec, Owner, WorkflowFile } from './schema.ts';

export type Language = 'sql' | 'python';

export type LoadedNode = NodeSpec & {
  /** source code for sql/python/check/metric nodes */
  source?: string;
  language?: Language;
  /** code file path relative to the workflow folder */
  codeFile?: string;
};

export interface Workflow {
  /** absolute folder path */
  folder: string;
  /** absolute path of the definition file */
  file: string;
  definition: WorkflowFile;
  nodes: LoadedNode[];
  /** who answers for it: owner: of the file, else the user named in Settings (set when the engine opens it) */
  owner?: Owner;
}

export interface SpecProblem {
  /** file the problem is in, relative to the workflow folder */
  file: string;
  nodeId?: string;
  /** dotted path of the field, e.g. nodes[2].inputs */
  field?: string;
  message: string;
  /** what to do about it */
  fix?: string;
}

export function formatProblem(p: SpecProblem): string {
  const where = [p.file, p.nodeId ? `node "${p.nodeId}"` : undefined, p.field ? `field ${p.field}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ''}`;
}

export class WorkflowInvalidError extends Error {
  /** `summary`: one sentence for the user where the list of problems would say less */
  constructor(readonly problems: SpecProblem[], summary?: string) {
    super(summary ?? `workflow is invalid:\n${problems.map((p) => '  - ' + formatProblem(p)).join('\n')}`);
    this.name = 'WorkflowInvalidError';
  }
}

// Reads a workflow folder (workflow.yaml + one code file per SQL/Python node) and checks
// it. Every problem found is reported at once, each naming the file, node and field. A
// folder may come from someone else, so code files are read only from inside it (after
// resolving `..` and symlinks).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { type z } from 'zod';
import { pathInside } from './contained-path.ts';
import { CODE_KINDS, WorkflowFile, type NodeSpec } from './schema.ts';
import { checkGraph } from './validate.ts';
import { WorkflowInvalidError, type Language, type LoadedNode, type SpecProblem, type Workflow } from './workflow.ts';

export const DEFINITION_FILE = 'workflow.yaml';

export type LoadResult = { ok: true; workflow: Workflow } | { ok: false; problems: SpecProblem[]; folder: string };

export function loadWorkflow(folder: string): LoadResult {
  const abs = path.resolve(folder);
  const file = path.join(abs, DEFINITION_FILE);
  const fail = (p: SpecProblem): LoadResult => ({ ok: false, folder: abs, problems: [p] });
  if (!fs.existsSync(abs)) {
    return fail({ file: abs, message: 'folder does not exist', fix: 'give the path of a workflow folder' });
  }
  if (!fs.existsSync(file)) {
    return fail({
      file: DEFINITION_FILE,
      message: `no ${DEFINITION_FILE} in ${abs}`,
      fix: `create ${DEFINITION_FILE} (see the README for the format) or open the folder that holds it`,
    });
  }
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as Error & { linePos?: { line: number; col: number }[] };
    const at = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    return fail({ file: DEFINITION_FILE, message: `not valid YAML${at}: ${err.message.split('\n')[0]}` });
  }
  return parseWorkflow(abs, raw);
}

export function loadWorkflowOrThrow(folder: string): Workflow {
  const r = loadWorkflow(folder);
  if (!r.ok) throw new WorkflowInvalidError(r.problems);
  return r.workflow;
}

/** Validates an already-parsed definition and reads the node code files beside it. */
export function parseWorkflow(folder: string, raw: unknown): LoadResult {
  const parsed = WorkflowFile.safeParse(raw);
  if (!parsed.success) return { ok: false, folder, problems: zodProblems(raw, parsed.error) };
  const definition = parsed.data;
  const problems: SpecProblem[] = [];
  const nodes: LoadedNode[] = definition.nodes.map((node, i) => {
    if (!CODE_KINDS.has(node.kind)) return node;
    const found = findCodeFile(folder, node.id, node.code);
    if (found && 'outside' in found) {
      problems.push(outsideProblem(node, i, found.outside));
      return node;
    }
    if (!found) {
      problems.push({
        file: DEFINITION_FILE,
        nodeId: node.id,
        field: `nodes[${i}].code`,
        message: node.code
          ? `code file ${node.code} does not exist`
          : `no code file: expected nodes/${node.id}.sql or nodes/${node.id}.py`,
        fix: `create nodes/${node.id}.sql or nodes/${node.id}.py${node.kind === 'sql' ? '' : ' (Python defines def run(...))'}`,
      });
      return node;
    }
    if (node.kind === 'sql' && found.language !== 'sql') {
      problems.push({
        file: found.rel,
        nodeId: node.id,
        field: `nodes[${i}].code`,
        message: 'an sql node needs a .sql file',
        fix: 'use kind: python for Python code',
      });
    }
    if (node.kind === 'python' && found.language !== 'python') {
      problems.push({
        file: found.rel,
        nodeId: node.id,
        field: `nodes[${i}].code`,
        message: 'a python node needs a .py file',
        fix: 'use kind: sql for SQL code',
      });
    }
    return { ...node, source: found.source, language: found.language, codeFile: found.rel };
  });
  problems.push(...checkGraph(definition, nodes));
  if (problems.length) return { ok: false, folder, problems };
  return { ok: true, workflow: { folder, file: path.join(folder, DEFINITION_FILE), definition, nodes } };
}

/** The problem of a code path that leads out of the workflow folder. */
export function outsideProblem(node: Pick<NodeSpec, 'id' | 'kind'>, index: number, rel: string): SpecProblem {
  return {
    file: DEFINITION_FILE,
    nodeId: node.id,
    field: `nodes[${index}].code`,
    message: `code file ${rel} is outside the workflow folder`,
    fix: `keep code files inside the workflow folder (e.g. nodes/${node.id}.${node.kind === 'python' ? 'py' : 'sql'}) and point code: at them`,
  };
}

/** The node's code file (explicit, or nodes/<id>.sql|.py), `{ outside }` when the path leaves the folder, or undefined. */
export function findCodeFile(folder: string, id: string, explicit?: string): { rel: string; source: string; language: Language } | { outside: string } | undefined {
  const candidates = explicit ? [explicit] : [`nodes/${id}.sql`, `nodes/${id}.py`];
  for (const rel of candidates) {
    const abs = pathInside(folder, rel);
    if (!abs) return { outside: rel };
    if (fs.existsSync(abs)) {
      const language: Language = rel.endsWith('.py') ? 'python' : 'sql';
      return { rel, source: fs.readFileSync(abs, 'utf8'), language };
    }
  }
  return undefined;
}

function zodProblems(raw: unknown, error: z.ZodError): SpecProblem[] {
  const nodes = (raw as { nodes?: { id?: unknown }[] } | null)?.nodes;
  return error.issues.map((issue) => {
    const p = issue.path;
    let nodeId: string | undefined;
    if (p[0] === 'nodes' && typeof p[1] === 'number' && Array.isArray(nodes)) {
      const id = nodes[p[1]]?.id;
      if (typeof id === 'string') nodeId = id;
    }
    const field = p.reduce<string>(
      (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
      '',
    );
    return { file: DEFINITION_FILE, nodeId, field: field || undefined, message: describeIssue(issue) };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'kind') {
    return 'unknown node kind; use one of source, sql, python, check, metric, publish';
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}

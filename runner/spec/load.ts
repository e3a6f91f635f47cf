// Reads a workflow folder (workflow.yaml + one code file per SQL/Python node) and checks
// it. Every problem found is reported at once, each naming the file, node and field. A
// folder may come from someone else, so code files are read only from inside it (after
// resolving `..` and symlinks).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { pathInside } from './contained-path.ts';
import { hasCodeFile, WorkflowFile, type NodeSpec } from './schema.ts';
import { zodProblems } from './schema-messages.ts';
import { checkGraph, checkPublishTargets } from './validate.ts';
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
  const read = parseDefinitionText(fs.readFileSync(file, 'utf8'));
  return read.ok ? parseWorkflow(abs, read.raw) : fail(read.problem);
}

/** The YAML of a definition file as plain data, or the problem that it is not valid YAML. */
export function parseDefinitionText(text: string): { ok: true; raw: unknown } | { ok: false; problem: SpecProblem } {
  try {
    return { ok: true, raw: YAML.parse(text) };
  } catch (e) {
    const err = e as Error & { linePos?: { line: number; col: number }[] };
    const at = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    return { ok: false, problem: { file: DEFINITION_FILE, message: `not valid YAML${at}: ${err.message.split('\n')[0]}` } };
  }
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
    if (!hasCodeFile(node)) return node;
    const found = findCodeFile(folder, node.id, node.code);
    if (found && 'unusable' in found) {
      problems.push(codeFileProblem(node, i, found));
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
  problems.push(...checkPublishTargets(folder, nodes));
  if (problems.length) return { ok: false, folder, problems };
  return { ok: true, workflow: { folder, file: path.join(folder, DEFINITION_FILE), definition, nodes } };
}

type CodeFile = { rel: string; source: string; language: Language };
/** A code path that cannot be used: it leads out of the folder, or is there but is no readable regular file. */
export type UnusableCode = { rel: string; unusable: string; outside?: true };

/** The problem of an unusable code path, naming the node, its field and the fix. */
export function codeFileProblem(node: Pick<NodeSpec, 'id' | 'kind'>, index: number, found: UnusableCode): SpecProblem {
  const example = `nodes/${node.id}.${node.kind === 'python' ? 'py' : 'sql'}`;
  return {
    file: DEFINITION_FILE,
    nodeId: node.id,
    field: `nodes[${index}].code`,
    message: `code ${found.outside ? 'file ' : ''}${found.rel} ${found.unusable}`,
    fix: found.outside
      ? `keep code files inside the workflow folder (e.g. ${example}) and point code: at them`
      : `set code: to a .sql or .py file, e.g. ${example}`,
  };
}

/**
 * Where a code path leads: inside the folder (after `..` and symlinks), with its stats when
 * something is there, or why it cannot be used (outside, or there but not a regular file).
 * Load and save both ask here, so a code path is judged by one rule.
 */
export function locateCodePath(folder: string, rel: string): { abs: string; stat?: fs.Stats } | UnusableCode {
  const abs = pathInside(folder, rel);
  if (!abs) return { rel, unusable: 'is outside the workflow folder', outside: true };
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) return { rel, unusable: stat.isDirectory() ? 'is a folder, not a file' : 'is not a regular file' };
  return { abs, stat };
}

/** The node's code file (explicit, or nodes/<id>.sql|.py); a path that cannot be used says why in words. */
export function findCodeFile(folder: string, id: string, explicit?: string): CodeFile | UnusableCode | undefined {
  const candidates = explicit ? [explicit] : [`nodes/${id}.sql`, `nodes/${id}.py`];
  for (const rel of candidates) {
    const at = locateCodePath(folder, rel);
    if ('unusable' in at) {
      if (!explicit && !at.outside) continue;
      return at;
    }
    if (!at.stat) continue;
    try {
      const language: Language = rel.endsWith('.py') ? 'python' : 'sql';
      return { rel, source: fs.readFileSync(at.abs, 'utf8'), language };
    } catch (e) {
      return { rel, unusable: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'read error'})` };
    }
  }
  return undefined;
}

// A workflow version as a Jupyter notebook, to explore or debug it in pandas: a setup cell
// with the chosen run's outputs (absolute paths of its Parquet files in the app's run
// folder) and parameters, then one cell per node in run order (see notebook-cells.ts).
// It runs top to bottom with pandas, pyarrow and duckdb. The version is the run's (from
// the store) or, without a run, the workflow's files as they are now.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RESOURCES_DIR } from '../app-root.ts';
import type { RunDetail } from '../api/types.ts';
import { slugOf } from '../engines/export.ts';
import { appOnlyNodes } from '../engines/portability.ts';
import { topoOrder, versionOf } from '../exec/plan.ts';
import { realFileInside } from '../spec/contained-path.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import { writeAtomic } from '../spec/save.ts';
import { WorkflowFile, type NodeSpec } from '../spec/schema.ts';
import { resolveParams } from '../spec/validate.ts';
import type { LoadedNode } from '../spec/workflow.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { AppPaths } from '../store/paths.ts';
import { codeCell, markdownCell, nodeCell, nodeHeader, pyLiteral, type ExportNode, type NbCell } from './notebook-cells.ts';
import { NotebookError } from './notebook-error.ts';

const HELPERS = path.join(RESOURCES_DIR, 'python', 'notebook_export_helpers.py');

export interface NotebookJson {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NbCell[];
}

export interface ExportedNotebook {
  notebook: NotebookJson;
  /** a file name to save it under */
  fileName: string;
  workflowId: string;
  runId: string | null;
  versionHash: string;
}

interface Version {
  folder: string;
  definition: WorkflowFile;
  nodes: ExportNode[];
  hash: string;
}

/** `workflow` is a workflow id or folder; `runId` (or a unique prefix) picks the run, else the latest run of the current files. */
export function exportNotebook(store: MetadataStore, paths: AppPaths, workflow: string | undefined, runId?: string): ExportedNotebook {
  let run: RunDetail | undefined;
  if (runId) {
    const id = store.resolveRunId(runId);
    run = id ? store.getRun(id) : undefined;
    if (!run) throw new NotebookError(`no run ${runId} in the history`, 'pick a run id from aqueduct runs (a unique prefix is enough)', 'run');
  }
  const summary = workflow ? store.getWorkflow(workflow) ?? store.findWorkflowByFolder(path.resolve(workflow)) : store.getWorkflow(run!.workflowId);
  if (!summary && !(workflow && fs.existsSync(path.join(path.resolve(workflow), 'workflow.yaml')))) {
    throw new NotebookError(`no workflow ${workflow ?? ''} known to the app`, 'give the workflow folder (or its id from the app)', 'workflow');
  }
  if (run && summary && run.workflowId !== summary.id) {
    throw new NotebookError(`run ${runId} belongs to another workflow`, 'pick a run of this workflow (aqueduct runs -w <folder>)', 'run');
  }
  const folder = summary?.folder ?? path.resolve(workflow!);
  const version = run ? storedVersion(store, run, folder) : currentVersion(folder);
  if (!run && summary) {
    const latest = store.listRuns({ workflowId: summary.id, kind: 'run', limit: 200 }).find((r) => r.versionHash === version.hash);
    run = latest ? store.getRun(latest.id) : undefined;
  }
  const outputs: Record<string, string> = {};
  for (const n of run?.nodes ?? []) {
    if (n.artifactPath && realFileInside(paths.runs, n.artifactPath)) outputs[n.nodeId] = n.artifactPath;
  }
  const params = run?.params ?? defaults(version.definition);
  const cells = [title(version, run), setupCell(outputs, params, run, version)];
  // reports and their deliveries are for people, rendered by the app: not notebook cells
  const appOnly = appOnlyNodes(version.definition.nodes);
  const skip = new Set(appOnly.map((r) => r.nodeId));
  version.nodes.filter((n) => !skip.has(n.spec.id)).forEach((n, i) => cells.push(nodeHeader(n, i), nodeCell(n, i)));
  if (appOnly.length) cells.push(markdownCell('aq-app-only', `Left out (they run in the Aqueduct app only): ${appOnly.map((r) => `\`${r.nodeId}\``).join(', ')}.`));
  const requirements = readRequirements(folder);
  const notebook: NotebookJson = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      aqueduct: {
        workflow: version.definition.name,
        description: version.definition.description ?? null,
        parameters: version.definition.parameters,
        version: version.hash,
        run: run?.id ?? null,
        requirements,
      },
    },
    cells,
  };
  const fileName = `${slugOf(version.definition.name)}-${(run?.id ?? version.hash).slice(0, 8)}.ipynb`;
  return { notebook, fileName, workflowId: summary?.id ?? '', runId: run?.id ?? null, versionHash: version.hash };
}

/** Writes the notebook to a file (temp name, then rename). */
export function writeNotebook(file: string, nb: NotebookJson): string {
  const abs = path.resolve(file);
  writeAtomic(abs, JSON.stringify(nb, null, 1) + '\n');
  return abs;
}

function currentVersion(folder: string): Version {
  const w = loadWorkflowOrThrow(folder);
  const byId = new Map(w.nodes.map((n) => [n.id, n]));
  const nodes = topoOrder(w.nodes).map((id) => {
    const n = byId.get(id)!;
    const { source, language, codeFile, ...spec } = n;
    return exportNode(folder, spec as NodeSpec, source, language ?? undefined, codeFile);
  });
  return { folder, definition: w.definition, nodes, hash: versionOf(w).hash };
}

const StoredVersion = z.looseObject({ code: z.record(z.string(), z.string()).default({}) });

function storedVersion(store: MetadataStore, run: RunDetail, folder: string): Version {
  const raw = StoredVersion.safeParse(store.getVersion(run.versionHash));
  const { code: _code, ...rest } = raw.success ? raw.data : { code: {} };
  const def = WorkflowFile.safeParse(rest);
  if (!raw.success || !def.success) {
    throw new NotebookError(`the version run ${run.id.slice(0, 8)} ran is not in the app's history`, 'export without --run to use the workflow as it is now');
  }
  const code = raw.data.code;
  const nodes = def.data.nodes;
  const order = topoOrder(nodes as LoadedNode[]);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = order.map((id) => {
    const n = byId.get(id)!;
    const source = code[id];
    const language = source === undefined ? undefined : languageOf(n, source);
    return exportNode(folder, n, source, language, n.code ?? (language ? `nodes/${id}.${language === 'python' ? 'py' : 'sql'}` : undefined));
  });
  return { folder, definition: def.data, nodes: out, hash: run.versionHash };
}

function languageOf(n: NodeSpec, source: string): 'sql' | 'python' {
  if (n.code) return n.code.endsWith('.py') ? 'python' : 'sql';
  if (n.kind === 'python' || n.kind === 'sql') return n.kind;
  return /^\s*def\s+run\s*\(/m.test(source) ? 'python' : 'sql';
}

function exportNode(folder: string, spec: NodeSpec, code?: string, language?: 'sql' | 'python', codeFile?: string): ExportNode {
  const sourcePath = spec.kind === 'source' && spec.file ? path.resolve(folder, spec.file) : undefined;
  return { spec, code, language, codeFile, sourcePath };
}

function defaults(def: WorkflowFile): Record<string, unknown> {
  const r = resolveParams(def.parameters, {});
  return r.ok ? r.values : {};
}

function readRequirements(folder: string): string[] {
  const file = path.join(folder, 'requirements.txt');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function title(v: Version, run: RunDetail | undefined): NbCell {
  const when = run ? new Date(run.startedAt ?? run.createdAt).toISOString().replace('T', ' ').slice(0, 16) : '';
  const from = run
    ? `the outputs of run \`${run.id.slice(0, 8)}\` (${run.status}, ${when} UTC)`
    : 'no run of this version yet, so every cell computes its table from the cells above it';
  return markdownCell('aq-title', [
    `# ${v.definition.name}`,
    v.definition.description?.trim() ?? '',
    `Exported from Aqueduct: version \`${v.hash}\` with ${from}. Each node is one code cell that reads its inputs from the run's Parquet files, so after the setup cell any cell runs on its own. It needs pandas, pyarrow and duckdb.`,
  ].filter(Boolean).join('\n\n'));
}

function setupCell(outputs: Record<string, string>, params: Record<string, unknown>, run: RunDetail | undefined, v: Version): NbCell {
  const entries = Object.entries(outputs).map(([id, p]) => `    ${JSON.stringify(id)}: ${JSON.stringify(p)},`);
  const text = [
    `# Aqueduct setup: ${run ? `the outputs of run ${run.id.slice(0, 8)}` : 'no run outputs'} of "${v.definition.name}" (version ${v.hash.slice(0, 8)}) and its parameters.`,
    'import inspect',
    'import os',
    '',
    'import duckdb',
    'import pandas as pd',
    'import pyarrow.parquet as pq',
    '',
    entries.length ? `OUTPUTS = {\n${entries.join('\n')}\n}` : 'OUTPUTS = {}',
    `PARAMS = ${pyLiteral(params)}`,
    '',
    '',
    fs.readFileSync(HELPERS, 'utf8').trimEnd(),
    '',
    '',
    'aq = AqueductRun(OUTPUTS, PARAMS)',
  ].join('\n');
  return codeCell('aq-setup', text, { aqueduct: { setup: true } });
}

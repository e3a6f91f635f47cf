// Imports the run records remote engines wrote (a results folder, or one record file)
// into the metadata store, so their runs appear in the same history, charts and check
// timelines as local runs, marked with the engine that ran them. Idempotent: a record
// seen before is skipped unless it changed; a local run with the same id is never touched.
// A record is untrusted input (it crossed machines): it is checked field by field, writes
// only artifacts under its own run folder, never registers a folder as a workflow, and its
// publications never become drop targets (see connectors/lineage.ts).
import fs from 'node:fs';
import path from 'node:path';
import { pathInside } from '../spec/contained-path.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import { artifactPath, runFolder, type AppPaths } from '../store/paths.ts';
import { ensurePrivateDir, makePrivate } from '../store/private-files.ts';
import { MAX_RECORD_BYTES, RunRecord, type RunRecord as Record_ } from './run-record.ts';

export interface SyncedRun {
  runId: string;
  workflowId: string;
  workflowName: string;
  engine: string;
  status: string;
  file: string;
}

export interface SyncResult {
  imported: SyncedRun[];
  updated: SyncedRun[];
  unchanged: SyncedRun[];
  invalid: { file: string; problem: string }[];
}

/** Every *.json run record directly in `from` (or `from` itself when it is a file). */
export function recordFiles(from: string): string[] {
  if (!fs.existsSync(from)) throw new Error(`${from} does not exist: give the results folder the engine wrote its run records to`);
  if (fs.statSync(from).isFile()) return [path.resolve(from)];
  return fs.readdirSync(from).filter((f) => f.endsWith('.json')).sort().map((f) => path.resolve(from, f));
}

export function syncRunRecords(store: MetadataStore, paths: AppPaths, from: string): SyncResult {
  const result: SyncResult = { imported: [], updated: [], unchanged: [], invalid: [] };
  for (const file of recordFiles(from)) {
    let raw: unknown;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_RECORD_BYTES) {
        result.invalid.push({ file, problem: `too large for a run record (${size} bytes, at most ${MAX_RECORD_BYTES})` });
        continue;
      }
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      result.invalid.push({ file, problem: `not JSON: ${(e as Error).message}` });
      continue;
    }
    if ((raw as { format?: unknown } | null)?.format === undefined) continue; // some other JSON file
    const parsed = RunRecord.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      result.invalid.push({ file, problem: `not a run record: ${first?.path.join('.') || '(root)'}: ${first?.message}` });
      continue;
    }
    const outcome = importRecord(store, paths, parsed.data, path.dirname(file));
    const entry = { ...outcome.run, file };
    if (outcome.state === 'conflict') result.invalid.push({ file, problem: `run ${parsed.data.runId} exists as a local run; not overwritten` });
    else result[outcome.state].push(entry);
  }
  return result;
}

type Outcome = { state: 'imported' | 'updated' | 'unchanged' | 'conflict'; run: Omit<SyncedRun, 'file'> };

/**
 * The workflow a record's run is filed under: one the user already opened at the folder
 * the record names (left as it is), else a stand-in keyed by engine and name, which is no
 * folder at all (no path separators; relative), so nothing ever loads, watches or writes it.
 */
function workflowFor(store: MetadataStore, r: Record_, workflowId?: string) {
  const known = workflowId ? store.getWorkflow(workflowId) : undefined;
  if (known) return known;
  const opened = r.workflow.folder && path.isAbsolute(r.workflow.folder) ? store.findWorkflowByFolder(r.workflow.folder) : undefined;
  return opened ?? store.upsertWorkflow(`engine:${r.engine}:${r.workflow.name.replace(/[/\\]/g, '_')}`, r.workflow.name);
}

/** What a run the app itself follows keeps of its own row: its workflow and what started it. */
export interface ImportKeep {
  workflowId?: string;
  trigger?: string;
}

export function importRecord(store: MetadataStore, paths: AppPaths, r: Record_, resultsDir: string | undefined, keep: ImportKeep = {}): Outcome {
  const wf = workflowFor(store, r, keep.workflowId);
  const run = { runId: r.runId, workflowId: wf.id, workflowName: wf.name, engine: r.engine, status: r.status };
  const db = store.db;
  const existing = db.prepare('SELECT engine, status, finished_at FROM runs WHERE id = ?').get(r.runId) as
    | { engine: string; status: string; finished_at: number | null }
    | undefined;
  if (existing?.engine === 'local') return { state: 'conflict', run };
  if (existing && existing.status === r.status && existing.finished_at === (r.finishedAt ?? null)) return { state: 'unchanged', run };
  const copied = resultsDir ? copyArtifacts(paths, r, resultsDir) : new Map<string, string>();
  const trigger = keep.trigger ?? r.trigger;
  db.transaction(() => {
    store.putVersion(wf.id, r.version.hash, r.version.definition);
    if (existing) {
      // in place: what points at the run (a schedule's slot, a followed remote run) stays linked
      for (const t of ['node_runs', 'logs', 'metric_values', 'check_results', 'publications', 'column_profiles']) db.prepare(`DELETE FROM ${t} WHERE run_id = ?`).run(r.runId);
      db.prepare(
        `UPDATE runs SET workflow_id = ?, version_hash = ?, trigger = ?, params = ?, status = ?, engine = ?, error = ?, created_at = ?, started_at = ?, finished_at = ?
         WHERE id = ?`,
      ).run(wf.id, r.version.hash, trigger, JSON.stringify(r.params), r.status, r.engine, r.error ?? null, r.createdAt, r.startedAt ?? null, r.finishedAt ?? null, r.runId);
    } else {
      db.prepare(
        `INSERT INTO runs (id, workflow_id, version_hash, kind, target_node, trigger, params, status, engine, error, created_at, started_at, finished_at)
         VALUES (?, ?, ?, 'run', NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(r.runId, wf.id, r.version.hash, trigger, JSON.stringify(r.params), r.status, r.engine, r.error ?? null, r.createdAt,
        r.startedAt ?? null, r.finishedAt ?? null);
    }
    for (const n of r.nodes) {
      store.saveNodeRun({
        runId: r.runId, nodeId: n.nodeId, kind: n.kind, status: n.status, attempts: n.attempts, startedAt: n.startedAt,
        finishedAt: n.finishedAt, rows: n.rows, bytes: n.bytes, columns: n.columns, value: n.value, error: n.error,
        artifactPath: copied.get(n.nodeId),
      });
    }
    for (const m of r.metrics) store.recordMetric({ runId: r.runId, ...m });
    for (const c of r.checks) store.recordCheck({ runId: r.runId, ...c });
    for (const p of r.publications) store.recordPublication({ runId: r.runId, ...p });
    store.appendLogs(r.logs.map((l) => ({ runId: r.runId, ...l })));
  }).immediate();
  return { state: existing ? 'updated' : 'imported', run };
}

/** The real path of a regular file inside `dir` (after symlinks), or undefined. */
function fileInside(dir: string, rel: string): string | undefined {
  const abs = pathInside(dir, rel);
  if (!abs) return undefined;
  try {
    return fs.statSync(abs).isFile() ? fs.realpathSync(abs) : undefined;
  } catch {
    return undefined;
  }
}

/** Copies the table outputs the engine left beside the record into the app's run folder, for previews. */
function copyArtifacts(paths: AppPaths, r: Record_, resultsDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const runDir = path.resolve(runFolder(paths, r.runId));
  for (const n of r.nodes) {
    if (!n.artifact) continue;
    const from = fileInside(resultsDir, n.artifact);
    const to = path.resolve(artifactPath(paths, r.runId, n.nodeId));
    // node ids are checked by the schema; the containment check keeps that promise local
    if (!from || path.dirname(to) !== runDir) continue;
    ensurePrivateDir(runDir);
    fs.copyFileSync(from, to);
    makePrivate(to);
    out.set(n.nodeId, to);
  }
  return out;
}

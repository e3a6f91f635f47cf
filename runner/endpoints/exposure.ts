// Which outputs a workflow serves, and the version each endpoint answers with. The list
// is the `endpoints:` block of workflow.yaml as the file is now (re-read when the file
// changes, so removing an output stops serving it at once); the data is that node's table
// from the workflow's newest run that finished without an error (a run where no error
// check failed), read from the app's runs folder only.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ColumnInfo } from '../api/types.ts';
import type { Db } from '../store/db.ts';
import { DEFINITION_FILE } from '../spec/load.ts';

export interface ServedWorkflow {
  id: string;
  name: string;
  folder: string;
  /** the name in the URL: /api/v1/outputs/<slug>/<output> */
  slug: string;
}

export interface OutputVersion {
  runId: string;
  finishedAt: number;
  file: string;
  columns: ColumnInfo[];
  rows: number;
}

/** "Customer churn" → "customer-churn": the workflow's name as a URL path segment. */
export function slugOf(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'workflow';
}

export class Exposure {
  private readonly files = new Map<string, { mtimeMs: number; size: number; outputs: string[] }>();

  constructor(
    private readonly db: Db,
    private readonly runsDir: string,
  ) {}

  workflows(): ServedWorkflow[] {
    return (this.db.prepare('SELECT id, name, folder FROM workflows ORDER BY name').all() as { id: string; name: string; folder: string }[]).map((w) => ({ ...w, slug: slugOf(w.name) }));
  }

  /** The workflow a URL segment names (its slug or its id); `ambiguous` when two share the slug. */
  find(ref: string): ServedWorkflow | 'ambiguous' | undefined {
    const all = this.workflows();
    const byId = all.find((w) => w.id === ref);
    if (byId) return byId;
    const bySlug = all.filter((w) => w.slug === ref);
    return bySlug.length > 1 ? 'ambiguous' : bySlug[0];
  }

  /** The outputs workflow.yaml lists under endpoints: (none when the file is gone or broken). */
  outputs(w: Pick<ServedWorkflow, 'folder'>): string[] {
    const file = path.join(w.folder, DEFINITION_FILE);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return [];
    }
    const cached = this.files.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.outputs;
    let outputs: string[] = [];
    try {
      const raw = YAML.parse(fs.readFileSync(file, 'utf8')) as { endpoints?: unknown } | null;
      if (Array.isArray(raw?.endpoints)) outputs = raw.endpoints.filter((x): x is string => typeof x === 'string' && /^[a-z_][a-z0-9_]*$/.test(x));
    } catch {
      outputs = [];
    }
    this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, outputs });
    return outputs;
  }

  /** The newest served version of an output, or undefined when no finished run has it. */
  latest(workflowId: string, output: string): OutputVersion | undefined {
    const rows = this.db
      .prepare(
        `SELECT n.run_id, n.artifact_path, n.columns, n.rows, r.finished_at FROM node_runs n JOIN runs r ON r.id = n.run_id
         WHERE r.workflow_id = ? AND r.kind = 'run' AND r.status IN ('succeeded', 'succeeded_with_warnings')
           AND n.node_id = ? AND n.artifact_path IS NOT NULL AND n.columns IS NOT NULL
         ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 5`,
      )
      .all(workflowId, output) as { run_id: string; artifact_path: string; columns: string; rows: number; finished_at: number }[];
    for (const r of rows) {
      const file = insideRuns(this.runsDir, r.artifact_path);
      if (file) return { runId: r.run_id, finishedAt: r.finished_at, file, columns: JSON.parse(r.columns) as ColumnInfo[], rows: r.rows };
    }
    return undefined;
  }
}

/** `file` when it is a Parquet file inside the runs folder (records synced from elsewhere are not trusted). */
function insideRuns(dir: string, file: string): string | undefined {
  if (!file.endsWith('.parquet')) return undefined;
  try {
    const rel = path.relative(fs.realpathSync(dir), fs.realpathSync(file));
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? file : undefined;
  } catch {
    return undefined;
  }
}

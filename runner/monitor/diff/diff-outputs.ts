// The data diff of one node's output between two runs: the one service behind Compare in
// the UI, `aqueduct diff` and the API. Schema changes first (columns added, removed, of
// another type); then, with key columns, rows added, removed and changed with per-column
// counts and a side-by-side sample, duplicate keys reported; without a key, the multiset
// difference (how often each distinct row occurs on each side).
import fs from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { DataDiff, SchemaChange } from '../../api/monitor-types.ts';
import type { NodeRunRecord } from '../../api/types.ts';
import { describeParquet, quoteLiteral } from '../../exec/duck.ts';
import type { MetadataStore } from '../../store/metadata-store.ts';
import { MonitorInputError } from '../monitor-error.ts';
import { comparedColumns } from './diff-sql.ts';
import { keyedDiff } from './keyed-diff.ts';
import { multisetDiff } from './multiset-diff.ts';

export interface DiffOptions {
  /** key columns; absent: the multiset difference */
  key?: string[];
  /** numbers closer than this count as unchanged (needs a key) */
  tolerance?: number;
  /** rows shown per sample (default 20) */
  sample?: number;
}

const short = (id: string) => id.slice(0, 8);

function outputOf(store: MetadataStore, runArg: string, nodeId: string, which: 'A' | 'B'): { runId: string; node: NodeRunRecord; path: string } {
  const runId = store.resolveRunId(runArg);
  if (!runId) throw new MonitorInputError(`no run matches "${runArg}" (run ${which})`, which === 'A' ? 'runA' : 'runB', 'give a run id or a unique prefix of one (list runs with aqueduct runs)');
  const node = store.getNodeRun(runId, nodeId);
  if (!node) {
    const nodes = store.getRun(runId)?.nodes.map((n) => n.nodeId).join(', ');
    throw new MonitorInputError(`run ${short(runId)} has no node "${nodeId}"`, 'node', `pick one of its nodes: ${nodes || 'none'}`);
  }
  if (!node.artifactPath) {
    const why = node.status === 'succeeded' || node.status === 'warning' ? 'checks, metrics and publishes give no table' : `it ${node.status === 'failed' ? 'failed' : `was ${node.status}`} in that run`;
    throw new MonitorInputError(`node "${nodeId}" has no table output in run ${short(runId)}: ${why}`, 'node', 'pick a source, sql or python node that succeeded in both runs');
  }
  if (!fs.existsSync(node.artifactPath)) {
    throw new MonitorInputError(`the output of node "${nodeId}" in run ${short(runId)} was deleted (retention)`, which === 'A' ? 'runA' : 'runB', 'compare newer runs, or keep more runs under the schedule’s retention');
  }
  return { runId, node, path: node.artifactPath };
}

export async function diffOutputs(duck: DuckDBInstance, store: MetadataStore, runA: string, runB: string, nodeId: string, o: DiffOptions = {}): Promise<DataDiff> {
  const a = outputOf(store, runA, nodeId, 'A');
  const b = outputOf(store, runB, nodeId, 'B');
  const key = (o.key ?? []).map((k) => k.trim()).filter(Boolean);
  if (o.tolerance !== undefined && (!Number.isFinite(o.tolerance) || o.tolerance < 0)) {
    throw new MonitorInputError(`tolerance ${o.tolerance} is not a number of 0 or more`, 'tolerance', 'give e.g. --tolerance 0.001');
  }
  if (o.tolerance !== undefined && key.length === 0) {
    throw new MonitorInputError('a tolerance needs key columns: without a key, rows are matched whole, and a nearly equal number makes another row', 'tolerance', 'add key columns (--key id), or leave the tolerance out');
  }
  const sample = Math.max(1, Math.min(o.sample ?? 20, 200));
  const c = await duck.connect();
  try {
    const infoA = await describeParquet(c, a.path);
    const infoB = await describeParquet(c, b.path);
    const schema = schemaChange(infoA.columns, infoB.columns);
    const compared = comparedColumns(infoA.columns, infoB.columns);
    if (compared.length === 0) {
      throw new MonitorInputError(`the outputs of node "${nodeId}" in runs ${short(a.runId)} and ${short(b.runId)} have no column in common`, 'node', 'compare runs whose outputs share columns');
    }
    for (const k of key) {
      const missing = [infoA, infoB].findIndex((info) => !info.columns.some((col) => col.name === k));
      if (missing >= 0) {
        const run = missing === 0 ? a.runId : b.runId;
        throw new MonitorInputError(`key column "${k}" is not in the output of node "${nodeId}" in run ${short(run)}`, 'key', `pick key columns both outputs have: ${compared.map((col) => col.name).join(', ')}`);
      }
    }
    if (new Set(key).size !== key.length) throw new MonitorInputError(`key column "${key.find((k, i) => key.indexOf(k) !== i)}" is named twice`, 'key', 'name each key column once');
    await c.run(`CREATE TEMP VIEW A AS SELECT * FROM read_parquet(${quoteLiteral(a.path)})`);
    await c.run(`CREATE TEMP VIEW B AS SELECT * FROM read_parquet(${quoteLiteral(b.path)})`);
    const result = key.length
      ? await keyedDiff(c, {
          key: key.map((k) => compared.find((col) => col.name === k)!),
          values: compared.filter((col) => !key.includes(col.name)),
          columnsA: infoA.columns,
          columnsB: infoB.columns,
          tolerance: o.tolerance,
          sample,
        })
      : await multisetDiff(c, compared, sample);
    return {
      runA: a.runId,
      runB: b.runId,
      nodeId,
      rowsA: infoA.rows,
      rowsB: infoB.rows,
      schema,
      compared: compared.map((col) => col.name),
      tolerance: o.tolerance,
      result,
    };
  } finally {
    c.closeSync();
  }
}

export function schemaChange(a: { name: string; type: string }[], b: { name: string; type: string }[]): SchemaChange {
  const ta = new Map(a.map((x) => [x.name, x.type]));
  const tb = new Map(b.map((x) => [x.name, x.type]));
  return {
    added: b.filter((x) => !ta.has(x.name)),
    removed: a.filter((x) => !tb.has(x.name)),
    retyped: b.flatMap((x) => (ta.has(x.name) && ta.get(x.name) !== x.type ? [{ name: x.name, from: ta.get(x.name)!, to: x.type }] : [])),
  };
}

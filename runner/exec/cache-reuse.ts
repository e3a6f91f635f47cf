// Reusing an unchanged node's output from an earlier run (previews do): the newest earlier
// node run with the same content hash whose output still exists. A reused check or
// metric also counts as this run's result, so a preview shows the checks that gate
// publishing even when none of them had to run again.
import fs from 'node:fs';
import type { NodeRunRecord } from '../api/types.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { TableRef } from './kinds/types.ts';

export function findReusable(store: MetadataStore, cacheKey: string): { prior: NodeRunRecord; table?: TableRef } | undefined {
  for (const prior of store.findCachedNodeRuns(cacheKey)) {
    if (prior.artifactPath && !fs.existsSync(prior.artifactPath)) continue;
    if (prior.artifactPath && prior.columns && prior.rows !== undefined) {
      return { prior, table: { path: prior.artifactPath, columns: prior.columns, rows: prior.rows } };
    }
    if (prior.kind === 'source' || prior.kind === 'sql' || prior.kind === 'python') continue;
    return { prior };
  }
  return undefined;
}

/** Records a reused check's or metric's result under `runId` as well. */
export function copyResult(store: MetadataStore, prior: NodeRunRecord, runId: string, ts: number): void {
  if (prior.kind !== 'check' && prior.kind !== 'metric') return;
  const from = store.getRun(prior.runId);
  const check = from?.checks.find((c) => c.nodeId === prior.nodeId);
  if (check) store.recordCheck({ ...check, runId, ts });
  const metric = from?.metrics.find((m) => m.nodeId === prior.nodeId);
  if (metric) store.recordMetric({ ...metric, runId, ts });
}

// The outputs every workflow serves, with the path each answers at and its newest
// version: what the Endpoints screen and `aqueduct endpoints list` show.
import type { Engine } from '../engine.ts';
import { Exposure } from './exposure.ts';

export interface ServedOutput {
  workflowId: string;
  workflowName: string;
  slug: string;
  output: string;
  /** the path under the server's address */
  path: string;
  latest?: { runId: string; finishedAt: number; rows: number };
}

export function servedOutputs(engine: Pick<Engine, 'store' | 'paths'>, workflowId?: string): ServedOutput[] {
  const exposure = new Exposure(engine.store.db, engine.paths.runs);
  return exposure.workflows().filter((w) => !workflowId || w.id === workflowId).flatMap((w) =>
    exposure.outputs(w).map((output) => {
      const v = exposure.latest(w.id, output);
      return { workflowId: w.id, workflowName: w.name, slug: w.slug, output, path: `/api/v1/outputs/${w.slug}/${output}`, ...(v ? { latest: { runId: v.runId, finishedAt: v.finishedAt, rows: v.rows } } : {}) };
    }),
  );
}

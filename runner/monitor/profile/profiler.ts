// Profiles a run's table outputs as they are written: each profile starts when its node
// finishes (downstream nodes do not wait for it) and the run finishes only once every
// profile is stored. A profile that cannot be computed never fails the run: it is told
// in the node's log. Outputs from before profiling existed, or imported from a remote
// engine, are profiled on first request instead (profileOf).
import fs from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { TableProfile } from '../../api/monitor-types.ts';
import type { Db } from '../../store/db.ts';
import { profileParquet } from './compute-profile.ts';
import { copyProfile, getProfile, saveProfile } from './profile-store.ts';

export async function computeProfile(duck: DuckDBInstance, runId: string, nodeId: string, file: string): Promise<TableProfile> {
  const c = await duck.connect();
  try {
    return { runId, nodeId, ...(await profileParquet(c, file)) };
  } finally {
    c.closeSync();
  }
}

export class RunProfiler {
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly d: { db: Db; duck: DuckDBInstance; enabled: boolean; log: (nodeId: string, line: string) => void },
  ) {}

  add(runId: string, nodeId: string, file: string): void {
    if (!this.d.enabled) return;
    this.pending.push(
      computeProfile(this.d.duck, runId, nodeId, file)
        .then((p) => saveProfile(this.d.db, p))
        .catch((e: unknown) => this.d.log(nodeId, `could not profile the output: ${((e as Error).message ?? String(e)).split('\n')[0]}`)),
    );
  }

  /** A reused output keeps the profile of the run that wrote it. */
  copy(fromRun: string, toRun: string, nodeId: string, file: string): void {
    if (!this.d.enabled) return;
    if (!copyProfile(this.d.db, fromRun, toRun, nodeId)) this.add(toRun, nodeId, file);
  }

  async settle(): Promise<void> {
    await Promise.allSettled(this.pending);
  }
}

export class ProfileUnavailableError extends Error {}

/** The stored profile, or one computed now from the output file (then stored). */
export async function profileOf(db: Db, duck: DuckDBInstance, runId: string, nodeId: string, artifactPath: string | undefined): Promise<TableProfile> {
  const stored = getProfile(db, runId, nodeId);
  if (stored) return stored;
  if (!artifactPath) throw new ProfileUnavailableError(`node "${nodeId}" has no table in this run, so it has no profile`);
  if (!fs.existsSync(artifactPath)) throw new ProfileUnavailableError(`the output of node "${nodeId}" was deleted (retention) before it was profiled`);
  const p = await computeProfile(duck, runId, nodeId, artifactPath);
  saveProfile(db, p);
  return p;
}

// What the scheduler needs from the process it lives in: the Engine provides all of it.
// An interface rather than the Engine itself so the benchmark can measure the
// scheduler's own cost with a host that records runs without executing them.
import type { RunEvent } from '../api/types.ts';
import type { StartedRun, StartRunOptions } from '../engine.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { AppPaths } from '../store/paths.ts';

export interface SchedulerHost {
  readonly store: MetadataStore;
  readonly paths: AppPaths;
  readonly events: { on(listener: (e: RunEvent) => void): () => void };
  /** must create the run row synchronously, before its first await (Engine.startRun does) */
  startRun(folderOrWorkflowId: string, o: StartRunOptions): Promise<StartedRun>;
  cancelRun(runId: string, reason?: string): boolean;
  activeRuns(): string[];
}

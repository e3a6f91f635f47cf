// The scheduler's records as the API, the CLI and the UI see them. Types only (the
// renderer may import this file), so nothing here pulls in Node modules.
import type { ParamValue, RunStatus } from '../api/types.ts';

export type CatchUpPolicy = 'skip' | 'once' | 'each';
export type OverlapPolicy = 'skip' | 'queue' | 'cancel';

export interface Schedule {
  id: string;
  workflowId: string;
  workflowName?: string;
  /** 'file': from workflow.yaml's schedule block; 'app': set in the UI, CLI or API */
  source: 'file' | 'app';
  cron: string;
  timezone: string;
  paused: boolean;
  catchup: CatchUpPolicy;
  overlap: OverlapPolicy;
  /** how many times a run interrupted by a crash (kill, power loss) is retried for its slot */
  retryInterrupted: number;
  /** parameter overrides for scheduled runs */
  params: Record<string, ParamValue>;
  /** every slot at or before this instant has been decided */
  cursorAt: number;
  createdAt: number;
  updatedAt: number;
  /** the next slot (ms), unless paused */
  nextRunAt?: number;
}

export interface ScheduleInput {
  /** a cron expression (5 fields, or 6 with seconds), an @nickname or a preset: hourly, daily, weekly, monthly */
  cron: string;
  /** IANA zone; default the machine's */
  timezone?: string;
  paused?: boolean;
  catchup?: CatchUpPolicy;
  overlap?: OverlapPolicy;
  /** 0..MAX_RETRY_INTERRUPTED; default 1 */
  retryInterrupted?: number;
  params?: Record<string, ParamValue>;
}

/** The most retries of one interrupted slot a schedule may ask for. */
export const MAX_RETRY_INTERRUPTED = 5;

/** What the scheduler decided for one slot (schedule + scheduled time). */
export type SlotDecision =
  | 'ran'
  | 'skipped_missed'
  | 'skipped_overlap'
  | 'queued'
  | 'cancelled_previous'
  | 'failed_to_start';

export interface SlotRecord {
  id: string;
  scheduleId: string;
  workflowId: string;
  slotTime: number;
  decision: SlotDecision;
  reason: string;
  /** the lease holder that decided it */
  claimedBy: string;
  decidedAt: number;
  runId?: string;
  /** when its run was created (run-start latency = startedAt - slotTime) */
  startedAt?: number;
  runStatus?: RunStatus;
}

export interface Cascade {
  id: string;
  upstreamWorkflowId: string;
  upstreamName?: string;
  downstreamWorkflowId: string;
  downstreamName?: string;
  params: Record<string, ParamValue>;
  createdAt: number;
}

export interface CascadeFire {
  cascadeId: string;
  upstreamRunId: string;
  decision: 'started' | 'not_started' | 'failed_to_start';
  reason: string;
  runId?: string;
  decidedAt: number;
}

export interface RetentionUsage {
  workflowId: string;
  workflowName: string;
  keepRuns: number;
  /** runs (not previews; retention keeps those apart) */
  runs: number;
  /** runs whose output folder still exists */
  runsWithArtifacts: number;
  previews: number;
  previewsWithArtifacts: number;
  /** runs whose output retention deleted (the UI says "output deleted by retention") */
  runsDeleted: number;
  bytes: number;
}

export interface SchedulerStatus {
  role: 'holder' | 'passive' | 'stopped';
  holderId?: string;
  holderPid?: number;
  holderHost?: string;
  leaseExpiresAt?: number;
}

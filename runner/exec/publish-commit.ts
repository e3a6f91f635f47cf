// The last step of a run: its publishes were staged (nothing visible yet); now they are
// committed together, or all discarded. The rule (README, "Publishing: all or nothing"):
// if any publish failed while staging, or the run was cancelled, none is committed.
// Otherwise the ones that cannot hold a change back (BigQuery, Google Sheets) are written
// first, since they are the likeliest to fail, then the held ones are made visible (a
// rename, a COMMIT). The first failure stops the rest; what was committed before it stays.
import type { NodeError } from '../api/types.ts';
import { StagingArea } from '../connectors/staging.ts';
import { PublishError, type StagedPublish } from '../connectors/types.ts';
import type { StagedFiles } from '../store/staged-files.ts';

export interface StagedNode {
  id: string;
  staged: StagedPublish;
  destination: string;
  connection?: string;
  mode: string;
}

export interface CommitHooks {
  published(n: StagedNode): void;
  notPublished(id: string, status: 'skipped' | 'cancelled' | 'failed', error: NodeError): void;
  log(id: string, line: string): void;
}

/**
 * Why a publish did not publish, short enough for the canvas to show on the node
 * ("not published: check enough_rows failed"); a preview says "would not be published: …".
 */
export function notPublishedReason(why: string, preview = false): string {
  return `${preview ? 'would not be published' : 'not published'}: ${why}`;
}

function errorOf(e: unknown): NodeError {
  if (e instanceof PublishError) return { message: e.message, fix: e.fix };
  return { message: (e as Error).message ?? String(e), detail: (e as Error).stack };
}

/** Discards one staged publish; a change that went out with a committed shared transaction counts as published. */
async function discard(n: StagedNode, hooks: CommitHooks, status: 'skipped' | 'cancelled', reason: string): Promise<void> {
  const discarded = await n.staged.abort().catch(() => true);
  if (discarded) {
    hooks.log(n.id, 'discarded the staged change: nothing was written');
    hooks.notPublished(n.id, status, { message: reason });
  } else {
    hooks.published(n);
  }
}

/**
 * Commits `staged` (in the order they were staged), or discards them all when `blocked`
 * says why nothing may be published.
 */
export async function commitPublishes(
  staged: StagedNode[],
  blocked: { status: 'skipped' | 'cancelled'; reason: string } | undefined,
  hooks: CommitHooks,
): Promise<void> {
  if (blocked) {
    for (const n of staged) await discard(n, hooks, blocked.status, blocked.reason);
    return;
  }
  const order = [...staged.filter((n) => !n.staged.held), ...staged.filter((n) => n.staged.held)];
  const done: string[] = [];
  let failed: string | undefined;
  for (const n of order) {
    if (failed) {
      await discard(n, hooks, 'skipped', notPublishedReason(`publish ${failed} failed`));
      continue;
    }
    try {
      await n.staged.commit();
      done.push(n.id);
      hooks.published(n);
    } catch (e) {
      failed = n.id;
      if (done.length) hooks.log(n.id, `committing failed after ${done.join(', ')} had been published; the publishes after it were discarded`);
      hooks.notPublished(n.id, 'failed', errorOf(e));
    }
  }
}

/** A run's publishes while they stage: what is staged, the first failure, and the shared staging area. */
export class RunPublishes {
  readonly staging: StagingArea;
  private readonly staged = new Map<string, StagedNode>();
  private readonly ctl = new AbortController();
  /** the first publish that failed while staging */
  private failedId: string | undefined;

  constructor(runId: string, ledger: StagedFiles) {
    this.staging = new StagingArea({
      record: (path, kind) => ledger.record(runId, path, kind),
      release: (path) => ledger.release(runId, path),
    });
  }

  /** aborted once a publish has failed, to stop the others' staging */
  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  get failed(): string | undefined {
    return this.failedId;
  }

  add(n: StagedNode): void {
    this.staged.set(n.id, n);
  }

  fail(id: string): void {
    this.failedId ??= id;
    this.ctl.abort(new Error(`publish "${id}" failed`));
  }

  /** Commits what is staged, or discards it all when the run was cancelled or a publish failed. */
  async settle(cancelled: string | undefined, hooks: CommitHooks): Promise<void> {
    const staged = [...this.staged.values()];
    this.staged.clear();
    const blocked = cancelled !== undefined
      ? { status: 'cancelled' as const, reason: cancelled }
      : this.failedId
        ? { status: 'skipped' as const, reason: notPublishedReason(`publish ${this.failedId} failed`) }
        : undefined;
    try {
      if (staged.length) await commitPublishes(staged, blocked, hooks);
    } finally {
      await this.staging.endAll();
    }
  }
}

// Executes one run's fixed plan: nodes in topological order, independent branches in
// parallel up to a bound, per-node timeout and retries, cancellation, downstream of a
// failure skipped, and publishes last, only when nothing failed. Every state change is
// saved to the store before its event is emitted, so a crash loses nothing reported.
import fs from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { LogLine, NodeRunRecord, RunStatus, RunSummary } from '../api/types.ts';
import type { ConnectionConfig } from '../connectors/types.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import { artifactPath, runFolder, type AppPaths } from '../store/paths.ts';
import { clipNodeError, summaryLine } from './error-text.ts';
import type { EventBus } from './events.ts';
import { runNodeKind } from './kinds/index.ts';
import { NodeFailure, type NodeContext, type NodeOutcome, type TableRef } from './kinds/types.ts';
import type { Plan } from './plan.ts';
import type { PythonPool } from './python/pool.ts';
import type { DeliveryLedger } from '../deliveries/ledger.ts';

export interface ExecutorDeps {
  store: MetadataStore;
  events: EventBus;
  paths: AppPaths;
  duck: DuckDBInstance;
  python: () => PythonPool;
  concurrency: number;
  resolveConnection: (name: string) => Promise<ConnectionConfig>;
  deliveries: DeliveryLedger;
}

/** Kinds never reused from an earlier run: they act on the world, or their files live in their own run. */
const NEVER_REUSED = new Set(['publish', 'report']);

const LOG_FLUSH_MS = 150;

export class RunExecution {
  private readonly controller = new AbortController();
  private readonly records = new Map<string, NodeRunRecord>();
  private readonly tables = new Map<string, TableRef>();
  private logBuffer: LogLine[] = [];
  private logTimer: NodeJS.Timeout | undefined;
  private cancelReason: string | undefined;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly plan: Plan,
    private readonly run: RunSummary,
    private readonly opts: { useCache: boolean },
  ) {}

  cancel(reason = 'cancelled by the user'): void {
    this.cancelReason ??= reason;
    this.controller.abort(new Error(reason));
  }

  async execute(): Promise<RunSummary> {
    const { store, events } = this.deps;
    fs.mkdirSync(runFolder(this.deps.paths, this.run.id), { recursive: true });
    const pending = this.plan.order.map((id): NodeRunRecord => {
      const pn = this.plan.nodes.get(id)!;
      return { runId: this.run.id, nodeId: id, kind: pn.node.kind, status: 'pending', attempts: 0, cacheKey: pn.cacheKey };
    });
    for (const rec of pending) this.records.set(rec.nodeId, rec);
    store.saveNodeRuns(pending);
    const started = store.markRunStarted(this.run.id);
    events.emit({ type: 'run_started', run: started });
    try {
      await this.schedule();
    } finally {
      this.flushLogs();
    }
    const { status, error } = this.outcome();
    const finished = store.finishRun(this.run.id, status, error);
    events.emit({ type: 'run_finished', run: finished });
    return finished;
  }

  private async schedule(): Promise<void> {
    const pending = new Set(this.plan.order);
    const running = new Map<string, Promise<void>>();
    for (;;) {
      if (this.controller.signal.aborted) {
        for (const id of pending) this.finishAs(id, 'cancelled', { message: this.cancelReason ?? 'cancelled' });
        pending.clear();
      }
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const id of [...pending]) {
          if (running.size >= this.deps.concurrency) break;
          const readiness = this.readiness(id);
          if (readiness.state === 'wait') continue;
          pending.delete(id);
          progressed = true;
          if (readiness.state === 'skip') {
            this.finishAs(id, 'skipped', { message: readiness.reason });
          } else {
            const p = this.runNode(id).finally(() => running.delete(id));
            running.set(id, p);
          }
        }
      }
      if (running.size === 0) {
        // nothing runs and nothing can start: whatever is left can never run
        for (const id of pending) this.finishAs(id, 'skipped', { message: 'skipped: its inputs never became available' });
        return;
      }
      await Promise.race(running.values());
    }
  }

  private readiness(id: string): { state: 'ready' | 'wait' } | { state: 'skip'; reason: string } {
    const pn = this.plan.nodes.get(id)!;
    for (const up of pn.upstream) {
      const s = this.records.get(up)?.status;
      if (s === 'failed' || s === 'skipped' || s === 'cancelled') {
        return { state: 'skip', reason: `skipped because upstream node "${up}" ${s === 'failed' ? 'failed' : `was ${s}`}` };
      }
      if (s !== 'succeeded' && s !== 'warning') return { state: 'wait' };
    }
    if (pn.node.kind !== 'publish') return { state: 'ready' };
    // publishes go last: wait until every other node has finished, then only if none failed
    for (const [other, opn] of this.plan.nodes) {
      if (opn.node.kind === 'publish') continue;
      const s = this.records.get(other)?.status;
      if (s === 'pending' || s === 'running') return { state: 'wait' };
      if (s === 'failed') {
        const what = opn.node.kind === 'check' || opn.node.kind === 'metric' ? `${opn.node.kind} "${other}" failed` : `node "${other}" failed`;
        return { state: 'skip', reason: `not published because ${what}` };
      }
    }
    return { state: 'ready' };
  }

  private async runNode(id: string): Promise<void> {
    const pn = this.plan.nodes.get(id)!;
    const node = pn.node;
    if (this.opts.useCache && !NEVER_REUSED.has(node.kind) && this.reuseCached(id)) return;
    const maxAttempts = 1 + (node.retries ?? 0);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const startedAt = Date.now();
      this.save({ ...this.records.get(id)!, status: 'running', attempts: attempt, startedAt, error: undefined });
      this.deps.events.emit({ type: 'node_started', runId: this.run.id, nodeId: id, attempt, ts: startedAt });
      const attemptCtl = new AbortController();
      const signal = AbortSignal.any([this.controller.signal, attemptCtl.signal]);
      let timedOut = false;
      const timer = node.timeout
        ? setTimeout(() => {
            timedOut = true;
            attemptCtl.abort(new Error('timeout'));
          }, node.timeout * 1000)
        : undefined;
      try {
        const outcome = await runNodeKind(this.context(id, signal));
        // a kind that finished its work after the timeout still timed out, unless it
        // already changed its destination (a publish commits or does nothing)
        if (timedOut && outcome.type !== 'published') throw new Error('timeout');
        if (timedOut) this.log(id, 'system', `finished after its timeout of ${node.timeout}s: the publish had already been committed`);
        this.recordOutcome(id, outcome);
        return;
      } catch (e) {
        if (this.controller.signal.aborted) {
          this.finishAs(id, 'cancelled', { message: this.cancelReason ?? 'cancelled' });
          return;
        }
        const left = node.kind === 'publish' ? '; the destination was left as it was' : '';
        const error = clipNodeError(timedOut
          ? { message: `timed out after ${node.timeout}s${left}`, fix: 'raise timeout: on the node in workflow.yaml, or make it faster' }
          : e instanceof NodeFailure
            ? e.toNodeError()
            : { message: (e as Error).message ?? String(e), detail: (e as Error).stack });
        if (attempt < maxAttempts) {
          this.log(id, 'system', `attempt ${attempt} of ${maxAttempts} failed: ${error.message}; retrying`);
          continue;
        }
        this.finishAs(id, 'failed', error);
        return;
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  }

  private reuseCached(id: string): boolean {
    const pn = this.plan.nodes.get(id)!;
    for (const prior of this.deps.store.findCachedNodeRuns(pn.cacheKey)) {
      if (prior.artifactPath && !fs.existsSync(prior.artifactPath)) continue;
      if (prior.artifactPath && prior.columns && prior.rows !== undefined) {
        this.tables.set(id, { path: prior.artifactPath, columns: prior.columns, rows: prior.rows });
      } else if (prior.kind === 'source' || prior.kind === 'sql' || prior.kind === 'python') {
        continue;
      }
      const now = Date.now();
      this.log(id, 'system', `unchanged since run ${prior.runId.slice(0, 8)}: reusing its output`);
      this.finish({ ...prior, runId: this.run.id, status: prior.status, attempts: 0, startedAt: now, finishedAt: now, cachedFrom: prior.runId });
      return true;
    }
    return false;
  }

  private context(id: string, signal: AbortSignal): NodeContext {
    const pn = this.plan.nodes.get(id)!;
    return {
      runId: this.run.id,
      workflow: this.plan.workflow,
      node: pn.node,
      params: this.plan.params,
      // tables only: a report's metric and figure inputs arrive through `upstream`
      inputs: new Map(pn.upstream.flatMap((u) => (this.tables.has(u) ? [[u, this.tables.get(u)!] as const] : []))),
      upstream: new Map(pn.upstream.map((u) => [u, this.records.get(u)!])),
      deliveries: this.deps.deliveries,
      outputPath: artifactPath(this.deps.paths, this.run.id, id),
      duck: this.deps.duck,
      python: this.deps.python,
      signal,
      log: (stream, line) => this.log(id, stream, line),
      resolveConnection: this.deps.resolveConnection,
    };
  }

  private recordOutcome(id: string, o: NodeOutcome): void {
    const { store } = this.deps;
    const base = { ...this.records.get(id)!, finishedAt: Date.now() };
    const node = this.plan.nodes.get(id)!.node;
    const severity = node.kind === 'check' || node.kind === 'metric' ? node.severity : 'error';
    const ts = Date.now();
    switch (o.type) {
      case 'table':
        this.tables.set(id, o.table);
        this.finish({ ...base, status: 'succeeded', artifactPath: o.table.path, rows: o.table.rows, columns: o.table.columns, bytes: o.bytes });
        return;
      case 'check':
        store.recordCheck({ runId: this.run.id, nodeId: id, passed: o.passed, severity, message: o.message, ts });
        this.finish({ ...base, value: o.value, status: o.passed ? 'succeeded' : severity === 'error' ? 'failed' : 'warning', error: o.message ? { message: o.message } : undefined });
        return;
      case 'metric': {
        const bounds = node.kind === 'metric' ? node.bounds : undefined;
        store.recordMetric({ runId: this.run.id, nodeId: id, value: o.value, lower: bounds?.lower, upper: bounds?.upper, passed: o.passed, ts });
        this.finish({ ...base, value: o.value, status: o.passed ? 'succeeded' : severity === 'error' ? 'failed' : 'warning', error: o.message ? { message: o.message } : undefined });
        return;
      }
      case 'published':
        store.recordPublication({ runId: this.run.id, nodeId: id, destination: o.destination, connection: o.connection, target: o.target, mode: o.mode, rows: o.rows, ts });
        this.finish({ ...base, status: o.warning ? 'warning' : 'succeeded', rows: o.delivered ? undefined : o.rows, error: o.warning ? { message: o.warning } : undefined });
        return;
      case 'figure':
      case 'report':
        this.finish({ ...base, status: 'succeeded', bytes: o.bytes });
        return;
      case 'skipped':
        this.finish({ ...base, status: 'skipped', error: { message: o.reason } });
        return;
    }
  }

  private finishAs(id: string, status: NodeRunRecord['status'], error?: NodeRunRecord['error']): void {
    this.finish({ ...this.records.get(id)!, status, error, finishedAt: Date.now() });
  }

  private finish(rec: NodeRunRecord): void {
    this.flushLogs();
    this.save(rec);
    this.deps.events.emit({ type: 'node_finished', node: rec });
  }

  private save(rec: NodeRunRecord): void {
    this.records.set(rec.nodeId, rec);
    this.deps.store.saveNodeRun(rec);
  }

  private log(nodeId: string, stream: LogLine['stream'], line: string): void {
    const entry: LogLine = { runId: this.run.id, nodeId, ts: Date.now(), stream, line };
    this.logBuffer.push(entry);
    this.deps.events.emit({ type: 'node_log', log: entry });
    this.logTimer ??= setTimeout(() => this.flushLogs(), LOG_FLUSH_MS);
  }

  private flushLogs(): void {
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = undefined;
    const lines = this.logBuffer;
    this.logBuffer = [];
    this.deps.store.appendLogs(lines);
  }

  private outcome(): { status: RunStatus; error?: string } {
    const recs = [...this.records.values()];
    if (this.controller.signal.aborted) return { status: 'cancelled', error: this.cancelReason };
    const failed = recs.filter((r) => r.status === 'failed');
    if (failed.length) {
      const f = failed[0]!;
      const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
      return { status: 'failed', error: `node "${f.nodeId}" failed: ${summaryLine(f.error?.message ?? 'unknown error')}${more}` };
    }
    if (recs.some((r) => r.status === 'warning')) return { status: 'succeeded_with_warnings' };
    return { status: 'succeeded' };
  }
}

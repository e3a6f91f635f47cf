// Executes one run's fixed plan: nodes in topological order, independent branches in
// parallel up to a bound, per-node timeout and retries, cancellation, downstream of a
// failure skipped, and publishes last, only when nothing failed: each is staged, then
// all are committed together (publish-commit.ts). Reports to people (email, Slack, a
// folder) cannot be staged: they are sent after the commit, only if every publish made
// it, so nobody is told of data that never landed. In a preview, publishes only say what
// they would do. Every state change is saved to the store before its event is emitted,
// so a crash loses nothing reported.
import type { DuckDBInstance } from '@duckdb/node-api';
import type { LogLine, NodeRunRecord, RunStatus, RunSummary } from '../api/types.ts';
import type { ConnectionConfig } from '../connectors/types.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { StagedFiles } from '../store/staged-files.ts';
import { artifactPath, runFolder, type AppPaths } from '../store/paths.ts';
import { ensurePrivateDir, lockDownTree } from '../store/private-files.ts';
import { clipNodeError, summaryLine } from './error-text.ts';
import type { EventBus } from './events.ts';
import { runNodeKind } from './kinds/index.ts';
import { NodeFailure, PublishStopped, type NodeContext, type NodeOutcome, type TableRef } from './kinds/types.ts';
import type { Plan } from './plan.ts';
import { copyResult, findReusable } from './cache-reuse.ts';
import { notPublishedReason, RunPublishes } from './publish-commit.ts';
import type { PythonPool } from './python/pool.ts';
import type { DeliveryLedger } from '../deliveries/ledger.ts';
import { isDelivery } from '../spec/validate-report.ts';
import { RunProfiler } from '../monitor/profile/profiler.ts';
import { builtinParams } from '../monitor/builtins.ts';
import { storeHistory, type RunHistory } from '../monitor/history.ts';
import { isVolatile } from '../monitor/volatile.ts';
import type { ParamValue } from '../api/types.ts';

export interface ExecutorDeps {
  store: MetadataStore;
  /** the staging ledger: what this run's publishes are staging (cleaned up by the next run if this one dies) */
  stagedFiles: StagedFiles;
  events: EventBus;
  paths: AppPaths;
  duck: DuckDBInstance;
  /** the pool for this run's Python nodes, after preparing the workflow's environment (which may build it) */
  python: (signal: AbortSignal, log: (line: string) => void) => Promise<() => PythonPool>;
  concurrency: number;
  resolveConnection: (name: string) => Promise<ConnectionConfig>;
  deliveries: DeliveryLedger;
  /** column profiles of every table output (default on) */
  profiles?: boolean;
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
  private readonly profiler: RunProfiler;
  private readonly history: RunHistory;
  /** today, run_time, slot_time: under the workflow's own parameters */
  private readonly builtins: Record<string, ParamValue>;
  private pythonPool: () => PythonPool = () => {
    throw new Error('the Python environment was not prepared');
  };
  /** why the Python environment could not be prepared: the run fails with it */
  private environmentError: string | undefined;
  private readonly publishes: RunPublishes;
  private readonly preview: boolean;
  /** publish nodes that deliver a report to people: they run after the commit */
  private readonly deliveryIds: Set<string>;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly plan: Plan,
    private readonly run: RunSummary,
    private readonly opts: { useCache: boolean; slotTime?: number; notes?: string[] },
  ) {
    this.preview = run.kind === 'preview';
    this.deliveryIds = new Set([...plan.nodes].flatMap(([id, pn]) => (pn.node.kind === 'publish' && isDelivery(pn.node.destination) ? [id] : [])));
    this.publishes = new RunPublishes(run.id, deps.stagedFiles);
    this.history = storeHistory(deps.store.db, run.workflowId, run.id, run.createdAt);
    this.builtins = builtinParams(run.createdAt, opts.slotTime, plan.workflow.definition.schedule?.timezone);
    this.profiler = new RunProfiler({ db: deps.store.db, duck: deps.duck, enabled: deps.profiles !== false, log: (id, line) => this.log(id, 'system', line) });
  }

  cancel(reason = 'cancelled by the user'): void {
    this.cancelReason ??= reason;
    this.controller.abort(new Error(reason));
  }

  async execute(): Promise<RunSummary> {
    const { store, events } = this.deps;
    ensurePrivateDir(runFolder(this.deps.paths, this.run.id));
    const pending = this.plan.order.map((id): NodeRunRecord => {
      const pn = this.plan.nodes.get(id)!;
      return { runId: this.run.id, nodeId: id, kind: pn.node.kind, status: 'pending', attempts: 0, cacheKey: pn.cacheKey };
    });
    for (const rec of pending) this.records.set(rec.nodeId, rec);
    store.saveNodeRuns(pending);
    const started = store.markRunStarted(this.run.id);
    events.emit({ type: 'run_started', run: started });
    for (const note of this.opts.notes ?? []) this.log(undefined, 'system', note);
    try {
      if (await this.preparePython()) {
        await this.schedule(this.plan.order.filter((id) => !this.deliveryIds.has(id)));
        // profiles of this run's outputs are in the store before its publishes become visible
        await this.profiler.settle();
        await this.commitPublishes();
        await this.schedule(this.plan.order.filter((id) => this.deliveryIds.has(id)));
      }
    } finally {
      this.flushLogs();
      // what DuckDB and Python wrote there follows the umask: the app folder is the user's alone
      lockDownTree(runFolder(this.deps.paths, this.run.id));
    }
    const { status, error } = this.outcome();
    const finished = store.finishRun(this.run.id, status, error);
    events.emit({ type: 'run_finished', run: finished });
    return finished;
  }

  /** Prepares the workflow's Python environment when the plan has Python code; false when the run cannot go on. */
  private async preparePython(): Promise<boolean> {
    const needs = [...this.plan.nodes.values()].some((pn) => pn.node.language === 'python');
    if (!needs) return true;
    try {
      this.pythonPool = await this.deps.python(this.controller.signal, (line) => this.log(undefined, 'system', `python environment: ${line}`));
      return true;
    } catch (e) {
      const sentence = (e as { sentence?: string }).sentence ?? (e as Error).message;
      if (this.controller.signal.aborted) {
        for (const id of this.plan.order) this.finishAs(id, 'cancelled', { message: this.cancelReason ?? 'cancelled' });
      } else {
        this.environmentError = sentence;
        for (const id of this.plan.order) this.finishAs(id, 'skipped', { message: 'not run: the Python environment could not be prepared' });
      }
      return false;
    }
  }

  private async schedule(ids: string[]): Promise<void> {
    const pending = new Set(ids);
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
        // short: the canvas shows it on the node ("skipped: predict failed")
        return { state: 'skip', reason: `skipped: ${up} ${s === 'failed' ? 'failed' : `was ${s}`}` };
      }
      if (s !== 'succeeded' && s !== 'warning') return { state: 'wait' };
    }
    if (pn.node.kind !== 'publish') return { state: 'ready' };
    // publishes go last: wait until every other node has finished, then only if none failed
    for (const [other, opn] of this.plan.nodes) {
      // a table publish waits for no publish; a delivery waits for every table publish
      if (opn.node.kind === 'publish' && (!this.deliveryIds.has(id) || this.deliveryIds.has(other))) continue;
      const s = this.records.get(other)?.status;
      if (s === 'pending' || s === 'running') return { state: 'wait' };
      if (s === 'failed') {
        const what = opn.node.kind === 'check' || opn.node.kind === 'metric' || opn.node.kind === 'publish' ? `${opn.node.kind} ${other} failed` : `${other} failed`;
        return { state: 'skip', reason: notPublishedReason(what, this.preview) };
      }
    }
    if (this.publishes.failed) return { state: 'skip', reason: notPublishedReason(`publish ${this.publishes.failed} failed`, this.preview) };
    return { state: 'ready' };
  }

  private async runNode(id: string): Promise<void> {
    const pn = this.plan.nodes.get(id)!;
    const node = pn.node;
    if (this.opts.useCache && !NEVER_REUSED.has(node.kind) && !isVolatile(node) && this.reuseCached(id)) return;
    const maxAttempts = 1 + (node.retries ?? 0);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const startedAt = Date.now();
      this.save({ ...this.records.get(id)!, status: 'running', attempts: attempt, startedAt, error: undefined });
      this.deps.events.emit({ type: 'node_started', runId: this.run.id, nodeId: id, attempt, ts: startedAt });
      const attemptCtl = new AbortController();
      const signals = [this.controller.signal, attemptCtl.signal];
      if (node.kind === 'publish' && !this.deliveryIds.has(id)) signals.push(this.publishes.signal);
      const signal = AbortSignal.any(signals);
      let timedOut = false;
      const timer = node.timeout
        ? setTimeout(() => {
            timedOut = true;
            attemptCtl.abort(new Error('timeout'));
          }, node.timeout * 1000)
        : undefined;
      try {
        const outcome = await runNodeKind(this.context(id, signal));
        // work that ended after its timeout still timed out; a publish has only staged its
        // change by now (the timeout bounds staging; commits come after every node), so it
        // is discarded and the destination stays as it was
        if (timedOut) {
          if (outcome.type === 'staged') await outcome.staged.abort().catch(() => true);
          throw new Error('timeout');
        }
        this.recordOutcome(id, outcome);
        return;
      } catch (e) {
        if (this.controller.signal.aborted) {
          this.finishAs(id, 'cancelled', { message: this.cancelReason ?? 'cancelled' });
          return;
        }
        if (this.publishes.failed && e instanceof PublishStopped && !timedOut) {
          this.finishAs(id, 'skipped', { message: notPublishedReason(`publish ${this.publishes.failed} failed`) });
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
        if (node.kind === 'publish' && !this.deliveryIds.has(id)) this.publishes.fail(id);
        return;
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
  }

  private reuseCached(id: string): boolean {
    const found = findReusable(this.deps.store, this.plan.nodes.get(id)!.cacheKey);
    if (!found) return false;
    const { prior, table } = found;
    if (table) {
      this.tables.set(id, table);
      this.profiler.copy(prior.runId, this.run.id, id, table.path);
    }
    const now = Date.now();
    this.log(id, 'system', `unchanged since run ${prior.runId.slice(0, 8)}: reusing its output`);
    copyResult(this.deps.store, prior, this.run.id, now);
    this.finish({ ...prior, runId: this.run.id, status: prior.status, attempts: 0, startedAt: now, finishedAt: now, cachedFrom: prior.runId });
    return true;
  }

  private context(id: string, signal: AbortSignal): NodeContext {
    const pn = this.plan.nodes.get(id)!;
    return {
      runId: this.run.id,
      workflow: this.plan.workflow,
      node: pn.node,
      // a metric input is a value ($m in SQL, argument m in Python), not a table
      params: { ...this.builtins, ...this.plan.params, ...this.metricInputs(pn.upstream) },
      inputs: new Map(pn.upstream.filter((u) => this.tables.has(u)).map((u) => [u, this.tables.get(u)!])),
      history: this.history,
      upstream: new Map(pn.upstream.map((u) => [u, this.records.get(u)!])),
      deliveries: this.deps.deliveries,
      outputPath: artifactPath(this.deps.paths, this.run.id, id),
      duck: this.deps.duck,
      python: this.pythonPool,
      signal,
      log: (stream, line) => this.log(id, stream, line),
      resolveConnection: this.deps.resolveConnection,
      staging: this.publishes.staging,
      preview: this.preview,
    };
  }

  private metricInputs(upstream: string[]): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const u of upstream) if (this.records.get(u)?.kind === 'metric') out[u] = this.records.get(u)?.value ?? null;
    return out;
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
        this.profiler.add(this.run.id, id, o.table.path);
        this.finish({ ...base, status: 'succeeded', artifactPath: o.table.path, rows: o.table.rows, columns: o.table.columns, bytes: o.bytes });
        return;
      case 'check':
        store.recordCheck({ runId: this.run.id, nodeId: id, passed: o.passed, severity, message: o.message, ts });
        this.finish({ ...base, value: o.value, status: o.passed ? 'succeeded' : severity === 'error' ? 'failed' : 'warning', error: o.message ? { message: o.message } : undefined });
        return;
      case 'metric': {
        const b = o.bounds;
        const w = o.warnBounds;
        store.recordMetric({ runId: this.run.id, nodeId: id, value: o.value, lower: b?.lower, upper: b?.upper, warnLower: w?.lower, warnUpper: w?.upper, passed: o.passed, ts });
        const level = o.warningOnly ? 'warning' : severity;
        this.finish({ ...base, value: o.value, status: o.passed ? 'succeeded' : level === 'error' ? 'failed' : 'warning', error: o.message ? { message: o.message } : undefined });
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
      case 'staged':
        // still running: it becomes visible (or is discarded) with the run's other publishes
        this.publishes.add({ id, staged: o.staged, destination: o.destination, connection: o.connection, mode: o.mode });
        return;
      case 'would_publish':
        this.finish({ ...base, status: 'succeeded', rows: o.rows, value: `would publish ${o.rows} rows to ${o.target} (${o.mode})` });
        return;
    }
  }

  /** Commits the staged publishes together, or discards them all (see publish-commit.ts). */
  private async commitPublishes(): Promise<void> {
    await this.publishes.settle(this.controller.signal.aborted ? (this.cancelReason ?? 'cancelled') : undefined, {
      published: (n) => {
        const { rows, target } = n.staged;
        this.deps.store.recordPublication({ runId: this.run.id, nodeId: n.id, destination: n.destination, connection: n.connection, target, mode: n.mode, rows, ts: Date.now() });
        this.log(n.id, 'system', `published ${rows} rows to ${target} (${n.mode})`);
        this.finish({ ...this.records.get(n.id)!, status: 'succeeded', rows, finishedAt: Date.now() });
      },
      notPublished: (id, status, error) => this.finishAs(id, status, clipNodeError(error)),
      log: (id, line) => this.log(id, 'system', line),
    });
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

  private log(nodeId: string | undefined, stream: LogLine['stream'], line: string): void {
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
    if (this.environmentError) return { status: 'failed', error: this.environmentError };
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

// The engine: one object per process that owns the metadata store, the DuckDB
// instance, the Python worker pool and the runs in flight. The CLI, the headless
// server, the desktop shell, the scheduler and the tests all drive this same object.
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ParamValue, Preview, RunDetail, RunKind, RunSummary, WorkflowSummary } from './api/types.ts';
import type { ConnectionConfig } from './connectors/types.ts';
import { connectionResolver } from './connections/service.ts';
import { ConnectionMissingError } from './connections/types.ts';
import { DeliveryLedger } from './deliveries/ledger.ts';
import { EventBus } from './exec/events.ts';
import { RunExecution } from './exec/executor.ts';
import { buildPlan, versionOf } from './exec/plan.ts';
import { readPreview, type PreviewOptions } from './exec/preview.ts';
import { PythonPool } from './exec/python/pool.ts';
import { loadWorkflowOrThrow } from './spec/load.ts';
import { resolveParams } from './spec/validate.ts';
import { WorkflowInvalidError, type Workflow } from './spec/workflow.ts';
import { openDatabase } from './store/db.ts';
import { MetadataStore, systemClock, type StoreClock } from './store/metadata-store.ts';
import { appHome, appPaths, type AppPaths } from './store/paths.ts';

export interface EngineOptions {
  /** app data folder; default AQUEDUCT_HOME or the OS's app-data folder */
  home?: string;
  /** Python interpreter; default AQUEDUCT_PYTHON, the saved setting, or python3 */
  python?: string;
  /** nodes run at once within one run */
  concurrency?: number;
  pythonWorkers?: number;
  clock?: StoreClock;
  resolveConnection?: (name: string) => Promise<ConnectionConfig>;
}

export interface StartRunOptions {
  params?: Record<string, unknown>;
  trigger?: string;
  kind?: RunKind;
  /** preview: run only this node and its ancestors */
  target?: string;
  /** reuse outputs of unchanged nodes from earlier runs (previews do by default) */
  useCache?: boolean;
}

export interface StartedRun {
  run: RunSummary;
  done: Promise<RunSummary>;
}

export class Engine {
  readonly events = new EventBus();
  private readonly active = new Map<string, { exec: RunExecution; done: Promise<RunSummary> }>();
  private pool: PythonPool | undefined;
  private closed = false;
  /** records of reports delivered to people: at most once per run */
  readonly deliveries: DeliveryLedger;

  private constructor(
    readonly store: MetadataStore,
    readonly paths: AppPaths,
    readonly duck: DuckDBInstance,
    private readonly opts: EngineOptions,
  ) {
    this.deliveries = new DeliveryLedger(store.db, store.clock);
  }

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    const paths = appPaths(opts.home ? path.resolve(opts.home) : appHome());
    const store = new MetadataStore(openDatabase(paths.database), opts.clock ?? systemClock);
    store.interruptOrphanedRuns();
    const duck = await DuckDBInstance.create(':memory:', { threads: String(Math.max(1, os.cpus().length)) });
    const resolveConnection = opts.resolveConnection ?? connectionResolver(store.db, paths.home);
    return new Engine(store, paths, duck, { ...opts, resolveConnection });
  }

  get pythonInterpreter(): string {
    return this.opts.python ?? process.env.AQUEDUCT_PYTHON ?? this.store.getSetting('python') ?? 'python3';
  }

  python(): PythonPool {
    this.pool ??= new PythonPool({
      python: this.pythonInterpreter,
      size: this.opts.pythonWorkers ?? Math.max(1, Math.min(4, os.cpus().length)),
    });
    return this.pool;
  }

  /** Loads and validates a workflow folder and makes sure the store knows it. */
  openWorkflow(folder: string): { workflow: Workflow; summary: WorkflowSummary } {
    const workflow = loadWorkflowOrThrow(folder);
    const upserted = this.store.upsertWorkflow(workflow.folder, workflow.definition.name);
    this.store.setWorkflowPeople(upserted.id, workflow.definition.owner, workflow.definition.watchers);
    const summary = this.store.getWorkflow(upserted.id) ?? upserted;
    workflow.owner = summary.owner;
    return { workflow, summary };
  }

  /** A workflow folder given by folder path or by the id the store gave it. */
  folderOf(folderOrId: string): string {
    return this.store.getWorkflow(folderOrId)?.folder ?? path.resolve(folderOrId);
  }

  async startRun(folderOrId: string, o: StartRunOptions = {}): Promise<StartedRun> {
    this.assertOpen();
    const { workflow, summary } = this.openWorkflow(this.folderOf(folderOrId));
    const params = resolveParams(workflow.definition.parameters, o.params ?? {});
    if (!params.ok) throw new WorkflowInvalidError(params.problems);
    if (o.target && !workflow.nodes.some((n) => n.id === o.target)) {
      throw new WorkflowInvalidError([{ file: 'workflow.yaml', nodeId: o.target, message: `no node "${o.target}" in this workflow` }]);
    }
    const plan = buildPlan(workflow, params.values, o.target);
    const version = versionOf(workflow);
    this.store.putVersion(summary.id, version.hash, version.definition);
    const kind = o.kind ?? (o.target ? 'preview' : 'run');
    const run = this.store.createRun({
      workflowId: summary.id,
      versionHash: version.hash,
      kind,
      targetNode: o.target,
      trigger: o.trigger ?? 'api',
      params: params.values,
    });
    const exec = new RunExecution(
      {
        store: this.store,
        events: this.events,
        paths: this.paths,
        duck: this.duck,
        python: () => this.python(),
        concurrency: this.opts.concurrency ?? Math.max(2, os.cpus().length),
        resolveConnection: this.opts.resolveConnection ?? noConnections,
        deliveries: this.deliveries,
      },
      plan,
      run,
      { useCache: o.useCache ?? kind === 'preview' },
    );
    const done = exec.execute().finally(() => this.active.delete(run.id));
    this.active.set(run.id, { exec, done });
    return { run, done };
  }

  /** Starts a run and waits for it; resolves with the full record. */
  async run(folderOrId: string, o: StartRunOptions = {}): Promise<RunDetail> {
    const { run, done } = await this.startRun(folderOrId, o);
    await done;
    return this.store.getRun(run.id)!;
  }

  /** Runs one node and its ancestors, reusing unchanged ancestors' outputs. */
  preview(folderOrId: string, nodeId: string, params?: Record<string, unknown>): Promise<RunDetail> {
    return this.run(folderOrId, { target: nodeId, params, trigger: 'preview' });
  }

  cancelRun(runId: string, reason?: string): boolean {
    const entry = this.active.get(runId);
    if (!entry) return false;
    entry.exec.cancel(reason);
    return true;
  }

  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  readPreview(runId: string, nodeId: string, o: PreviewOptions = {}): Promise<Preview> {
    const node = this.store.getNodeRun(runId, nodeId);
    return readPreview(this.duck, runId, nodeId, node, o);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.active.values()];
    for (const { exec } of running) exec.cancel('the app is shutting down');
    await Promise.allSettled(running.map((r) => r.done));
    await this.pool?.close();
    this.duck.closeSync();
    this.store.db.close();
  }

  private assertOpen() {
    if (this.closed) throw new Error('the engine is closed');
  }
}

async function noConnections(name: string): Promise<ConnectionConfig> {
  throw new ConnectionMissingError(name);
}

export type { ParamValue };

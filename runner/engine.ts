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
import type { PythonPool } from './exec/python/pool.ts';
import { PythonPools } from './exec/python/pools.ts';
import { EnvironmentService } from './envs/service.ts';
import { EnvironmentRecords } from './store/environment-records.ts';
import { cleanUpStaged } from './connectors/staging-cleanup.ts';
import { StagedFiles } from './store/staged-files.ts';
import { loadWorkflowOrThrow } from './spec/load.ts';
import { resolveParams } from './spec/validate.ts';
import { WorkflowInvalidError, type Workflow } from './spec/workflow.ts';
import { openDatabase } from './store/db.ts';
import { MetadataStore, systemClock, type StoreClock } from './store/metadata-store.ts';
import { appHome, appPaths, type AppPaths } from './store/paths.ts';
import { ensurePrivateDir } from './store/private-files.ts';

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
  /** column profiles of every table output (default on; AQUEDUCT_PROFILES=off turns them off) */
  profiles?: boolean;
}

export interface StartRunOptions {
  params?: Record<string, unknown>;
  trigger?: string;
  kind?: RunKind;
  /** preview: run only this node and its ancestors */
  target?: string;
  /** reuse outputs of unchanged nodes from earlier runs (previews do by default) */
  useCache?: boolean;
  /** a scheduled run: the slot's time (the built-in parameter slot_time) */
  slotTime?: number;
  /** run the Python nodes on this interpreter instead of the workflow's environment */
  python?: string;
}

export interface StartedRun {
  run: RunSummary;
  done: Promise<RunSummary>;
}

export class Engine {
  readonly events = new EventBus();
  private readonly active = new Map<string, { exec: RunExecution; done: Promise<RunSummary> }>();
  /** one warm pool per interpreter: workflows may each run on their own environment */
  readonly pools: PythonPools;
  readonly envRecords: EnvironmentRecords;
  /** per-workflow Python environments: locks, builds, the interpreter each workflow runs on */
  readonly envs: EnvironmentService;
  private closed = false;
  /** records of reports delivered to people: at most once per run */
  readonly deliveries: DeliveryLedger;
  private readonly stagedFiles: StagedFiles;
  /** what the start cleaned up, told again in the next run's log */
  private startNotes: string[] = [];

  private constructor(
    readonly store: MetadataStore,
    readonly paths: AppPaths,
    readonly duck: DuckDBInstance,
    private readonly opts: EngineOptions,
  ) {
    this.deliveries = new DeliveryLedger(store.db, store.clock);
    this.stagedFiles = new StagedFiles(store.db, () => store.clock.now());
    this.pools = new PythonPools({ size: opts.pythonWorkers ?? Math.max(1, Math.min(4, os.cpus().length)) });
    this.envRecords = new EnvironmentRecords(store.db, store.clock);
    this.envs = new EnvironmentService({
      records: this.envRecords,
      root: environmentsRoot(paths),
      logDir: path.join(paths.home, 'env-logs'),
      basePython: () => this.pythonInterpreter,
    });
  }

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    const paths = appPaths(opts.home ? path.resolve(opts.home) : appHome());
    ensurePrivateDir(paths.runs);
    const store = new MetadataStore(openDatabase(paths.database), opts.clock ?? systemClock);
    store.interruptOrphanedRuns();
    const duck = await DuckDBInstance.create(':memory:', { threads: String(Math.max(1, os.cpus().length)) });
    const resolveConnection = opts.resolveConnection ?? connectionResolver(store.db, paths.home);
    const engine = new Engine(store, paths, duck, { ...opts, resolveConnection });
    engine.startNotes = await engine.cleanUpStaging();
    return engine;
  }

  /** Cleans up what runs that can no longer finish left staged (see cleanUpStaged); returns the notes. */
  private cleanUpStaging(): Promise<string[]> {
    return cleanUpStaged(this.store, this.stagedFiles);
  }

  get pythonInterpreter(): string {
    return this.opts.python ?? process.env.AQUEDUCT_PYTHON ?? this.store.getSetting('python') ?? 'python3';
  }

  /** The pool of the interpreter in Settings → Python. */
  python(): PythonPool {
    return this.pools.get(this.pythonInterpreter);
  }

  /** One warm worker of the Settings interpreter, started in the background (the app and `aqueduct serve`). */
  prewarmPython(): void {
    void this.python().prewarm();
  }

  /** Settings → Python changed: pools close when idle, so the next run starts on the new interpreter. */
  pythonSettingChanged(): void {
    this.pools.retireAll();
    this.envs.forgetInterpreters();
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
    if (workflow.nodes.length === 0) throw nothingToRun(workflow);
    const params = resolveParams(workflow.definition.parameters, o.params ?? {});
    if (!params.ok) throw new WorkflowInvalidError(params.problems);
    if (o.target && !workflow.nodes.some((n) => n.id === o.target)) {
      throw new WorkflowInvalidError([{ file: 'workflow.yaml', nodeId: o.target, message: `no node "${o.target}" in this workflow` }]);
    }
    const plan = buildPlan(workflow, params.values, o.target);
    const version = versionOf(workflow);
    this.store.putVersion(summary.id, version.hash, version.definition);
    const kind = o.kind ?? (o.target ? 'preview' : 'run');
    // the run row before the first await: the scheduler claims a slot and creates its run
    // in one transaction (schedule/run-starter.ts)
    const run = this.store.createRun({
      workflowId: summary.id,
      versionHash: version.hash,
      kind,
      targetNode: o.target,
      trigger: o.trigger ?? 'api',
      params: params.values,
    });
    const notes = [...this.startNotes, ...(await this.cleanUpStaging())];
    this.startNotes = [];
    const exec = new RunExecution(
      {
        store: this.store,
        stagedFiles: this.stagedFiles,
        events: this.events,
        paths: this.paths,
        duck: this.duck,
        python: async (signal, log) => {
          if (o.python) return () => this.pools.get(o.python!);
          const env = await this.envs.prepare(summary.id, workflow.folder, { signal, log });
          if (env.lockHash && env.pythonVersion) this.envRecords.setRunEnvironment(run.id, env.lockHash, env.pythonVersion);
          return () => this.pools.get(env.python);
        },
        concurrency: this.opts.concurrency ?? Math.max(2, os.cpus().length),
        resolveConnection: this.opts.resolveConnection ?? noConnections,
        deliveries: this.deliveries,
        profiles: this.opts.profiles ?? process.env.AQUEDUCT_PROFILES !== 'off',
      },
      plan,
      run,
      { useCache: o.useCache ?? kind === 'preview', slotTime: o.slotTime, notes },
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
  preview(folderOrId: string, nodeId: string, params?: Record<string, unknown>, python?: string): Promise<RunDetail> {
    return this.run(folderOrId, { target: nodeId, params, trigger: 'preview', python });
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
    this.envs.cancelAll();
    await Promise.allSettled(running.map((r) => r.done));
    await this.pools.close();
    this.duck.closeSync();
    this.store.db.close();
  }

  private assertOpen() {
    if (this.closed) throw new Error('the engine is closed');
  }
}

/** A new workflow has no nodes yet: say in one sentence what to add. */
function nothingToRun(w: Workflow): WorkflowInvalidError {
  const fix = 'add a Source node that reads your data file (from the palette, or a source in workflow.yaml), then the steps that use it';
  const problem = { file: 'workflow.yaml', field: 'nodes', message: `"${w.definition.name}" has no nodes yet, so there is nothing to run`, fix };
  return new WorkflowInvalidError([problem], `"${w.definition.name}" has no nodes yet: ${fix}.`);
}

/** Where built environments and the packaging tool live: AQUEDUCT_ENVS (tests share one per machine), or the app folder. */
export function environmentsRoot(paths: AppPaths): string {
  return process.env.AQUEDUCT_ENVS ? path.resolve(process.env.AQUEDUCT_ENVS) : path.join(paths.home, 'envs');
}

async function noConnections(name: string): Promise<ConnectionConfig> {
  throw new ConnectionMissingError(name);
}

export type { ParamValue };

// The one place for "push to remote engines", under both the CLI (cli/commands/engines.ts)
// and the API (api/engines-router.ts), which only adapt arguments and answers: engine
// connections and where they point, export, Ray's submit-then-sync, results folders,
// and deployments (deploy, redeploy, run now, follow, cancel, undeploy) to Airflow, Ray
// and Kubernetes, every run landing in the one history.
import path from 'node:path';
import type { ParamValue, RunSummary } from '../api/types.ts';
import { ConnectionService } from '../connections/service.ts';
import type { ConnectionConfig } from '../connectors/types.ts';
import type { Engine } from '../engine.ts';
import { versionOf } from '../exec/plan.ts';
import { loadWorkflowOrThrow } from '../spec/load.ts';
import { resolveParams } from '../spec/validate.ts';
import { WorkflowInvalidError, type Workflow } from '../spec/workflow.ts';
import { DeploymentRecords, type DeploymentRecord } from '../store/deployment-records.ts';
import { AutoSync } from './auto-sync.ts';
import { EngineConnectionService, type EngineConnectionInfo, type EngineType } from './engine-connections.ts';
import { rayTarget, resolveTarget, whereOf, type EngineTarget } from './engine-targets.ts';
import { testEngineConnection, type EngineTestResult } from './engine-test.ts';
import { exportWorkflow, type ExportOptions, type ExportResult } from './export.ts';
import { portabilityProblems } from './portability.ts';
import { RemoteEngineError, type RemoteEngine } from './remote-engine.ts';
import { RemoteRuns } from './remote-runs.ts';
import { describeDeployment, type DeploymentView } from './deployment-view.ts';

export interface EngineServiceOptions {
  engine: Engine;
  connections?: EngineConnectionService;
  autoSync?: AutoSync;
  /** how often a followed remote run is polled */
  pollMs?: number;
  log?: (line: string) => void;
}

async function adapterFor(type: EngineType): Promise<RemoteEngine> {
  switch (type) {
    case 'airflow': return (await import('./airflow/airflow-engine.ts')).airflowEngine;
    case 'ray': return (await import('./ray/ray-engine.ts')).rayEngine;
    case 'kubernetes': return (await import('./kubernetes/kubernetes-engine.ts')).kubernetesEngine;
  }
}

export class EngineService {
  readonly connections: EngineConnectionService;
  readonly autoSync: AutoSync;
  readonly deployments: DeploymentRecords;
  readonly remoteRuns: RemoteRuns;
  private readonly data: ConnectionService;
  private readonly engine: Engine;
  /** deployments with a "Run now" between the engine's answer and the run's row: the tick must not file that run first */
  private readonly triggering = new Map<string, number>();

  constructor(o: EngineServiceOptions) {
    const { store, paths, events } = o.engine;
    this.engine = o.engine;
    this.connections = o.connections ?? new EngineConnectionService(store.db, paths.home);
    this.autoSync = o.autoSync ?? new AutoSync({ store, paths, events });
    this.data = new ConnectionService(store.db, paths.home);
    this.deployments = new DeploymentRecords(store.db, store.clock);
    this.remoteRuns = new RemoteRuns({
      store, paths, events, records: this.deployments, pollMs: o.pollMs, log: o.log,
      engineFor: async (d) => ({ engine: await adapterFor(d.engine), target: this.target(d.connection, d.engine) }),
    });
    this.autoSync.onTick(() => this.tick());
  }

  // ---- engine connections

  listConnections(): (EngineConnectionInfo & { where: string })[] {
    return this.connections.list().map((c) => ({ ...c, where: whereOf(c) }));
  }

  /** Saves a new engine connection, or (replace) updates one; secrets not given are kept. */
  saveConnection(input: { name: string; type: string; [field: string]: unknown }, replace = false): EngineConnectionInfo & { where: string } {
    const c = this.connections.save(input, replace);
    return { ...c, where: whereOf(c) };
  }

  testConnection(name: string): Promise<EngineTestResult> {
    return testEngineConnection(this.connections.resolve(name) as { type: EngineType; [k: string]: string });
  }

  target(connection: string, want?: EngineType): EngineTarget {
    return resolveTarget(this.connections, connection, want);
  }

  // ---- export and Ray's submit-then-sync

  check(folderOrId: string) {
    return portabilityProblems(loadWorkflowOrThrow(this.engine.folderOf(folderOrId)));
  }

  export(folderOrId: string, o: Omit<ExportOptions, 'home' | 'ensureLock'>): Promise<ExportResult> {
    return exportWorkflow(this.engine.folderOf(folderOrId), { ...o, home: this.engine.paths.home, ensureLock: (f) => this.engine.envs.ensureLock(f) });
  }

  /** Runs a workflow on a Ray cluster, waits for it, and brings its run into the history. */
  async submitRay(folderOrId: string, cluster: string | { connection?: string; address?: string }, o: { params?: Record<string, string>; results?: string; remoteResults?: string; outputDir?: string; requirements?: string[]; installRequirements?: boolean; timeoutMs?: number } = {}) {
    const t = rayTarget(this.connections, cluster);
    const results = path.resolve(o.results ?? path.join(this.engine.paths.home, 'engine-results', 'ray'));
    this.autoSync.add(results);
    const { submitToRay } = await import('./ray/submit.ts');
    const r = await submitToRay(this.engine.folderOf(folderOrId), {
      address: t.address, token: t.token, params: o.params, resultsDir: results, remoteResultsDir: o.remoteResults ?? t.resultsDir, outputDir: o.outputDir,
      requirements: o.requirements, installRequirements: o.installRequirements, home: this.engine.paths.home, timeoutMs: o.timeoutMs,
      ensureLock: (f) => this.engine.envs.ensureLock(f),
    });
    this.autoSync.syncNow(results);
    return { runId: r.runId, submissionId: r.submissionId, job: r.job, run: this.engine.store.getRunSummary(r.runId) };
  }

  // ---- deployments

  /** Deploys the workflow's current version to an engine connection (again: a redeploy). */
  async deploy(folderOrId: string, connection: string, o: { requirements?: string[]; signal?: AbortSignal; log?: (line: string) => void } = {}) {
    const { workflow, summary } = this.engine.openWorkflow(this.engine.folderOf(folderOrId));
    const target = this.target(connection);
    await this.engine.envs.ensureLock(workflow.folder);
    const fresh = loadWorkflowOrThrow(workflow.folder);
    const previous = this.deployments.find(summary.id, connection);
    const adapter = await adapterFor(target.type);
    const version = versionOf(fresh);
    this.engine.store.putVersion(summary.id, version.hash, version.definition);
    let outcome;
    try {
      outcome = await adapter.deploy({ workflow: fresh, target, previous, secrets: await this.secretsOf(fresh), requirements: o.requirements, home: this.engine.paths.home, signal: o.signal, log: o.log });
    } catch (e) {
      if (previous) this.deployments.setProblem(previous.id, (e as Error).message);
      throw e;
    }
    const deployment = this.deployments.save({ workflowId: summary.id, connection, engine: target.type, versionHash: outcome.versionHash, remoteId: outcome.remoteId, detail: outcome.detail });
    return { deployment: this.view(deployment), notes: outcome.notes };
  }

  async undeploy(deploymentId: string): Promise<{ notes: string[] }> {
    const d = this.requireDeployment(deploymentId);
    const adapter = await adapterFor(d.engine);
    // an Airflow connection another deployment still uses stays
    const keep = this.deployments.list().filter((x) => x.id !== d.id && x.connection === d.connection).flatMap((x) => (x.detail['connIds'] as string[] | undefined) ?? []);
    const notes = await adapter.undeploy({ ...d, detail: { ...d.detail, keepConnIds: keep } }, this.target(d.connection, d.engine));
    this.deployments.remove(d.id);
    return { notes };
  }

  /** Starts a run of the deployed version now, with these parameters; it is followed into the history. */
  async runNow(deploymentId: string, given: Record<string, unknown> = {}): Promise<RunSummary> {
    const d = this.requireDeployment(deploymentId);
    const definition = this.engine.store.getVersion(d.versionHash) as { parameters?: Workflow['definition']['parameters']; nodes?: { id: string; kind: string }[] } | undefined;
    if (!definition) throw new RemoteEngineError(`the deployed version ${d.versionHash} is not in this app's history`, 'deploy the workflow again');
    const params = resolveParams(definition.parameters ?? {}, given);
    if (!params.ok) throw new WorkflowInvalidError(params.problems);
    const adapter = await adapterFor(d.engine);
    const runId = this.engine.store.clock.newId();
    this.triggering.set(d.id, (this.triggering.get(d.id) ?? 0) + 1);
    try {
      const started = await adapter.trigger(d, this.target(d.connection, d.engine), { runId, params: params.values });
      return this.remoteRuns.begin(d, { runId: started.runId, engineRef: started.engineRef, params: params.values, trigger: 'app', nodes: definition.nodes ?? [] });
    } finally {
      const left = (this.triggering.get(d.id) ?? 1) - 1;
      if (left) this.triggering.set(d.id, left);
      else this.triggering.delete(d.id);
    }
  }

  /** Stops a followed remote run; false when the run is not one. */
  async cancel(runId: string): Promise<boolean> {
    const link = this.deployments.run(runId);
    const d = link && !link.done ? this.deployments.get(link.deploymentId) : undefined;
    if (!link || !d) return false;
    // noted first: a poll answered while the engine stops its tasks must already count them as cancelled
    this.remoteRuns.cancelled(runId);
    try {
      await (await adapterFor(d.engine)).cancel(d, this.target(d.connection, d.engine), link.engineRef);
    } catch (e) {
      this.remoteRuns.notCancelled(runId);
      throw e;
    }
    return true;
  }

  /** Waits until a followed run has ended. */
  async waitForRun(runId: string): Promise<RunSummary | undefined> {
    return this.remoteRuns.watch(runId);
  }

  listDeployments(): DeploymentView[] {
    return this.deployments.list().map((d) => this.view(d));
  }

  deployment(id: string): DeploymentView {
    return this.view(this.requireDeployment(id));
  }

  /** The deployed definition beside the local one, for "out of date" diffs. */
  versions(id: string): { deployed: unknown; local?: unknown; localProblem?: string } {
    const d = this.requireDeployment(id);
    const deployed = this.engine.store.getVersion(d.versionHash);
    const w = this.engine.store.getWorkflow(d.workflowId);
    try {
      return { deployed, local: versionOf(loadWorkflowOrThrow(w?.folder ?? '')).definition };
    } catch (e) {
      return { deployed, localProblem: (e as Error).message.split('\n')[0] };
    }
  }

  /** On the sync interval: runs the engines started by themselves (schedules), and open runs after a restart. */
  async tick(): Promise<void> {
    for (const d of this.deployments.list()) {
      const adapter = await adapterFor(d.engine);
      if (!adapter.discover) continue;
      let found;
      try {
        found = await adapter.discover(d, this.target(d.connection, d.engine));
      } catch {
        continue; // unreachable now: the next interval tries again
      }
      if (this.triggering.has(d.id)) continue; // the next tick looks again
      const known = this.deployments.knownRefs(d.id);
      const nodes = (this.engine.store.getVersion(d.versionHash) as { nodes?: { id: string; kind: string }[] } | undefined)?.nodes ?? [];
      for (const r of found) {
        if (known.has(r.engineRef) || this.engine.store.getRunSummary(r.runId)) continue;
        this.remoteRuns.begin(d, { runId: r.runId, engineRef: r.engineRef, params: r.params, trigger: r.trigger, nodes, createdAt: r.createdAt });
      }
    }
    this.remoteRuns.resumeAll();
  }

  close(): void {
    this.remoteRuns.stop();
  }

  private view(d: DeploymentRecord): DeploymentView {
    return describeDeployment(d, { store: this.engine.store, records: this.deployments, connections: this.connections });
  }

  private requireDeployment(id: string): DeploymentRecord {
    const d = this.deployments.get(id);
    if (!d) throw new RemoteEngineError(`no deployment ${id}`, 'list them on the Engines screen (or aqueduct engines deployments)');
    return d;
  }

  /** The data connections the workflow uses, secrets opened, for the engine's own secret store. */
  private async secretsOf(w: Workflow): Promise<Record<string, ConnectionConfig>> {
    const out: Record<string, ConnectionConfig> = {};
    for (const n of w.nodes) {
      const name = n.kind === 'publish' ? n.destination.connection : n.kind === 'source' ? n.connection : undefined;
      if (!name || out[name]) continue;
      try {
        out[name] = await this.data.resolve(name);
      } catch {
        throw new RemoteEngineError(`node "${n.id}" uses connection "${name}", which this app does not have`, 'add it under Connections (the engine gets its settings and secrets from there), then deploy again');
      }
    }
    return out;
  }
}

export type { DeploymentView, ParamValue };

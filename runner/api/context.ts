// What every API procedure receives (the engine and the app's folders) and the tRPC
// instance built on it. User mistakes (an invalid workflow, a missing preview) become
// BAD_REQUEST with the engine's own message, and the problem list rides in error.data so
// the editor can point at each file, node and field.
import { UserError } from './user-error.ts';
import path from 'node:path';
import { RESOURCES_DIR } from '../app-root.ts';
import { initTRPC, TRPCError } from '@trpc/server';
import { ConnectionService } from '../connections/service.ts';
import { ConnectionError, type ConnectionUsage } from '../connections/types.ts';
import type { Engine } from '../engine.ts';
import { PreviewUnavailableError } from '../exec/preview.ts';
import type { DesktopNotifications } from '../notify/desktop.ts';
import type { EndpointsHost } from '../endpoints/endpoints-server.ts';
import { AutoSync } from '../engines/auto-sync.ts';
import { ExportRefusedError, type Refusal } from '../engines/bundle-format.ts';
import { StaleLockError } from '../engines/bundle-requirements.ts';
import { EnvironmentError } from '../envs/env-errors.ts';
import { RequirementError } from '../envs/requirements-file.ts';
import { EngineConnectionError, EngineConnectionService } from '../engines/engine-connections.ts';
import { EngineService } from '../engines/engine-service.ts';
import { RemoteEngineError } from '../engines/remote-engine.ts';
import { NotebookError } from '../notebooks/notebook-error.ts';
import { EndpointKeyError } from '../endpoints/keys.ts';
import { MonitorInputError } from '../monitor/monitor-error.ts';
import { ProfileUnavailableError } from '../monitor/profile/profiler.ts';
import { ScheduleInvalidError } from '../schedule/cron.ts';
import { ScheduleService } from '../schedule/service.ts';
import type { SlotRecord } from '../schedule/types.ts';
import { WorkflowInvalidError, type SpecProblem } from '../spec/workflow.ts';

export interface ApiContext {
  engine: Engine;
  /** where workflows created from the bundled examples go */
  workflowsDir: string;
  /** the bundled examples, one folder each */
  examplesDir: string;
  /** schedules, cascades, retention, notifications: read and written through the store */
  schedules: ScheduleService;
  /** saved connections: secrets sealed on write, never handed out */
  connections: ConnectionService;
  /** engine connections (Airflow, Ray, Kubernetes): secrets sealed on write, never handed out */
  engineConnections: EngineConnectionService;
  /** results folders of remote engines, synced into the history (on an interval where hosted) */
  autoSync: AutoSync;
  /** remote engines: export, deploy, run, follow, undeploy (over engineConnections and autoSync) */
  engines: EngineService;
  /** the scheduler this process hosts, if any: slot decisions as they happen */
  scheduler?: { onSlot(listener: (s: SlotRecord) => void): () => void; lease: { holderId: string } };
  /** where the desktop shell hears about notifications (only a process that hosts one) */
  desktop?: DesktopNotifications;
  /** the desktop's endpoints server, started and stopped as Settings say (`aqueduct serve` serves them beside the UI) */
  endpointsHost?: Pick<EndpointsHost, 'reconcile' | 'status'>;
}

export const BUNDLED_EXAMPLES = path.join(RESOURCES_DIR, 'examples');

export function createApiContext(engine: Engine, o: Partial<Omit<ApiContext, 'engine'>> = {}): ApiContext {
  const engineConnections = o.engineConnections ?? new EngineConnectionService(engine.store.db, engine.paths.home);
  // not started here: only a hosting process (serve, the desktop runner) syncs on an interval
  const autoSync = o.autoSync ?? new AutoSync({ store: engine.store, paths: engine.paths, events: engine.events });
  return {
    engine,
    workflowsDir: o.workflowsDir ?? path.join(engine.paths.home, 'workflows'),
    examplesDir: o.examplesDir ?? process.env.AQUEDUCT_EXAMPLES ?? BUNDLED_EXAMPLES,
    // without a hosted scheduler the service still reads and writes every setting
    schedules: o.schedules ?? new ScheduleService({ store: engine.store, paths: engine.paths, desktop: o.desktop }),
    connections: o.connections ?? new ConnectionService(engine.store.db, engine.paths.home),
    engineConnections,
    autoSync,
    engines: o.engines ?? new EngineService({ engine, connections: engineConnections, autoSync }),
    scheduler: o.scheduler,
    desktop: o.desktop,
    endpointsHost: o.endpointsHost,
  };
}

export { UserError };

function isUserMistake(e: unknown): e is Error {
  return e instanceof WorkflowInvalidError || e instanceof PreviewUnavailableError || e instanceof UserError || e instanceof ScheduleInvalidError || e instanceof ConnectionError ||
    e instanceof EngineConnectionError || e instanceof RemoteEngineError || e instanceof ExportRefusedError || e instanceof EnvironmentError || e instanceof StaleLockError ||
    e instanceof RequirementError || e instanceof NotebookError || e instanceof MonitorInputError || e instanceof ProfileUnavailableError || e instanceof EndpointKeyError;
}

const t = initTRPC.context<ApiContext>().create({
  // never a stack in an answer (it shows the app's paths and internals); stacks go to the log
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const problems: SpecProblem[] | undefined = cause instanceof WorkflowInvalidError ? cause.problems : undefined;
    // the input at fault (e.g. "cron"), so a form can show the message beside it
    const field = cause instanceof ScheduleInvalidError || cause instanceof UserError || cause instanceof NotebookError || cause instanceof MonitorInputError ? cause.field : undefined;
    // a refused connection edit names what to do and which workflows are in the way
    const fix =
      cause instanceof ConnectionError || cause instanceof UserError || cause instanceof EngineConnectionError || cause instanceof RemoteEngineError ||
      cause instanceof EnvironmentError || cause instanceof NotebookError || cause instanceof MonitorInputError || cause instanceof EndpointKeyError
        ? cause.fix
        : undefined;
    // an export refused: each node the runtime cannot run, and why
    const refusals: Refusal[] | undefined = cause instanceof ExportRefusedError ? cause.refusals : undefined;
    const usages: ConnectionUsage[] | undefined = cause instanceof ConnectionError ? cause.usages : undefined;
    const offer = cause instanceof UserError ? cause.offer : undefined;
    // what a remote engine said in full (an Airflow import error's traceback), shown folded
    const detail = cause instanceof RemoteEngineError ? cause.detail : undefined;
    return { ...shape, data: { ...shape.data, problems, field, fix, usages, refusals, offer, detail } };
  },
});

const userErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isUserMistake(result.error.cause)) {
    const cause = result.error.cause;
    return { ...result, error: new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause }) };
  }
  return result;
});

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const procedure = t.procedure.use(userErrors);
export const createCallerFactory = t.createCallerFactory;

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} not found` });
}

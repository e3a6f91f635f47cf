// The one typed API of the runner. The desktop (Electron IPC), the headless server
// (HTTP + WebSocket), and the tests all call these procedures; the renderer's client is
// typed from `AppRouter` (a type-only import, so no Node code reaches the browser).
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { router } from './context.ts';
import { enginesRouter } from './engines-router.ts';
import { endpointsRouter } from './endpoints-router.ts';
import { reportsRouter } from './reports-router.ts';
import { filesRouter } from './files-router.ts';
import { environmentsRouter } from './environments-router.ts';
import { eventsRouter } from './events-router.ts';
import { checksRouter, metricsRouter } from './history-router.ts';
import { connectionsRouter } from './connections-router.ts';
import { lineageRouter } from './lineage-router.ts';
import { monitorRouter } from './monitor-router.ts';
import { notebooksRouter } from './notebooks-router.ts';
import { runsRouter } from './runs-router.ts';
import { schedulesRouter } from './schedules-router.ts';
import { settingsRouter } from './settings-router.ts';
import { workflowsWithWatchRouter } from './watch-router.ts';

export const appRouter = router({
  workflows: workflowsWithWatchRouter,
  runs: runsRouter,
  metrics: metricsRouter,
  checks: checksRouter,
  settings: settingsRouter,
  schedules: schedulesRouter,
  events: eventsRouter,
  connections: connectionsRouter,
  lineage: lineageRouter,
  engines: enginesRouter,
  files: filesRouter,
  environments: environmentsRouter,
  notebooks: notebooksRouter,
  endpoints: endpointsRouter,
  reports: reportsRouter,
  monitor: monitorRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { createApiContext, type ApiContext } from './context.ts';

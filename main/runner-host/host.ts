// The desktop's runner process: opens the engine and answers the API on every port the
// main process hands over (one per window, one for the shell itself). It runs in its own
// utility process, so user code that crashes or hangs never takes a window down; the
// shell restarts it. It keeps running while the window is closed (tray), and with it the
// runs in flight and the schedules: it hosts the scheduler, and the shell shows the
// scheduler's desktop notifications (schedules.notifications.onDesktop).
import type { MessagePortMain } from 'electron';
import type { Engine } from '../../runner/engine.ts';
import type { AutoSync } from '../../runner/engines/auto-sync.ts';
import type { ForeignRuns } from '../../runner/exec/foreign-runs.ts';
import type { HostedScheduler } from '../../runner/schedule/host-scheduler.ts';
import type { IpcRequest } from '../../runner/api/ipc-protocol.ts';
import { holdSecretKey, takeProcessSecrets } from '../../runner/secrets/process-secrets.ts';
import type { HostMessage } from './host-protocol.ts';

takeProcessSecrets();

const parent = process.parentPort;
let engine: Engine | undefined;
let scheduling: HostedScheduler | undefined;
let autoSync: AutoSync | undefined;
let foreignRuns: ForeignRuns | undefined;
let localApi: { close(): Promise<void> } | undefined;
let endpointsHost: { stop(): Promise<void> } | undefined;
let serve: ((port: MessagePortMain) => void) | undefined;
// ports handed over while the engine is still opening wait here
const waiting: MessagePortMain[] = [];
let stopping = false;
// no API call is answered before the shell has said which key seals the secrets
let keyGiven!: () => void;
const keyReady = new Promise<void>((resolve) => (keyGiven = resolve));

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  autoSync?.stop();
  foreignRuns?.stop();
  await localApi?.close();
  await endpointsHost?.stop();
  await scheduling?.stop();
  await engine?.close();
  process.exit(0);
}

// listen before the first await, so no hand-over is missed while the engine opens
parent.on('message', (e) => {
  const msg = e.data as HostMessage;
  const port = e.ports[0];
  if (msg.type === 'connect' && port) {
    if (serve) serve(port);
    else waiting.push(port);
  } else if (msg.type === 'secret-key') {
    if (msg.key) holdSecretKey(msg.key);
    keyGiven();
  } else if (msg.type === 'shutdown') {
    void shutdown();
  }
});

try {
  // imported here, not at the top: a native module built for another Node ABI then fails
  // with a message the shell can show, instead of a crash before anyone listens
  const [{ Engine }, { createApiContext }, { appRouter }, { serveMessages }, { hostScheduler }, { AutoSync: AutoSyncClass }, { ForeignRuns: ForeignRunsClass }] = await Promise.all([
    import('../../runner/engine.ts'),
    import('../../runner/api/context.ts'),
    import('../../runner/api/router.ts'),
    import('../../runner/server/message-server.ts'),
    import('../../runner/schedule/host-scheduler.ts'),
    import('../../runner/engines/auto-sync.ts'),
    import('../../runner/exec/foreign-runs.ts'),
  ]);
  // scheduled runs may publish through saved connections: the key must be known first
  await keyReady;
  engine = await Engine.open();
  engine.prewarmPython(); // the first Python node need not wait for pandas' import
  // stdout belongs to the shell (and the host test's protocol): the scheduler logs to stderr
  scheduling = hostScheduler(engine, { log: (line) => process.stderr.write(`[scheduler ${new Date().toISOString()}] ${line}\n`) });
  // remote engines' run records reach the history while the app sits in the tray too
  autoSync = new AutoSyncClass({ store: engine.store, paths: engine.paths, events: engine.events, log: (line) => process.stderr.write(`[engines ${new Date().toISOString()}] ${line}\n`) });
  autoSync.start();
  // `aqueduct run` in a terminal and a scheduler daemon write runs this window follows live
  foreignRuns = new ForeignRunsClass(engine.store, engine.events);
  foreignRuns.start();
  const examplesDir = process.env.AQUEDUCT_EXAMPLES;
  // outputs served to endpoint keys, on a port of their own, when Settings turns them on
  const { EndpointsHost } = await import('../../runner/endpoints/endpoints-server.ts');
  const endpoints = new EndpointsHost(engine);
  endpointsHost = endpoints;
  await endpoints.reconcile();
  const ctx = createApiContext(engine, {
    endpointsHost: endpoints,
    ...(examplesDir ? { examplesDir } : {}),
    schedules: scheduling.service,
    scheduler: scheduling.scheduler,
    autoSync,
    desktop: scheduling.desktop,
  });
  // local clients (the Python client, scripts) reach this engine over loopback, guarded by
  // a token that <home>/server.json (mode 0600) holds; AQUEDUCT_LOCAL_API=0 turns it off
  if (process.env.AQUEDUCT_LOCAL_API !== '0') {
    try {
      const { startServer } = await import('../../runner/server/server.ts');
      localApi = await startServer({ engine, context: ctx, scheduler: false, autoSync: false, foreignRuns: false, seedExample: false, endpoints: false });
    } catch (e) {
      process.stderr.write(`[local api] not started: ${(e as Error).message}\n`);
    }
  }
  serve = (port) => {
    serveMessages(
      {
        postMessage: (m) => port.postMessage(m),
        onMessage: (l) => port.on('message', (ev) => l(ev.data as IpcRequest)),
        onClose: (l) => port.on('close', l),
      },
      appRouter,
      ctx,
    );
    port.start();
  };
  for (const port of waiting.splice(0)) serve(port);
  parent.postMessage({ type: 'ready', home: engine.paths.home } satisfies HostMessage);
} catch (e) {
  let message = (e as Error).message ?? String(e);
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(message)) {
    message += '\nNative modules are built for Node, not for Electron: run `npx electron-builder install-app-deps` (and `npm rebuild` before using the CLI again).';
  }
  parent.postMessage({ type: 'failed', message } satisfies HostMessage);
  process.exit(1);
}

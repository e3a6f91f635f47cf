// The desktop's runner process: opens the engine and answers the API on every port the
// main process hands over (one per window, one for the shell itself). It runs in its own
// utility process, so user code that crashes or hangs never takes a window down; the
// shell restarts it. It keeps running while the window is closed (tray), and with it the
// runs in flight and the schedules.
import type { MessagePortMain } from 'electron';
import { Engine } from '../../runner/engine.ts';
import { createApiContext, type ApiContext } from '../../runner/api/context.ts';
import type { IpcRequest } from '../../runner/api/ipc-protocol.ts';
import { appRouter } from '../../runner/api/router.ts';
import { serveMessages } from '../../runner/server/message-server.ts';
import type { HostMessage } from './host-protocol.ts';

const parent = process.parentPort;
let ctx: ApiContext | undefined;
// ports handed over while the engine is still opening wait here
const waiting: MessagePortMain[] = [];
let stopping = false;

function serve(port: MessagePortMain, api: ApiContext): void {
  serveMessages(
    {
      postMessage: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (e) => l(e.data as IpcRequest)),
      onClose: (l) => port.on('close', l),
    },
    appRouter,
    api,
  );
  port.start();
}

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await ctx?.engine.close();
  process.exit(0);
}

// listen before the first await, so no hand-over is missed while the engine opens
parent.on('message', (e) => {
  const msg = e.data as HostMessage;
  const port = e.ports[0];
  if (msg.type === 'connect' && port) {
    if (ctx) serve(port, ctx);
    else waiting.push(port);
  } else if (msg.type === 'shutdown') {
    void shutdown();
  }
});

try {
  const engine = await Engine.open();
  ctx = createApiContext(engine, process.env.AQUEDUCT_EXAMPLES ? { examplesDir: process.env.AQUEDUCT_EXAMPLES } : {});
  for (const port of waiting.splice(0)) serve(port, ctx);
  parent.postMessage({ type: 'ready', home: engine.paths.home } satisfies HostMessage);
} catch (e) {
  parent.postMessage({ type: 'failed', message: (e as Error).message ?? String(e) } satisfies HostMessage);
  process.exit(1);
}

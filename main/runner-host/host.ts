// The desktop's runner process: opens the engine and answers the API on every port the
// main process hands over (one per window, one for the shell itself). It runs in its own
// utility process, so user code that crashes or hangs never takes a window down; the
// shell restarts it. It keeps running while the window is closed (tray), and with it the
// runs in flight and the schedules.
import type { MessagePortMain } from 'electron';
import { Engine } from '../../runner/engine.ts';
import { createApiContext } from '../../runner/api/context.ts';
import type { IpcRequest } from '../../runner/api/ipc-protocol.ts';
import { appRouter } from '../../runner/api/router.ts';
import { serveMessages } from '../../runner/server/message-server.ts';
import type { HostMessage } from './host-protocol.ts';

const parent = process.parentPort;
const engine = await Engine.open().catch((e: unknown) => {
  parent.postMessage({ type: 'failed', message: (e as Error).message ?? String(e) } satisfies HostMessage);
  process.exit(1);
});
const ctx = createApiContext(engine, process.env.AQUEDUCT_EXAMPLES ? { examplesDir: process.env.AQUEDUCT_EXAMPLES } : {});

function serve(port: MessagePortMain): void {
  serveMessages(
    {
      postMessage: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (e) => l(e.data as IpcRequest)),
      onClose: (l) => port.on('close', l),
    },
    appRouter,
    ctx,
  );
  port.start();
}

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await engine.close();
  process.exit(0);
}

parent.on('message', (e) => {
  const msg = e.data as HostMessage;
  if (msg.type === 'connect' && e.ports[0]) serve(e.ports[0]);
  else if (msg.type === 'shutdown') void shutdown();
});
parent.postMessage({ type: 'ready', home: engine.paths.home } satisfies HostMessage);

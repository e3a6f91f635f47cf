// The preload: the only bridge between the sandboxed renderer and the rest. It exposes
// one thing, `window.aqueduct`: a message channel for API calls (send / onMessage), carried
// over the MessagePort the shell hands it straight to the runner process, and the OS file
// dialog (pickFile), which only the main process can show. No Node, no Electron objects,
// no arbitrary IPC reach the page.
import { contextBridge, ipcRenderer } from 'electron';
import type { AqueductBridge, IpcInbound, IpcRequest, PickFileOptions } from '../../runner/api/ipc-protocol.ts';

const METHODS = new Set(['query', 'mutation', 'subscription', 'subscription.stop']);

let port: MessagePort | undefined;
const queue: IpcRequest[] = [];
const listeners = new Set<(m: IpcInbound) => void>();

function emit(m: IpcInbound): void {
  for (const l of listeners) l(m);
}

// a new port arrives on every page load and after the runner process restarts
ipcRenderer.on('aqueduct:port', (event) => {
  const next = event.ports[0];
  if (!next) return;
  const reconnected = port !== undefined;
  port?.close();
  port = next;
  port.onmessage = (e: MessageEvent) => emit(e.data as IpcInbound);
  port.start();
  if (reconnected) emit({ id: null, reconnected: true });
  for (const m of queue.splice(0)) port.postMessage(m);
});

function isRequest(m: unknown): m is IpcRequest {
  const r = m as IpcRequest | null;
  return typeof r === 'object' && r !== null && typeof r.id === 'number' && METHODS.has(r.method) && (r.method === 'subscription.stop' || typeof r.path === 'string');
}

const bridge = {
  send(message: IpcRequest): void {
    if (!isRequest(message)) throw new TypeError('window.aqueduct.send: not an API request');
    if (port) port.postMessage(message);
    else queue.push(message);
  },
  onMessage(listener: (message: IpcInbound) => void): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  async pickFile(options: PickFileOptions): Promise<string | null> {
    // only plain data crosses: the main process shows the dialog and answers with a path
    const o = { title: String(options?.title ?? ''), defaultPath: typeof options?.defaultPath === 'string' ? options.defaultPath : undefined, filters: options?.filters };
    const chosen: unknown = await ipcRenderer.invoke('aqueduct:pick-file', o);
    return typeof chosen === 'string' ? chosen : null;
  },
} satisfies AqueductBridge;

contextBridge.exposeInMainWorld('aqueduct', bridge);

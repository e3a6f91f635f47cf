// The preload is the desktop's security boundary: the page must get exactly the API
// bridge (send / onMessage) and the OS file dialog (pickFile), and nothing else. Electron cannot run here, so `electron` is
// mocked; the messages still travel over a real MessageChannel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type PortHandler = (event: { ports: MessagePort[] }) => void;

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcHandlers: new Map<string, (event: { ports: MessagePort[] }) => void>(),
  invoked: [] as { channel: string; args: unknown[] }[],
  answer: undefined as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    on: (channel: string, handler: PortHandler) => electron.ipcHandlers.set(channel, handler),
    invoke: async (channel: string, ...args: unknown[]) => {
      electron.invoked.push({ channel, args });
      return electron.answer;
    },
  },
}));

interface Bridge {
  send(m: unknown): void;
  onMessage(l: (m: unknown) => void): () => void;
  pickFile(o: unknown): Promise<string | null>;
}

async function loadPreload(): Promise<Bridge> {
  vi.resetModules();
  electron.exposed.clear();
  electron.ipcHandlers.clear();
  await import('./preload.ts');
  return electron.exposed.get('aqueduct') as Bridge;
}

function givePort(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  electron.ipcHandlers.get('aqueduct:port')!({ ports: [port1] });
  return port2;
}

const nextMessage = (port: MessagePort) =>
  new Promise<unknown>((resolve) => {
    port.onmessage = (e) => resolve(e.data);
  });

describe('preload', () => {
  const open: MessagePort[] = [];
  beforeEach(() => (open.length = 0));
  afterEach(() => open.forEach((p) => p.close()));

  it('exposes exactly the API bridge and nothing else', async () => {
    const bridge = await loadPreload();
    expect([...electron.exposed.keys()]).toEqual(['aqueduct']);
    expect(Object.keys(bridge).sort()).toEqual(['onMessage', 'pickFile', 'send']);
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
    // only the port hand-over is listened to; no other IPC channel reaches the page
    expect([...electron.ipcHandlers.keys()]).toEqual(['aqueduct:port']);
  });

  it('queues calls until the runner port arrives, then relays both ways', async () => {
    const bridge = await loadPreload();
    const request = { id: 1, method: 'query', path: 'workflows.list', input: undefined };
    bridge.send(request);
    const runner = givePort();
    open.push(runner);
    expect(await nextMessage(runner)).toEqual({ id: 1, method: 'query', path: 'workflows.list' });

    const received: unknown[] = [];
    const off = bridge.onMessage((m) => received.push(m));
    runner.postMessage({ id: 1, result: { type: 'data', data: [] } });
    await vi.waitFor(() => expect(received).toEqual([{ id: 1, result: { type: 'data', data: [] } }]));
    off();
    runner.postMessage({ id: 2, result: { type: 'data', data: 1 } });
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
  });

  it('tells the client when the runner restarted (a new port)', async () => {
    const bridge = await loadPreload();
    const received: unknown[] = [];
    bridge.onMessage((m) => received.push(m));
    open.push(givePort());
    const second = givePort();
    open.push(second);
    expect(received).toEqual([{ id: null, reconnected: true }]);
    bridge.send({ id: 7, method: 'subscription', path: 'events.onRun', input: undefined });
    expect(await nextMessage(second)).toMatchObject({ id: 7, method: 'subscription' });
  });

  it('asks the main process for the file dialog with plain data only, and hands back a path or null', async () => {
    const bridge = await loadPreload();
    electron.invoked.length = 0;
    electron.answer = '/home/me/data/train.csv';
    const options = { title: 'Data file', defaultPath: '/home/me', filters: [{ name: 'CSV', extensions: ['csv'] }], extra: () => 'not sent' };
    expect(await bridge.pickFile(options)).toBe('/home/me/data/train.csv');
    expect(electron.invoked).toEqual([{ channel: 'aqueduct:pick-file', args: [{ title: 'Data file', defaultPath: '/home/me', filters: [{ name: 'CSV', extensions: ['csv'] }] }] }]);
    electron.answer = { path: '/etc/passwd' };
    expect(await bridge.pickFile({})).toBeNull();
  });

  it('refuses anything that is not an API request', async () => {
    const bridge = await loadPreload();
    expect(() => bridge.send({ channel: 'shell:openExternal', args: ['file:///etc/passwd'] })).toThrow(/not an API request/);
    expect(() => bridge.send('workflows.list')).toThrow(/not an API request/);
  });
});

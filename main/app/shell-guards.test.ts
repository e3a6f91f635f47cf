// The shell's guards, with `electron` stood in for (its binary cannot run here): every web
// contents the app ever creates gets the navigation, new-window, webview and permission
// guards through `web-contents-created`; a window gets the runner's port only while it
// shows the app's own page; and the runner is handed the secret key as its first message,
// never through its environment.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  opened: [] as string[],
  forks: [] as { env: Record<string, string | undefined>; messages: unknown[] }[],
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  return {
    app: Object.assign(new Emitter(), { getAppPath: () => '/app', getPath: () => '/tmp' }),
    shell: { openExternal: (url: string) => electron.opened.push(url) },
    protocol: {},
    session: {},
    MessageChannelMain: class {
      port1 = { close() {} };
      port2 = { close() {} };
    },
    utilityProcess: {
      fork: (_entry: string, _args: string[], o: { env: Record<string, string | undefined> }) => {
        const child = Object.assign(new Emitter(), { messages: [] as unknown[], postMessage(m: unknown) { child.messages.push(m); } });
        electron.forks.push({ env: o.env, messages: child.messages });
        return child;
      },
    },
  };
});

/** A stand-in WebContents: an EventEmitter with the few methods the guards use. */
function fakeContents(url = 'aqueduct://app/index.html') {
  const wc = Object.assign(new EventEmitter(), {
    url,
    sent: [] as string[],
    openHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
    permissionHandler: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    getURL: () => wc.url,
    isDestroyed: () => false,
    postMessage: (channel: string) => wc.sent.push(channel),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (wc.openHandler = h),
    session: { setPermissionRequestHandler: (h: (wc: unknown, p: string, cb: (ok: boolean) => void) => void) => (wc.permissionHandler = h) },
  });
  return wc;
}

function prevented(wc: EventEmitter, event: string, ...args: unknown[]): boolean {
  let stopped = false;
  wc.emit(event, { preventDefault: () => (stopped = true) }, ...args);
  return stopped;
}

describe('web contents guards', () => {
  beforeEach(() => (electron.opened.length = 0));

  it('apply to every web contents the app creates', async () => {
    const { app } = await import('electron');
    const { installWebContentsGuards } = await import('./security.ts');
    installWebContentsGuards();
    const wc = fakeContents();
    app.emit('web-contents-created', {}, wc);
    expect(prevented(wc, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented(wc, 'will-navigate', 'aqueduct://app.evil/')).toBe(true);
    expect(prevented(wc, 'will-navigate', 'aqueduct://app/runs')).toBe(false);
    expect(prevented(wc, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented(wc, 'will-attach-webview')).toBe(true);
    expect(wc.openHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'aqueduct://app/other' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://docs.example/']);
    let granted: boolean | undefined;
    wc.permissionHandler!(wc, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });
});

describe('the runner port and key', () => {
  it('goes only to a window showing the app, and the key only as a message', async () => {
    process.env.AQUEDUCT_SECRET_KEY = 'from-env';
    process.env.AQUEDUCT_TOKEN = 'from-env-token';
    try {
      const { RunnerProcess } = await import('./runner-process.ts');
      const runner = new RunnerProcess({ secretKey: 'a2V5LWZyb20ta2V5Y2hhaW4=', onFatal: () => undefined });
      runner.start();
      const fork = electron.forks.at(-1)!;
      expect(fork.messages[0]).toEqual({ type: 'secret-key', key: 'a2V5LWZyb20ta2V5Y2hhaW4=' });
      expect(Object.keys(fork.env)).not.toContain('AQUEDUCT_SECRET_KEY');
      expect(Object.keys(fork.env)).not.toContain('AQUEDUCT_TOKEN');

      const app = fakeContents('aqueduct://app/index.html');
      runner.attachWindow(app as never);
      app.emit('did-finish-load');
      expect(app.sent).toEqual(['aqueduct:port']);
      const elsewhere = fakeContents('https://evil.example/');
      runner.attachWindow(elsewhere as never);
      elsewhere.emit('did-finish-load');
      expect(elsewhere.sent).toEqual([]);
    } finally {
      delete process.env.AQUEDUCT_SECRET_KEY;
      delete process.env.AQUEDUCT_TOKEN;
    }
  });
});

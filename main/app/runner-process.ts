// Starts the runner in its own utility process and hands each window (and the shell's own
// API client) a MessagePort straight to it, so API traffic never passes through this
// process. If the runner crashes (user code can take a process down), it is restarted and
// everyone gets a fresh port; subscriptions are re-sent by the client link.
import path from 'node:path';
import { app, MessageChannelMain, utilityProcess, type MessagePortMain, type UtilityProcess, type WebContents } from 'electron';
import type { AqueductBridge, IpcInbound, IpcRequest } from '../../runner/api/ipc-protocol.ts';
import { childEnv } from '../../runner/secrets/process-secrets.ts';
import { mayReceivePort } from './security-policy.ts';
import type { HostMessage } from '../runner-host/host-protocol.ts';

export interface RunnerProcessOptions {
  /** the key that seals stored secrets (base64), handed over the parent port; null: the runner's key file */
  secretKey: string | null;
  /** the runner could not start, or keeps crashing */
  onFatal(message: string): void;
}

export class RunnerProcess {
  private child: UtilityProcess | undefined;
  private readonly windows = new Set<WebContents>();
  private readonly shellBridges = new Set<PortBridge>();
  private crashes: number[] = [];
  private stopping = false;
  /** the runner cannot start at all (restarting would fail the same way) */
  private failed = false;

  constructor(private readonly o: RunnerProcessOptions) {}

  start(): void {
    // the runner bundled by main/build.mjs: plain JavaScript, loadable from the asar archive
    const entry = path.join(app.getAppPath(), 'main', 'dist', 'runner-host.mjs');
    // the runner's environment, like every child's, never holds the key or a token
    const child = utilityProcess.fork(entry, [], { serviceName: 'Aqueduct runner', env: childEnv(), stdio: 'inherit' });
    this.child = child;
    // first message, before any port: the runner waits for it before opening the engine
    child.postMessage({ type: 'secret-key', key: this.o.secretKey } satisfies HostMessage);
    child.on('message', (msg: HostMessage) => {
      if (msg.type !== 'failed') return;
      this.failed = true;
      this.o.onFatal(`The runner could not start: ${msg.message}`);
    });
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping || this.failed) return;
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
      if (this.crashes.length > 5) {
        this.o.onFatal(`The runner stopped ${this.crashes.length} times in a minute (last exit code ${code}); restart Aqueduct.`);
        return;
      }
      setTimeout(() => this.restart(), 500 * this.crashes.length);
    });
    for (const wc of this.windows) this.sendPort(wc);
    for (const b of this.shellBridges) b.attach(this.connect());
  }

  /** Gives a window its port now and after every restart. */
  attachWindow(wc: WebContents): void {
    this.windows.add(wc);
    wc.once('destroyed', () => this.windows.delete(wc));
    const send = () => this.sendPort(wc);
    wc.on('did-finish-load', send);
  }

  /** A bridge for the shell's own client (notifications, menu commands). */
  shellBridge(): AqueductBridge {
    const bridge = new PortBridge();
    this.shellBridges.add(bridge);
    if (this.child) bridge.attach(this.connect());
    return bridge;
  }

  /** Asks the runner to finish cleanly (cancel runs, close the store); kills it after `ms`. */
  async stop(ms = 5_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, ms);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'shutdown' } satisfies HostMessage);
    });
  }

  private restart(): void {
    if (!this.stopping) this.start();
  }

  private connect(): MessagePortMain {
    const { port1, port2 } = new MessageChannelMain();
    this.child?.postMessage({ type: 'connect' } satisfies HostMessage, [port1]);
    return port2;
  }

  private sendPort(wc: WebContents): void {
    if (!this.child || wc.isDestroyed()) return;
    // a port is the whole API: never for a page other than the app's own
    if (!mayReceivePort(wc.getURL())) return;
    wc.postMessage('aqueduct:port', null, [this.connect()]);
  }
}

/** The shell's side of a port: the same bridge interface the preload gives the renderer. */
class PortBridge implements AqueductBridge {
  private port: MessagePortMain | undefined;
  private readonly listeners = new Set<(m: IpcInbound) => void>();
  private readonly queue: IpcRequest[] = [];

  attach(port: MessagePortMain): void {
    const reconnected = this.port !== undefined;
    this.port?.close();
    this.port = port;
    port.on('message', (e) => this.emit(e.data as IpcInbound));
    port.start();
    if (reconnected) this.emit({ id: null, reconnected: true });
    for (const m of this.queue.splice(0)) port.postMessage(m);
  }

  send(message: IpcRequest): void {
    if (this.port) this.port.postMessage(message);
    else this.queue.push(message);
  }

  onMessage(listener: (m: IpcInbound) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(m: IpcInbound): void {
    for (const l of this.listeners) l(m);
  }
}

// The messages that carry API calls over a message port (Electron: renderer <-> runner
// process). The same shape as tRPC's WebSocket protocol, so both transports mean the same
// thing. Types only: the renderer's IPC link imports this file.

export type ProcedureKind = 'query' | 'mutation' | 'subscription';

export type IpcRequest =
  | { id: number; method: ProcedureKind; path: string; input: unknown }
  | { id: number; method: 'subscription.stop' };

export type IpcResponse =
  | { id: number; result: { type: 'data'; data: unknown } }
  | { id: number; result: { type: 'started' } }
  | { id: number; result: { type: 'stopped' } }
  /** `error` is the router's error shape, as an HTTP client would receive it */
  | { id: number; error: { message: string; code: number; data?: unknown } };

/** Sent by the preload (not the runner) when the runner process was restarted. */
export interface IpcReconnected {
  id: null;
  reconnected: true;
}

export type IpcInbound = IpcResponse | IpcReconnected;

/** What the file dialog is asked for: a title, where to start, which files to offer. */
export interface PickFileOptions {
  title?: string;
  /** a folder (or file) the dialog opens at */
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
}

/** What the desktop preload exposes as `window.aqueduct`: a message channel, and the OS file dialog. */
export interface AqueductBridge {
  send(message: IpcRequest): void;
  /** returns a function that stops listening */
  onMessage(listener: (message: IpcInbound) => void): () => void;
  /** the OS's "open file" dialog (desktop only): the absolute path chosen, or null */
  pickFile?(options: PickFileOptions): Promise<string | null>;
}

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

/** What the desktop preload exposes as `window.aqueduct`: a message channel, nothing else. */
export interface AqueductBridge {
  send(message: IpcRequest): void;
  /** returns a function that stops listening */
  onMessage(listener: (message: IpcInbound) => void): () => void;
}

// Answers API calls arriving as messages on a port (the desktop's runner process gets one
// port per window). Same router, same error shapes as over HTTP/WebSocket; results are
// sent as plain JSON values so both transports deliver exactly the same data.
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, type AnyRouter } from '@trpc/server';
import type { IpcRequest, IpcResponse } from '../api/ipc-protocol.ts';

export interface MessageEndpoint {
  postMessage(message: IpcResponse): void;
  onMessage(listener: (message: IpcRequest) => void): void;
  onClose(listener: () => void): void;
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

export function serveMessages<TRouter extends AnyRouter>(endpoint: MessageEndpoint, router: TRouter, ctx: unknown): () => void {
  const subscriptions = new Map<number, AbortController>();
  const config = router._def._config;

  const fail = (id: number, cause: unknown, type: IpcRequest['method'], path: string | undefined, input: unknown) => {
    const error = getTRPCErrorFromUnknown(cause);
    const kind = type === 'subscription.stop' ? 'unknown' : type;
    if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`API ${path ?? ''} failed:`, error.cause ?? error);
    const shape = getErrorShape({ config, error, type: kind, path, input, ctx });
    endpoint.postMessage({ id, error: plain(shape) as { message: string; code: number } });
  };

  async function handle(msg: IpcRequest): Promise<void> {
    if (msg.method === 'subscription.stop') {
      subscriptions.get(msg.id)?.abort();
      return;
    }
    const { id, method, path, input } = msg;
    const abort = new AbortController();
    if (method === 'subscription') subscriptions.set(id, abort);
    try {
      const result: unknown = await callTRPCProcedure({
        router,
        path,
        getRawInput: async () => input,
        ctx,
        type: method,
        signal: abort.signal,
        batchIndex: 0,
      });
      if (method !== 'subscription') {
        endpoint.postMessage({ id, result: { type: 'data', data: plain(result) } });
        return;
      }
      if (!isAsyncIterable(result)) throw new Error(`subscription ${path} did not return an async iterable`);
      endpoint.postMessage({ id, result: { type: 'started' } });
      const iterator = result[Symbol.asyncIterator]();
      abort.signal.addEventListener('abort', () => void iterator.return?.());
      while (!abort.signal.aborted) {
        const next = await iterator.next();
        if (next.done || abort.signal.aborted) break;
        endpoint.postMessage({ id, result: { type: 'data', data: plain(next.value) } });
      }
      endpoint.postMessage({ id, result: { type: 'stopped' } });
    } catch (e) {
      if (!abort.signal.aborted) fail(id, e, method, path, input);
    } finally {
      subscriptions.delete(id);
    }
  }

  const stopAll = () => {
    for (const a of subscriptions.values()) a.abort();
    subscriptions.clear();
  };
  endpoint.onMessage((msg) => void handle(msg));
  endpoint.onClose(stopAll);
  return stopAll;
}

// A tRPC link over the desktop's message bridge (`window.aqueduct`, set by the preload).
// Each call is one request message; subscriptions stay open until stopped. When the
// runner process restarts, calls in flight fail and subscriptions are sent again.
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable, type Observer } from '@trpc/server/observable';
import type { AqueductBridge, IpcInbound, IpcRequest } from '../../runner/api/ipc-protocol.ts';

interface Pending {
  request: IpcRequest;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  observer: Observer<any, TRPCClientError<AnyRouter>>;
  subscription: boolean;
}

export function ipcLink<TRouter extends AnyRouter>(bridge: AqueductBridge): TRPCLink<TRouter> {
  const pending = new Map<number, Pending>();
  let nextId = 1;

  bridge.onMessage((msg: IpcInbound) => {
    if (msg.id === null) {
      for (const [id, p] of pending) {
        if (p.subscription) bridge.send(p.request);
        else {
          pending.delete(id);
          p.observer.error(new TRPCClientError('the runner restarted while this call was in flight; try again'));
        }
      }
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    if ('error' in msg) {
      pending.delete(msg.id);
      p.observer.error(TRPCClientError.from({ error: msg.error }));
      return;
    }
    if (msg.result.type === 'data') {
      p.observer.next({ result: { type: 'data', data: msg.result.data } });
      if (!p.subscription) {
        pending.delete(msg.id);
        p.observer.complete();
      }
    } else if (msg.result.type === 'started') {
      p.observer.next({ result: { type: 'started' } });
    } else {
      pending.delete(msg.id);
      p.observer.complete();
    }
  });

  return () =>
    ({ op }) =>
      observable((observer) => {
        const id = nextId++;
        const request: IpcRequest = { id, method: op.type, path: op.path, input: op.input };
        const subscription = op.type === 'subscription';
        pending.set(id, { request, observer, subscription });
        bridge.send(request);
        const onAbort = () => stop();
        op.signal?.addEventListener('abort', onAbort);
        function stop() {
          op.signal?.removeEventListener('abort', onAbort);
          if (!pending.delete(id)) return;
          if (subscription) bridge.send({ id, method: 'subscription.stop' });
        }
        return stop;
      });
}

// tRPC subscriptions are async generators; the runner's sources of news (the run event
// bus, the scheduler, file watchers) are callbacks. This turns one into the other:
// everything pushed is queued and yielded in order until the client goes away.

/** Yields what `subscribe` reports until `signal` aborts; `subscribe` returns its unsubscribe. */
export async function* subscriptionStream<T>(
  subscribe: (push: (v: T) => void) => () => void,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  const off = subscribe((v) => {
    queue.push(v);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length) {
        yield queue.shift()!;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    off();
    signal?.removeEventListener('abort', onAbort);
  }
}

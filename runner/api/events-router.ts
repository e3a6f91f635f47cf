// The live stream of run events as a tRPC subscription (an async generator): every UI
// connected, over WebSocket or Electron IPC, sees each node start, log and finish.
import { z } from 'zod';
import type { RunEvent } from './types.ts';
import type { EventBus } from '../exec/events.ts';
import { procedure, router } from './context.ts';

/** Buffers the bus's events until the consumer takes them; ends when `signal` aborts. */
export async function* eventStream(bus: EventBus, signal?: AbortSignal): AsyncGenerator<RunEvent> {
  const queue: RunEvent[] = [];
  let wake: (() => void) | undefined;
  const off = bus.on((e) => {
    queue.push(e);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      const next = queue.shift();
      if (next) {
        yield next;
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

function runIdOf(e: RunEvent): string {
  switch (e.type) {
    case 'run_started':
    case 'run_finished':
      return e.run.id;
    case 'node_started':
      return e.runId;
    case 'node_log':
      return e.log.runId;
    case 'node_finished':
      return e.node.runId;
  }
}

export const eventsRouter = router({
  onRun: procedure
    .input(z.object({ runId: z.string().optional() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const e of eventStream(ctx.engine.events, signal)) {
        if (!input?.runId || runIdOf(e) === input.runId) yield e;
      }
    }),
});

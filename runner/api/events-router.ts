// The live stream of run events as a tRPC subscription (an async generator): every UI
// connected, over WebSocket or Electron IPC, sees each node start, log and finish.
import { z } from 'zod';
import type { RunEvent } from './types.ts';
import { procedure, router } from './context.ts';
import { subscriptionStream } from './subscription-stream.ts';

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
      for await (const e of subscriptionStream<RunEvent>((push) => ctx.engine.events.on(push), signal)) {
        if (!input?.runId || runIdOf(e) === input.runId) yield e;
      }
    }),
});

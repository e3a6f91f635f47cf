// `endpoints.*`: the outputs workflows serve read-only at /api/v1/outputs/<workflow>/<output>
// (which ones, their newest version), the endpoint keys (made, listed, revoked; a key is
// shown once, when made), and whether the desktop serves them (Settings).
import { z } from 'zod';
import { ENDPOINTS_ENABLED_SETTING, ENDPOINTS_HOST_SETTING, ENDPOINTS_PORT_SETTING, type EndpointsStatus } from '../endpoints/endpoints-server.ts';
import { setExposed } from '../endpoints/expose-file.ts';
import { servedOutputs, type ServedOutput } from '../endpoints/served.ts';
import { EndpointKeys, type EndpointKeyInfo } from '../endpoints/keys.ts';
import { procedure, router, UserError, type ApiContext } from './context.ts';
import { requireWorkflow } from './workflows-router.ts';

export interface EndpointsOverview {
  outputs: ServedOutput[];
  /** the desktop's endpoints server; absent where `aqueduct serve` serves them beside the UI */
  server?: EndpointsStatus;
}

const keys = (ctx: ApiContext) => new EndpointKeys(ctx.engine.store.db, ctx.engine.store.clock);

export const endpointsRouter = router({
  list: procedure.input(z.object({ workflowId: z.string().optional() }).default({})).query(({ ctx, input }): EndpointsOverview => ({
    outputs: servedOutputs(ctx.engine, input.workflowId),
    server: ctx.endpointsHost?.status(),
  })),

  /** serve an output, or stop: changes endpoints: in the workflow's file */
  expose: procedure.input(z.object({ workflowId: z.string().min(1), output: z.string().min(1), on: z.boolean() })).mutation(({ ctx, input }) => {
    const w = requireWorkflow(ctx, input.workflowId);
    return { outputs: setExposed(w.folder, input.output, input.on) };
  }),

  keys: router({
    list: procedure.input(z.object({ workflowId: z.string().optional() }).default({})).query(({ ctx, input }): EndpointKeyInfo[] => keys(ctx).list(input.workflowId)),
    create: procedure
      .input(z.object({ workflowId: z.string().min(1), output: z.string().min(1).optional(), label: z.string().max(100).default('') }))
      .mutation(({ ctx, input }) => {
        requireWorkflow(ctx, input.workflowId);
        return keys(ctx).create(input.workflowId, input.output, input.label);
      }),
    revoke: procedure.input(z.object({ id: z.string().min(4) })).mutation(({ ctx, input }) => keys(ctx).revoke(input.id)),
  }),

  /** the desktop's endpoints server: on or off, host and port */
  setServer: procedure
    .input(z.object({ enabled: z.boolean(), host: z.string().trim().min(1).optional(), port: z.number().int().min(1).max(65535).optional() }))
    .mutation(async ({ ctx, input }): Promise<EndpointsStatus> => {
      if (!ctx.endpointsHost) throw new UserError('this app serves endpoints beside its UI (aqueduct serve): they are always on here');
      const s = ctx.engine.store;
      s.setSetting(ENDPOINTS_ENABLED_SETTING, String(input.enabled));
      if (input.host) s.setSetting(ENDPOINTS_HOST_SETTING, input.host);
      if (input.port) s.setSetting(ENDPOINTS_PORT_SETTING, String(input.port));
      return ctx.endpointsHost.reconcile();
    }),
});

// `connections.*`: the Connections screen's calls. Secrets are write-only: create/update
// take them, nothing here ever returns one (reads carry `hasPassword`-style flags, and a
// driver's error text is scrubbed of every secret before it leaves). A refused delete is
// BAD_REQUEST naming the workflows in the way, with them in `data.usages` too.
import { z } from 'zod';
import { CONNECTION_TYPES, secretFields, type ConnectionInput, type ConnectionTestResult, type ConnectionUsage } from '../connections/types.ts';
import type { ConnectionConfig } from '../connectors/types.ts';
import { listTables, previewTable, type TableListing, type TablePreview } from '../connectors/sources.ts';
import { procedure, router, UserError, type ApiContext } from './context.ts';

const name = z.string().trim().min(1);
/** a form's values: text, numbers and switches; '' or null clears a setting (a secret: keeps it) */
const formValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const settings = formValues.default({});

/** A secret left empty means "keep the saved one", so empty strings are dropped. */
function withoutEmpty(values: Record<string, unknown>, secrets: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => !(secrets.includes(k) && (v === '' || v === null))));
}

/** Removes every secret of `cfg` from a message a driver produced. */
function scrub(text: string, cfg: ConnectionConfig): string {
  const secrets = secretFields(cfg.type).map((f) => cfg[f]).filter((v): v is string => typeof v === 'string' && v.length >= 4);
  return secrets.reduce((acc, s) => acc.split(s).join('***'), text);
}

/** Runs a browse call; a driver's failure (refused, missing table) becomes a user-facing message. */
async function browse<T>(ctx: ApiContext, connection: string, work: (cfg: ConnectionConfig) => Promise<T>): Promise<T> {
  const cfg = await ctx.connections.resolve(connection);
  try {
    return await work(cfg);
  } catch (e) {
    const err = e as Error & { fix?: string; sqlMessage?: string };
    const out = new UserError(scrub(err.sqlMessage ?? err.message, cfg));
    out.fix = err.fix ? scrub(err.fix, cfg) : undefined;
    throw out;
  }
}

export interface ConnectionDetail {
  info: ReturnType<ApiContext['connections']['get']>;
  /** workflows (and their nodes) reading or publishing through it */
  usages: ConnectionUsage[];
}

export const connectionsRouter = router({
  /** the kinds of connection and their fields, so the form is built from one source */
  types: procedure.query(() => CONNECTION_TYPES),

  list: procedure.query(({ ctx }) => ctx.connections.list()),

  get: procedure.input(z.object({ name })).query(({ ctx, input }): ConnectionDetail => ({
    info: ctx.connections.get(input.name),
    usages: ctx.connections.usages(input.name),
  })),

  create: procedure.input(z.object({ name, type: z.string().min(1), settings })).mutation(({ ctx, input }) => {
    const values = withoutEmpty(input.settings, secretFields(input.type));
    return ctx.connections.create({ ...values, name: input.name, type: input.type });
  }),

  /** changes settings; a secret left empty keeps the saved one, one listed in `clear` is removed */
  update: procedure
    .input(z.object({ name, newName: name.optional(), settings, clear: z.array(z.string()).default([]) }))
    .mutation(({ ctx, input }) => {
      const current = ctx.connections.get(input.name);
      const values = withoutEmpty(input.settings, secretFields(current.type));
      return ctx.connections.update(input.name, { ...values, name: input.newName ?? input.name }, input.clear);
    }),

  delete: procedure.input(z.object({ name })).mutation(({ ctx, input }) => {
    ctx.connections.remove(input.name);
    return { deleted: input.name };
  }),

  /**
   * Tests a saved connection (`name` alone), or a form's values before they are saved
   * (`type` + `settings`; with `name` of a saved one, its secrets fill the empty fields
   * while the settings still point at the same server).
   */
  test: procedure
    .input(z.object({ name: name.optional(), type: z.string().min(1).optional(), settings: formValues.optional() }))
    .mutation(async ({ ctx, input }): Promise<ConnectionTestResult> => {
      if (!input.settings) {
        if (!input.name) throw new UserError('say which connection to test (name) or give its settings');
        return ctx.connections.test(input.name);
      }
      const saved = input.name ? ctx.connections.list().find((c) => c.name === input.name) : undefined;
      const type = input.type ?? saved?.type;
      if (!type) throw new UserError('say which type of connection to test');
      const typed = withoutEmpty(input.settings, secretFields(type));
      return ctx.connections.testDraft({ ...typed, name: input.name ?? 'unsaved', type } as ConnectionInput, saved?.name);
    }),

  tables: procedure.input(z.object({ name })).query(({ ctx, input }): Promise<TableListing[]> =>
    browse(ctx, input.name, (cfg) => listTables(cfg, ctx.engine.duck)),
  ),

  preview: procedure
    .input(z.object({ name, table: z.string().min(1), limit: z.number().int().min(1).max(1000).default(100) }))
    .query(({ ctx, input }): Promise<TablePreview> => browse(ctx, input.name, (cfg) => previewTable(cfg, input.table, input.limit, ctx.engine.duck))),
});

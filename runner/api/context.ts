// What every API procedure receives (the engine and the app's folders) and the tRPC
// instance built on it. User mistakes (an invalid workflow, a missing preview) become
// BAD_REQUEST with the engine's own message, and the problem list rides in error.data so
// the editor can point at each file, node and field.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Engine } from '../engine.ts';
import { PreviewUnavailableError } from '../exec/preview.ts';
import { WorkflowInvalidError, type SpecProblem } from '../spec/workflow.ts';

export interface ApiContext {
  engine: Engine;
  /** where workflows created from the bundled examples go */
  workflowsDir: string;
  /** the bundled examples, one folder each */
  examplesDir: string;
}

export const BUNDLED_EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/examples');

export function createApiContext(engine: Engine, o: Partial<Omit<ApiContext, 'engine'>> = {}): ApiContext {
  return {
    engine,
    workflowsDir: o.workflowsDir ?? path.join(engine.paths.home, 'workflows'),
    examplesDir: o.examplesDir ?? process.env.AQUEDUCT_EXAMPLES ?? BUNDLED_EXAMPLES,
  };
}

/** A mistake of the user's that the UI should show as is (not a bug of ours). */
export class UserError extends Error {}

function isUserMistake(e: unknown): e is Error {
  return e instanceof WorkflowInvalidError || e instanceof PreviewUnavailableError || e instanceof UserError;
}

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const problems: SpecProblem[] | undefined = cause instanceof WorkflowInvalidError ? cause.problems : undefined;
    return { ...shape, data: { ...shape.data, problems } };
  },
});

const userErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isUserMistake(result.error.cause)) {
    const cause = result.error.cause;
    return { ...result, error: new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause }) };
  }
  return result;
});

export const router = t.router;
export const procedure = t.procedure.use(userErrors);
export const createCallerFactory = t.createCallerFactory;

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} not found` });
}

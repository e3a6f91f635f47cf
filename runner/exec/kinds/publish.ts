// publish nodes: hand the input table to its destination's writer, which stages the whole
// change without making it visible; the executor commits the run's publishes together
// (publish-commit.ts). In a preview nothing is staged: the node says what a run would
// publish (rows, target, mode), after the same checks of the target a run makes first.
import { definitionPaths } from '../../connectors/file-target.ts';
import { getDestinationWriter } from '../../connectors/registry.ts';
import { PublishError, type PublishRequest } from '../../connectors/types.ts';
import { runDelivery } from '../../deliveries/deliver.ts';
import { isDelivery } from '../../spec/validate-report.ts';
import { nodeConnection } from './connection.ts';
import { NodeFailure, PublishStopped, type NodeContext, type NodeOutcome } from './types.ts';

export async function runPublish(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'publish') throw new Error('not a publish node');
  // a report to people is sent, not staged: see deliver.ts
  if (isDelivery(node.destination)) return runDelivery(ctx);
  const input = ctx.inputs.get(node.inputs[0] ?? '');
  if (!input) throw new NodeFailure('publish node has no input table');
  let staging = false;
  try {
    const writer = getDestinationWriter(node.destination.type);
    const connection = node.destination.connection ? await nodeConnection(ctx, node.destination.connection, 'destination.connection', writer.type) : undefined;
    const req: PublishRequest = {
      parquetPath: input.path,
      destination: node.destination,
      mode: node.mode,
      key: node.key,
      workflowFolder: ctx.workflow.folder,
      protectedPaths: definitionPaths(ctx.workflow.folder, ctx.workflow.nodes.map((n) => n.codeFile)),
      connection,
      signal: ctx.signal,
      staging: ctx.staging,
      onProgress: (n) => ctx.log('system', `${n} rows written`),
    };
    if (ctx.preview) {
      const target = await writer.target(req);
      ctx.log('system', `preview: would publish ${input.rows} rows to ${target} (${node.mode}); nothing was written`);
      return { type: 'would_publish', target, rows: input.rows, mode: node.mode };
    }
    staging = true;
    const staged = await writer.stage(req);
    // a held change needs no word (the run logs "published" when it commits, as every engine does)
    if (!staged.held) {
      ctx.log('system', `staged ${staged.rows} rows for ${staged.target} (${node.mode}); ${writer.type} cannot hold a change back: it is written when the run's publishes are committed, before the others`);
    }
    return { type: 'staged', staged, destination: node.destination.type, connection: node.destination.connection, mode: node.mode };
  } catch (e) {
    // a mistake of its own (a missing connection, a refused target) is told as such even
    // when another publish failed meanwhile; a stage that was stopped is the run's doing
    const fix = e instanceof PublishError ? e.fix : undefined;
    if (staging && ctx.signal.aborted) throw new PublishStopped((e as Error).message ?? String(e), undefined, fix);
    if (e instanceof PublishError) throw new NodeFailure(e.message, undefined, e.fix);
    throw e;
  }
}

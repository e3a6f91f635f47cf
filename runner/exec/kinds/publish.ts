// publish nodes: hand the input table to its destination's writer, which makes the
// change atomically (the destination is either as before or fully new).
import { getDestinationWriter } from '../../connectors/registry.ts';
import { PublishError } from '../../connectors/types.ts';
import { runDelivery } from '../../deliveries/deliver.ts';
import { isDelivery } from '../../spec/validate-report.ts';
import { nodeConnection } from './connection.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

export async function runPublish(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'publish') throw new Error('not a publish node');
  if (isDelivery(node.destination)) return runDelivery(ctx);
  const input = ctx.inputs.get(node.inputs[0] ?? '');
  if (!input) throw new NodeFailure('publish node has no input table');
  try {
    const writer = getDestinationWriter(node.destination.type);
    const connection = node.destination.connection ? await nodeConnection(ctx, node.destination.connection, 'destination.connection', writer.type) : undefined;
    const r = await writer.publish({
      parquetPath: input.path,
      destination: node.destination,
      mode: node.mode,
      key: node.key,
      workflowFolder: ctx.workflow.folder,
      connection,
      signal: ctx.signal,
      onProgress: (n) => ctx.log('system', `${n} rows written`),
    });
    ctx.log('system', `published ${r.rows} rows to ${r.target} (${node.mode})`);
    return { type: 'published', destination: node.destination.type, target: r.target, rows: r.rows, connection: node.destination.connection, mode: node.mode };
  } catch (e) {
    if (e instanceof PublishError) throw new NodeFailure(e.message, undefined, e.fix);
    throw e;
  }
}

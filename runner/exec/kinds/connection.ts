// A node's named connection, resolved where the node kind needs it. A name that no saved
// connection has is the user's mistake: one sentence naming the node's field, not the
// store's error with a stack.
import { ConnectionMissingError } from '../../connections/types.ts';
import type { ConnectionConfig } from '../../connectors/types.ts';
import { NodeFailure, type NodeContext } from './types.ts';

export async function nodeConnection(
  ctx: NodeContext,
  name: string,
  field: 'connection' | 'destination.connection',
  type?: string,
): Promise<ConnectionConfig> {
  try {
    return await ctx.resolveConnection(name);
  } catch (e) {
    if (!(e instanceof ConnectionMissingError)) throw e;
    throw new NodeFailure(
      `${field} "${name}" is not a saved connection`,
      undefined,
      `add it under Connections (or with aqueduct connections add ${name} --type ${type ? `${type} …` : '…'}), or fix ${field === 'connection' ? 'connection:' : field}`,
    );
  }
}

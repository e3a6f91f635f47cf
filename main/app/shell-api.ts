// The shell's own API client (menus, notifications): the same typed tRPC client the
// renderer uses, over a port of its own to the runner process.
import { createTRPCClient, type TRPCClient } from '@trpc/client';
import type { AqueductBridge } from '../../runner/api/ipc-protocol.ts';
import type { AppRouter } from '../../runner/api/router.ts';
import { ipcLink } from '../../renderer/client/ipc-link.ts';

export type ShellApi = TRPCClient<AppRouter>;

export function createShellApi(bridge: AqueductBridge): ShellApi {
  return createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(bridge)] });
}

// The one API client of the renderer, typed from the runner's router. In the desktop it
// rides the preload's message bridge (IPC); in a browser, queries and mutations go over
// HTTP with a Bearer token and subscriptions (run events) over a WebSocket that offers the
// token in its protocol list (a browser cannot set headers there; URLs end up in logs).
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  TRPCClientError,
  wsLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import type { AqueductBridge } from '../../runner/api/ipc-protocol.ts';
import type { ApiSocketProtocols } from '../../runner/api/types.ts';
import type { AppRouter, RouterInputs, RouterOutputs } from '../../runner/api/router.ts';
import type { SpecProblem } from '../../runner/spec/workflow.ts';
import { ipcLink } from './ipc-link.ts';

export type { AppRouter, RouterInputs, RouterOutputs, AqueductBridge };
export { TRPCClientError };

export type Transport =
  | { kind: 'ipc'; bridge: AqueductBridge }
  | {
      kind: 'web';
      /** the server's origin, e.g. http://127.0.0.1:4100 */
      baseUrl: string;
      token: string;
      /** a WebSocket class where the runtime has none (Node 20 in tests) */
      WebSocket?: typeof globalThis.WebSocket;
    };

export type Api = TRPCClient<AppRouter>;

// a tRPC client is a proxy in which every property is a route, so its closer lives here
const closers = new WeakMap<Api, () => void>();

/** Closes the client's WebSocket (browser transport); a no-op for IPC. */
export function closeApiClient(client: Api): void {
  closers.get(client)?.();
}

export function createApiClient(transport: Transport): Api {
  if (transport.kind === 'ipc') {
    return createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(transport.bridge)] });
  }
  const base = transport.baseUrl.replace(/\/+$/, '');
  const wsUrl = `${base.replace(/^http/, 'ws')}/trpc`;
  const Base = transport.WebSocket ?? globalThis.WebSocket;
  const protocols: ApiSocketProtocols = ['aqueduct', `aqueduct-token.${transport.token}`];
  const TokenSocket = class extends Base {
    constructor(url: string | URL) {
      super(url, protocols);
    }
  };
  const ws = createWSClient({ url: wsUrl, WebSocket: TokenSocket, lazy: { enabled: true, closeMs: 5_000 } });
  const links: TRPCLink<AppRouter>[] = [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink<AppRouter>({ client: ws }),
      false: httpBatchLink({ url: `${base}/trpc`, headers: () => ({ Authorization: `Bearer ${transport.token}` }) }),
    }),
  ];
  const client = createTRPCClient<AppRouter>({ links });
  closers.set(client, () => void ws.close());
  return client;
}

const TOKEN_KEY = 'aqueduct.token';

/** The desktop bridge when the preload set one, else the page's server and token. */
export function detectTransport(): Transport {
  const w = globalThis as typeof globalThis & { aqueduct?: AqueductBridge };
  if (w.aqueduct) return { kind: 'ipc', bridge: w.aqueduct };
  if (typeof location === 'undefined') throw new Error('no API transport: not in a browser and no window.aqueduct bridge');
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // keep the token out of the address bar, history and screenshots
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  return { kind: 'web', baseUrl: location.origin, token };
}

/** The problems (file, node, field) an invalid-workflow error carries, if any. */
export function problemsOf(error: unknown): SpecProblem[] {
  if (!(error instanceof TRPCClientError)) return [];
  const data = error.data as { problems?: SpecProblem[] } | undefined;
  return data?.problems ?? [];
}

let shared: Api | undefined;

/** The app's client, made on first use with the transport this page runs on. */
export const api: Api = new Proxy({} as Api, {
  get(_, key) {
    shared ??= createApiClient(detectTransport());
    return Reflect.get(shared, key);
  },
});

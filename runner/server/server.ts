// The headless server: one Node http server on the host asked for (127.0.0.1 by
// default) serving the built UI and the same tRPC API the desktop uses, over HTTP
// (/trpc) and WebSocket (/trpc upgrade, for run events), and node outputs as files for
// local clients (/api/, see output-file.ts). Every request and socket must carry the
// token (see auth.ts; API calls and files in a header, never in the URL) and a Host this
// server answers to (see host-check.ts). It is how the app runs on a team box or a VM,
// and how the UI is tested end to end in Chromium. It hosts a scheduler too (a lease
// makes only one process schedule), so schedules fire while `aqueduct serve` runs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { APP_ROOT } from '../app-root.ts';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { Engine } from '../engine.ts';
import { createApiContext, type ApiContext } from '../api/context.ts';
import { appRouter } from '../api/router.ts';
import { createFromExample } from '../api/workflows-router.ts';
import { AutoSync } from '../engines/auto-sync.ts';
import { ForeignRuns } from '../exec/foreign-runs.ts';
import { hostScheduler, type HostedScheduler } from '../schedule/host-scheduler.ts';
import type { SchedulerOptions } from '../schedule/scheduler.ts';
import { ENDPOINTS_PREFIX, EndpointsHandler } from '../endpoints/http.ts';
import { heldToken, takeProcessSecrets } from '../secrets/process-secrets.ts';
import { newToken, sameToken, staticCookie, staticKey, tokenProblem, tokensOf, WS_PROTOCOL } from './auth.ts';
import { writeDiscoveryFile } from './discovery-file.ts';
import { allowedNames, checkHost } from './host-check.ts';
import { isApiFilePath, serveApiFile } from './output-file.ts';
import { handleUpload } from './upload.ts';
import { notBuiltPage, resolveStatic, securityHeaders, sendFile, sendPage } from './static-files.ts';

export const RENDERER_DIST = path.join(APP_ROOT, 'renderer', 'dist');

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** app data folder; default AQUEDUCT_HOME or the OS's */
  home?: string;
  /** default AQUEDUCT_TOKEN or a new random one */
  token?: string;
  python?: string;
  /** the built UI; default renderer/dist */
  staticDir?: string;
  /** create and register the bundled example when no workflow is registered (default true) */
  seedExample?: boolean;
  /** always create a fresh copy of the example and open the app on it */
  openExample?: boolean;
  /** use this engine instead of opening one (it is then not closed by close()) */
  engine?: Engine;
  /** options of the scheduler this server hosts (tests pass a clock or faster renewal); false: none */
  scheduler?: Omit<SchedulerOptions, 'notifier'> | false;
  /** syncing remote engines' results folders into the history: every intervalMs (default 30 s); false: on demand only */
  autoSync?: { intervalMs?: number } | false;
  /** largest data file the browser may upload into a workflow's data/ folder (default 1 GB) */
  uploadLimitBytes?: number;
  /** the API context to serve (a host that already made one for its engine) */
  context?: ApiContext;
  /** write <home>/server.json so local clients find this server (default true) */
  discovery?: boolean;
  /** serve outputs at /api/v1/ for endpoint keys (default true; the desktop serves them on a port of their own) */
  endpoints?: boolean;
  /** follow runs of other processes live (default true); false where the host already does */
  foreignRuns?: false;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  token: string;
  engine: Engine;
  /** the scheduler hosted with the engine, unless turned off */
  scheduling?: HostedScheduler;
  /** syncs remote engines' results folders into the history */
  autoSync: AutoSync;
  /** the workflow the page should open first, if any */
  openWorkflowId?: string;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions = {}): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  takeProcessSecrets();
  const given = o.token ?? heldToken();
  const weak = given === undefined ? undefined : tokenProblem(given);
  if (weak) throw new Error(weak);
  const token = given ?? newToken();
  const cookieKey = staticKey(token);
  const names = allowedNames(host);
  const staticDir = path.resolve(o.staticDir ?? RENDERER_DIST);
  const engine = o.engine ?? (await Engine.open({ home: o.home, python: o.python }));
  const scheduling = o.scheduler === false ? undefined : hostScheduler(engine, o.scheduler ?? {});
  const autoSync = new AutoSync({ store: engine.store, paths: engine.paths, events: engine.events, intervalMs: o.autoSync ? o.autoSync.intervalMs : undefined });
  if (o.autoSync !== false) autoSync.start();
  // runs of `aqueduct run` and of a scheduler in another process, told to this UI as they go
  const foreignRuns = o.foreignRuns === false ? undefined : new ForeignRuns(engine.store, engine.events);
  foreignRuns?.start();
  const ctx = o.context ?? createApiContext(engine, { autoSync, ...(scheduling ? { schedules: scheduling.service, scheduler: scheduling.scheduler } : {}) });

  const onError = ({ error, path: p }: { error: TRPCError; path?: string }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`API ${p ?? ''} failed:`, error.cause ?? error);
  };
  const trpc = createHTTPHandler({ router: appRouter, basePath: '/trpc/', createContext: () => ctx, onError });
  const endpoints = o.endpoints === false ? undefined : new EndpointsHandler({ db: engine.store.db, duck: engine.duck, runsDir: engine.paths.runs });
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const tokens = tokensOf(req, url, port);
    const checked = checkHost(req.headers.host, names);
    const headers = securityHeaders(checked);
    if (!checked) return misdirected(res, headers);
    if (url.pathname === '/upload') {
      // the page's fetch sends the token as a header, which no other site can make a browser send
      if (!sameToken(tokens.bearer, token)) return unauthorized(res, headers);
      return void handleUpload(req, res, url, ctx, headers, o.uploadLimitBytes);
    }
    if (url.pathname === '/trpc' || url.pathname.startsWith('/trpc/')) {
      if (!sameToken(tokens.bearer, token)) return unauthorized(res, headers);
      return trpc(req, res);
    }
    // endpoint keys only: the admin token opens nothing here, and no key opens the rest
    if (endpoints && url.pathname.startsWith(ENDPOINTS_PREFIX)) return void endpoints.handle(req, res, url, headers);
    if (isApiFilePath(url.pathname)) {
      if (!sameToken(tokens.bearer, token)) return unauthorized(res, headers);
      return serveApiFile(req, res, url, engine, headers);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const viaQuery = sameToken(tokens.query, token);
    if (!viaQuery && !sameToken(tokens.cookie, cookieKey) && !sameToken(tokens.bearer, token)) return unauthorized(res, headers);
    if (viaQuery) headers['Set-Cookie'] = staticCookie(port, token);
    const found = resolveStatic(staticDir, url.pathname);
    if (!found) return notBuiltPage(res, headers);
    if (!found.file) return sendPage(res, 404, 'Not found', `<p>${escapeHtml(url.pathname)} does not exist.</p>`, headers);
    sendFile(res, found.file, headers);
  });

  // answer with the plain protocol name only, so the token offered beside it is never echoed
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });
  const wsHandler = applyWSSHandler({ wss, router: appRouter, createContext: () => ctx, onError, keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 } });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const tokens = tokensOf(req, url, port);
    if (!checkHost(req.headers.host, names)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (url.pathname !== '/trpc' || (!sameToken(tokens.protocol, token) && !sameToken(tokens.bearer, token))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    wss.close();
    autoSync.stop();
    foreignRuns?.stop();
    await scheduling?.stop();
    if (!o.engine) await engine.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new Error(`port ${o.port} on ${host} is in use: choose another with --port (0 picks a free one)`);
    if (err.code === 'EADDRNOTAVAIL') throw new Error(`${host} is not an address of this machine: choose another with --host`);
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  const openWorkflowId = seed(ctx, o);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const extra = openWorkflowId ? `&workflow=${encodeURIComponent(openWorkflowId)}` : '';
  const url = `http://${urlHost}:${port}/?token=${encodeURIComponent(token)}${extra}`;
  const removeDiscovery = o.discovery === false ? undefined : writeDiscoveryFile(engine.paths.home, host, port, token);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      removeDiscovery?.();
      wsHandler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      autoSync.stop();
      endpoints?.close();
      foreignRuns?.stop();
      await scheduling?.stop();
      if (!o.engine) await engine.close();
    })());

  return { url, host, port, token, engine, scheduling, autoSync, openWorkflowId, close };
}

/** The first start opens on the example; --open-example always makes a fresh copy. */
function seed(ctx: ApiContext, o: ServerOptions): string | undefined {
  if (o.openExample) return createFromExample(ctx, 'customer-churn').id;
  if ((o.seedExample ?? true) && ctx.engine.store.listWorkflows().length === 0) {
    return createFromExample(ctx, 'customer-churn').id;
  }
  return undefined;
}

function unauthorized(res: http.ServerResponse, headers: Record<string, string>): void {
  sendPage(
    res,
    401,
    'Aqueduct needs its access token',
    '<p>Open the address that <code>aqueduct serve</code> (or <code>npm start</code>) printed, the one ending in <code>?token=…</code>.</p>',
    { ...headers, 'WWW-Authenticate': 'Bearer' },
  );
}

function misdirected(res: http.ServerResponse, headers: Record<string, string>): void {
  sendPage(
    res,
    421,
    'Aqueduct does not answer to this address',
    '<p>Open the address that <code>aqueduct serve</code> printed (127.0.0.1, localhost, or the host it was started with).</p>',
    headers,
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

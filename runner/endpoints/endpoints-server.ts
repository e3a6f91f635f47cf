// The endpoints on a port of their own, for the desktop app (where the UI talks over IPC
// and no server runs): started when Settings turns endpoints on, stopped when turned off,
// moved when the port changes. `aqueduct serve` serves them beside the UI instead. Like
// that server it answers only Host names of this machine (host-check.ts: no DNS rebinding).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine.ts';
import { allowedNames, checkHost } from '../server/host-check.ts';
import { ENDPOINTS_PREFIX, EndpointsHandler } from './http.ts';

export const ENDPOINTS_ENABLED_SETTING = 'endpoints.enabled';
export const ENDPOINTS_PORT_SETTING = 'endpoints.port';
export const ENDPOINTS_HOST_SETTING = 'endpoints.host';
export const DEFAULT_ENDPOINTS_PORT = 4180;

export interface EndpointsStatus {
  enabled: boolean;
  host: string;
  port: number;
  /** where the endpoints answer now, when they do */
  url?: string;
  /** why they do not, when enabled but not running */
  error?: string;
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

export function startEndpointsServer(handler: EndpointsHandler, host: string, port: number): Promise<http.Server> {
  const names = allowedNames(host);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!checkHost(req.headers.host, names)) {
      const error = 'this server does not answer to that host name: use 127.0.0.1, localhost or the host it was started with';
      res.writeHead(421, JSON_TYPE).end(JSON.stringify({ error }));
      return;
    }
    if (!url.pathname.startsWith(ENDPOINTS_PREFIX)) {
      res.writeHead(404, JSON_TYPE).end(JSON.stringify({ error: `no such endpoint: ${url.pathname}; outputs are at /api/v1/outputs/<workflow>/<output>` }));
      return;
    }
    void handler.handle(req, res, url, { 'X-Content-Type-Options': 'nosniff' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Keeps the endpoints server in line with the settings. */
export class EndpointsHost {
  private server: http.Server | undefined;
  private state: EndpointsStatus = { enabled: false, host: '127.0.0.1', port: DEFAULT_ENDPOINTS_PORT };
  private readonly handler: EndpointsHandler;

  constructor(private readonly engine: Engine) {
    this.handler = new EndpointsHandler({ db: engine.store.db, duck: engine.duck, runsDir: engine.paths.runs });
  }

  status(): EndpointsStatus {
    return this.state;
  }

  async reconcile(): Promise<EndpointsStatus> {
    const s = this.engine.store;
    const enabled = s.getSetting(ENDPOINTS_ENABLED_SETTING) === 'true';
    const host = s.getSetting(ENDPOINTS_HOST_SETTING) ?? '127.0.0.1';
    const port = Number(s.getSetting(ENDPOINTS_PORT_SETTING) ?? DEFAULT_ENDPOINTS_PORT);
    const running = this.server?.address() as AddressInfo | null | undefined;
    if (enabled && running && this.state.host === host && this.state.port === port) return this.state;
    await this.stop();
    this.state = { enabled, host, port };
    if (!enabled) return this.state;
    try {
      this.server = await startEndpointsServer(this.handler, host, port);
      const bound = (this.server.address() as AddressInfo).port;
      this.state = { enabled, host, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/api/v1/` };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.state = { enabled, host, port, error: code === 'EADDRINUSE' ? `port ${port} is in use: choose another port` : `could not listen on ${host}:${port} (${code ?? (e as Error).message})` };
    }
    return this.state;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.handler.close();
  }
}

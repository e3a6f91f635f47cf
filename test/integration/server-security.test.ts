// The headless server's defences, probed from outside as an attacker on the same machine
// (or a web page doing DNS rebinding) would: the cookie never carries the token, the token
// only rides in a header or the WebSocket's protocol list (never a URL after the page
// load), only loopback names and the bound host are answered, errors carry no stacks,
// weak tokens are refused, and listening beyond loopback warns that the token is in clear.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { tempHome } from '../helpers/home.ts';
import { writeStaticSite } from '../helpers/static-site.ts';

const TOKEN = 'security-token-Zq8vN3kT7wX1bY5mR2pL';
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, home: tempHome('server-security'), token: TOKEN, staticDir: writeStaticSite('server-security-static'), seedExample: false, scheduler: false, autoSync: false });
});

afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request, so the Host header is exactly what we say. */
function request(pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket on /trpc; resolves with 'open' or the HTTP status it was refused with. */
function socket(query: string, o: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/trpc${query}`, o.protocols ?? [], { headers: o.headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('error', () => resolve(0));
  });
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const tokenProtocols = (t: string) => ['aqueduct', `aqueduct-token.${t}`];

describe('the cookie (item 7)', () => {
  it('is not the token and unlocks only the static files', async () => {
    const page = await request(`/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    const setCookie = String(page.headers['set-cookie']);
    const pair = setCookie.split(';')[0]!;
    const value = pair.slice(pair.indexOf('=') + 1);
    expect(value.length).toBeGreaterThan(20);
    expect(value).not.toBe(TOKEN);
    expect(setCookie).not.toContain(TOKEN);
    expect((await request('/assets/app.js', { Cookie: pair })).status).toBe(200);
    // the cookie's value is worth nothing on the API, in any of the token's places
    expect((await request('/trpc/workflows.list', { Cookie: pair })).status).toBe(401);
    expect((await request('/trpc/workflows.list', bearer(value))).status).toBe(401);
    expect(await socket('', { headers: { Cookie: pair } })).toBe(401);
    expect(await socket('', { protocols: tokenProtocols(value) })).toBe(401);
  });
});

describe('the token (item 11)', () => {
  it('opens the API only in the Authorization header, and the WebSocket only in its protocol list', async () => {
    expect((await request('/trpc/workflows.list', bearer(TOKEN))).status).toBe(200);
    expect((await request(`/trpc/workflows.list?token=${TOKEN}`)).status).toBe(401);
    expect(await socket(`?token=${TOKEN}`)).toBe(401);
    expect(await socket('', { protocols: tokenProtocols('wrong-token-abcdefghijklmnop') })).toBe(401);
    expect(await socket('', { protocols: tokenProtocols(TOKEN) })).toBe('open');
  });

  it('refuses a token shorter than 128 bits', async () => {
    for (const weak of ['1', 'password', 'abcdefabcdefabcdefabcdef', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      await expect(startServer({ port: 0, home: tempHome('weak-token'), token: weak, seedExample: false, scheduler: false, autoSync: false }), weak)
        .rejects.toThrow(/AQUEDUCT_TOKEN.*128 bits/);
    }
  });
});

describe('the Host header (item 11)', () => {
  it('answers loopback names and the bound host, and refuses any other (DNS rebinding)', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      expect((await request('/trpc/workflows.list', { ...bearer(TOKEN), Host: host })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1.nip.io:${server.port}`]) {
      const r = await request('/trpc/workflows.list', { ...bearer(TOKEN), Host: host });
      expect(r.status, host).toBe(421);
      expect(r.body).not.toContain('Customer churn');
      expect((await request(`/?token=${TOKEN}`, { Host: host })).status, host).toBe(421);
      // the output downloads of local clients (the Python client) too
      expect((await request('/api/runs/x/outputs/y.parquet', { ...bearer(TOKEN), Host: host })).status, host).toBe(421);
      expect(await socket('', { protocols: tokenProtocols(TOKEN), headers: { Host: host } }), host).toBe(421);
    }
  });

  it('never pastes the Host header into the Content-Security-Policy', async () => {
    const page = await request(`/?token=${TOKEN}`, { Host: `localhost:${server.port}` });
    expect(page.headers['content-security-policy']).toContain(`ws://localhost:${server.port}`);
    const injected = await request(`/?token=${TOKEN}`, { Host: `localhost:${server.port} 'unsafe-inline'; script-src *` });
    expect(injected.status).toBe(421);
    expect(String(injected.headers['content-security-policy'] ?? '')).not.toContain('script-src *');
    expect(String(injected.headers['content-security-policy'] ?? '')).not.toContain('unsafe-inline\'; script');
  });
});

describe('errors (item 11)', () => {
  it('carry no stack trace and no path of the app', async () => {
    const input = encodeURIComponent(JSON.stringify({ runId: 5 }));
    const r = await request(`/trpc/runs.get?input=${input}`, bearer(TOKEN));
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body) as { error: { data: Record<string, unknown> } };
    expect(body.error.data.stack).toBeUndefined();
    expect(r.body).not.toContain(path.resolve('node_modules'));
    expect(r.body).not.toContain(' at ');
  });
});

describe('aqueduct serve (item 11)', () => {
  const serve = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/aqueduct.mjs'), '--home', tempHome('serve-sec'), 'serve', '--port', '0', ...args], {
        env: { ...process.env, NO_COLOR: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const take = (d: Buffer) => {
        out += d;
        // a warning comes before the address line, so the address is the end of what we need
        if (/Aqueduct is running at/.test(out)) child.kill('SIGTERM');
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('exit', (code) => resolve({ code, out }));
    });

  it('refuses a weak AQUEDUCT_TOKEN in one sentence', async () => {
    const r = await serve([], { AQUEDUCT_TOKEN: '1' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/AQUEDUCT_TOKEN.*128 bits/);
    expect(r.out).not.toMatch(/\n\s+at /);
  });

  it('warns that the token travels in clear when listening beyond loopback', async () => {
    const r = await serve(['--host', '0.0.0.0'], { AQUEDUCT_TOKEN: TOKEN });
    expect(r.out).toMatch(/Aqueduct is running at/);
    expect(r.out).toMatch(/in clear/);
    expect(r.out).toMatch(/SSH tunnel/);
  });
});

// The headless server for real: a real engine on a temp home, the bundled example, the
// real tRPC client over HTTP and WebSocket. The token guards every door; the server
// listens only where it was told to.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunEvent } from '../../runner/api/types.ts';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { closeApiClient, createApiClient, problemsOf, type Api } from '../../renderer/client/index.ts';
import { tempHome } from '../helpers/home.ts';

const TOKEN = 'test-token-abcdefghijklmnopqrstuvwx';
let server: RunningServer;
let api: Api;
let base: string;

beforeAll(async () => {
  const staticDir = tempHome('server-static');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ host: '127.0.0.1', port: 0, home: tempHome('server'), token: TOKEN, staticDir });
  base = `http://127.0.0.1:${server.port}`;
  api = createApiClient({ kind: 'web', baseUrl: base, token: TOKEN, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
});

afterAll(async () => {
  if (api) closeApiClient(api);
  await server?.close();
});

describe('the token', () => {
  it('is required on every HTTP request', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${base}/trpc/workflows.list`)).status).toBe(401);
    expect((await fetch(`${base}/trpc/workflows.list`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);

    const page = await fetch(`${base}/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="root"');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    // assets and app routes come through with the cookie the page received
    const asCookie = { headers: { Cookie: cookie.split(';')[0]! } };
    expect((await fetch(`${base}/assets/app.js`, asCookie)).status).toBe(200);
    expect((await fetch(`${base}/workflows/abc`, asCookie)).status).toBe(200);
    // ...but the API wants the token itself, not the cookie
    expect((await fetch(`${base}/trpc/workflows.list`, asCookie)).status).toBe(401);

    const list = await fetch(`${base}/trpc/workflows.list`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(list.status).toBe(200);
  });

  it('is required to open a WebSocket', async () => {
    const refused = (url: string) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => reject(new Error(`${url} was accepted`)));
        ws.on('error', () => {});
      });
    const wsBase = base.replace('http', 'ws');
    expect(await refused(`${wsBase}/trpc`)).toBe(401);
    expect(await refused(`${wsBase}/trpc?token=wrong`)).toBe(401);
  });
});

describe('the address', () => {
  it('binds only the host asked for', async () => {
    const other = otherLocalAddress();
    // control: that address does reach this machine
    const control = net.createServer().listen(0, other);
    await new Promise((r) => control.once('listening', r));
    const controlPort = (control.address() as net.AddressInfo).port;
    expect(await connects(other, controlPort)).toBe(true);
    control.close();

    expect(await connects('127.0.0.1', server.port)).toBe(true);
    expect(await connects(other, server.port)).toBe(false);
  });
});

describe('the API', () => {
  it('runs the example and streams its events over the WebSocket', async () => {
    const [workflow] = await api.workflows.list.query();
    expect(workflow?.name).toBe('Customer churn');

    const events: RunEvent[] = [];
    let finished!: (e: RunEvent) => void;
    const done = new Promise<RunEvent>((r) => (finished = r));
    let started!: () => void;
    const listening = new Promise<void>((r) => (started = r));
    const sub = api.events.onRun.subscribe(undefined, {
      onStarted: () => started(),
      onData: (e) => {
        events.push(e);
        if (e.type === 'run_finished') finished(e);
      },
    });
    await listening;

    const run = await api.runs.start.mutate({ workflowId: workflow!.id });
    const last = await done;
    sub.unsubscribe();
    expect(last.type === 'run_finished' && last.run.id).toBe(run.id);
    expect(events[0]).toMatchObject({ type: 'run_started' });
    expect(events.some((e) => e.type === 'node_finished' && e.node.nodeId === 'churn_model')).toBe(true);

    const detail = await api.runs.get.query({ runId: run.id });
    expect(detail.status, JSON.stringify(detail.nodes.filter((n) => n.error))).toMatch(/^succeeded/);

    const output = await api.runs.output.query({ runId: run.id, nodeId: 'predictions', limit: 5, orderBy: 'churn_probability', descending: true });
    expect(output.totalRows).toBeGreaterThan(5);
    expect(output.rows).toHaveLength(5);
    expect(output.columns.map((c) => c.name)).toContain('churn_probability');
    const p = output.rows.map((r) => Number(r.churn_probability));
    expect(p.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect([...p].sort((a, b) => b - a)).toEqual(p);

    expect((await api.runs.list.query({ workflowId: workflow!.id }))[0]?.id).toBe(run.id);
    expect((await api.metrics.history.query({ workflowId: workflow!.id })).length).toBeGreaterThan(0);
    expect((await api.runs.version.query({ hash: run.versionHash })).definition).toBeTruthy();
  });

  it('reports user mistakes as BAD_REQUEST with the problems', async () => {
    const [workflow] = await api.workflows.list.query();
    const err = await api.runs.start.mutate({ workflowId: workflow!.id, params: { min_tenure_months: 'many' } }).catch((e: unknown) => e);
    expect((err as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
    expect(problemsOf(err)[0]).toMatchObject({ field: 'parameters.min_tenure_months' });

    const missing = await api.workflows.open.mutate({ folder: path.join(os.tmpdir(), 'no-such-workflow-here') }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/does not exist/);
    const notFound = await api.runs.get.query({ runId: 'nope' }).catch((e: unknown) => e);
    expect((notFound as { data?: { code?: string } }).data?.code).toBe('NOT_FOUND');
  });

  it('saves, renames and forgets a workflow through the API', async () => {
    const created = await api.workflows.createFromExample.mutate({});
    const doc = await api.workflows.get.query({ id: created.id });
    const code = Object.fromEntries(doc.nodes.filter((n) => n.source !== undefined).map((n) => [n.id, n.source!]));
    code.predictions = `-- edited in the app\n${code.predictions}`;
    const saved = await api.workflows.save.mutate({ id: created.id, definition: doc.definition!, code });
    expect(saved.written).toContain('nodes/predictions.sql');
    expect(fs.readFileSync(path.join(created.folder, 'nodes', 'predictions.sql'), 'utf8')).toMatch(/^-- edited in the app/);

    const renamed = await api.workflows.rename.mutate({ id: created.id, name: 'Churn (copy)' });
    expect(renamed.name).toBe('Churn (copy)');
    expect(fs.readFileSync(path.join(created.folder, 'workflow.yaml'), 'utf8')).toMatch(/^name: Churn \(copy\)$/m);
    // the file is the truth: opening the folder again keeps the new name
    expect((await api.workflows.open.mutate({ folder: created.folder })).name).toBe('Churn (copy)');

    await api.workflows.delete.mutate({ id: created.id });
    expect((await api.workflows.list.query()).some((w) => w.id === created.id)).toBe(false);
    expect(fs.existsSync(path.join(created.folder, 'workflow.yaml'))).toBe(true);
  });

  it('shows a broken workflow with what could be parsed', async () => {
    const created = await api.workflows.createFromExample.mutate({ example: 'customer-churn' });
    fs.rmSync(path.join(created.folder, 'nodes', 'features.sql'));
    const doc = await api.workflows.get.query({ id: created.id });
    expect(doc.definition?.name).toBe('Customer churn');
    expect(doc.problems.some((p) => p.nodeId === 'features')).toBe(true);
    expect(doc.nodes.find((n) => n.id === 'predictions')?.source).toMatch(/select/i);
    await api.workflows.delete.mutate({ id: created.id });
    expect(fs.existsSync(created.folder)).toBe(true);
  });
});

function otherLocalAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.2';
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 3_000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

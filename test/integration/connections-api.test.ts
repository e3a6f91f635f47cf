// Connections and lineage through the real tRPC client over the real server, against a
// real PostgreSQL: a connection saved in the app tests ok, a wrong password is answered
// as `auth` with a fix, a workflow publishing through it runs and lineage lists the
// table, the connection cannot be deleted while used, deleting the workflow with its
// outputs really drops the table, and not one response body ever carries the password.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { closeApiClient, createApiClient, TRPCClientError, type Api } from '../../renderer/client/index.ts';
import { startPostgres, type TestServer } from '../helpers/db-servers.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

const TOKEN = 'connections-api-token-abcdefghijklmn';
const SECRET = 'Api-Secret-7d41b2e9';
let pg: TestServer;
let server: RunningServer;
let api: Api;
let workflowId: string;
/** every response body the server sent, to search for the password at the end */
const bodies: string[] = [];

const realFetch = globalThis.fetch;
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await realFetch(input, init);
  bodies.push(await res.clone().text());
  return res;
};

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCClientError);
  const err = e as TRPCClientError<never>;
  const data = err.data as unknown as Record<string, unknown>;
  return { code: String(data['code']), message: err.message, data };
}

beforeAll(async () => {
  pg = await startPostgres();
  await pg.query(`CREATE ROLE analyst LOGIN PASSWORD '${SECRET}'`);
  await pg.query('GRANT CONNECT ON DATABASE aqueduct_test TO analyst');
  await pg.query('GRANT USAGE, CREATE ON SCHEMA public TO analyst');
  await pg.query('CREATE TABLE public.customers (id int, name text)');
  await pg.query("INSERT INTO public.customers VALUES (1, 'Ada'), (2, 'Grace')");
  await pg.query('GRANT SELECT ON public.customers TO analyst');
  const home = tempHome('connections-api');
  const staticDir = tempHome('connections-api-static');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  server = await startServer({ port: 0, home, token: TOKEN, staticDir, python: testPython(), seedExample: false, scheduler: false });
  api = createApiClient({ kind: 'web', baseUrl: `http://127.0.0.1:${server.port}`, token: TOKEN, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  // the client's own HTTP link reads bodies through fetch: record them all
  globalThis.fetch = recordingFetch;
}, 180_000);

afterAll(async () => {
  globalThis.fetch = realFetch;
  if (api) closeApiClient(api);
  await server?.close();
  await pg?.stop();
});

const settings = () => ({ host: '127.0.0.1', port: Number(pg.config.port), database: 'aqueduct_test', user: 'analyst', password: SECRET });

describe('connections API', () => {
  it('creates a connection (secret write-only) and tests it ok', async () => {
    const created = await api.connections.create.mutate({ name: 'warehouse', type: 'postgres', settings: settings() });
    expect(created).toMatchObject({ name: 'warehouse', type: 'postgres', secrets: { hasPassword: true, hasConnectionString: false } });
    expect(JSON.stringify(created)).not.toContain(SECRET);
    const test = await api.connections.test.mutate({ name: 'warehouse' });
    expect(test).toMatchObject({ ok: true, message: expect.stringContaining('connected to PostgreSQL') });
    const listed = await api.connections.list.query();
    expect(listed).toEqual([expect.objectContaining({ name: 'warehouse', lastTest: expect.objectContaining({ ok: true }) })]);
    expect((await api.connections.types.query()).map((t) => t.type)).toEqual(['postgres', 'mysql', 'mariadb', 'sqlite', 'duckdb', 'snowflake', 'bigquery', 'google_sheets', 'smtp', 'slack']);
  });

  it('answers a wrong password as auth with a fix; an empty password on edit keeps the saved one', async () => {
    const wrong = await api.connections.test.mutate({ type: 'postgres', settings: { ...settings(), password: 'not-the-password' } });
    expect(wrong).toMatchObject({ ok: false, problem: 'auth', message: 'the server refused the password for user "analyst"', fix: expect.stringContaining('password') });
    // a form being edited: empty password means "the saved one"
    expect(await api.connections.test.mutate({ name: 'warehouse', type: 'postgres', settings: { ...settings(), password: '' } })).toMatchObject({ ok: true });
    const updated = await api.connections.update.mutate({ name: 'warehouse', settings: { schema: 'public', password: '' } });
    expect(updated.secrets.hasPassword).toBe(true);
    expect(await api.connections.test.mutate({ name: 'warehouse' })).toMatchObject({ ok: true });
    const bad = await rejection(api.connections.create.mutate({ name: 'half', type: 'postgres', settings: { host: 'h' } }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('needs database, user') });
  });

  it('browses tables and previews one', async () => {
    const tables = await api.connections.tables.query({ name: 'warehouse' });
    expect(tables).toContainEqual(expect.objectContaining({ schema: 'public', name: 'customers' }));
    const preview = await api.connections.preview.query({ name: 'warehouse', table: 'public.customers', limit: 10 });
    expect(preview.columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(preview.rows).toEqual([['1', 'Ada'], ['2', 'Grace']]);
    const missing = await rejection(api.connections.preview.query({ name: 'warehouse', table: 'public.nope', limit: 10 }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(missing.message).toMatch(/nope/);
  });

  it('runs a workflow publishing through the connection; lineage lists the target', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'numbers.csv' },
        { id: 'publish_scores', kind: 'publish', inputs: ['numbers'], destination: { type: 'postgres', connection: 'warehouse', table: 'scores' }, mode: 'replace' },
      ],
    }, { 'numbers.csv': numbersCsv(12) }, 'publishes-scores');
    workflowId = (await api.workflows.open.mutate({ folder })).id;
    const run = await api.runs.start.mutate({ workflowId });
    await expect.poll(async () => (await api.runs.get.query({ runId: run.id })).status, { timeout: 120_000, interval: 300 }).toBe('succeeded');
    expect(await pg.query('SELECT count(*)::int AS n FROM public.scores')).toEqual([{ n: 12 }]);
    const lineage = await api.lineage.forWorkflow.query({ workflowId });
    expect(lineage).toEqual([expect.objectContaining({ destination: 'postgres', connection: 'warehouse', target: 'aqueduct_test/public.scores', rows: 12, mode: 'replace', runs: 1, runId: run.id })]);
    expect(await api.lineage.forRun.query({ runId: run.id })).toEqual([expect.objectContaining({ nodeId: 'publish_scores', target: 'aqueduct_test/public.scores', rows: 12 })]);
    expect(await api.lineage.countsByRun.query({ workflowId })).toEqual({ [run.id]: 1 });
  }, 150_000);

  it('refuses to delete the connection while the workflow uses it, listing the workflow', async () => {
    const refused = await rejection(api.connections.delete.mutate({ name: 'warehouse' }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toContain('connection "warehouse" is used by publishes-scores (publish_scores)');
    expect(refused.data['usages']).toEqual([expect.objectContaining({ workflowId, workflowName: 'publishes-scores', nodes: ['publish_scores'] })]);
    const detail = await api.connections.get.query({ name: 'warehouse' });
    expect(detail.usages.map((u) => u.workflowName)).toEqual(['publishes-scores']);
  });

  it('deletes the workflow and drops its published table, then the connection can go', async () => {
    const result = await api.lineage.deleteWorkflow.mutate({ id: workflowId, dropPublished: true });
    expect(result).toEqual({ deleted: true, dropped: [expect.objectContaining({ target: 'aqueduct_test/public.scores', dropped: true })] });
    expect(await pg.query("SELECT to_regclass('public.scores') AS t")).toEqual([{ t: null }]);
    expect((await api.workflows.list.query()).map((w) => w.id)).not.toContain(workflowId);
    expect(await pg.query('SELECT count(*)::int AS n FROM public.customers')).toEqual([{ n: 2 }]);
    expect(await api.connections.delete.mutate({ name: 'warehouse' })).toEqual({ deleted: 'warehouse' });
    expect(await api.connections.list.query()).toEqual([]);
  });

  it('never sent the password in any response', () => {
    expect(bodies.length).toBeGreaterThan(15);
    expect(bodies.filter((b) => b.includes(SECRET))).toEqual([]);
  });
});

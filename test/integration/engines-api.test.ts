// Remote engines through the real tRPC client over the real server: the example exported
// for `python` and run by the portable runtime, its results folder registered and synced,
// the run in runs.list with engine "python" and its metric in metrics.history; a second
// record is picked up by auto-sync alone (short injected interval); a refused export lists
// each unsupported node; engine connections keep their secrets write-only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { closeApiClient, createApiClient, TRPCClientError, type Api } from '../../renderer/client/index.ts';
import { enginePython, runBundle } from '../helpers/engines-env.ts';
import { copyWorkflow, EXAMPLE_CHURN, tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';

const TOKEN = 'engines-api-token-abcdefghijklmnop';
let server: RunningServer;
let api: Api;
let workflowId: string;
let folder: string;

async function rejection(p: Promise<unknown>) {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCClientError);
  const err = e as TRPCClientError<never>;
  return { message: err.message, data: err.data as unknown as Record<string, unknown> };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  const home = tempHome('engines-api');
  const staticDir = tempHome('engines-api-static');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  server = await startServer({ port: 0, home, token: TOKEN, staticDir, python: testPython(), seedExample: false, scheduler: false, autoSync: { intervalMs: 300 } });
  api = createApiClient({ kind: 'web', baseUrl: `http://127.0.0.1:${server.port}`, token: TOKEN, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  folder = copyWorkflow(EXAMPLE_CHURN, 'engines-api-wf');
  workflowId = (await api.workflows.open.mutate({ folder })).id;
}, 120_000);

afterAll(async () => {
  if (api) closeApiClient(api);
  await server?.close();
});

describe('engines API', () => {
  const results = path.join(tempHome('engines-api-results'), 'results');
  let bundle: string;

  it('exports the example as a python bundle and lists the files written', async () => {
    const check = await api.engines.check.query({ workflowId });
    expect(check.refusals).toEqual([]);
    bundle = path.join(tempHome('engines-api-out'), 'bundle');
    const r = await api.engines.export.mutate({ workflowId, engine: 'python', out: bundle });
    expect(r.bundleDir).toBe(bundle);
    expect(r.workflow).toBe('Customer churn');
    expect(r.written).toContain('aqueduct-bundle.json');
    expect(r.written.some((f) => f.startsWith('aqueduct_runtime'))).toBe(true);
    expect(fs.existsSync(path.join(bundle, 'aqueduct-bundle.json'))).toBe(true);
  });

  it('imports the run the bundle made, with its engine and its metric', async () => {
    const run = runBundle(enginePython('runtime'), bundle, results);
    expect(run.status, run.stderr).toBe(0);
    const added = await api.engines.resultsFolders.add.mutate({ path: results });
    expect(added.path).toBe(results);
    const synced = await api.engines.sync.mutate({ folder: results });
    // auto-sync may have got there first: either way exactly one run is in the history
    expect(synced.invalid).toEqual([]);
    const runs = await api.runs.list.query({ workflowId });
    expect(runs.map((x) => [x.engine, x.status])).toEqual([['python', 'succeeded']]);
    const list = await api.engines.resultsFolders.list.query();
    expect(list.intervalMs).toBe(300);
    expect(list.folders[0]!.lastSyncAt).toBeGreaterThan(0);
    const again = await api.engines.sync.mutate({});
    expect([again.imported, again.updated, again.unchanged]).toEqual([0, 0, 1]);
    const detail = await api.runs.get.query({ runId: runs[0]!.id });
    const metric = detail.metrics[0]!;
    expect(metric).toBeDefined();
    const history = await api.metrics.history.query({ workflowId });
    expect(JSON.stringify(history)).toContain(metric.nodeId);
  }, 300_000);

  it('picks up a second record on its own, and tells every UI', async () => {
    const seen: string[] = [];
    const sub = api.events.onRun.subscribe(undefined, {
      onData: (ev) => {
        if (ev.type === 'run_finished') seen.push(ev.run.id);
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the subscription is live
      const run = runBundle(enginePython('runtime'), bundle, results);
      expect(run.status, run.stderr).toBe(0);
      const runs = await waitFor('auto-sync to import the second run', async () => {
        const list = await api.runs.list.query({ workflowId });
        return list.length === 2 ? list : undefined;
      });
      expect(runs.every((x) => x.engine === 'python')).toBe(true);
      const newest = runs.map((x) => x.id).find((id) => seen.includes(id));
      expect(await waitFor('the run event', async () => (seen.length ? seen : undefined))).toContain(newest);
    } finally {
      sub.unsubscribe();
    }
  }, 300_000);

  it('refuses an export listing each unsupported node, writing nothing', async () => {
    const bad = makeWorkflow({
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'remote_rows', kind: 'source', connection: 'crm', query: 'select 1' },
        { id: 'to_excel', kind: 'publish', inputs: ['numbers'], destination: { type: 'excel', path: 'out/n.xlsx' } },
      ],
    }, { 'data/numbers.csv': numbersCsv(3) }, 'engines-api-refused');
    const id = (await api.workflows.open.mutate({ folder: bad })).id;
    const out = path.join(tempHome('engines-api-refused-out'), 'bundle');
    const e = await rejection(api.engines.export.mutate({ workflowId: id, engine: 'airflow', out }));
    expect(e.data['code']).toBe('BAD_REQUEST');
    const refusals = e.data['refusals'] as { nodeId: string; why: string }[];
    expect(refusals.map((r) => r.nodeId)).toEqual(['remote_rows', 'to_excel']);
    expect(refusals[1]!.why).toContain('destination type "excel" is not supported');
    expect(fs.existsSync(out)).toBe(false);
    expect((await api.engines.check.query({ workflowId: id })).refusals).toHaveLength(2);
  });

  it('keeps engine connections with write-only secrets', async () => {
    const saved = await api.engines.connections.create.mutate({ name: 'airflow-prod', type: 'airflow', settings: { url: 'http://127.0.0.1:1', username: 'ada', password: 'Sup3r-Secret-pw' } });
    expect(saved.secrets).toEqual({ hasPassword: true });
    expect(JSON.stringify(await api.engines.connections.list.query())).not.toContain('Sup3r-Secret-pw');
    const updated = await api.engines.connections.update.mutate({ name: 'airflow-prod', settings: { username: 'grace', password: '' } });
    expect(updated.config['username']).toBe('grace');
    expect(updated.secrets).toEqual({ hasPassword: true });
    const test = await api.engines.connections.test.mutate({ name: 'airflow-prod' });
    expect(test.ok).toBe(false);
    expect(test.message).toMatch(/cannot reach Airflow/);
    const missing = await rejection(api.engines.connections.create.mutate({ name: 'ray1', type: 'ray', settings: {} }));
    expect(missing.message).toContain('a ray connection needs address');
    await api.engines.connections.delete.mutate({ name: 'airflow-prod' });
    expect(await api.engines.connections.list.query()).toEqual([]);
  });
});

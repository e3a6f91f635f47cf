// What local clients rely on in `aqueduct serve`: <home>/server.json says where the server is
// and holds its token (mode 0600, gone after the server stops), and
// /api/runs/<run>/outputs/<node>.parquet streams a node's table only with the token, only
// for ids of the right shape, and only from the app's runs folder, whatever a run record says.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../runner/api/types.ts';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { copyWorkflow, EXAMPLE_CHURN, tempHome } from '../helpers/home.ts';
import { tableRows } from '../helpers/notebooks.ts';
import { testPython } from '../helpers/python.ts';

describe('local clients of aqueduct serve', () => {
  let server: RunningServer;
  let run: RunDetail;
  let base: string;
  beforeAll(async () => {
    server = await startServer({ home: tempHome('output-endpoint'), python: testPython(), seedExample: false, scheduler: false, autoSync: false });
    base = `http://127.0.0.1:${server.port}`;
    run = await server.engine.run(copyWorkflow(EXAMPLE_CHURN, 'output-endpoint'));
    expect(run.status).toBe('succeeded');
  });
  afterAll(async () => server?.close());

  const get = (p: string, token: string | null = server.token) =>
    fetch(`${base}${p}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it('finds the server in server.json, readable by this user only', () => {
    const file = path.join(server.engine.paths.home, 'server.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ url: base, token: server.token, pid: process.pid });
  });

  it("streams a node's Parquet, the same table the run wrote", async () => {
    const r = await get(`/api/runs/${run.id}/outputs/predictions.parquet`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const file = path.join(tempHome('output-download'), 'predictions.parquet');
    fs.writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    const artifact = run.nodes.find((n) => n.nodeId === 'predictions')!.artifactPath!;
    expect(await tableRows(server.engine.duck, file)).toEqual(await tableRows(server.engine.duck, artifact));
    // a unique prefix of the run id is enough, as everywhere else
    expect((await get(`/api/runs/${run.id.slice(0, 8)}/outputs/features.parquet`)).status).toBe(200);
  });

  it('refuses without the token, and says why in one sentence otherwise', async () => {
    expect((await get(`/api/runs/${run.id}/outputs/predictions.parquet`, null)).status).toBe(401);
    expect((await get(`/api/runs/${run.id}/outputs/predictions.parquet`, 'wrong')).status).toBe(401);
    // the token rides in the header only: a URL with it ends up in logs and histories
    expect((await fetch(`${base}/api/runs/${run.id}/outputs/predictions.parquet?token=${server.token}`)).status).toBe(401);
    const check = await get(`/api/runs/${run.id}/outputs/no_missing_scores.parquet`);
    expect(check.status).toBe(404);
    expect(await check.json()).toEqual({
      error: `node "no_missing_scores" of run ${run.id.slice(0, 8)} has no output: it gives no table (checks, metrics and publishes give none)`,
      fix: 'ask for a source, sql or python node of a finished run',
    });
    expect((await get(`/api/runs/${run.id}/outputs/Bad-Id.parquet`)).status).toBe(400);
    expect((await get('/api/runs/nope/outputs/predictions.parquet')).status).toBe(404);
    expect((await get(`/api/runs/${run.id}/outputs/..%2F..%2Faqueduct.db.parquet`)).status).toBe(400);
  });

  it('never reads outside the runs folder, even when a run record points there', async () => {
    const outside = path.join(server.engine.paths.home, 'secret.txt');
    fs.writeFileSync(outside, 'not for clients');
    const node = run.nodes.find((n) => n.nodeId === 'customers')!;
    server.engine.store.saveNodeRun({ ...node, artifactPath: outside });
    const r = await get(`/api/runs/${run.id}/outputs/customers.parquet`);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('not for clients');
    server.engine.store.saveNodeRun(node);
  });

  it('removes server.json when it stops', async () => {
    const home = tempHome('discovery-stop');
    const s = await startServer({ home, python: testPython(), seedExample: false, scheduler: false, autoSync: false });
    expect(fs.existsSync(path.join(home, 'server.json'))).toBe(true);
    await s.close();
    expect(fs.existsSync(path.join(home, 'server.json'))).toBe(false);
  });
});

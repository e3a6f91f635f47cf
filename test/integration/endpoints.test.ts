// Outputs as endpoints over real HTTP on `aqueduct serve`'s server: endpoint keys (never
// the admin token, and never the other way round), equality filters typed by the column,
// pages, JSON/CSV/Parquet, ETag and 304, the OpenAPI description, revocation, and which
// version is served (the newest run without an error; none once the file stops listing it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net, { type AddressInfo } from 'node:net';
import { ENDPOINTS_ENABLED_SETTING, ENDPOINTS_PORT_SETTING, EndpointsHost } from '../../runner/endpoints/endpoints-server.ts';
import { EndpointKeys } from '../../runner/endpoints/keys.ts';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { tempHome } from '../helpers/home.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow } from '../helpers/workflows.ts';
import { scoresCsv } from './report-fixtures.ts';

const TOKEN = 'admin-token-abcdefghijklmnopqrstuvwxyz';
let server: RunningServer;
let base: string;
let folder: string;
let workflowId: string;
let keys: EndpointKeys;
let key: string;

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${base}${p}`, { headers });
const withKey = (p: string, extra: Record<string, string> = {}, k = key) => get(p, { Authorization: `Bearer ${k}`, ...extra });
const URL_OF = '/api/v1/outputs/customer-scores/scored';

beforeAll(async () => {
  const staticDir = tempHome('endpoints-static');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
  server = await startServer({ home: tempHome('endpoints'), token: TOKEN, staticDir, scheduler: false, autoSync: false, seedExample: false, discovery: false, python: testPython() });
  base = `http://127.0.0.1:${server.port}`;
  folder = makeWorkflow(
    {
      name: 'Customer scores',
      endpoints: ['scored'],
      nodes: [
        { id: 'scores', kind: 'source', file: 'data/scores.csv' },
        { id: 'scored', kind: 'sql', inputs: ['scores'] },
        { id: 'hidden', kind: 'sql', inputs: ['scores'] },
      ],
    },
    {
      'data/scores.csv': scoresCsv(250),
      'nodes/scored.sql': "SELECT customer_id, band, score, DATE '2024-01-01' + CAST(customer_id AS INTEGER) AS since FROM scores\n",
      'nodes/hidden.sql': 'SELECT * FROM scores\n',
    },
    'endpoints',
  );
  const run = await server.engine.run(folder, { trigger: 'test' });
  expect(run.status, run.error).toBe('succeeded');
  workflowId = run.workflowId;
  keys = new EndpointKeys(server.engine.store.db);
  key = keys.create(workflowId, 'scored', 'tests').key;
});
afterAll(() => server?.close());

describe('output endpoints', () => {
  it('answer only an endpoint key: not without one, not the admin token, not a made-up key', async () => {
    for (const [headers, error] of [
      [{}, 'an endpoint key is required: send it as "Authorization: Bearer <key>" (make one under Endpoints, or with aqueduct endpoints keys create)'],
      [{ Authorization: `Bearer ${TOKEN}` }, "that is not an endpoint key (they start with aqk_; the app's admin token does not open endpoints)"],
      [{ 'X-API-Key': `aqk_0123456789abcdef_${'x'.repeat(43)}` }, 'this endpoint key is not valid (revoked, or mistyped)'],
    ] as const) {
      const res = await get(URL_OF, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toEqual({ error });
    }
    // ...and an endpoint key opens nothing of the admin API
    for (const p of ['/trpc/workflows.list', `/api/runs/${server.engine.store.listRuns()[0]!.id}/outputs/scored.parquet`, '/?x=1']) {
      expect((await withKey(p)).status, p).toBe(401);
    }
    // and like the rest of `aqueduct serve`, they answer no foreign Host name (DNS rebinding)
    expect((await rawGet(server.port, URL_OF, { Authorization: `Bearer ${key}`, Host: 'evil.example' })).status).toBe(421);
  });

  it('serve the newest version as JSON in pages, with the next page linked', async () => {
    const res = await withKey(URL_OF);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Record<string, unknown>[]; total: number; limit: number; next: string; columns: unknown; run: { id: string } };
    expect(body).toMatchObject({ workflow: 'customer-scores', output: 'scored', total: 250, limit: 100, offset: 0 });
    expect(body.columns).toEqual([{ name: 'customer_id', type: 'BIGINT' }, { name: 'band', type: 'VARCHAR' }, { name: 'score', type: 'DOUBLE' }, { name: 'since', type: 'DATE' }]);
    expect(body.rows).toHaveLength(100);
    expect(body.rows[0]).toEqual({ customer_id: 1, band: 'medium', score: 0.37, since: '2024-01-02' });
    expect(body.next).toBe(`${URL_OF}?offset=100`);
    expect(res.headers.get('x-aqueduct-run')).toBe(body.run.id);
    const last = (await (await withKey(`${URL_OF}?limit=30&offset=240`)).json()) as { rows: { customer_id: number }[]; next: string | null };
    expect(last.rows.map((r) => r.customer_id)).toEqual([241, 242, 243, 244, 245, 246, 247, 248, 249, 250]);
    expect(last.next).toBeNull();
  });

  it('filter by column equality, typed by the column; a bad filter is a 400 naming it', async () => {
    const one = (await (await withKey(`${URL_OF}?customer_id=42`)).json()) as { rows: unknown[]; total: number };
    expect(one).toMatchObject({ total: 1, rows: [{ customer_id: 42, band: 'low' }] });
    const two = (await (await withKey(`${URL_OF}?band=low&band=high&since=2024-01-04&columns=customer_id,band`)).json()) as { rows: unknown[] };
    expect(two.rows).toEqual([{ customer_id: 3, band: 'low' }]);
    // a value that only looks like SQL is just a value
    expect(((await (await withKey(`${URL_OF}?band=${encodeURIComponent("low' OR '1'='1")}`)).json()) as { total: number }).total).toBe(0);
    for (const [q, error] of [
      ['customer_id=abc', 'customer_id is a BIGINT column; "abc" is not a bigint value'],
      ['customer_id=99999999999999999999', 'customer_id is a BIGINT column; "99999999999999999999" is not a bigint value'],
      ['since=yesterday', 'since is a DATE column; "yesterday" is not a date value'],
      ['customer=42', '"customer" is not a column of this output; filter on one of: customer_id, band, score, since'],
      ['limit=20000', 'limit must be a whole number from 0 to 10000, not "20000"'],
      ['columns=nope', 'columns names "nope", not columns of this output (customer_id, band, score, since)'],
      ['format=xml', 'format "xml" is not served; ask for json, csv or parquet'],
    ]) {
      const res = await withKey(`${URL_OF}?${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toEqual({ error });
    }
  });

  it('serve CSV (Accept or ?format=) and Parquet that DuckDB reads back', async () => {
    const csv = await withKey(`${URL_OF}?band=low`, { Accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('customer_id,band,score,since');
    expect(lines).toHaveLength(1 + 83);
    const pq = await withKey(`${URL_OF}?format=parquet&limit=5`);
    expect(pq.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const file = path.join(tempHome('endpoint-parquet'), 'out.parquet');
    fs.writeFileSync(file, Buffer.from(await pq.arrayBuffer()));
    const duck = await DuckDBInstance.create(':memory:');
    const c = await duck.connect();
    expect((await c.runAndReadAll(`SELECT customer_id FROM read_parquet('${file}')`)).getRowsJson()).toEqual([['1'], ['2'], ['3'], ['4'], ['5']]);
    c.closeSync();
    duck.closeSync();
  });

  it('answer 304 to an unchanged ETag, and a new one after a new run', async () => {
    const first = await withKey(`${URL_OF}?customer_id=7`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await withKey(`${URL_OF}?customer_id=7`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await withKey(`${URL_OF}?customer_id=8`, { 'If-None-Match': etag })).status).toBe(200);
    await server.engine.run(folder, { trigger: 'test' });
    const after = await withKey(`${URL_OF}?customer_id=7`, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('are 404 for outputs not served, and 403 for a key of another output', async () => {
    for (const [p, error] of [
      ['/api/v1/outputs/customer-scores/hidden', 'no output "hidden" is served for workflow "customer-scores"'],
      ['/api/v1/outputs/nobody/scored', 'no output "scored" is served for workflow "nobody"'],
      ['/api/v1/nothing', 'no such endpoint: /api/v1/nothing; outputs are at /api/v1/outputs/<workflow>/<output>'],
    ]) {
      const res = await withKey(p!);
      expect(res.status, p).toBe(404);
      expect(await res.json()).toEqual({ error });
    }
    fs.writeFileSync(path.join(folder, 'workflow.yaml'), fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8').replace('- scored', '- scored\n  - hidden'));
    const other = keys.create(workflowId, 'hidden', 'other').key;
    const res = await withKey(URL_OF, {}, other);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'this key reads hidden of another endpoint, not customer-scores/scored' });
    expect((await withKey('/api/v1/outputs/customer-scores/hidden', {}, other)).status).toBe(200);
  });

  it('describe themselves in OpenAPI, for the outputs the key reads', async () => {
    const doc = (await (await withKey('/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, { get: { parameters: { name: string; schema: unknown }[] } }> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual([URL_OF]);
    const params = Object.fromEntries(doc.paths[URL_OF]!.get.parameters.map((p) => [p.name, p.schema]));
    expect(params).toMatchObject({ customer_id: { type: 'integer' }, score: { type: 'number' }, since: { type: 'string', format: 'date' }, limit: { type: 'integer', minimum: 0 } });
  });

  it('stop at once for a revoked key, and for an output the file no longer lists', async () => {
    const temp = keys.create(workflowId, undefined, 'temp');
    expect((await withKey(URL_OF, {}, temp.key)).status).toBe(200);
    keys.revoke(temp.info.id);
    expect((await withKey(URL_OF, {}, temp.key)).status).toBe(401);
    expect(keys.list(workflowId).find((k) => k.id === temp.info.id)).toMatchObject({ label: 'temp', revokedAt: expect.any(Number), lastUsedAt: expect.any(Number) });
    // a failed run does not replace what is served
    const before = (await (await withKey(URL_OF)).json()) as { run: { id: string } };
    fs.writeFileSync(path.join(folder, 'nodes/hidden.sql'), 'SELECT no_such_column FROM scores\n');
    expect((await server.engine.run(folder, { trigger: 'test' })).status).toBe('failed');
    expect(((await (await withKey(URL_OF)).json()) as { run: { id: string } }).run.id).toBe(before.run.id);
    fs.writeFileSync(path.join(folder, 'workflow.yaml'), fs.readFileSync(path.join(folder, 'workflow.yaml'), 'utf8').replace(/endpoints:[\s\S]*?nodes:/, 'nodes:'));
    expect((await withKey(URL_OF)).status).toBe(404);
  });
});

/** A GET with headers fetch may not set (Host). */
function rawGet(port: number, p: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('the desktop app', () => {
  it('serves endpoints on a port of their own only while Settings turn them on', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const host = new EndpointsHost(server.engine);
    const store = server.engine.store;
    try {
      expect(await host.reconcile()).toEqual({ enabled: false, host: '127.0.0.1', port: 4180 });
      store.setSetting(ENDPOINTS_PORT_SETTING, String(free));
      store.setSetting(ENDPOINTS_ENABLED_SETTING, 'true');
      const on = await host.reconcile();
      expect(on.url).toBe(`http://127.0.0.1:${free}/api/v1/`);
      const yaml = path.join(folder, 'workflow.yaml');
      fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/endpoints:[\s\S]*?nodes:/, 'nodes:').replace(/^nodes:/m, 'endpoints: [scored]\nnodes:'));
      const res = await fetch(`http://127.0.0.1:${free}${URL_OF}?customer_id=3`, { headers: { Authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${free}/trpc/workflows.list`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      // a name that is not this machine's (DNS rebinding) is refused before any key is looked at
      for (const name of ['evil.example', `127.0.0.1.nip.io:${free}`]) {
        const foreign = await rawGet(free, `${URL_OF}?customer_id=3`, { Authorization: `Bearer ${key}`, Host: name });
        expect(foreign.status, name).toBe(421);
        expect(JSON.parse(foreign.body), name).toEqual({ error: 'this server does not answer to that host name: use 127.0.0.1, localhost or the host it was started with' });
      }
      expect((await rawGet(free, `${URL_OF}?customer_id=3`, { Authorization: `Bearer ${key}`, Host: `localhost:${free}` })).status).toBe(200);
      // a port in use is said so, in words
      const busy = new EndpointsHost(server.engine);
      expect((await busy.reconcile()).error).toBe(`port ${free} is in use: choose another port`);
      await busy.stop();
      store.setSetting(ENDPOINTS_ENABLED_SETTING, 'false');
      expect((await host.reconcile()).url).toBeUndefined();
      await expect(fetch(`http://127.0.0.1:${free}${URL_OF}`, { headers: { Authorization: `Bearer ${key}` } })).rejects.toThrow();
    } finally {
      await host.stop();
    }
  });
});

describe('aqueduct endpoints', () => {
  it('exposes an output, makes a key shown once, lists and revokes it', async () => {
    const home = tempHome('endpoints-cli');
    const wf = makeWorkflow({ name: 'Cli scores', nodes: [{ id: 'scores', kind: 'source', file: 'data/scores.csv' }] }, { 'data/scores.csv': scoresCsv(5) }, 'endpoints-cli');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', home, 'endpoints', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(cli('expose', wf, 'scores').stdout).toBe('serving scores of Cli scores\n');
    expect(fs.readFileSync(path.join(wf, 'workflow.yaml'), 'utf8')).toContain('endpoints: [ scores ]');
    const bad = cli('expose', wf, 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('error: no node "nope" in Cli scores\nfix: serve one of scores\n');
    const made = cli('keys', 'create', 'Cli scores', 'scores', '--label', 'CRM sync');
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/^aqk_[0-9a-f]{16}_[\w-]{43}\n$/);
    expect(made.stderr).toContain('it is shown this once (only its hash is kept)');
    const listed = cli('keys', 'list', '--json');
    const [info] = JSON.parse(listed.stdout) as { id: string; label: string; output: string }[];
    expect(info).toMatchObject({ label: 'CRM sync', output: 'scores' });
    expect(listed.stdout).not.toContain(made.stdout.trim().split('_')[2]);
    expect(cli('list').stdout).toMatch(/\/api\/v1\/outputs\/cli-scores\/scores\s+Cli scores\s+not run yet/);
    expect(cli('keys', 'revoke', info!.id.slice(0, 6)).stdout).toBe(`revoked key ${info!.id} (CRM sync)\n`);
    expect(cli('keys', 'list').stdout).toMatch(/revoked/);
  });
});

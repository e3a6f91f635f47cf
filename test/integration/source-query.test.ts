// Why: query sources against real PostgreSQL and MariaDB, run by the real Engine with
// its default connection service: Postgres query with $params → SQL → publish to
// MariaDB; parameters bound, never spliced; 1M rows streamed from Postgres (count and
// checksum match, peak RSS printed); MySQL, SQLite and DuckDB sources; browsing; and the
// lineage of what a workflow published, then dropping exactly that on request.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionService } from '../../runner/connections/service.ts';
import { dropPublished, publishedTargets } from '../../runner/connectors/lineage.ts';
import { listTables, previewTable } from '../../runner/connectors/sources.ts';
import type { Engine } from '../../runner/engine.ts';
import { scratchDuck, startMariaDb, startPostgres, type TestServer } from '../helpers/db-servers.ts';
import { tempHome } from '../helpers/home.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

let pgServer: TestServer;
let myServer: TestServer;
let engine: Engine;
let service: ConnectionService;
let duck: Awaited<ReturnType<typeof scratchDuck>>;

beforeAll(async () => {
  [pgServer, myServer, engine, duck] = await Promise.all([startPostgres(), startMariaDb(), openTestEngine('source-query'), scratchDuck()]);
  service = new ConnectionService(engine.store.db, engine.paths.home);
  service.create({ name: 'pg', ...pgServer.config });
  service.create({ name: 'maria', ...myServer.config });
  await pgServer.query(`CREATE TABLE customers AS SELECT i AS id, 'customer ' || i AS name, (i % 100) / 100.0 AS score,
    DATE '2024-01-01' + i AS signup, CASE WHEN i % 3 = 0 THEN 'enterprise' ELSE 'retail' END AS segment FROM generate_series(1, 500) i`);
}, 180_000);
afterAll(async () => {
  duck?.close();
  await engine?.close();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
});

describe('query sources', () => {
  let folder: string;

  it('runs Postgres query ($params) → SQL → MariaDB through the Engine', async () => {
    folder = makeWorkflow({
      parameters: { min_score: { type: 'number', default: 0.5 }, segment: { type: 'string', default: 'enterprise' } },
      nodes: [
        { id: 'customers', kind: 'source', connection: 'pg', query: 'SELECT id, name, score, signup FROM customers WHERE score >= $min_score AND segment = $segment ORDER BY id' },
        { id: 'ranked', kind: 'sql', inputs: ['customers'] },
        { id: 'to_maria', kind: 'publish', inputs: ['ranked'], destination: { type: 'mariadb', connection: 'maria', table: 'scored' }, mode: 'replace', key: ['id'] },
        { id: 'to_csv', kind: 'publish', inputs: ['ranked'], destination: { type: 'csv', path: 'out/ranked.csv' } },
      ],
    }, { 'nodes/ranked.sql': 'SELECT id, upper(name) AS name, score * 2 AS doubled, signup FROM customers' }, 'pg-to-maria');
    const run = await engine.run(folder, { params: { min_score: 0.9 } });
    expect(run.status, JSON.stringify(run.nodes.map((n) => n.error))).toBe('succeeded');
    const want = await pgServer.query(`SELECT id, upper(name) AS name, (score * 2)::float8 AS doubled, signup::text AS signup FROM customers
      WHERE score >= 0.9 AND segment = 'enterprise' ORDER BY id`);
    expect(want.length).toBeGreaterThan(10);
    const got = await myServer.query('SELECT id, name, doubled, CAST(signup AS CHAR) AS signup FROM scored ORDER BY id');
    expect(got.map((r) => [Number(r.id), r.name, Number(r.doubled), r.signup])).toEqual(want.map((r) => [Number(r.id), r.name, r.doubled, r.signup]));
    const types = run.nodes.find((n) => n.nodeId === 'customers')!.columns!.map((c) => `${c.name} ${c.type}`);
    expect(types).toEqual(['id INTEGER', 'name VARCHAR', 'score DOUBLE', 'signup DATE']);
    // no secret in what the run recorded
    const record = JSON.stringify([engine.store.getRun(run.id), engine.store.getLogs(run.id)]);
    for (const secret of [pgServer.config.password, myServer.config.password]) expect(record).not.toContain(String(secret));
  });

  it('binds parameters as values: a quote in a parameter is data, not SQL', async () => {
    const run = await engine.run(folder, { params: { min_score: 0, segment: "retail' OR '1'='1" } });
    expect(run.status).toBe('succeeded');
    expect(run.nodes.find((n) => n.nodeId === 'customers')!.rows).toBe(0);
    const bad = makeWorkflow({ nodes: [{ id: 's', kind: 'source', connection: 'pg', query: 'SELECT $nope AS x' }] }, {}, 'bad-param');
    const failed = await engine.run(bad);
    expect(failed.nodes[0]!.error).toMatchObject({ message: expect.stringContaining('$nope is not a parameter of this workflow'), fix: expect.stringContaining('parameters:') });
  });

  it('lists what the workflow published where, and drops exactly that when asked', async () => {
    const targets = publishedTargets(engine.store.db, engine.store.findWorkflowByFolder(folder)!.id);
    expect(targets.map((t) => [t.destination, t.connection ?? null, t.target, t.runs, t.rows])).toEqual(expect.arrayContaining([
      ['mariadb', 'maria', 'aqueduct_test/scored', 2, 0],
      ['csv', null, path.join(folder, 'out/ranked.csv'), 2, 0],
    ]));
    expect(targets).toHaveLength(2);
    const id = engine.store.findWorkflowByFolder(folder)!.id;
    const resolveConnection = (n: string) => service.resolve(n);
    await expect(dropPublished(engine.store.db, id, { confirm: false, resolveConnection })).rejects.toThrow('explicit confirmation');
    await expect(dropPublished(engine.store.db, id, { confirm: true, resolveConnection, targets: ['aqueduct_test/customers'] })).rejects.toThrow('not published by this workflow');
    await myServer.query('CREATE TABLE bystander (x INT)');
    const dropped = await dropPublished(engine.store.db, id, { confirm: true, resolveConnection });
    expect(dropped.map((d) => [d.destination, d.dropped, d.error])).toEqual(expect.arrayContaining([['mariadb', true, undefined], ['csv', true, undefined]]));
    expect(await myServer.query("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'aqueduct_test' ORDER BY 1")).toEqual([{ t: 'bystander' }]);
    expect(fs.existsSync(path.join(folder, 'out/ranked.csv'))).toBe(false);
    expect((await dropPublished(engine.store.db, id, { confirm: true, resolveConnection })).every((d) => !d.dropped && !d.error)).toBe(true);
  });

  it('streams 1M rows from Postgres into the run\'s Parquet with flat memory (count + checksum)', async () => {
    await pgServer.query(`CREATE TABLE big AS SELECT i::bigint AS id, i * 0.5 AS val, 'row ' || i || ' ✓' AS txt, DATE '2000-01-01' + (i % 10000) AS day,
      TIMESTAMPTZ '2020-01-01 00:00:00+00' + i * INTERVAL '1 second' AS ts, (i % 100000)::numeric(12,2) / 7 AS amount, i % 2 = 0 AS flag,
      decode(lpad(to_hex(i % 65536), 4, '0'), 'hex') AS payload FROM generate_series(0, 999999) i`);
    await pgServer.query('ALTER TABLE big ALTER COLUMN amount TYPE numeric(12,2)');
    const wf = makeWorkflow({ parameters: { limit: { type: 'integer', default: 1_000_000 } }, nodes: [{ id: 'big', kind: 'source', connection: 'pg', query: 'SELECT * FROM big WHERE id < $limit' }] }, {}, 'pg-1m');
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = Date.now();
    const run = await engine.run(wf);
    clearInterval(sampler);
    expect(run.status, JSON.stringify(run.nodes[0]?.error)).toBe('succeeded');
    const node = run.nodes[0]!;
    console.log(`1M-row Postgres source: ${Date.now() - started} ms; RSS ${(baseline / 2 ** 20).toFixed(0)} MB → peak ${(peak / 2 ** 20).toFixed(0)} MB (+${((peak - baseline) / 2 ** 20).toFixed(0)} MB); parquet ${(node.bytes! / 2 ** 20).toFixed(1)} MB`);
    expect(node.rows).toBe(1_000_000);
    expect(node.columns!.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'VARCHAR', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'DECIMAL(12,2)', 'BOOLEAN', 'BLOB']);
    const [pgSum] = await pgServer.query(`SELECT count(*)::text AS n, sum(id)::text AS ids, sum(amount)::text AS amounts, sum(extract(epoch FROM ts)::bigint)::text AS secs,
      md5(string_agg(id || '|' || txt || '|' || day::text || '|' || amount::text || '|' || flag::text || '|' || encode(payload, 'hex'), ',' ORDER BY id)) AS md5 FROM big`);
    const [mine] = await duck.rows(`SELECT count(*)::VARCHAR, sum(id)::VARCHAR, sum(amount)::VARCHAR, sum(epoch(ts)::BIGINT)::VARCHAR,
      md5(string_agg(id || '|' || txt || '|' || strftime(day, '%Y-%m-%d') || '|' || amount::VARCHAR || '|' || flag::VARCHAR || '|' || lower(hex(payload)), ',' ORDER BY id))
      FROM read_parquet(${duck.lit(node.artifactPath!)})`);
    expect(mine).toEqual(Object.values(pgSum));
  });

  it('reads MariaDB, SQLite and DuckDB sources with parameters, and browses all four', async () => {
    await myServer.query(`CREATE TABLE readings (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(10,3), at DATETIME(6), label VARCHAR(40), raw VARBINARY(8))`);
    await myServer.query(`INSERT INTO readings SELECT seq, seq / 8, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, CONCAT('r', seq), UNHEX(LPAD(HEX(seq), 4, '0')) FROM seq_1_to_20000`);
    const dir = tempHome('file-sources');
    const sqlitePath = path.join(dir, 'local.sqlite');
    const sdb = new Database(sqlitePath);
    sdb.exec(`CREATE TABLE events (id INTEGER, kind TEXT, weight REAL, at DATE); INSERT INTO events VALUES (1, 'a', 0.5, '2024-01-01'), (2, 'b', 1.5, '2024-02-01'), (3, 'a', NULL, NULL)`);
    sdb.close();
    const duckPath = path.join(dir, 'local.duckdb');
    const inst = await DuckDBInstance.create(duckPath);
    const dc = await inst.connect();
    await dc.run("CREATE TABLE metrics AS SELECT i AS id, i * 1.5 AS v, 'k' || (i % 3) AS k FROM range(100) r(i)");
    dc.closeSync();
    inst.closeSync();
    service.create({ name: 'lite', type: 'sqlite', path: sqlitePath });
    service.create({ name: 'duckfile', type: 'duckdb', path: duckPath });
    const wf = makeWorkflow({
      parameters: { since: { type: 'integer', default: 100 }, kind: { type: 'string', default: 'a' } },
      nodes: [
        { id: 'readings', kind: 'source', connection: 'maria', query: 'SELECT * FROM readings WHERE id > $since ORDER BY id' },
        { id: 'events', kind: 'source', connection: 'lite', query: 'SELECT * FROM events WHERE kind = $kind' },
        { id: 'metrics', kind: 'source', connection: 'duckfile', query: 'SELECT k, sum(v) AS total FROM metrics WHERE id >= $since - 50 GROUP BY k ORDER BY k' },
      ],
    }, {}, 'file-sources');
    const run = await engine.run(wf);
    expect(run.status, JSON.stringify(run.nodes.map((n) => n.error))).toBe('succeeded');
    const byId = Object.fromEntries(run.nodes.map((n) => [n.nodeId, n]));
    expect(byId['readings']!.rows).toBe(19_900);
    expect(byId['readings']!.columns!.map((c) => c.type)).toEqual(['UBIGINT', 'DECIMAL(10,3)', 'TIMESTAMP', 'VARCHAR', 'BLOB']);
    expect(await duck.rows(`SELECT id::INT, amount::VARCHAR, "at"::VARCHAR, label, hex(raw) FROM read_parquet(${duck.lit(byId['readings']!.artifactPath!)}) WHERE id = 300`))
      .toEqual([[300, '37.500', '2024-01-01 00:05:00', 'r300', '012C']]);
    expect(byId['events']!.columns!.map((c) => `${c.name} ${c.type}`)).toEqual(['id BIGINT', 'kind VARCHAR', 'weight DOUBLE', 'at DATE']);
    expect(byId['events']!.rows).toBe(2);
    expect(await duck.rows(`SELECT * FROM read_parquet(${duck.lit(byId['metrics']!.artifactPath!)})`)).toEqual([['k0', 1912.5], ['k1', 1788], ['k2', 1887]]);

    expect(await listTables(await service.resolve('pg'))).toEqual(expect.arrayContaining([{ schema: 'public', name: 'customers', type: 'table' }]));
    expect((await listTables(await service.resolve('maria'))).map((t) => t.name)).toContain('readings');
    expect(await listTables(await service.resolve('lite'))).toEqual([{ name: 'events', type: 'table' }]);
    expect(await listTables(await service.resolve('duckfile'))).toEqual([{ schema: 'main', name: 'metrics', type: 'table' }]);
    expect(await previewTable(await service.resolve('pg'), 'customers', 2)).toEqual({
      columns: [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }, { name: 'score', type: 'DOUBLE' }, { name: 'signup', type: 'DATE' }, { name: 'segment', type: 'VARCHAR' }],
      rows: [['1', 'customer 1', '0.01000000000000000000', '2024-01-02', 'retail'], ['2', 'customer 2', '0.02000000000000000000', '2024-01-03', 'retail']],
    });
    expect((await previewTable(await service.resolve('maria'), 'readings', 1)).rows).toEqual([['1', '0.125', '2024-01-01 00:00:01.000000', 'r1', '0001']]);
    expect((await previewTable(await service.resolve('lite'), 'events', 5)).rows).toEqual([['1', 'a', '0.5', '2024-01-01'], ['2', 'b', '1.5', '2024-02-01'], ['3', 'a', null, null]]);
    expect((await previewTable(await service.resolve('duckfile'), 'metrics', 1)).rows).toEqual([['0', '0.0', 'k0']]);
  });
});

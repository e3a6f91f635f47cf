// Why: the Postgres destination against a real throwaway server: every mode, types read
// back by Postgres, injection-proof names, and atomicity under a constraint error midway,
// a 1M-row replace, a connection terminated while the COPY runs, and staging: a staged
// publish is invisible until committed, and a run whose other publish fails leaves the
// table as it was.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import { PublishError, type PublishRequest } from '../../runner/connectors/types.ts';
import { SAMPLE_SQL, scratchDuck, startPostgres, type TestServer } from '../helpers/db-servers.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

let dir: string;
let server: TestServer;
let duck: Awaited<ReturnType<typeof scratchDuck>>;
const pq: Record<string, string> = {};
const EVIL = 'x"; drop table t; --';
const writer = getDestinationWriter('postgres');

function req(table: string, mode: PublishRequest['mode'], parquet: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return { parquetPath: pq[parquet]!, destination: { type: 'postgres', table, connection: 'test' }, mode, workflowFolder: dir, connection: server.config, ...extra };
}
const snapshot = (table: string) => server.query(`SELECT * FROM ${table} ORDER BY 1`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aq-pub-pg-'));
  [server, duck] = await Promise.all([startPostgres(), scratchDuck()]);
  await server.query("SET TIME ZONE 'UTC'");
  pq['sample'] = await duck.parquet(SAMPLE_SQL, join(dir, 'sample.parquet'));
  pq['changes'] = await duck.parquet(`SELECT id, f, d, b, dt, ts, tz, 'changed' AS s, big FROM (${SAMPLE_SQL}) WHERE id = 2
    UNION ALL SELECT 4, 4.5, 4.5, true, DATE '2030-01-01', TIMESTAMP '2030-01-01', TIMESTAMPTZ '2030-01-01 00:00:00+00', 'new', 4`, join(dir, 'changes.parquet'));
  // 10k rows; the last one has no id (append into a NOT NULL column fails at the very end)
  pq['nullAtEnd'] = await duck.parquet(`SELECT CASE WHEN i = 19999 THEN NULL ELSE i END AS id, i * 0.5 AS f, 1.000::DECIMAL(10,3) AS d, true AS b, DATE '2024-01-01' AS dt, TIMESTAMP '2024-01-01' AS ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz, 'r' || i AS s, i::BIGINT AS big FROM range(10000, 20000) r(i)`, join(dir, 'null.parquet'));
  pq['dupAtEnd'] = await duck.parquet(`SELECT CASE WHEN i = 19999 THEN 1 ELSE i END AS id, i * 0.5 AS f, 1.000::DECIMAL(10,3) AS d, true AS b, DATE '2024-01-01' AS dt, TIMESTAMP '2024-01-01' AS ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz, 'r' || i AS s, i::BIGINT AS big FROM range(10000, 20000) r(i)`, join(dir, 'dup.parquet'));
  pq['evil'] = await duck.parquet(`SELECT 1 AS "${EVIL.replaceAll('"', '""')}", 'v' AS plain`, join(dir, 'evil.parquet'));
  pq['million'] = await duck.parquet(`SELECT i AS id, i * 0.5 AS val, 'row ' || i || ' ✓' AS txt, DATE '2000-01-01' + (i % 10000)::INTEGER AS day FROM range(1000000) r(i)`, join(dir, 'million.parquet'));
}, 120_000);
afterAll(async () => {
  duck?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('postgres destination', () => {
  it('replace creates the table with mapped types; values read back exactly', async () => {
    expect(await writer.publish(req('scores', 'replace', 'sample', { key: ['id'] }))).toEqual({ rows: 3, target: 'aqueduct_test/public.scores' });
    expect(await writer.publish(req('scores', 'replace', 'sample', { key: ['id'] }))).toMatchObject({ rows: 3 });
    const types = await server.query("SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_name = 'scores' ORDER BY ordinal_position");
    expect(types.map((t) => [t.column_name, t.data_type])).toEqual([
      ['id', 'bigint'], ['f', 'double precision'], ['d', 'numeric'], ['b', 'boolean'], ['dt', 'date'],
      ['ts', 'timestamp without time zone'], ['tz', 'timestamp with time zone'], ['s', 'text'], ['big', 'bigint'],
    ]);
    expect([types[2].numeric_precision, types[2].numeric_scale]).toEqual([10, 3]);
    const rows = await server.query('SELECT id::text, f::text, d::text, b::text, dt::text, ts::text, tz::text, s, big::text FROM scores ORDER BY id');
    expect(rows.map((r) => Object.values(r))).toEqual([
      ['1', '1.5', '12.345', 'true', '2024-01-02', '2024-01-02 03:04:05.123456', '2024-01-02 01:04:05.5+00', 'Zürich ✓ 東京', '9007199254740993'],
      ['2', '-0.25', '-0.001', 'false', '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00', 'say "hi", then\nleave', '-5'],
      ['3', null, null, null, null, null, null, null, null],
    ]);
    const keys = await server.query("SELECT conname FROM pg_constraint WHERE conrelid = 'scores'::regclass AND contype = 'u'");
    expect(keys).toEqual([{ conname: 'scores_key' }]);
    expect(await server.query("SELECT relname FROM pg_class WHERE relname LIKE '%aq_staging%'")).toEqual([]);
  });

  it('upsert updates and inserts on the key', async () => {
    expect((await writer.publish(req('scores', 'upsert', 'changes', { key: ['id'] }))).rows).toBe(2);
    const rows = await server.query('SELECT id::int, s, f FROM scores ORDER BY id');
    expect(rows).toEqual([{ id: 1, s: 'Zürich ✓ 東京', f: 1.5 }, { id: 2, s: 'changed', f: -0.25 }, { id: 3, s: null, f: null }, { id: 4, s: 'new', f: 4.5 }]);
  });

  it('append adds rows; a NOT NULL or unique violation in the last row leaves the table exactly as before', async () => {
    await server.query('ALTER TABLE scores ALTER COLUMN id SET NOT NULL');
    const before = await snapshot('scores');
    await expect(writer.publish(req('scores', 'append', 'nullAtEnd'))).rejects.toMatchObject({ name: 'PublishError', message: expect.stringContaining('nothing was changed') });
    await expect(writer.publish(req('scores', 'append', 'dupAtEnd'))).rejects.toMatchObject({ message: expect.stringContaining('duplicate key') });
    await expect(writer.publish(req('scores', 'upsert', 'nullAtEnd', { key: ['id'] }))).rejects.toBeInstanceOf(PublishError);
    expect(await snapshot('scores')).toEqual(before);
    expect((await writer.publish(req('plain', 'append', 'sample'))).rows).toBe(3);
    expect((await writer.publish(req('plain', 'append', 'sample'))).rows).toBe(3);
    expect(await server.query('SELECT count(*)::int AS n FROM plain')).toEqual([{ n: 6 }]);
  });

  it('upsert needs a unique key; fail_if_exists refuses; schema.table works', async () => {
    await expect(writer.publish(req('plain', 'upsert', 'changes', { key: ['id'] }))).rejects.toMatchObject({ fix: expect.stringContaining('UNIQUE') });
    await expect(writer.publish(req('plain', 'upsert', 'changes'))).rejects.toThrow('upsert needs a key');
    await expect(writer.publish(req('scores', 'fail_if_exists', 'sample'))).rejects.toMatchObject({ message: expect.stringContaining('already exists'), fix: expect.stringContaining('remove the target') });
    expect((await writer.publish(req('fresh', 'fail_if_exists', 'sample'))).rows).toBe(3);
    await expect(writer.publish(req('nope.t', 'replace', 'sample'))).rejects.toMatchObject({ message: expect.stringContaining('schema "nope" does not exist') });
    await server.query('CREATE SCHEMA sales');
    expect(await writer.publish(req('sales.scores', 'replace', 'sample'))).toEqual({ rows: 3, target: 'aqueduct_test/sales.scores' });
  });

  it('table and column names cannot inject SQL', async () => {
    await writer.publish(req('t', 'replace', 'sample'));
    expect((await writer.publish(req(EVIL, 'replace', 'evil', { key: [EVIL] }))).rows).toBe(1);
    await writer.publish(req(EVIL, 'upsert', 'evil', { key: [EVIL] }));
    expect(await server.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 3 }]);
    expect(await server.query(`SELECT * FROM "${EVIL.replaceAll('"', '""')}"`)).toEqual([{ [EVIL]: '1', plain: 'v' }]);
  });

  it('bad connections give errors with fixes', async () => {
    await expect(writer.publish(req('t', 'replace', 'sample', { connection: { ...server.config, password: 'wrong' } }))).rejects.toMatchObject({ fix: expect.stringContaining('password') });
    await expect(writer.publish(req('t', 'replace', 'sample', { connection: { ...server.config, database: 'x' } }))).rejects.toMatchObject({
      message: expect.stringContaining('database "x" does not exist'), fix: "create it or fix the connection's database",
    });
    await expect(writer.publish({ ...req('t', 'replace', 'sample'), connection: undefined })).rejects.toMatchObject({ fix: expect.stringContaining('connection') });
  });

  it('replaces with 1M rows: count and checksum match the Parquet', async () => {
    let progress = 0;
    const res = await writer.publish(req('million', 'replace', 'million', { onProgress: (n) => (progress = n) }));
    expect(res.rows).toBe(1_000_000);
    expect(progress).toBe(1_000_000);
    const pgSum = await server.query(`SELECT count(*)::text AS n, sum(id)::text AS ids, sum(val)::text AS vals,
      md5(string_agg(id || '|' || txt || '|' || day::text, ',' ORDER BY id)) AS md5 FROM million`);
    const want = await duck.rows(`SELECT count(*)::VARCHAR, sum(id)::VARCHAR, sum(val)::VARCHAR,
      md5(string_agg(id || '|' || txt || '|' || strftime(day, '%Y-%m-%d'), ',' ORDER BY id)) FROM read_parquet(${duck.lit(pq['million']!)})`);
    expect(Object.values(pgSum[0])).toEqual(want[0]);
  });

  it('a connection terminated during the COPY leaves the old table intact', async () => {
    await writer.publish(req('million', 'replace', 'sample'));
    const before = await snapshot('million');
    let killed = false;
    const publishing = writer.publish(req('million', 'replace', 'million', {
      onProgress: (n) => {
        if (!killed && n >= 100_000) {
          killed = true;
          void server.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'aqueduct-publish'");
        }
      },
    }));
    await expect(publishing).rejects.toMatchObject({ name: 'PublishError', message: expect.stringContaining('connection was lost') });
    expect(killed).toBe(true);
    expect(await snapshot('million')).toEqual(before);
    expect(await server.query("SELECT relname FROM pg_class WHERE relname LIKE '%aq_staging%'")).toEqual([]);
  });

  it('a cancelled publish (AbortSignal) changes nothing', async () => {
    const before = await snapshot('million');
    const ac = new AbortController();
    const publishing = writer.publish(req('million', 'replace', 'million', { signal: ac.signal, onProgress: (n) => n >= 50_000 && ac.abort() }));
    await expect(publishing).rejects.toThrow('cancelled');
    expect(await snapshot('million')).toEqual(before);
  });

  it('a staged replace is invisible and locks no reader out; abort changes nothing, commit makes it visible', async () => {
    await writer.publish(req('staged_t', 'replace', 'sample'));
    const before = await snapshot('staged_t');
    const staged = await writer.stage(req('staged_t', 'replace', 'changes'));
    expect(staged).toMatchObject({ rows: 2, held: true });
    // another connection reads the old rows while the publish is staged (it would block if the old table were dropped)
    expect(await snapshot('staged_t')).toEqual(before);
    expect(await staged.abort()).toBe(true);
    expect(await snapshot('staged_t')).toEqual(before);
    expect(await server.query("SELECT relname FROM pg_class WHERE relname LIKE '%aq_staging%'")).toEqual([]);
    const replace = await writer.stage(req('staged_t', 'replace', 'changes'));
    expect(await snapshot('staged_t')).toEqual(before);
    await replace.commit();
    expect((await snapshot('staged_t')).map((r) => r.s)).toEqual(['changed', 'new']);
  });
});

describe('a run publishing to Postgres and to a file that then fails', () => {
  it('leaves the Postgres table exactly as before, and says why', async () => {
    const engine = await openTestEngine('pg-all-or-nothing', { resolveConnection: async () => server.config });
    try {
      const folder = makeWorkflow(
        {
          nodes: [
            { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
            { id: 'to_pg', kind: 'publish', inputs: ['numbers'], destination: { type: 'postgres', connection: 'test', table: 'run_numbers' } },
            { id: 'to_csv', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: 'out/numbers.csv' }, mode: 'fail_if_exists' },
          ],
        },
        { 'data/numbers.csv': numbersCsv(5) },
        'pg-aon',
      );
      const first = await engine.run(folder);
      expect(first.status, first.error).toBe('succeeded');
      const before = await snapshot('run_numbers');
      writeFileSync(join(folder, 'data/numbers.csv'), numbersCsv(8));
      const run = await engine.run(folder);
      expect(run.status).toBe('failed');
      expect(run.nodes.find((n) => n.nodeId === 'to_csv')).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('already exists') } });
      expect(run.nodes.find((n) => n.nodeId === 'to_pg')).toMatchObject({ status: 'skipped', error: { message: 'not published: publish to_csv failed' } });
      expect(run.publications).toEqual([]);
      expect(await snapshot('run_numbers')).toEqual(before);
      expect(await server.query("SELECT relname FROM pg_class WHERE relname LIKE '%aq_staging%'")).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

// Why: the MySQL/MariaDB destination against a real throwaway MariaDB: every mode, types
// read back by the server, injection-proof names, and failures that change nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import { PublishError, type PublishRequest } from '../../runner/connectors/types.ts';
import { SAMPLE_SQL, scratchDuck, startMariaDb, type TestServer } from '../helpers/db-servers.ts';

let dir: string;
let server: TestServer;
let duck: Awaited<ReturnType<typeof scratchDuck>>;
const pq: Record<string, string> = {};
const EVIL = 'x"; drop table t; --';
const EVIL_TICK = 'y`; drop table t; --';
const writer = getDestinationWriter('mysql');

function req(table: string, mode: PublishRequest['mode'], parquet: string, extra: Partial<PublishRequest> = {}): PublishRequest {
  return { parquetPath: pq[parquet]!, destination: { type: 'mysql', table, connection: 'test' }, mode, workflowFolder: dir, connection: server.config, ...extra };
}
const tick = (s: string) => '`' + s.replaceAll('`', '``') + '`';
const snapshot = (table: string) => server.query(`SELECT * FROM ${tick(table)} ORDER BY 1`);
const staging = () => server.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%aq\\_staging%' OR table_name LIKE '%aq\\_old%'");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aq-pub-my-'));
  [server, duck] = await Promise.all([startMariaDb(), scratchDuck()]);
  pq['sample'] = await duck.parquet(SAMPLE_SQL, join(dir, 'sample.parquet'));
  pq['changes'] = await duck.parquet(`SELECT id, f, d, b, dt, ts, tz, 'changed' AS s, big FROM (${SAMPLE_SQL}) WHERE id = 2
    UNION ALL SELECT 4, 4.5, 4.5, true, DATE '2030-01-01', TIMESTAMP '2030-01-01', TIMESTAMPTZ '2030-01-01 00:00:00+00', 'new', 4`, join(dir, 'changes.parquet'));
  const tail = `i * 0.5 AS f, 1.000::DECIMAL(10,3) AS d, true AS b, DATE '2024-01-01' AS dt, TIMESTAMP '2024-01-01' AS ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz, 'r' || i AS s, i::BIGINT AS big FROM range(10000, 20000) r(i)`;
  pq['dupAtEnd'] = await duck.parquet(`SELECT CASE WHEN i = 19999 THEN 1 ELSE i END AS id, ${tail}`, join(dir, 'dup.parquet'));
  pq['nullAtEnd'] = await duck.parquet(`SELECT CASE WHEN i = 19999 THEN NULL ELSE i END AS id, ${tail}`, join(dir, 'null.parquet'));
  pq['dupTwice'] = await duck.parquet(`SELECT * FROM read_parquet(${duck.lit(pq['dupAtEnd'])}) UNION ALL SELECT * FROM read_parquet(${duck.lit(pq['dupAtEnd'])}) WHERE id = 1`, join(dir, 'dup2.parquet'));
  pq['evil'] = await duck.parquet(`SELECT 1 AS "${EVIL.replaceAll('"', '""')}", 'v' AS "${EVIL_TICK}"`, join(dir, 'evil.parquet'));
}, 120_000);
afterAll(async () => {
  duck?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mysql/mariadb destination', () => {
  it('replace creates the table with mapped types; values read back exactly', async () => {
    expect(await writer.publish(req('scores', 'replace', 'sample', { key: ['id'] }))).toEqual({ rows: 3, target: 'aqueduct_test/scores' });
    expect(await writer.publish(req('scores', 'replace', 'sample', { key: ['id'] }))).toMatchObject({ rows: 3 });
    const types = await server.query("SELECT column_name AS c, column_type AS t FROM information_schema.columns WHERE table_schema = 'aqueduct_test' AND table_name = 'scores' ORDER BY ordinal_position");
    expect(types.map((r) => [r.c, r.t])).toEqual([
      ['id', 'bigint(20)'], ['f', 'double'], ['d', 'decimal(10,3)'], ['b', 'tinyint(1)'], ['dt', 'date'],
      ['ts', 'datetime(6)'], ['tz', 'datetime(6)'], ['s', 'longtext'], ['big', 'bigint(20)'],
    ]);
    const rows = await server.query('SELECT CAST(id AS CHAR) id, f, CAST(d AS CHAR) d, b, CAST(dt AS CHAR) dt, CAST(ts AS CHAR) ts, CAST(tz AS CHAR) tz, s, CAST(big AS CHAR) big FROM scores ORDER BY id');
    expect(rows.map((r) => Object.values(r))).toEqual([
      ['1', 1.5, '12.345', 1, '2024-01-02', '2024-01-02 03:04:05.123456', '2024-01-02 01:04:05.500000', 'Zürich ✓ 東京', '9007199254740993'],
      ['2', -0.25, '-0.001', 0, '1999-12-31', '1999-12-31 23:59:59.000000', '1999-12-31 23:59:59.000000', 'say "hi", then\nleave', '-5'],
      ['3', null, null, null, null, null, null, null, null],
    ]);
    expect(await staging()).toEqual([]);
  });

  it('upsert updates and inserts on the key', async () => {
    expect((await writer.publish(req('scores', 'upsert', 'changes', { key: ['id'] }))).rows).toBe(2);
    expect(await server.query('SELECT CAST(id AS CHAR) id, s FROM scores ORDER BY id')).toEqual([
      { id: '1', s: 'Zürich ✓ 東京' }, { id: '2', s: 'changed' }, { id: '3', s: null }, { id: '4', s: 'new' },
    ]);
  });

  it('a unique or NOT NULL violation in the last rows leaves the table exactly as before', async () => {
    await server.query('ALTER TABLE scores MODIFY id BIGINT NOT NULL');
    const before = await snapshot('scores');
    await expect(writer.publish(req('scores', 'append', 'dupAtEnd'))).rejects.toMatchObject({ name: 'PublishError', message: expect.stringContaining('Duplicate entry') });
    await expect(writer.publish(req('scores', 'append', 'nullAtEnd'))).rejects.toMatchObject({ message: expect.stringContaining('nothing was changed') });
    await expect(writer.publish(req('scores', 'upsert', 'nullAtEnd', { key: ['id'] }))).rejects.toBeInstanceOf(PublishError);
    await expect(writer.publish(req('scores', 'replace', 'dupTwice', { key: ['id'] }))).rejects.toBeInstanceOf(PublishError);
    expect(await snapshot('scores')).toEqual(before);
    expect(await staging()).toEqual([]);
    expect((await writer.publish(req('plain', 'append', 'sample'))).rows).toBe(3);
    expect((await writer.publish(req('plain', 'append', 'sample'))).rows).toBe(3);
    expect(await server.query('SELECT count(*) AS n FROM plain')).toEqual([{ n: '6' }]); // BIGINT comes back as a string (bigNumberStrings)
  });

  it('upsert needs a unique key; fail_if_exists refuses; database.table works', async () => {
    await expect(writer.publish(req('plain', 'upsert', 'changes', { key: ['id'] }))).rejects.toMatchObject({ fix: expect.stringContaining('UNIQUE') });
    await expect(writer.publish(req('scores', 'fail_if_exists', 'sample'))).rejects.toMatchObject({ message: expect.stringContaining('already exists'), fix: expect.stringContaining('remove the target') });
    expect((await writer.publish(req('fresh', 'fail_if_exists', 'sample'))).rows).toBe(3);
    await server.query('CREATE DATABASE sales');
    expect(await writer.publish(req('sales.scores', 'replace', 'sample'))).toEqual({ rows: 3, target: 'sales/scores' });
    expect(await getDestinationWriter('mariadb').publish(req('sales.scores', 'append', 'sample'))).toMatchObject({ rows: 3 });
  });

  it('table and column names cannot inject SQL', async () => {
    await writer.publish(req('t', 'replace', 'sample'));
    for (const name of [EVIL, EVIL_TICK]) {
      expect((await writer.publish(req(name, 'replace', 'evil', { key: [EVIL] }))).rows).toBe(1);
      expect((await writer.publish(req(name, 'upsert', 'evil', { key: [EVIL] }))).rows).toBe(1);
      expect(await snapshot(name)).toEqual([{ [EVIL]: '1', [EVIL_TICK]: 'v' }]);
    }
    expect(await server.query('SELECT count(*) AS n FROM t')).toEqual([{ n: '3' }]);
  });

  it('bad connections give errors with fixes', async () => {
    await expect(writer.publish(req('t', 'replace', 'sample', { connection: { ...server.config, password: 'wrong' } }))).rejects.toMatchObject({ fix: expect.stringContaining('password') });
    await expect(writer.publish(req('t', 'replace', 'sample', { connection: { ...server.config, database: 'x' } }))).rejects.toMatchObject({
      message: expect.stringContaining('database "x" does not exist'), fix: "create it or fix the connection's database",
    });
  });

  it('staged publishes are invisible until committed; aborted ones change nothing and leave no staging table', async () => {
    await writer.publish(req('staged_t', 'replace', 'sample'));
    const before = await snapshot('staged_t');
    const replace = await writer.stage(req('staged_t', 'replace', 'changes'));
    const append = await getDestinationWriter('mysql').stage(req('plain', 'append', 'sample'));
    const plainBefore = await server.query('SELECT count(*) AS n FROM plain');
    expect(replace).toMatchObject({ rows: 2, held: true });
    expect(await snapshot('staged_t')).toEqual(before);
    expect(await replace.abort()).toBe(true);
    expect(await append.abort()).toBe(true);
    expect(await snapshot('staged_t')).toEqual(before);
    expect(await server.query('SELECT count(*) AS n FROM plain')).toEqual(plainBefore);
    expect(await staging()).toEqual([]);
    const again = await writer.stage(req('staged_t', 'replace', 'changes'));
    expect(await snapshot('staged_t')).toEqual(before);
    await again.commit();
    expect((await snapshot('staged_t')).map((r) => r.s)).toEqual(['changed', 'new']);
  });
});

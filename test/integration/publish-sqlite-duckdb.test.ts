// Why: the local database-file destinations (SQLite, DuckDB) in every mode, read back by
// the real systems; constraint failures, injection attempts and kill -9 change nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDestinationWriter } from '../../runner/connectors/registry.ts';
import { PublishError, type PublishRequest } from '../../runner/connectors/types.ts';
import { SAMPLE_SQL, scratchDuck } from '../helpers/db-servers.ts';

let dir: string;
let duck: Awaited<ReturnType<typeof scratchDuck>>;
const pq: Record<string, string> = {};
const EVIL = 'x"; drop table t; --';

function req(type: string, table: string, mode: PublishRequest['mode'], parquet: string, key?: string[]): PublishRequest {
  return { parquetPath: pq[parquet]!, destination: { type, path: `dbs/test.${type}`, table }, mode, key, workflowFolder: dir };
}
const publish = (r: PublishRequest) => getDestinationWriter(r.destination.type).publish(r);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aq-pub-db-'));
  duck = await scratchDuck();
  pq['sample'] = await duck.parquet(SAMPLE_SQL, join(dir, 'sample.parquet'));
  // upsert input: id 2 changes, id 4 is new
  pq['changes'] = await duck.parquet(`SELECT id, f, d, b, dt, ts, tz, 'changed' AS s, big FROM (${SAMPLE_SQL}) WHERE id = 2
    UNION ALL SELECT 4, 4.5, 4.5, true, DATE '2030-01-01', TIMESTAMP '2030-01-01', TIMESTAMPTZ '2030-01-01 00:00:00+00', 'new', 4`, join(dir, 'changes.parquet'));
  // 1000 new rows whose last row repeats id 1: breaks a unique key at the very end
  pq['dupAtEnd'] = await duck.parquet(`SELECT CASE WHEN i = 1999 THEN 1 ELSE i END AS id, i * 0.5 AS f, 1.000::DECIMAL(10,3) AS d, true AS b, DATE '2024-01-01' AS dt, TIMESTAMP '2024-01-01' AS ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz, 'r' || i AS s, i::BIGINT AS big FROM range(1000, 2000) r(i)`, join(dir, 'dup.parquet'));
  // the same, with id 1 twice at the end: breaks the key of a table built by replace
  pq['dupTwice'] = await duck.parquet(`SELECT * FROM read_parquet(${duck.lit(pq['dupAtEnd']!)}) UNION ALL SELECT * FROM read_parquet(${duck.lit(pq['dupAtEnd']!)}) WHERE id = 1`, join(dir, 'dup2.parquet'));
  pq['evil'] = await duck.parquet(`SELECT 1 AS "${EVIL.replaceAll('"', '""')}", 'v' AS plain`, join(dir, 'evil.parquet'));
  pq['big'] = await duck.parquet('SELECT i AS id, i * 0.5 AS f, 1.000::DECIMAL(10,3) AS d, true AS b, DATE \'2024-01-01\' AS dt, TIMESTAMP \'2024-01-01\' AS ts, TIMESTAMPTZ \'2024-01-01 00:00:00+00\' AS tz, \'row \' || i AS s, i::BIGINT AS big FROM range(2000000) r(i)', join(dir, 'big.parquet'));
});
afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- SQLite
describe('sqlite destination', () => {
  const file = () => join(dir, 'dbs/test.sqlite');
  const open = () => {
    const db = new Database(file(), { readonly: true });
    db.defaultSafeIntegers(true);
    return db;
  };
  const all = (sql: string) => {
    const db = open();
    try {
      return db.prepare(sql).raw().all();
    } finally {
      db.close();
    }
  };

  it('replace maps every type and reads back in SQLite', async () => {
    expect(await publish(req('sqlite', 'scores', 'replace', 'sample', ['id']))).toEqual({ rows: 3, target: `${file()}#main.scores` });
    expect(await publish(req('sqlite', 'scores', 'replace', 'sample', ['id']))).toMatchObject({ rows: 3 });
    const types = all("SELECT name, type FROM pragma_table_info('scores')");
    expect(types).toEqual([['id', 'INTEGER'], ['f', 'REAL'], ['d', 'NUMERIC(10,3)'], ['b', 'BOOLEAN'], ['dt', 'DATE'], ['ts', 'TIMESTAMP'], ['tz', 'TIMESTAMPTZ'], ['s', 'TEXT'], ['big', 'INTEGER']]);
    expect(all('SELECT * FROM scores ORDER BY id')).toEqual([
      [1n, 1.5, 12.345, 1n, '2024-01-02', '2024-01-02 03:04:05.123456', '2024-01-02 01:04:05.5+00:00', 'Zürich ✓ 東京', 9007199254740993n],
      [2n, -0.25, -0.001, 0n, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00:00', 'say "hi", then\nleave', -5n],
      [3n, null, null, null, null, null, null, null, null],
    ]);
    expect(all("SELECT typeof(id), typeof(f), typeof(d), typeof(b), typeof(s), datetime(tz) FROM scores WHERE id = 1")).toEqual([['integer', 'real', 'real', 'integer', 'text', '2024-01-02 01:04:05']]);
  });

  it('upsert updates and inserts on the key', async () => {
    expect((await publish(req('sqlite', 'scores', 'upsert', 'changes', ['id']))).rows).toBe(2);
    expect(all('SELECT id, s FROM scores ORDER BY id')).toEqual([[1n, 'Zürich ✓ 東京'], [2n, 'changed'], [3n, null], [4n, 'new']]);
  });

  it('append adds rows; a unique violation in the last row leaves the table exactly as before', async () => {
    const before = all('SELECT * FROM scores ORDER BY id');
    await expect(publish(req('sqlite', 'scores', 'append', 'dupAtEnd'))).rejects.toMatchObject({ name: 'PublishError', message: expect.stringContaining('UNIQUE') });
    expect(all('SELECT * FROM scores ORDER BY id')).toEqual(before);
    // and a failing replace (duplicate key) keeps the old table too
    await expect(publish(req('sqlite', 'scores', 'replace', 'dupTwice', ['id']))).rejects.toBeInstanceOf(PublishError);
    expect(all('SELECT * FROM scores ORDER BY id')).toEqual(before);
    expect(all("SELECT count(*) FROM sqlite_master WHERE name LIKE '%aq_staging%'")).toEqual([[0n]]);
    expect((await publish(req('sqlite', 'plain', 'append', 'sample'))).rows).toBe(3);
    expect((await publish(req('sqlite', 'plain', 'append', 'sample'))).rows).toBe(3);
    expect(all('SELECT count(*) FROM plain')).toEqual([[6n]]);
  });

  it('upsert without a unique key on the table is refused with a fix', async () => {
    await expect(publish(req('sqlite', 'plain', 'upsert', 'changes', ['id']))).rejects.toMatchObject({ fix: expect.stringContaining('UNIQUE') });
    await expect(publish(req('sqlite', 'plain', 'upsert', 'changes', ['nope']))).rejects.toThrow('key column(s) nope');
  });

  it('fail_if_exists refuses an existing table and creates a new one', async () => {
    await expect(publish(req('sqlite', 'scores', 'fail_if_exists', 'sample'))).rejects.toMatchObject({ fix: expect.stringMatching(/change the mode.*remove the target/) });
    expect((await publish(req('sqlite', 'fresh', 'fail_if_exists', 'sample'))).rows).toBe(3);
  });

  it('table and column names cannot inject SQL', async () => {
    await publish(req('sqlite', 't', 'replace', 'sample'));
    await publish(req('sqlite', EVIL, 'replace', 'evil'));
    expect(all('SELECT count(*) FROM t')).toEqual([[3n]]);
    const db = open();
    expect(db.prepare(`SELECT * FROM "${EVIL.replaceAll('"', '""')}"`).raw().all()).toEqual([[1n, 'v']]);
    db.close();
  });

  it('kill -9 in the middle of a replace leaves the old table', async () => {
    const before = all('SELECT * FROM scores ORDER BY id');
    await killMidway('sqlite', 'scores', pq['big']!);
    expect(all('SELECT * FROM scores ORDER BY id')).toEqual(before);
  });
});

// ---------------------------------------------------------------- DuckDB
describe('duckdb destination', () => {
  const file = () => join(dir, 'dbs/test.duckdb');
  const read = async (sql: string) => {
    const inst = await DuckDBInstance.create(file(), { access_mode: 'READ_ONLY' });
    try {
      const conn = await inst.connect();
      await conn.run("SET TimeZone = 'UTC'");
      const r = (await conn.runAndReadAll(sql)).getRowsJS();
      conn.closeSync();
      return r;
    } finally {
      inst.closeSync();
    }
  };

  it('replace keeps every DuckDB type exactly', async () => {
    expect(await publish(req('duckdb', 'scores', 'replace', 'sample', ['id']))).toEqual({ rows: 3, target: `${file()}#main.scores` });
    expect(await publish(req('duckdb', 'scores', 'replace', 'sample', ['id']))).toMatchObject({ rows: 3 });
    expect(await read("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'scores' ORDER BY ordinal_position")).toEqual([
      ['id', 'INTEGER'], ['f', 'DOUBLE'], ['d', 'DECIMAL(10,3)'], ['b', 'BOOLEAN'], ['dt', 'DATE'], ['ts', 'TIMESTAMP'], ['tz', 'TIMESTAMP WITH TIME ZONE'], ['s', 'VARCHAR'], ['big', 'BIGINT'],
    ]);
    const expected = await duck.rows(`SELECT * FROM read_parquet(${duck.lit(pq['sample']!)}) ORDER BY id`);
    expect(await read('SELECT * FROM scores ORDER BY id')).toEqual(expected);
  });

  it('upsert updates and inserts on the key', async () => {
    expect((await publish(req('duckdb', 'scores', 'upsert', 'changes', ['id']))).rows).toBe(2);
    expect(await read('SELECT id, s FROM scores ORDER BY id')).toEqual([[1, 'Zürich ✓ 東京'], [2, 'changed'], [3, null], [4, 'new']]);
  });

  it('a unique violation in the last row of an append or replace leaves the table exactly as before', async () => {
    const before = await read('SELECT * FROM scores ORDER BY id');
    await expect(publish(req('duckdb', 'scores', 'append', 'dupAtEnd'))).rejects.toBeInstanceOf(PublishError);
    expect(await read('SELECT * FROM scores ORDER BY id')).toEqual(before);
    await expect(publish(req('duckdb', 'scores', 'replace', 'dupTwice', ['id']))).rejects.toBeInstanceOf(PublishError);
    expect(await read('SELECT * FROM scores ORDER BY id')).toEqual(before);
    expect((await publish(req('duckdb', 'plain', 'append', 'sample'))).rows).toBe(3);
    expect((await publish(req('duckdb', 'plain', 'append', 'sample'))).rows).toBe(3);
    expect(await read('SELECT count(*)::INTEGER FROM plain')).toEqual([[6]]);
  });

  it('upsert without a unique key is refused; fail_if_exists refuses', async () => {
    await expect(publish(req('duckdb', 'plain', 'upsert', 'changes', ['id']))).rejects.toMatchObject({ fix: expect.stringContaining('key') });
    await expect(publish(req('duckdb', 'scores', 'fail_if_exists', 'sample'))).rejects.toThrow('already exists');
    expect((await publish(req('duckdb', 'fresh', 'fail_if_exists', 'sample'))).rows).toBe(3);
  });

  it('table and column names cannot inject SQL', async () => {
    await publish(req('duckdb', 't', 'replace', 'sample'));
    await publish(req('duckdb', EVIL, 'replace', 'evil'));
    expect(await read('SELECT count(*)::INTEGER FROM t')).toEqual([[3]]);
    expect(await read(`SELECT * FROM "${EVIL.replaceAll('"', '""')}"`)).toEqual([[1, 'v']]);
  });

  it('kill -9 in the middle of a replace leaves the old table', async () => {
    const before = await read('SELECT * FROM scores ORDER BY id');
    await killMidway('duckdb', 'scores', pq['big']!, 300); // one INSERT: kill on a timer
    expect(await read('SELECT * FROM scores ORDER BY id')).toEqual(before);
  });

  it('a missing parquet input names the problem and leaves no new file behind', async () => {
    const r = { ...req('duckdb', 'x', 'replace', 'sample'), destination: { type: 'duckdb', path: 'dbs/none.duckdb', table: 'x' }, parquetPath: join(dir, 'missing.parquet') };
    await expect(publish(r)).rejects.toBeInstanceOf(PublishError);
    expect(existsSync(join(dir, 'dbs/none.duckdb'))).toBe(false);
  });
});

/** Publish in a child process and SIGKILL it once rows are being written (or `afterMs` after it starts). */
async function killMidway(type: string, table: string, parquetPath: string, afterMs?: number): Promise<void> {
  const script = join(dir, `kill-${type}.mts`);
  const registry = resolve('runner/connectors/registry.ts');
  writeFileSync(script, `
import { getDestinationWriter } from ${JSON.stringify(registry)};
process.stdout.write('started\\n');
await getDestinationWriter(${JSON.stringify(type)}).publish({
  parquetPath: ${JSON.stringify(parquetPath)}, destination: { type: ${JSON.stringify(type)}, path: 'dbs/test.${type}', table: ${JSON.stringify(table)} },
  mode: 'replace', workflowFolder: ${JSON.stringify(dir)},
  onProgress: (n) => { if (n > 0) process.stdout.write('progress\\n'); },
});
process.stdout.write('done\\n');
`);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const outcome = await new Promise<string>((resolveOutcome) => {
    let finished = false;
    child.stdout.on('data', (b: Buffer) => {
      const text = b.toString();
      if (text.includes('done')) finished = true;
      if (text.includes('started') && afterMs !== undefined) {
        setTimeout(() => {
          child.kill('SIGKILL');
          resolveOutcome(finished ? 'finished' : 'killed');
        }, afterMs);
      }
      if (afterMs === undefined && (text.includes('progress') || finished)) {
        child.kill('SIGKILL');
        resolveOutcome(finished ? 'finished' : 'killed');
      }
    });
    child.on('exit', () => resolveOutcome('exited'));
  });
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
  expect(outcome, stderr).toBe('killed');
}

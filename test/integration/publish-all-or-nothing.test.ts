// Why: a run publishes all or nothing where the destinations allow it. Every publish is
// staged first (temp file, open transaction) and they are committed together at the end,
// so one publish failing while staging leaves every other destination exactly as before,
// and the run says why.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../runner/spec/load.ts';
import type { RunDetail } from '../../runner/api/types.ts';
import type { Engine } from '../../runner/engine.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const node = (run: RunDetail, id: string) => run.nodes.find((n) => n.nodeId === id)!;

async function duckRows(file: string, sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  try {
    const conn = await inst.connect();
    const rows = (await conn.runAndReadAll(sql)).getRowsJS();
    conn.closeSync();
    return rows;
  } finally {
    inst.closeSync();
  }
}

function sqliteRows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).raw().all();
  } finally {
    db.close();
  }
}

/** Publishes of the same table to a CSV file, two tables of one SQLite file, an Excel sheet and a DuckDB file. */
function workflow(label: string, duckMode: string) {
  return makeWorkflow(
    {
      nodes: [
        { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
        { id: 'totals', kind: 'sql', inputs: ['numbers'] },
        { id: 'a_csv', kind: 'publish', inputs: ['totals'], destination: { type: 'csv', path: 'out/totals.csv' } },
        { id: 'b_sqlite', kind: 'publish', inputs: ['totals'], destination: { type: 'sqlite', path: 'out/shop.sqlite', table: 'totals' } },
        { id: 'c_sqlite', kind: 'publish', inputs: ['numbers'], destination: { type: 'sqlite', path: 'out/shop.sqlite', table: 'numbers' }, mode: 'append' },
        { id: 'd_excel', kind: 'publish', inputs: ['totals'], destination: { type: 'excel', path: 'out/book.xlsx', sheet: 'Totals' } },
        { id: 'f_excel', kind: 'publish', inputs: ['numbers'], destination: { type: 'excel', path: 'out/book.xlsx', sheet: 'Numbers' } },
        { id: 'e_duckdb', kind: 'publish', inputs: ['totals'], destination: { type: 'duckdb', path: 'out/wh.duckdb', table: 'totals' }, mode: duckMode },
      ],
    },
    { 'data/numbers.csv': numbersCsv(30), 'nodes/totals.sql': 'SELECT grp, sum(amount) AS total FROM numbers GROUP BY grp ORDER BY grp' },
    label,
  );
}

describe('a run with several publishes', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('all-or-nothing');
  });
  afterAll(() => engine.close());

  it('publishes every destination when all of them stage', async () => {
    const folder = workflow('aon-ok', 'replace');
    const run = await engine.run(folder);
    expect(run.status, run.error).toBe('succeeded');
    expect(run.publications.map((p) => p.nodeId).sort()).toEqual(['a_csv', 'b_sqlite', 'c_sqlite', 'd_excel', 'e_duckdb', 'f_excel']);
    // two publishes to one workbook: the second builds on the first's staged version
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, 'out/book.xlsx'));
    expect(wb.worksheets.map((w) => [w.name, w.rowCount]).sort()).toEqual([['Numbers', 31], ['Totals', 4]]);
    expect(readFileSync(join(folder, 'out/totals.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(sqliteRows(join(folder, 'out/shop.sqlite'), 'SELECT count(*) FROM totals')).toEqual([[3]]);
    expect(sqliteRows(join(folder, 'out/shop.sqlite'), 'SELECT count(*) FROM numbers')).toEqual([[30]]);
    expect(await duckRows(join(folder, 'out/wh.duckdb'), 'SELECT count(*)::INTEGER FROM totals')).toEqual([[3]]);
    const logs = engine.store.getLogs(run.id, 'a_csv').map((l) => l.line);
    expect(logs).toContain(`published 3 rows to ${join(folder, 'out/totals.csv')} (replace)`);
    expect(readdirSync(join(folder, 'out')).filter((f) => f.includes('.aq-') || f.endsWith('-journal'))).toEqual([]);
  });

  it('publishes nothing when one of them fails while staging: the others stay exactly as before', async () => {
    const folder = workflow('aon-fail', 'replace');
    const first = await engine.run(folder);
    expect(first.status, first.error).toBe('succeeded');
    // new data, and the DuckDB publish now refuses because its table exists
    writeFileSync(join(folder, 'data/numbers.csv'), numbersCsv(60));
    const yaml = readFileSync(join(folder, 'workflow.yaml'), 'utf8').replace('mode: replace', 'mode: fail_if_exists');
    writeFileSync(join(folder, 'workflow.yaml'), yaml);
    const csvBefore = hash(join(folder, 'out/totals.csv'));
    const xlsxBefore = hash(join(folder, 'out/book.xlsx'));
    const totalsBefore = sqliteRows(join(folder, 'out/shop.sqlite'), 'SELECT * FROM totals ORDER BY grp');
    const numbersBefore = sqliteRows(join(folder, 'out/shop.sqlite'), 'SELECT * FROM numbers ORDER BY id');
    const duckBefore = await duckRows(join(folder, 'out/wh.duckdb'), 'SELECT * FROM totals ORDER BY grp');

    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(node(run, 'e_duckdb')).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('already exists (mode fail_if_exists)') } });
    expect(run.error).toMatch(/node "e_duckdb" failed: .*already exists/);
    for (const id of ['a_csv', 'b_sqlite', 'c_sqlite', 'd_excel', 'f_excel']) {
      expect(node(run, id), id).toMatchObject({ status: 'skipped', error: { message: 'not published: publish e_duckdb failed' } });
    }
    expect(run.publications).toEqual([]);

    expect(hash(join(folder, 'out/totals.csv'))).toBe(csvBefore);
    expect(hash(join(folder, 'out/book.xlsx'))).toBe(xlsxBefore);
    expect(sqliteRows(join(folder, 'out/shop.sqlite'), 'SELECT * FROM totals ORDER BY grp')).toEqual(totalsBefore);
    expect(sqliteRows(join(folder, 'out/shop.sqlite'), 'SELECT * FROM numbers ORDER BY id')).toEqual(numbersBefore);
    expect(await duckRows(join(folder, 'out/wh.duckdb'), 'SELECT * FROM totals ORDER BY grp')).toEqual(duckBefore);
    expect(readdirSync(join(folder, 'out')).filter((f) => f.includes('.aq-') || f.endsWith('-journal'))).toEqual([]);
  });

  it('a publish that times out while staging is discarded, and so are the others: every destination stays as it was', async () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'wide', kind: 'sql' },
          { id: 'small', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: 'out/small.csv' } },
          { id: 'slow', kind: 'publish', inputs: ['wide'], timeout: 0.001, destination: { type: 'parquet', path: 'out/wide.parquet' } },
        ],
      },
      {
        'data/numbers.csv': numbersCsv(5),
        'nodes/wide.sql': "SELECT i, i * 2 AS j, 'row ' || i AS label FROM range(2000000) t(i)",
        'out/small.csv': 'old,content\n1,2\n',
      },
      'aon-timeout',
    );
    const run = await engine.run(folder);
    expect(run.status).toBe('failed');
    expect(node(run, 'slow')).toMatchObject({ status: 'failed', error: { message: 'timed out after 0.001s; the destination was left as it was' } });
    expect(node(run, 'small')).toMatchObject({ status: 'skipped', error: { message: 'not published: publish slow failed' } });
    expect(run.publications).toEqual([]);
    expect(readFileSync(join(folder, 'out/small.csv'), 'utf8')).toBe('old,content\n1,2\n');
    expect(readdirSync(join(folder, 'out'))).toEqual(['small.csv']);
  });

  it('refuses two publishes to one destination at validation: one run could not stage both', () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'numbers', kind: 'source', file: 'data/numbers.csv' },
          { id: 'first', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: 'out/n.csv' } },
          { id: 'second', kind: 'publish', inputs: ['numbers'], destination: { type: 'csv', path: './out/../out/n.csv' }, mode: 'append' },
          { id: 'pg_a', kind: 'publish', inputs: ['numbers'], destination: { type: 'postgres', connection: 'wh', table: 'n' } },
          { id: 'pg_b', kind: 'publish', inputs: ['numbers'], destination: { type: 'postgresql', connection: 'wh', table: 'n' } },
          { id: 'other_sheet', kind: 'publish', inputs: ['numbers'], destination: { type: 'excel', path: 'out/b.xlsx', sheet: 'A' } },
          { id: 'another_sheet', kind: 'publish', inputs: ['numbers'], destination: { type: 'excel', path: 'out/b.xlsx', sheet: 'B' } },
        ],
      },
      { 'data/numbers.csv': numbersCsv(3) },
      'aon-same',
    );
    const r = loadWorkflow(folder);
    expect(r.ok ? [] : r.problems).toEqual([
      expect.objectContaining({ nodeId: 'second', field: 'nodes[2].destination', message: 'publishes to the same destination as node "first"', fix: expect.stringContaining('destination of its own') }),
      expect.objectContaining({ nodeId: 'pg_b', field: 'nodes[4].destination', message: 'publishes to the same destination as node "pg_a"' }),
    ]);
  });
});

// File sources as a user hands them over: CSV, Parquet, JSON and Excel (a named sheet),
// each read into the run's Parquet and checked row by row.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import { makeWorkflow, numbersCsv, openTestEngine } from '../helpers/workflows.ts';

describe('file sources', () => {
  let engine: Engine;
  let folder: string;
  beforeAll(async () => {
    engine = await openTestEngine('sources');
    folder = makeWorkflow(
      {
        nodes: [
          { id: 'from_csv', kind: 'source', file: 'data/numbers.csv' },
          { id: 'from_parquet', kind: 'source', file: 'data/numbers.parquet' },
          { id: 'from_json', kind: 'source', file: 'data/numbers.json' },
          { id: 'from_excel', kind: 'source', file: 'data/book.xlsx', sheet: 'Numbers' },
          { id: 'all_agree', kind: 'check', inputs: ['from_csv', 'from_parquet', 'from_json', 'from_excel'] },
        ],
      },
      {
        'data/numbers.csv': numbersCsv(12),
        'nodes/all_agree.sql': `SELECT (SELECT sum(amount) FROM from_csv) = (SELECT sum(amount) FROM from_parquet)
          AND (SELECT sum(amount) FROM from_csv) = (SELECT sum(amount) FROM from_json)
          AND (SELECT sum(amount) FROM from_csv) = (SELECT sum(amount) FROM from_excel)`,
      },
      'sources',
    );
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const csv = path.join(folder, 'data/numbers.csv');
    await c.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${path.join(folder, 'data/numbers.parquet')}' (FORMAT parquet)`);
    await c.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${path.join(folder, 'data/numbers.json')}' (FORMAT json, ARRAY true)`);
    c.closeSync();
    db.closeSync();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['not this sheet']);
    const ws = wb.addWorksheet('Numbers');
    ws.addRow(['id', 'grp', 'amount']);
    for (const line of fs.readFileSync(csv, 'utf8').trim().split('\n').slice(1)) {
      const [id, grp, amount] = line.split(',');
      ws.addRow([Number(id), grp, Number(amount)]);
    }
    await wb.xlsx.writeFile(path.join(folder, 'data/book.xlsx'));
  });
  afterAll(() => engine.close());

  it('reads every format into the same table', async () => {
    const run = await engine.run(folder);
    expect(run.status, run.error).toBe('succeeded');
    for (const id of ['from_csv', 'from_parquet', 'from_json', 'from_excel']) {
      const n = run.nodes.find((x) => x.nodeId === id)!;
      expect(n.rows, id).toBe(12);
      expect(n.columns!.map((c) => c.name), id).toEqual(['id', 'grp', 'amount']);
    }
    expect(run.checks).toMatchObject([{ nodeId: 'all_agree', passed: true }]);
    const excel = await engine.readPreview(run.id, 'from_excel', { limit: 2 });
    expect(excel.rows).toEqual([
      { id: 1, grp: 'a', amount: 1.5 },
      { id: 2, grp: 'b', amount: 3 },
    ]);
  });

  it('names a missing sheet and lists the ones there are', async () => {
    const bad = makeWorkflow(
      { nodes: [{ id: 'book', kind: 'source', file: 'book.xlsx', sheet: 'Nope' }] },
      {},
      'badsheet',
    );
    fs.copyFileSync(path.join(folder, 'data/book.xlsx'), path.join(bad, 'book.xlsx'));
    const run = await engine.run(bad);
    const err = run.nodes[0]!.error!;
    expect(err.message).toContain('sheet "Nope" not found');
    expect(err.fix).toBe('use one of: Cover, Numbers');
  });

  it('says where it looked for a missing file', async () => {
    const bad = makeWorkflow({ nodes: [{ id: 'gone', kind: 'source', file: 'data/gone.csv' }] }, {}, 'missing');
    const run = await engine.run(bad);
    expect(run.nodes[0]!.error!.message).toBe(`source file data/gone.csv does not exist (looked at ${path.join(bad, 'data/gone.csv')})`);
  });
});

describe('paging a sorted output', () => {
  it('gives every row exactly once across pages, even with ties in the sort column', async () => {
    const engine = await openTestEngine('paging');
    try {
      const folder = makeWorkflow({ nodes: [{ id: 'n', kind: 'source', file: 'n.csv' }] }, { 'n.csv': numbersCsv(90) }, 'paging');
      const run = await engine.run(folder);
      const ids: unknown[] = [];
      for (let offset = 0; offset < 90; offset += 7) {
        const page = await engine.readPreview(run.id, 'n', { orderBy: 'grp', limit: 7, offset });
        ids.push(...page.rows.map((r) => r.id));
        expect(page.rows.every((r, i, rows) => i === 0 || String(rows[i - 1]!.grp) <= String(r.grp))).toBe(true);
      }
      expect(ids).toHaveLength(90);
      expect(new Set(ids).size).toBe(90);
    } finally {
      await engine.close();
    }
  });
});

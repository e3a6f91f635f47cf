// Sources read files the way pandas users expect: the same null markers as pandas'
// read_csv by default (so a numeric column with "NA" is numeric), and the options a
// source can set (null markers, delimiter, header, encoding, skipped lines, column types,
// an Excel sheet). Checked against pandas itself on the same files, and the messages of a
// bad option name the field of the form that fixes it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../runner/engine.ts';
import type { RunDetail } from '../../runner/api/types.ts';
import { testPython } from '../helpers/python.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

const HOUSES = path.resolve('test/fixtures/house-prices/train.csv');

let duck: DuckDBInstance;
async function table(parquet: string): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const c = await duck.connect();
  try {
    const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${parquet}')`);
    const types = Object.fromEntries(d.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]));
    const rows = (await c.runAndReadAll(`SELECT * FROM read_parquet('${parquet}')`)).getRowObjectsJson() as Record<string, unknown>[];
    return { types, rows };
  } finally {
    c.closeSync();
  }
}

/** pandas.read_csv on the same file: each column's dtype kind and its values (None for NaN). */
function pandasRead(file: string, kwargs = ''): { kinds: Record<string, string>; columns: Record<string, unknown[]> } {
  const script = [
    'import json, sys, pandas as pd',
    `df = pd.read_csv(sys.argv[1]${kwargs ? `, ${kwargs}` : ''})`,
    'kinds = {str(c): df[c].dtype.kind for c in df.columns}',
    'cols = {str(c): [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in df[c].tolist()] for c in df.columns}',
    'print(json.dumps({"kinds": kinds, "columns": cols}))',
  ].join('\n');
  const r = spawnSync(testPython(), ['-c', script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const kindOf = (duckType: string) => (NUMERIC.test(duckType) ? 'number' : duckType === 'VARCHAR' ? 'text' : duckType === 'BOOLEAN' ? 'bool' : duckType);
const pandasKind = (k: string) => ('iuf'.includes(k) ? 'number' : k === 'O' || k === 'T' ? 'text' : k === 'b' ? 'bool' : k);
const num = (v: unknown) => (v === null ? null : Number(v));

describe('reading files like pandas', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('source-options');
    duck = await DuckDBInstance.create(':memory:');
  });
  afterAll(async () => {
    duck?.closeSync();
    await engine?.close();
  });

  const output = async (run: RunDetail, id: string) => table(run.nodes.find((n) => n.nodeId === id)!.artifactPath!);

  it('reads house prices with "NA" as the same types and values as pandas.read_csv', async () => {
    const folder = makeWorkflow({ nodes: [{ id: 'houses', kind: 'source', file: HOUSES }] }, {}, 'pandas-houses');
    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded');
    const ours = await output(run, 'houses');
    const theirs = pandasRead(HOUSES);
    expect(Object.keys(ours.types)).toEqual(Object.keys(theirs.kinds));
    for (const [name, kind] of Object.entries(theirs.kinds)) {
      expect(kindOf(ours.types[name]!), `type of ${name}`).toBe(pandasKind(kind));
      const values = ours.rows.map((r) => r[name] ?? null);
      if (pandasKind(kind) === 'number') expect(values.map(num), `values of ${name}`).toEqual(theirs.columns[name]!.map(num));
      else expect(values, `values of ${name}`).toEqual(theirs.columns[name]);
    }
    // the columns a notebook fills in or averages are numbers with gaps, not text
    expect(ours.types.LotFrontage).toBe('BIGINT');
    expect(ours.rows.filter((r) => r.LotFrontage === null).length).toBe(theirs.columns.LotFrontage!.filter((v) => v === null).length);
  });

  it('treats every one of pandas’ default markers as missing, in numbers and in text', async () => {
    const markers = ['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null'];
    const lines = ['id,amount,label', ...markers.map((m, i) => `${i + 1},${m},${m}`), '99,12.5,kept'];
    const folder = makeWorkflow({ nodes: [{ id: 'gaps', kind: 'source', file: 'data/gaps.csv' }] }, { 'data/gaps.csv': lines.join('\n') + '\n' }, 'pandas-markers');
    const run = await engine.run(folder);
    expect(run.status).toBe('succeeded');
    const ours = await output(run, 'gaps');
    const theirs = pandasRead(path.join(folder, 'data/gaps.csv'));
    expect(kindOf(ours.types.amount!)).toBe('number');
    expect(ours.rows.map((r) => num(r.amount ?? null))).toEqual(theirs.columns.amount!.map(num));
    expect(ours.rows.map((r) => r.label ?? null)).toEqual(theirs.columns.label);
  });

  it('reads with the options a source sets, as pandas does with the same arguments', async () => {
    const csv = ['Exported from the CRM', 'generated 2026-01-02', 'zip;city;price;sold', '01234;Köln;-;2024-01-03', '10115;Berlin;350000;-', '00501;Hamm;120000;2023-12-30'].join('\n') + '\n';
    const folder = makeWorkflow(
      {
        nodes: [
          {
            id: 'listings',
            kind: 'source',
            file: 'data/listings.csv',
            delimiter: ';',
            skip_rows: 2,
            encoding: 'latin-1',
            null_values: ['-'],
            column_types: { zip: 'string', sold: 'date' },
          },
        ],
      },
      {},
      'options',
    );
    fs.mkdirSync(path.join(folder, 'data'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'data/listings.csv'), Buffer.from(csv, 'latin1'));
    const run = await engine.run(folder);
    expect(run.status, run.error).toBe('succeeded');
    const ours = await output(run, 'listings');
    const theirs = pandasRead(path.join(folder, 'data/listings.csv'), `sep=";", skiprows=2, encoding="latin-1", na_values=["-"], keep_default_na=False, dtype={"zip": str}`);
    expect(ours.types).toEqual({ zip: 'VARCHAR', city: 'VARCHAR', price: 'BIGINT', sold: 'DATE' });
    expect(ours.rows.map((r) => r.zip)).toEqual(theirs.columns.zip);
    expect(ours.rows.map((r) => r.city)).toEqual(theirs.columns.city);
    expect(ours.rows.map((r) => num(r.price ?? null))).toEqual(theirs.columns.price!.map(num));
    expect(ours.rows.map((r) => r.sold ?? null)).toEqual(theirs.columns.sold);
  });

  it('reads a file without a header, and an Excel sheet with its own null markers', async () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'bare', kind: 'source', file: 'data/bare.csv', header: false },
          { id: 'book', kind: 'source', file: 'data/book.xlsx', sheet: 'Prices', skip_rows: 1, null_values: ['n.a.'] },
        ],
      },
      { 'data/bare.csv': '1,a\n2,b\n' },
      'no-header',
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Prices');
    ws.addRow(['Price list, January']);
    ws.addRow(['item', 'price']);
    ws.addRow(['tea', 3.5]);
    ws.addRow(['cake', 'n.a.']);
    await wb.xlsx.writeFile(path.join(folder, 'data/book.xlsx'));
    const run = await engine.run(folder);
    expect(run.status, run.error).toBe('succeeded');
    const bare = await output(run, 'bare');
    expect(Object.keys(bare.types)).toEqual(['column0', 'column1']);
    expect(bare.rows).toHaveLength(2);
    const book = await output(run, 'book');
    expect(book.types).toEqual({ item: 'VARCHAR', price: 'DOUBLE' });
    expect(book.rows).toEqual([{ item: 'tea', price: 3.5 }, { item: 'cake', price: null }]);
  });

  it('says which field to fix when an option does not fit the file', async () => {
    const folder = makeWorkflow(
      {
        nodes: [
          { id: 'typed', kind: 'source', file: 'data/t.csv', column_types: { amount: 'integer' } },
          { id: 'misnamed', kind: 'source', file: 'data/t.csv', column_types: { amonut: 'number' } },
          { id: 'missing', kind: 'source', file: 'data/nope.csv' },
        ],
      },
      { 'data/t.csv': 'id,amount\n1,12\n2,twelve\n' },
      'option-errors',
    );
    const run = await engine.run(folder);
    const err = (id: string) => run.nodes.find((n) => n.nodeId === id)!.error!;
    expect(err('typed').message).toMatch(/^could not read data\/t\.csv as csv: /);
    expect(err('typed').fix).toContain('"Column types" field');
    expect(err('misnamed').message).toBe('could not read data/t.csv: a column type is set for "amonut", which the file does not have');
    expect(err('misnamed').fix).toContain('"Column types" field');
    expect(err('missing').fix).toMatch(/^choose the file in the "Source file" field/);
  });
});

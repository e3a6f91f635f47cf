// Why: the file destinations (CSV, Parquet, JSON, Excel) in every mode, read back by
// independent readers (DuckDB; openpyxl for Excel), and a failed publish changes nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDestinationWriter, DESTINATION_TYPES } from '../../runner/connectors/registry.ts';
import { PublishError, type PublishRequest } from '../../runner/connectors/types.ts';
import { SAMPLE_SQL, SAMPLE_TYPES, scratchDuck } from '../helpers/db-servers.ts';

let dir: string;
let duck: Awaited<ReturnType<typeof scratchDuck>>;
let sample: string;
let other: string;

const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const columns = `{${Object.entries(SAMPLE_TYPES).map(([k, v]) => `'${k}': '${v}'`).join(', ')}}`;

function req(type: string, path: string, mode: PublishRequest['mode'], parquetPath = sample, extra: Partial<PublishRequest['destination']> = {}): PublishRequest {
  return { parquetPath, destination: { type, path, ...extra }, mode, workflowFolder: dir };
}
const publish = (r: PublishRequest) => getDestinationWriter(r.destination.type).publish(r);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aq-pub-files-'));
  duck = await scratchDuck();
  sample = await duck.parquet(SAMPLE_SQL, join(dir, 'sample.parquet'));
  other = await duck.parquet(`SELECT id + 10 AS id, f, d, b, dt, ts, tz, s, big FROM (${SAMPLE_SQL})`, join(dir, 'other.parquet'));
});
afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

const src = (p: string) => `SELECT * FROM read_parquet(${duck.lit(p)})`;

describe('registry', () => {
  it('knows the types and refuses unknown ones with the list', () => {
    expect(DESTINATION_TYPES).toEqual(expect.arrayContaining(['csv', 'parquet', 'json', 'excel', 'duckdb', 'sqlite', 'postgres', 'mysql']));
    expect(getDestinationWriter('postgresql').type).toBe('postgres');
    try {
      getDestinationWriter('gopher');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PublishError);
      expect((e as PublishError).fix).toContain('csv');
    }
  });
});

describe.each([
  { type: 'csv', file: 'out/a.csv', read: (p: string) => `SELECT * FROM read_csv(${duck.lit(p)}, header = true, columns = ${columns})` },
  { type: 'parquet', file: 'out/a.parquet', read: (p: string) => `SELECT * FROM read_parquet(${duck.lit(p)})` },
  { type: 'json', file: 'out/a.json', read: (p: string) => `SELECT * FROM read_json(${duck.lit(p)}, format = 'array', columns = ${columns})` },
  { type: 'json', file: 'out/a.jsonl', read: (p: string) => `SELECT * FROM read_json(${duck.lit(p)}, format = 'newline_delimited', columns = ${columns})` },
])('$type destination ($file)', ({ type, file, read }) => {
  const path = () => join(dir, file);

  it('replace writes every type and reads back exactly (twice: no doubling)', async () => {
    expect(await publish(req(type, file, 'replace'))).toEqual({ rows: 3, target: path() });
    expect(await publish(req(type, file, 'replace'))).toEqual({ rows: 3, target: path() });
    expect(await duck.diff(read(path()), src(sample))).toBe(0);
    const unicode = await duck.value(`SELECT s FROM (${read(path())}) WHERE id = 1`);
    expect(unicode).toBe('Zürich ✓ 東京');
  });

  it('append adds rows after the old ones', async () => {
    expect((await publish(req(type, file, 'append', other))).rows).toBe(3);
    expect(await duck.diff(read(path()), `${src(sample)} UNION ALL ${src(other)}`)).toBe(0);
    if (type !== 'parquet') {
      const ids = (await duck.rows(`SELECT id FROM (${read(path())})`)).map((r) => r[0]);
      expect(ids).toEqual([1, 2, 3, 11, 12, 13]);
    }
  });

  it('fail_if_exists refuses an existing file and leaves it alone', async () => {
    const before = hash(path());
    await expect(publish(req(type, file, 'fail_if_exists'))).rejects.toMatchObject({
      name: 'PublishError', message: expect.stringContaining('already exists'), fix: expect.stringContaining('change the mode'),
    });
    expect(hash(path())).toBe(before);
    const fresh = file.replace('a.', 'fresh.');
    expect((await publish(req(type, fresh, 'fail_if_exists'))).rows).toBe(3);
    expect(await duck.diff(read(join(dir, fresh)), src(sample))).toBe(0);
  });

  it('upsert is refused: files have no keys', async () => {
    await expect(publish({ ...req(type, file, 'upsert'), key: ['id'] })).rejects.toThrow('upsert needs a database destination');
  });

  it('a failure midway leaves the old file exactly as before and no temp files', async () => {
    const before = hash(path());
    const broken = join(dir, 'broken.parquet');
    writeFileSync(broken, 'PAR1 this is not parquet');
    await expect(publish(req(type, file, 'replace', broken))).rejects.toBeInstanceOf(PublishError);
    await expect(publish(req(type, file, 'append', broken))).rejects.toBeInstanceOf(PublishError);
    expect(hash(path())).toBe(before);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('csv/parquet append with different columns', () => {
  it('is refused with a fix and changes nothing', async () => {
    const narrow = await duck.parquet('SELECT 1 AS id', join(dir, 'narrow.parquet'));
    for (const [type, file] of [['csv', 'out/a.csv'], ['parquet', 'out/a.parquet']] as const) {
      const before = hash(join(dir, file));
      await expect(publish(req(type, file, 'append', narrow))).rejects.toMatchObject({ fix: expect.stringContaining('replace') });
      expect(hash(join(dir, file))).toBe(before);
    }
  });
});

describe('excel destination', () => {
  const python = process.env['AQUEDUCT_PYTHON'] ?? join(process.cwd(), '.venv/bin/python');
  const readWorkbook = (p: string) => {
    const script = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def cell(v):
    if isinstance(v, datetime.datetime): return {'dt': v.isoformat()}
    return v
out = {'sheets': wb.sheetnames, 'rows': {ws.title: [[cell(c.value) for c in row] for row in ws.iter_rows()] for ws in wb.worksheets},
       'formats': {ws.title: [c.number_format for c in ws[2]] if ws.max_row > 1 else [] for ws in wb.worksheets}}
print(json.dumps(out))`;
    return JSON.parse(execFileSync(python, ['-c', script, p]).toString()) as {
      sheets: string[]; rows: Record<string, unknown[][]>; formats: Record<string, string[]>;
    };
  };
  const header = ['id', 'f', 'd', 'b', 'dt', 'ts', 'tz', 's', 'big'];
  const expected = (id0: number) => [
    [id0 + 1, 1.5, 12.345, true, { dt: '2024-01-02T00:00:00' }, { dt: '2024-01-02T03:04:05.123000' }, { dt: '2024-01-02T01:04:05.500000' }, 'Zürich ✓ 東京', '9007199254740993'],
    [id0 + 2, -0.25, -0.001, false, { dt: '1999-12-31T00:00:00' }, { dt: '1999-12-31T23:59:59' }, { dt: '1999-12-31T23:59:59' }, 'say "hi", then\nleave', -5],
    [id0 + 3, null, null, null, null, null, null, null, null],
  ];
  const file = 'out/book.xlsx';
  const path = () => join(dir, file);

  it('replace writes a named sheet with a header and typed cells', async () => {
    expect(await publish(req('excel', file, 'replace', sample, { sheet: 'Scores' }))).toEqual({ rows: 3, target: `${path()}#Scores` });
    const wb = readWorkbook(path());
    expect(wb.sheets).toEqual(['Scores']);
    expect(wb.rows['Scores']).toEqual([header, ...expected(0)]);
    expect(wb.formats['Scores']![4]).toBe('yyyy-mm-dd');
  });

  it('a second sheet, then replace of the first keeps the other sheet and the order', async () => {
    await publish(req('excel', file, 'replace', sample, { sheet: 'Other' }));
    await publish(req('excel', file, 'replace', other, { sheet: 'Scores' }));
    const wb = readWorkbook(path());
    expect(wb.sheets).toEqual(['Scores', 'Other']);
    expect(wb.rows['Scores']).toEqual([header, ...expected(10)]);
    expect(wb.rows['Other']).toEqual([header, ...expected(0)]);
  });

  it('append adds rows below; the default sheet is Sheet1', async () => {
    await publish(req('excel', file, 'append', sample, { sheet: 'Scores' }));
    expect(readWorkbook(path()).rows['Scores']).toEqual([header, ...expected(10), ...expected(0)]);
    await publish(req('excel', file, 'append', sample));
    const wb = readWorkbook(path());
    expect(wb.sheets).toEqual(['Scores', 'Other', 'Sheet1']);
    expect(wb.rows['Sheet1']).toEqual([header, ...expected(0)]);
  });

  it('fail_if_exists refuses an existing sheet; upsert is refused; failures change nothing', async () => {
    const before = hash(path());
    await expect(publish(req('excel', file, 'fail_if_exists', sample, { sheet: 'Scores' }))).rejects.toThrow('already exists');
    await expect(publish({ ...req('excel', file, 'upsert', sample, { sheet: 'Scores' }), key: ['id'] })).rejects.toThrow('upsert needs a database destination');
    const broken = join(dir, 'broken.parquet');
    await expect(publish(req('excel', file, 'replace', broken, { sheet: 'Scores' }))).rejects.toBeInstanceOf(PublishError);
    expect(hash(path())).toBe(before);
    await publish(req('excel', file, 'fail_if_exists', sample, { sheet: 'New' }));
    expect(readWorkbook(path()).sheets).toEqual(['Scores', 'Other', 'Sheet1', 'New']);
  });
});

// The first rows of a source's file read with the options in the form, before anything is
// saved or run: the settings form shows them under the options and reads again as they
// change, so the user sees at once whether "NA" became a null and a column a number.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo } from '../../api/types.ts';
import type { NodeSpec } from '../../spec/schema.ts';
import { safeIntegers } from '../preview.ts';
import { readExcelToCsv } from './excel-source.ts';
import { formatOf, readerSql, readFailure, readOptionsOf } from './source-reader.ts';
import { SOURCE_FILE_FIX } from './source.ts';
import { NodeFailure } from './types.ts';

export type SourceSample =
  | { ok: true; file: string; format: string; columns: ColumnInfo[]; rows: Record<string, unknown>[] }
  | { ok: false; file: string; message: string; fix?: string };

type SourceSpec = Extract<NodeSpec, { kind: 'source' }>;

export async function sampleSource(duck: DuckDBInstance, folder: string, node: SourceSpec, limit = 50): Promise<SourceSample> {
  const file = path.resolve(folder, node.file ?? '');
  if (!node.file) return { ok: false, file, message: 'no file chosen yet', fix: 'choose one in the "Source file" field' };
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return { ok: false, file, message: `${node.file} does not exist (looked at ${file})`, fix: SOURCE_FILE_FIX };
  const format = formatOf(file, node.format);
  if (!format) return { ok: false, file, message: `cannot tell the format of ${node.file}`, fix: 'choose one in the "Format" field' };
  const options = readOptionsOf(node, format);
  let tmp: string | undefined;
  try {
    let reader: string;
    if (format === 'excel') {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-sample-'));
      reader = readerSql(await readExcelToCsv(file, node.file ?? file, node.sheet, path.join(tmp, 'sheet.csv')), 'csv', options);
    } else {
      reader = readerSql(file, format, options);
    }
    const c = await duck.connect();
    try {
      const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`);
      const columns = d.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
      const r = await c.runAndReadAll(`SELECT * FROM ${reader} LIMIT ${Math.max(1, Math.min(500, Math.floor(limit)))}`);
      const rows = (r.getRowObjectsJson() as Record<string, unknown>[]).map((row) => safeIntegers(row, columns));
      return { ok: true, file, format, columns, rows };
    } finally {
      c.closeSync();
    }
  } catch (e) {
    if (e instanceof NodeFailure) return { ok: false, file, message: e.message, fix: e.fix };
    const f = readFailure(node.file, format, (e as Error).message);
    return { ok: false, file, message: f.message, fix: f.fix };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

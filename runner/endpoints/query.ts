// Reading a served output: equality filters on columns (several values of one column mean
// any of them), a page (limit/offset), and a choice of columns, through DuckDB over the
// output's Parquet. Column names are checked against the file's columns and quoted; every
// value a client sends is bound as a parameter and cast to its column's type, so a query
// string never becomes SQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo } from '../api/types.ts';
import { quoteIdent, quoteLiteral } from '../exec/duck.ts';

export type Format = 'json' | 'csv' | 'parquet';

export interface OutputQuery {
  filters: [string, string[]][];
  columns?: string[];
  limit?: number;
  offset: number;
}

export class BadQueryError extends Error {}

export const MAX_JSON_ROWS = 10_000;
export const DEFAULT_JSON_ROWS = 100;
const RESERVED = new Set(['format', 'limit', 'offset', 'columns']);

/** Reads the query string against the output's columns; a mistake is one sentence naming the parameter. */
export function parseQuery(params: URLSearchParams, columns: ColumnInfo[], format: Format): OutputQuery {
  const names = columns.map((c) => c.name);
  const filters = new Map<string, string[]>();
  for (const [k, v] of params) {
    if (RESERVED.has(k)) continue;
    if (!names.includes(k)) throw new BadQueryError(`"${k}" is not a column of this output; filter on one of: ${names.join(', ')}`);
    filters.set(k, [...(filters.get(k) ?? []), v]);
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new BadQueryError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  const maxLimit = format === 'json' ? MAX_JSON_ROWS : Number.MAX_SAFE_INTEGER;
  const limit = int('limit', 0, maxLimit) ?? (format === 'json' ? DEFAULT_JSON_ROWS : undefined);
  const offset = int('offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  let chosen: string[] | undefined;
  const cols = params.get('columns');
  if (cols !== null) {
    chosen = cols.split(',').map((c) => c.trim()).filter(Boolean);
    const bad = chosen.filter((c) => !names.includes(c));
    if (bad.length || chosen.length === 0) throw new BadQueryError(`columns names ${bad.length ? bad.map((b) => `"${b}"`).join(', ') : 'nothing'}, not columns of this output (${names.join(', ')})`);
  }
  return { filters: [...filters], columns: chosen, limit, offset };
}

interface Built {
  sql: string;
  values: string[];
}

/** The WHERE clause with one bound parameter per value, cast to its column's type. */
function where(q: OutputQuery, columns: ColumnInfo[]): Built {
  const values: string[] = [];
  const parts = q.filters.map(([name, vals]) => {
    const type = columns.find((c) => c.name === name)!.type;
    const list = vals.map((v) => {
      values.push(v);
      return `CAST($${values.length} AS ${type})`;
    });
    return list.length === 1 ? `${quoteIdent(name)} = ${list[0]}` : `${quoteIdent(name)} IN (${list.join(', ')})`;
  });
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

/** Fails with a sentence when a filter value cannot be read as its column's type. */
async function checkTypes(c: DuckDBConnection, q: OutputQuery, columns: ColumnInfo[]): Promise<void> {
  for (const [name, vals] of q.filters) {
    const type = columns.find((x) => x.name === name)!.type;
    if (/^(VARCHAR|TEXT|STRING)$/i.test(type)) continue;
    for (const v of vals) {
      const p = await c.prepare(`SELECT TRY_CAST($1 AS ${type}) IS NULL`);
      p.bindVarchar(1, v);
      const bad = (await p.runAndReadAll()).getRows()[0]?.[0];
      if (bad) throw new BadQueryError(`${name} is a ${type} column; "${v}" is not a ${type.toLowerCase()} value`);
    }
  }
}

async function prepared(c: DuckDBConnection, sql: string, values: string[]) {
  const p = await c.prepare(sql);
  values.forEach((v, i) => p.bindVarchar(i + 1, v));
  return p;
}

const WIDE_INTEGER = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/;

export interface JsonPage {
  columns: ColumnInfo[];
  rows: Record<string, unknown>[];
  /** rows matching the filters, in all */
  total: number;
}

export async function queryJson(duck: DuckDBInstance, file: string, columns: ColumnInfo[], q: OutputQuery): Promise<JsonPage> {
  const c = await duck.connect();
  try {
    await checkTypes(c, q, columns);
    const w = where(q, columns);
    const shown = q.columns ? columns.filter((x) => q.columns!.includes(x.name)) : columns;
    const from = `FROM read_parquet(${quoteLiteral(file)}) ${w.sql}`;
    const select = `SELECT ${shown.map((x) => quoteIdent(x.name)).join(', ')} ${from} LIMIT ${q.limit ?? DEFAULT_JSON_ROWS} OFFSET ${q.offset}`;
    const rows = (await (await prepared(c, select, w.values)).runAndReadAll()).getRowObjectsJson() as Record<string, unknown>[];
    for (const row of rows) {
      for (const col of shown) {
        const v = row[col.name];
        if (typeof v === 'string' && WIDE_INTEGER.test(col.type) && Number.isSafeInteger(Number(v))) row[col.name] = Number(v);
      }
    }
    const total = Number((await (await prepared(c, `SELECT count(*) ${from}`, w.values)).runAndReadAll()).getRows()[0]?.[0] ?? 0);
    return { columns: shown, rows, total };
  } finally {
    c.closeSync();
  }
}

/** Writes the matching rows as CSV or Parquet to a temporary file; the caller streams and removes it. */
export async function queryToFile(duck: DuckDBInstance, file: string, columns: ColumnInfo[], q: OutputQuery, format: 'csv' | 'parquet'): Promise<string> {
  const c = await duck.connect();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-endpoint-')), `out.${format}`);
  try {
    await checkTypes(c, q, columns);
    const w = where(q, columns);
    const shown = q.columns ? columns.filter((x) => q.columns!.includes(x.name)) : columns;
    const page = `${q.limit !== undefined ? `LIMIT ${q.limit}` : ''} OFFSET ${q.offset}`;
    const select = `SELECT ${shown.map((x) => quoteIdent(x.name)).join(', ')} FROM read_parquet(${quoteLiteral(file)}) ${w.sql} ${page}`;
    const opts = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet, COMPRESSION zstd';
    await (await prepared(c, `COPY (${select}) TO ${quoteLiteral(out)} (${opts})`, w.values)).run();
    return out;
  } catch (e) {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    throw e;
  } finally {
    c.closeSync();
  }
}

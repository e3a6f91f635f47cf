// Reading a served output: equality filters on columns (several values of one column mean
// any of them), a page (limit/offset), and a choice of columns, through DuckDB over the
// output's Parquet. Column names are checked against the file's columns and quoted; every
// value a client sends is bound as a parameter and cast to its column's type, so a query
// string never becomes SQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement } from '@duckdb/node-api';
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

/** Values surely readable as the common types, recognised here; anything else asks DuckDB (one query). */
const SURE: [RegExp, RegExp][] = [
  [/^(INTEGER|BIGINT|HUGEINT)$/, /^\s*[+-]?\d{1,9}\s*$/],
  [/^(BIGINT|HUGEINT|UBIGINT|UHUGEINT)$/, /^\s*\d{1,18}\s*$/],
  [/^(FLOAT|DOUBLE|REAL)$/, /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?\s*$/],
  [/^(VARCHAR|TEXT|STRING)$/, /^/],
];

/** Fails with a sentence when a filter value cannot be read as its column's type. */
async function checkTypes(c: PooledConnection, q: OutputQuery, columns: ColumnInfo[]): Promise<void> {
  for (const [name, vals] of q.filters) {
    const type = columns.find((x) => x.name === name)!.type;
    const sure = SURE.filter(([t]) => t.test(type)).map(([, form]) => form);
    for (const v of vals) {
      if (sure.some((form) => form.test(v))) continue;
      const bad = (await c.run(`SELECT TRY_CAST($1 AS ${type}) IS NULL`, [v]))[0]?.[0] === true;
      if (bad) throw new BadQueryError(`${name} is a ${type} column; "${v}" is not a ${type.toLowerCase()} value`);
    }
  }
}

/**
 * DuckDB connections kept for the endpoints, each with its prepared statements by SQL
 * text: a repeated lookup is a bind and a run, not a parse and plan. A failed or
 * interrupted connection is closed, not returned.
 */
export class ConnectionPool {
  private readonly idle: PooledConnection[] = [];

  constructor(private readonly duck: DuckDBInstance, private readonly keep = 4) {}

  async with<T>(work: (c: PooledConnection) => Promise<T>): Promise<T> {
    const c = this.idle.pop() ?? new PooledConnection(await this.duck.connect());
    try {
      const out = await work(c);
      if (this.idle.length < this.keep) this.idle.push(c);
      else c.close();
      return out;
    } catch (e) {
      c.close();
      throw e;
    }
  }

  close(): void {
    for (const c of this.idle.splice(0)) c.close();
  }
}

export class PooledConnection {
  private readonly statements = new Map<string, DuckDBPreparedStatement>();

  constructor(readonly connection: DuckDBConnection) {}

  private async prepared(sql: string, values: string[]): Promise<DuckDBPreparedStatement> {
    let p = this.statements.get(sql);
    if (!p) {
      if (this.statements.size >= 64) this.clear();
      p = await this.connection.prepare(sql);
      this.statements.set(sql, p);
    }
    p.clearBindings();
    values.forEach((v, i) => p.bindVarchar(i + 1, v));
    return p;
  }

  async run(sql: string, values: string[]): Promise<unknown[][]> {
    return (await (await this.prepared(sql, values)).runAndReadAll()).getRows() as unknown[][];
  }

  async objects(sql: string, values: string[]): Promise<Record<string, unknown>[]> {
    return (await (await this.prepared(sql, values)).runAndReadAll()).getRowObjectsJson() as Record<string, unknown>[];
  }

  async exec(sql: string, values: string[]): Promise<void> {
    await (await this.prepared(sql, values)).run();
  }

  private clear(): void {
    for (const p of this.statements.values()) p.destroySync();
    this.statements.clear();
  }

  close(): void {
    this.clear();
    this.connection.closeSync();
  }
}

const WIDE_INTEGER = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/;

export interface JsonPage {
  columns: ColumnInfo[];
  rows: Record<string, unknown>[];
  /** rows matching the filters, in all */
  total: number;
}

export async function queryJson(pool: ConnectionPool, file: string, columns: ColumnInfo[], q: OutputQuery): Promise<JsonPage> {
  return pool.with(async (c) => {
    await checkTypes(c, q, columns);
    const w = where(q, columns);
    const shown = q.columns ? columns.filter((x) => q.columns!.includes(x.name)) : columns;
    const from = `FROM read_parquet(${quoteLiteral(file)}) ${w.sql}`;
    const limit = q.limit ?? DEFAULT_JSON_ROWS;
    const rows = await c.objects(`SELECT ${shown.map((x) => quoteIdent(x.name)).join(', ')} ${from} LIMIT ${limit} OFFSET ${q.offset}`, w.values);
    for (const row of rows) {
      for (const col of shown) {
        const v = row[col.name];
        if (typeof v === 'string' && WIDE_INTEGER.test(col.type) && Number.isSafeInteger(Number(v))) row[col.name] = Number(v);
      }
    }
    // a first page that is not full holds every match: no second scan to count them
    const total = q.offset === 0 && rows.length < limit ? rows.length : Number((await c.run(`SELECT count(*) ${from}`, w.values))[0]?.[0] ?? 0);
    return { columns: shown, rows, total };
  });
}

/** Writes the matching rows as CSV or Parquet to a temporary file; the caller streams and removes it. */
export async function queryToFile(pool: ConnectionPool, file: string, columns: ColumnInfo[], q: OutputQuery, format: 'csv' | 'parquet'): Promise<string> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-endpoint-')), `out.${format}`);
  try {
    await pool.with(async (c) => {
      await checkTypes(c, q, columns);
      const w = where(q, columns);
      const shown = q.columns ? columns.filter((x) => q.columns!.includes(x.name)) : columns;
      const page = `${q.limit !== undefined ? `LIMIT ${q.limit}` : ''} OFFSET ${q.offset}`;
      const select = `SELECT ${shown.map((x) => quoteIdent(x.name)).join(', ')} FROM read_parquet(${quoteLiteral(file)}) ${w.sql} ${page}`;
      const opts = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet, COMPRESSION zstd';
      // each file its own statement: not worth keeping
      const p = await c.connection.prepare(`COPY (${select}) TO ${quoteLiteral(out)} (${opts})`);
      try {
        w.values.forEach((v, i) => p.bindVarchar(i + 1, v));
        await p.run();
      } finally {
        p.destroySync();
      }
    });
    return out;
  } catch (e) {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    throw e;
  }
}

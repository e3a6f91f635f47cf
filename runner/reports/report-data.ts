// The rows a report shows, read from its inputs' Parquet through DuckDB: the first N rows
// of a table and the row count from the file's metadata, so a report of a table with
// millions of rows loads only what it prints. Numbers arrive as numbers (DuckDB's JSON
// gives wide integers and decimals as text), so charts can scale them.
import type { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo } from '../api/types.ts';
import { describeParquet, quoteIdent, quoteLiteral } from '../exec/duck.ts';

export interface TablePage {
  columns: ColumnInfo[];
  rows: Record<string, unknown>[];
  total: number;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type);
}

export class ColumnMissingError extends Error {}

/** The first `limit` rows of a Parquet file (only `columns` when given), with its row count. */
export async function readFirstRows(duck: DuckDBInstance, file: string, limit: number, columns?: string[]): Promise<TablePage> {
  const c = await duck.connect();
  try {
    const info = await describeParquet(c, file);
    const names = new Set(info.columns.map((x) => x.name));
    const missing = (columns ?? []).filter((x) => !names.has(x));
    if (missing.length) throw new ColumnMissingError(`no column ${missing.map((m) => `"${m}"`).join(', ')} (it has ${info.columns.map((x) => x.name).join(', ')})`);
    const chosen = columns?.length ? columns.map((n) => info.columns.find((x) => x.name === n)!) : info.columns;
    const select = chosen.map((x) => quoteIdent(x.name)).join(', ');
    const r = await c.runAndReadAll(`SELECT ${select} FROM read_parquet(${quoteLiteral(file)}) LIMIT ${Math.max(0, Math.floor(limit))}`);
    const rows = (r.getRowObjectsJson() as Record<string, unknown>[]).map((row) => {
      for (const col of chosen) {
        const v = row[col.name];
        if (typeof v === 'string' && isNumericType(col.type) && Number.isFinite(Number(v))) row[col.name] = Number(v);
      }
      return row;
    });
    return { columns: chosen, rows, total: info.rows };
  } finally {
    c.closeSync();
  }
}

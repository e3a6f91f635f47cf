// Why: how a Parquet column becomes a Postgres column, and the text DuckDB makes of each
// value so COPY (CSV) parses it back exactly.
import type { Column } from '../parquet.ts';

export function pgType(c: Column): string {
  switch (c.kind) {
    case 'int': return 'BIGINT';
    case 'bigint': return `NUMERIC(${c.precision},0)`;
    case 'float': return 'DOUBLE PRECISION';
    case 'decimal': return `NUMERIC(${c.precision},${c.scale})`;
    case 'bool': return 'BOOLEAN';
    case 'date': return 'DATE';
    case 'time': return 'TIME';
    case 'timestamp': return 'TIMESTAMP';
    case 'timestamptz': return 'TIMESTAMPTZ';
    case 'blob': return 'BYTEA';
    case 'uuid': return 'UUID';
    case 'interval': return 'INTERVAL';
    case 'json': return 'JSONB';
    default: return 'TEXT';
  }
}

/** A DuckDB expression giving the COPY text of a value (the reading session is in UTC). */
export function pgTextExpr(c: Column, q: string): string {
  switch (c.kind) {
    case 'blob': return `'\\x' || lower(hex(${q}))`;
    case 'json': return `CAST(to_json(${q}) AS VARCHAR)`;
    default: return `CAST(${q} AS VARCHAR)`;
  }
}

/** One CSV line for COPY ... (FORMAT csv): NULL unquoted and empty, every value quoted. */
export function csvLine(row: (string | null)[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i) line += ',';
    const v = row[i];
    if (v !== null && v !== undefined) line += '"' + (v.includes('"') ? v.replaceAll('"', '""') : v) + '"';
  }
  return line + '\n';
}

// Why: how a Parquet column becomes a MySQL/MariaDB column, and the value DuckDB hands to
// mysql2 for it (text that MySQL parses exactly; timestamps with time zone in UTC).
import type { Column } from '../parquet.ts';

export function mysqlType(c: Column, isKey: boolean): string {
  switch (c.kind) {
    case 'int': return 'BIGINT';
    case 'bigint': return c.precision === 20 ? 'BIGINT UNSIGNED' : `DECIMAL(${c.precision},0)`;
    case 'float': return 'DOUBLE';
    case 'decimal': return `DECIMAL(${c.precision},${c.scale})`;
    case 'bool': return 'BOOLEAN';
    case 'date': return 'DATE';
    case 'time': return 'TIME(6)';
    case 'timestamp': case 'timestamptz': return 'DATETIME(6)';
    case 'blob': return isKey ? 'VARBINARY(255)' : 'LONGBLOB';
    case 'uuid': return 'CHAR(36)';
    case 'json': return 'JSON';
    default: return isKey ? 'VARCHAR(255)' : 'LONGTEXT';
  }
}

export function mysqlValueExpr(c: Column, q: string): string {
  switch (c.kind) {
    case 'bool': return `CAST(${q} AS INTEGER)`;
    case 'blob': return q;
    case 'timestamp': return `strftime(CAST(${q} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')`;
    case 'timestamptz': return `strftime(timezone('UTC', ${q}), '%Y-%m-%d %H:%M:%S.%f')`;
    case 'json': return `CAST(to_json(${q}) AS VARCHAR)`;
    default: return `CAST(${q} AS VARCHAR)`;
  }
}

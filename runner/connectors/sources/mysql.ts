// Why: a MySQL/MariaDB query source. mysql2 streams the result row by row (the socket is
// paused while we write), each value as the server's raw bytes: text as UTF-8, binary
// columns as hex, so dates, decimals and big integers arrive exactly.
import type mysql from 'mysql2';
import type { ConnectionConfig } from '../types.ts';
import { connectMysql, endMysql, myQuery } from '../mysql/client.ts';
import { bindQueryParams } from '../query-params.ts';
import { parseTableName, quoteTable } from '../sql.ts';
import type { SinkColumn, TextCell } from './parquet-sink.ts';
import type { QuerySourceRun, TableListing, TablePreview } from './source-types.ts';

const BATCH = 5_000;
const UNSIGNED = 32;
const BINARY_CHARSET = 63;

interface Field {
  name: string;
  columnType?: number;
  type?: number;
  flags: number | string[];
  characterSet?: number;
  columnLength?: number;
  decimals: number;
}

export function mysqlColumn(f: Field): SinkColumn & { binary: boolean } {
  const type = f.columnType ?? f.type ?? 253;
  const unsigned = typeof f.flags === 'number' && (f.flags & UNSIGNED) !== 0;
  const binary = f.characterSet === BINARY_CHARSET && [249, 250, 251, 252, 253, 254].includes(type);
  const col = (duckType: string, cast?: (q: string) => string) => ({ name: f.name, duckType, cast, binary });
  switch (type) {
    case 1: return col(unsigned ? 'UTINYINT' : 'TINYINT');
    case 2: return col(unsigned ? 'USMALLINT' : 'SMALLINT');
    case 3: case 9: return col(unsigned ? 'UINTEGER' : 'INTEGER');
    case 8: return col(unsigned ? 'UBIGINT' : 'BIGINT');
    case 13: return col('SMALLINT');
    case 4: return col('FLOAT');
    case 5: return col('DOUBLE');
    case 0: case 246: {
      const scale = f.decimals;
      const precision = (f.columnLength ?? 65) - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1);
      return precision > 0 && precision <= 38 ? col(`DECIMAL(${precision},${scale})`) : col('DOUBLE');
    }
    case 10: case 14: return col('DATE');
    case 7: case 12: return col('TIMESTAMP');
    case 249: case 250: case 251: case 252: case 253: case 254:
      return binary ? col('BLOB', (q) => `from_hex(${q})`) : col('VARCHAR');
    default: return col('VARCHAR'); // TIME (may pass 24h), BIT, JSON, ENUM, SET, GEOMETRY
  }
}

function toText(raw: unknown, binary: boolean): TextCell {
  if (raw === null || raw === undefined) return null;
  if (Buffer.isBuffer(raw)) return binary ? raw.toString('hex') : raw.toString('utf8');
  return String(raw);
}

const rawBytes = (field: { buffer(): Buffer | null }) => field.buffer();

export async function mysqlQuerySource(run: QuerySourceRun, cfg: ConnectionConfig, query: string): Promise<void> {
  const bound = bindQueryParams(query, run.params, 'question');
  const conn = await connectMysql(cfg);
  const onAbort = () => conn.destroy();
  run.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await myQuery(conn, 'START TRANSACTION READ ONLY');
    const q = conn.query({ sql: bound.sql, values: bound.values, rowsAsArray: true, typeCast: rawBytes });
    let columns: (SinkColumn & { binary: boolean })[] | undefined;
    q.on('fields', (fields: Field[]) => {
      columns ??= fields.map(mysqlColumn);
    });
    let batch: TextCell[][] = [];
    let opened = false;
    for await (const row of q.stream({ highWaterMark: BATCH }) as AsyncIterable<unknown[]>) {
      if (!opened) {
        await run.open(columns ?? []);
        opened = true;
      }
      batch.push(row.map((v, i) => toText(v, columns![i]!.binary)));
      if (batch.length >= BATCH) {
        await run.append(batch);
        batch = [];
      }
    }
    if (!opened) await run.open(columns ?? []);
    if (batch.length) await run.append(batch);
    await myQuery(conn, 'COMMIT');
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    await endMysql(conn);
  }
}

export async function mysqlListTables(cfg: ConnectionConfig): Promise<TableListing[]> {
  const conn = await connectMysql(cfg);
  try {
    return await myQuery<TableListing[]>(conn,
      `SELECT TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS name, IF(TABLE_TYPE = 'VIEW', 'view', 'table') AS type
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 2`);
  } finally {
    await endMysql(conn);
  }
}

export async function mysqlPreview(cfg: ConnectionConfig, table: string, limit: number): Promise<TablePreview> {
  const conn = await connectMysql(cfg);
  try {
    const sql = `SELECT * FROM ${quoteTable(parseTableName(table), '`')} LIMIT ?`;
    const { rows, fields } = await new Promise<{ rows: unknown[][]; fields: Field[] }>((resolve, reject) =>
      conn.query({ sql, values: [limit], rowsAsArray: true, typeCast: rawBytes } as mysql.QueryOptions, (err, r, f) =>
        err ? reject(err) : resolve({ rows: r as unknown[][], fields: f as unknown as Field[] })),
    );
    const cols = fields.map(mysqlColumn);
    return { columns: cols.map((c) => ({ name: c.name, type: c.duckType })), rows: rows.map((r) => r.map((v, i) => toText(v, cols[i]!.binary))) };
  } finally {
    await endMysql(conn);
  }
}

// Why: query sources on database files: SQLite (read-only, iterated in batches, with the
// declared column types deciding the Parquet types) and DuckDB (attached read-only to
// the run's DuckDB, which then writes the Parquet itself, $name parameters and all).
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ParamValue } from '../../api/types.ts';
import type { TableRef } from '../../exec/kinds/types.ts';
import { withConnection, writeQueryToParquet } from '../../exec/duck.ts';
import { PublishError, type ConnectionConfig } from '../types.ts';
import { parseTableName, quoteIdent, quoteTable, sqlString } from '../sql.ts';
import { bindQueryParams } from '../query-params.ts';
import type { SinkColumn, TextCell } from './parquet-sink.ts';
import type { QuerySourceRun, TableListing, TablePreview } from './source-types.ts';

const BATCH = 10_000;

export function dbFilePath(cfg: ConnectionConfig): string {
  const p = typeof cfg['path'] === 'string' ? cfg['path'] : '';
  if (!p) throw new PublishError(`the ${cfg.type} connection has no database file`, 'set the path of the database file on the connection');
  const file = path.resolve(p);
  if (!fs.existsSync(file)) throw new PublishError(`${cfg.type} database ${file} does not exist`, "fix the connection's path");
  return file;
}

/** SQLite's affinity rules (declared type → storage class), mapped to DuckDB types. */
export function sqliteColumn(name: string, declared: string | null, sample: unknown[]): SinkColumn {
  const t = (declared ?? '').toUpperCase();
  if (t.includes('INT')) return { name, duckType: 'BIGINT' };
  if (/CHAR|CLOB|TEXT/.test(t)) return { name, duckType: 'VARCHAR' };
  if (t.includes('BLOB')) return { name, duckType: 'BLOB', cast: (q) => `from_hex(${q})` };
  if (/REAL|FLOA|DOUB/.test(t)) return { name, duckType: 'DOUBLE' };
  if (t.startsWith('BOOL')) return { name, duckType: 'BOOLEAN' };
  if (t === 'DATE') return { name, duckType: 'DATE' };
  if (/^(DATETIME|TIMESTAMP)$/.test(t)) return { name, duckType: 'TIMESTAMP' };
  if (/^NUMERIC\(\d+,\s*\d+\)$|^DECIMAL\(\d+,\s*\d+\)$/.test(t)) return { name, duckType: t.replace('NUMERIC', 'DECIMAL') };
  // no declared type (an expression) or NUMERIC: decide by the values themselves
  const seen = sample.filter((v) => v !== null && v !== undefined);
  if (seen.length && seen.every((v) => typeof v === 'bigint')) return { name, duckType: 'BIGINT' };
  if (seen.length && seen.every((v) => typeof v === 'bigint' || typeof v === 'number')) return { name, duckType: 'DOUBLE' };
  if (seen.length && seen.every((v) => Buffer.isBuffer(v))) return { name, duckType: 'BLOB', cast: (q) => `from_hex(${q})` };
  return { name, duckType: 'VARCHAR' };
}

function sqliteText(v: unknown): TextCell {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return String(v);
}

function sqliteParam(v: ParamValue): unknown {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

export async function sqliteQuerySource(run: QuerySourceRun, cfg: ConnectionConfig, query: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3');
  const bound = bindQueryParams(query, run.params, 'question');
  const db = new Database(dbFilePath(cfg), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const stmt = db.prepare(bound.sql);
    if (!stmt.reader) throw new PublishError('a SQLite source query must return rows (SELECT …)', 'write a SELECT query');
    stmt.raw(true).safeIntegers(true);
    const declared = stmt.columns();
    let batch: unknown[][] = [];
    let opened = false;
    const flush = async () => {
      if (!opened) {
        await run.open(declared.map((c, i) => sqliteColumn(c.name, c.type, batch.map((r) => r[i]))));
        opened = true;
      }
      if (batch.length) await run.append(batch.map((r) => r.map(sqliteText)));
      batch = [];
    };
    for (const row of stmt.iterate(...bound.values.map(sqliteParam)) as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length >= BATCH) {
        if (run.signal.aborted) throw new PublishError('the query was cancelled');
        await flush();
      }
    }
    await flush();
  } finally {
    db.close();
  }
}

/** Attaches the DuckDB file read-only on a connection of the run's instance. */
async function withAttached<T>(duck: DuckDBInstance, cfg: ConnectionConfig, signal: AbortSignal | undefined, work: (c: DuckDBConnection, alias: string) => Promise<T>): Promise<T> {
  const file = dbFilePath(cfg);
  const alias = `aq_src_${Math.random().toString(16).slice(2, 10)}`;
  return withConnection(duck, new Map(), signal, async (c) => {
    await c.run(`ATTACH ${sqlString(file)} AS ${quoteIdent(alias)} (READ_ONLY)`);
    try {
      await c.run(`USE ${quoteIdent(alias)}`);
      return await work(c, alias);
    } finally {
      await c.run('USE memory').catch(() => undefined);
      await c.run(`DETACH ${quoteIdent(alias)}`).catch(() => undefined);
    }
  });
}

export function duckdbQuerySource(duck: DuckDBInstance, cfg: ConnectionConfig, query: string, params: Record<string, ParamValue>, outputPath: string, signal: AbortSignal): Promise<{ table: TableRef; bytes: number }> {
  return withAttached(duck, cfg, signal, (c) => writeQueryToParquet(c, query, params, outputPath));
}

export async function localListTables(duck: DuckDBInstance, cfg: ConnectionConfig): Promise<TableListing[]> {
  if (cfg.type === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(dbFilePath(cfg), { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as TableListing[];
    } finally {
      db.close();
    }
  }
  return withAttached(duck, cfg, undefined, async (c, alias) => {
    const r = await c.runAndReadAll(`SELECT table_schema, table_name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END FROM information_schema.tables WHERE table_catalog = ${sqlString(alias)} ORDER BY 1, 2`);
    return r.getRows().map((row) => ({ schema: String(row[0]), name: String(row[1]), type: String(row[2]) }));
  });
}

export async function localPreview(duck: DuckDBInstance, cfg: ConnectionConfig, table: string, limit: number): Promise<TablePreview> {
  const sql = `SELECT * FROM ${quoteTable(parseTableName(table))} LIMIT ${Math.max(0, Math.floor(limit))}`;
  if (cfg.type === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(dbFilePath(cfg), { readonly: true, fileMustExist: true });
    try {
      const stmt = db.prepare(sql).raw(true).safeIntegers(true);
      const rows = stmt.all() as unknown[][];
      const cols = stmt.columns().map((c, i) => sqliteColumn(c.name, c.type, rows.map((r) => r[i])));
      return { columns: cols.map((c) => ({ name: c.name, type: c.duckType })), rows: rows.map((r) => r.map(sqliteText)) };
    } finally {
      db.close();
    }
  }
  return withAttached(duck, cfg, undefined, async (c) => {
    const r = await c.runAndReadAll(`SELECT * FROM (${sql})`);
    const names = r.columnNames();
    const types = r.columnTypes().map((t) => t.toString());
    const rows = (r.getRowsJson() as unknown[][]).map((row) => row.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))));
    return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows };
  });
}

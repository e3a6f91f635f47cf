// Why: `source` nodes with a connection run a SQL query on that database and keep the
// result as the run's Parquet, streamed in batches so memory stays flat whatever the
// row count. Browsing (list tables, preview one) lives here too, for the UI's picker.
// Drivers load only when a query actually runs, so the app starts without them.
import fs from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import { NodeFailure, type NodeContext, type NodeOutcome } from '../exec/kinds/types.ts';
import { PublishError, type ConnectionConfig } from './types.ts';
import { QueryParamError } from './query-params.ts';
import { ParquetSink, type SinkColumn, type TextCell } from './sources/parquet-sink.ts';
import type { QuerySourceRun, TableListing, TablePreview } from './sources/source-types.ts';

export type { TableListing, TablePreview };

const QUERYABLE = ['postgres', 'mysql', 'mariadb', 'sqlite', 'duckdb'];

function explain(conn: ConnectionConfig, e: unknown): NodeFailure {
  if (e instanceof NodeFailure) return e;
  if (e instanceof QueryParamError || e instanceof PublishError) return new NodeFailure(e.message, undefined, e.fix);
  const err = e as { code?: string; message?: string; sqlMessage?: string; position?: string; hint?: string };
  const where = conn.host ? `${conn.type} ${conn.host}:${conn.port ?? ''}/${conn.database ?? ''}` : `${conn.type} ${String(conn['path'] ?? '')}`;
  const msg = err.sqlMessage ?? err.message ?? String(e);
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ETIMEDOUT') {
    return new NodeFailure(`cannot reach ${where} (${err.code})`, undefined, 'start the server, or fix the host and port of the connection (Connections → Test)');
  }
  if (err.code === '28P01' || err.code === 'ER_ACCESS_DENIED_ERROR') return new NodeFailure(`${where}: the server refused the password for user "${conn.user}"`, undefined, 'fix the password of the connection (Connections → Edit)');
  if (err.code === '3D000' || err.code === 'ER_BAD_DB_ERROR') return new NodeFailure(`${where}: database "${conn.database}" does not exist`, undefined, "fix the connection's database");
  if (err.code === '42501' || /ACCESS_DENIED/.test(err.code ?? '')) return new NodeFailure(`${where}: ${msg}`, undefined, `grant user "${conn.user}" SELECT on the tables the query reads`);
  if (/Conversion Error|Could not convert/i.test(msg)) return new NodeFailure(`the query's result does not fit its column types: ${msg}`, undefined, 'cast the column in the query (e.g. CAST(x AS TEXT))');
  const detail = [err.hint && `hint: ${err.hint}`, err.position && `at character ${err.position}`].filter(Boolean).join('\n') || undefined;
  return new NodeFailure(`the query on ${where} failed: ${msg}`, detail, 'fix the query (try it in the connection browser first)');
}

/** Runs `query` on the connection and writes its result to ctx.outputPath. */
export async function runQuerySource(ctx: NodeContext, conn: ConnectionConfig, query: string): Promise<NodeOutcome> {
  if (!QUERYABLE.includes(conn.type)) {
    throw new NodeFailure(`a ${conn.type} connection cannot be read with a query`, undefined, `query a ${QUERYABLE.join(', ')} connection`);
  }
  const started = Date.now();
  try {
    if (conn.type === 'duckdb') {
      const { duckdbQuerySource } = await import('./sources/local-files.ts');
      const out = await duckdbQuerySource(ctx.duck, conn, query, ctx.params, ctx.outputPath, ctx.signal);
      ctx.log('system', `read ${out.table.rows} rows from ${conn.type} in ${Date.now() - started} ms`);
      return { type: 'table', ...out };
    }
    let sink: ParquetSink | undefined;
    let lastLog = Date.now();
    const run: QuerySourceRun = {
      params: ctx.params,
      signal: ctx.signal,
      open: async (columns: SinkColumn[]) => {
        if (columns.length === 0) throw new NodeFailure('the source query returned no columns', undefined, 'a source query must be a SELECT (or return rows)');
        sink = await ParquetSink.open(ctx.duck, ctx.outputPath, columns);
      },
      append: async (rows: TextCell[][]) => {
        if (ctx.signal.aborted) throw new NodeFailure('cancelled');
        await sink!.append(rows);
        if (Date.now() - lastLog > 5000) {
          lastLog = Date.now();
          ctx.log('system', `${sink!.rows} rows read so far`);
        }
      },
    };
    try {
      if (conn.type === 'postgres') await (await import('./sources/postgres.ts')).pgQuerySource(run, conn, query);
      else if (conn.type === 'sqlite') await (await import('./sources/local-files.ts')).sqliteQuerySource(run, conn, query);
      else await (await import('./sources/mysql.ts')).mysqlQuerySource(run, conn, query);
      if (!sink) throw new NodeFailure('the source query returned no result', undefined, 'a source query must be a SELECT');
      const out = await sink.finish();
      ctx.log('system', `read ${out.table.rows} rows from ${conn.type} in ${Date.now() - started} ms`);
      return { type: 'table', ...out };
    } catch (e) {
      sink?.discard();
      fs.rmSync(ctx.outputPath, { force: true });
      throw e;
    }
  } catch (e) {
    if (ctx.signal.aborted) throw new NodeFailure('cancelled');
    throw explain(conn, e);
  }
}

/** Tables and views a connection can read, for the UI's table picker. */
export async function listTables(conn: ConnectionConfig, duck?: DuckDBInstance): Promise<TableListing[]> {
  switch (conn.type) {
    case 'postgres': return (await import('./sources/postgres.ts')).pgListTables(conn);
    case 'mysql': case 'mariadb': return (await import('./sources/mysql.ts')).mysqlListTables(conn);
    case 'sqlite': case 'duckdb': return withDuck(duck, async (d) => (await import('./sources/local-files.ts')).localListTables(d, conn));
    default: throw new PublishError(`cannot browse a ${conn.type} connection`, `browse a ${QUERYABLE.join(', ')} connection`);
  }
}

/** The first `limit` rows of a table, values as text. */
export async function previewTable(conn: ConnectionConfig, table: string, limit = 100, duck?: DuckDBInstance): Promise<TablePreview> {
  const n = Math.max(0, Math.min(10_000, Math.floor(limit)));
  switch (conn.type) {
    case 'postgres': return (await import('./sources/postgres.ts')).pgPreview(conn, table, n);
    case 'mysql': case 'mariadb': return (await import('./sources/mysql.ts')).mysqlPreview(conn, table, n);
    case 'sqlite': case 'duckdb': return withDuck(duck, async (d) => (await import('./sources/local-files.ts')).localPreview(d, conn, table, n));
    default: throw new PublishError(`cannot preview a ${conn.type} connection`, `preview a ${QUERYABLE.join(', ')} connection`);
  }
}

async function withDuck<T>(duck: DuckDBInstance | undefined, f: (d: DuckDBInstance) => Promise<T>): Promise<T> {
  if (duck) return f(duck);
  const { DuckDBInstance: Instance } = await import('@duckdb/node-api');
  const own = await Instance.create(':memory:');
  try {
    return await f(own);
  } finally {
    own.closeSync();
  }
}

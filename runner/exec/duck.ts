// DuckDB plumbing shared by the SQL-speaking node kinds: a connection on which every
// upstream table is a view named by its node id, parameters bound by name ($name), and
// results written once as Parquet.
import fs from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo, ParamValue } from '../api/types.ts';
import type { TableRef } from './kinds/types.ts';

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** How often an aborted connection is interrupted again, until its work gives up. */
const REINTERRUPT_MS = 50;

/**
 * Interrupts the connection's query when the signal aborts, and keeps interrupting until
 * the returned function is called: DuckDB forgets an interrupt that arrives between two
 * statements (or before the first has started), so one call alone can let the next
 * statement run to its end, past a node's timeout.
 */
export function interruptOnAbort(c: DuckDBConnection, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  let again: NodeJS.Timeout | undefined;
  const onAbort = () => {
    c.interrupt();
    again ??= setInterval(() => c.interrupt(), REINTERRUPT_MS);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    clearInterval(again);
  };
}

/** Throws (as DuckDB does for an interrupted query) when the signal aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('INTERRUPT Error: the query was stopped');
}

/** A connection with the inputs as views; interrupted when the signal aborts. */
export async function withConnection<T>(
  duck: DuckDBInstance,
  inputs: Map<string, TableRef>,
  signal: AbortSignal | undefined,
  work: (c: DuckDBConnection) => Promise<T>,
): Promise<T> {
  throwIfAborted(signal);
  const c = await duck.connect();
  const stop = interruptOnAbort(c, signal);
  try {
    for (const [name, t] of inputs) {
      await c.run(`CREATE TEMP VIEW ${quoteIdent(name)} AS SELECT * FROM read_parquet(${quoteLiteral(t.path)})`);
    }
    const out = await work(c);
    // a statement that finished just as the signal aborted does not count as done
    throwIfAborted(signal);
    return out;
  } finally {
    stop();
    c.closeSync();
  }
}

/** Strips trailing semicolons and whitespace so user SQL can be wrapped in COPY (...). */
export function cleanSql(sql: string): string {
  let s = sql.trim();
  // drop trailing line comments and semicolons
  for (;;) {
    const before = s;
    s = s.replace(/;\s*$/, '').replace(/\n\s*--[^\n]*$/, '').trim();
    if (s === before) return s;
  }
}

/** Prepares sql and binds only the $parameters it mentions. */
export async function prepareWithParams(c: DuckDBConnection, sql: string, params: Record<string, ParamValue>) {
  const p = await c.prepare(sql);
  const values: Record<string, ParamValue> = {};
  for (let i = 1; i <= p.parameterCount; i++) {
    const name = p.parameterName(i);
    if (!(name in params)) {
      throw new Error(`$${name} is not a parameter of this workflow; declared: ${Object.keys(params).join(', ') || 'none'}`);
    }
    values[name] = params[name] ?? null;
  }
  if (p.parameterCount > 0) p.bind(values as Record<string, never>);
  return p;
}

export async function describeParquet(c: DuckDBConnection, path: string): Promise<{ columns: ColumnInfo[]; rows: number }> {
  const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(path)})`);
  const columns = d.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const m = await c.runAndReadAll(`SELECT sum(num_rows)::BIGINT AS n FROM parquet_file_metadata(${quoteLiteral(path)})`);
  const rows = Number(m.getRows()[0]?.[0] ?? 0);
  return { columns, rows };
}

/** Runs a query and writes its result as the node's Parquet output. */
export async function writeQueryToParquet(
  c: DuckDBConnection,
  query: string,
  params: Record<string, ParamValue>,
  outputPath: string,
): Promise<{ table: TableRef; bytes: number }> {
  const sql = cleanSql(query);
  // the result's columns come from preparing the query (no execution, no file read)
  // (types that depend on a bound parameter are only known after running: then read them back)
  const described = await prepareWithParams(c, sql, params);
  let columns: ColumnInfo[] | undefined = [];
  try {
    for (let i = 0; i < described.columnCount; i++) {
      columns.push({ name: described.columnName(i), type: described.columnType(i).toString() });
    }
  } catch {
    columns = undefined;
  } finally {
    described.destroySync();
  }
  const tmp = `${outputPath}.tmp`;
  const copy = await prepareWithParams(c, `COPY (${sql}\n) TO ${quoteLiteral(tmp)} (FORMAT parquet, COMPRESSION zstd)`, params);
  const result = await copy.runAndReadAll();
  const rows = Number(result.getRows()[0]?.[0] ?? 0);
  fs.renameSync(tmp, outputPath);
  columns ??= (await describeParquet(c, outputPath)).columns;
  return { table: { path: outputPath, columns, rows }, bytes: fs.statSync(outputPath).size };
}

/**
 * The first value of the first row of a query, as plain JSON, with the result's shape:
 * `moreRows` when it has a second row (read no further), and its column count.
 */
export async function queryScalar(c: DuckDBConnection, query: string, params: Record<string, ParamValue>) {
  const p = await prepareWithParams(c, cleanSql(query), params);
  const r = await p.streamAndReadUntil(2);
  const rows = r.getRowsJson();
  if (rows.length === 0 || r.columnCount === 0) return { empty: true as const };
  return { empty: false as const, value: rows[0]![0], moreRows: rows.length > 1, columnCount: r.columnCount };
}

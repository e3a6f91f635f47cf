// Why: a Postgres query source. A server-side cursor (pg-cursor) hands over the result in
// batches, every value as Postgres's own text (no JavaScript Date or float on the way),
// inside a READ ONLY transaction with the session in UTC/ISO so the text is exact.
import type pg from 'pg';
import type { ConnectionConfig } from '../types.ts';
import { connectPg } from '../postgres/client.ts';
import { quoteTable, parseTableName } from '../sql.ts';
import { bindQueryParams } from '../query-params.ts';
import type { SinkColumn, TextCell } from './parquet-sink.ts';
import type { QuerySourceRun, TableListing, TablePreview } from './source-types.ts';

const BATCH = 10_000;
const rawText = { getTypeParser: () => (v: string) => v };

/** The DuckDB type of a Postgres result column (by type OID), and how its text casts. */
export function pgColumn(name: string, oid: number, typmod: number): SinkColumn {
  switch (oid) {
    case 16: return { name, duckType: 'BOOLEAN' };
    case 20: return { name, duckType: 'BIGINT' };
    case 21: return { name, duckType: 'SMALLINT' };
    case 23: case 26: return { name, duckType: 'INTEGER' };
    case 700: return { name, duckType: 'FLOAT' };
    case 701: return { name, duckType: 'DOUBLE' };
    case 1700: {
      const p = typmod > 0 ? ((typmod - 4) >> 16) & 0xffff : 0;
      const s = typmod > 0 ? (typmod - 4) & 0xffff : 0;
      // NUMERIC without a declared precision (sums, averages) becomes DOUBLE
      return p > 0 && p <= 38 ? { name, duckType: `DECIMAL(${p},${s})` } : { name, duckType: 'DOUBLE' };
    }
    case 1082: return { name, duckType: 'DATE' };
    case 1083: return { name, duckType: 'TIME' };
    case 1114: return { name, duckType: 'TIMESTAMP' };
    case 1184: return { name, duckType: 'TIMESTAMPTZ' };
    case 2950: return { name, duckType: 'UUID' };
    case 17: return { name, duckType: 'BLOB', cast: (q) => `from_hex(substr(${q}, 3))` };
    default: return { name, duckType: 'VARCHAR' }; // text, json, arrays, intervals, enums…
  }
}

async function prepareSession(client: pg.Client): Promise<void> {
  await client.query("SET TIME ZONE 'UTC'");
  await client.query("SET DateStyle = 'ISO, YMD'");
  await client.query('BEGIN READ ONLY');
}

export async function pgQuerySource(run: QuerySourceRun, cfg: ConnectionConfig, query: string): Promise<void> {
  const { default: Cursor } = await import('pg-cursor');
  const bound = bindQueryParams(query, run.params, 'numbered');
  const client = await connectPg(cfg, 'aqueduct-source');
  const onAbort = () => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  run.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await prepareSession(client);
    const cursor = client.query(new Cursor<TextCell[]>(bound.sql, bound.values, { rowMode: 'array', types: rawText }));
    let opened = false;
    for (;;) {
      // (a cursor that is already done answers with no result object)
      const { rows, fields } = await new Promise<{ rows: TextCell[][]; fields?: pg.FieldDef[] }>((resolve, reject) =>
        cursor.read(BATCH, (err, r, result) => (err ? reject(err) : resolve({ rows: r, fields: result?.fields }))),
      );
      if (!opened) {
        await run.open((fields ?? []).map((f) => pgColumn(f.name, f.dataTypeID, f.dataTypeModifier)));
        opened = true;
      }
      if (rows.length === 0) break;
      await run.append(rows);
    }
    await cursor.close();
    await client.query('COMMIT');
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

export async function pgListTables(cfg: ConnectionConfig): Promise<TableListing[]> {
  const client = await connectPg(cfg, 'aqueduct-browse');
  try {
    const r = await client.query<{ schema: string; name: string; type: string }>(
      `SELECT table_schema AS schema, table_name AS name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END AS type
       FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    return r.rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function pgPreview(cfg: ConnectionConfig, table: string, limit: number): Promise<TablePreview> {
  const client = await connectPg(cfg, 'aqueduct-browse');
  try {
    await prepareSession(client);
    const r = await client.query<TextCell[]>({ text: `SELECT * FROM ${quoteTable(parseTableName(table))} LIMIT $1`, values: [limit], rowMode: 'array', types: rawText });
    await client.query('COMMIT');
    return { columns: r.fields.map((f) => ({ name: f.name, type: pgColumn(f.name, f.dataTypeID, f.dataTypeModifier).duckType })), rows: r.rows };
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Reads a page of any node's output from its Parquet artifact, for tables in the UI and
// `aqueduct preview`: first N rows (or a page, optionally sorted), with column types.
import fs from 'node:fs';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { NodeRunRecord, Preview } from '../api/types.ts';
import { describeParquet, quoteIdent, quoteLiteral } from './duck.ts';

export interface PreviewOptions {
  limit?: number;
  offset?: number;
  orderBy?: string;
  descending?: boolean;
}

export class PreviewUnavailableError extends Error {}

const WIDE_INTEGER = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/;

/** DuckDB's JSON gives 64-bit integers as strings; numbers where they fit exactly. */
export function safeIntegers(row: Record<string, unknown>, columns: { name: string; type: string }[]): Record<string, unknown> {
  for (const c of columns) {
    const v = row[c.name];
    if (typeof v === 'string' && WIDE_INTEGER.test(c.type) && Number.isSafeInteger(Number(v))) row[c.name] = Number(v);
  }
  return row;
}

export async function readPreview(
  duck: DuckDBInstance,
  runId: string,
  nodeId: string,
  node: NodeRunRecord | undefined,
  o: PreviewOptions,
): Promise<Preview> {
  if (!node) throw new PreviewUnavailableError(`run ${runId} has no node "${nodeId}"`);
  if (!node.artifactPath) {
    const why = node.status === 'succeeded' ? 'it produced no table (checks, metrics and publishes give none)' : `its status is ${node.status}`;
    throw new PreviewUnavailableError(`node "${nodeId}" has no output to preview: ${why}`);
  }
  if (!fs.existsSync(node.artifactPath)) {
    throw new PreviewUnavailableError(`the output of node "${nodeId}" was deleted (retention); run the workflow again to see it`);
  }
  const limit = Math.max(0, Math.min(o.limit ?? 100, 10_000));
  const offset = Math.max(0, o.offset ?? 0);
  const c = await duck.connect();
  try {
    const info = await describeParquet(c, node.artifactPath);
    if (o.orderBy && !info.columns.some((col) => col.name === o.orderBy)) {
      throw new PreviewUnavailableError(`no column "${o.orderBy}" in node "${nodeId}"`);
    }
    // ties are broken by the row's position in the file, so pages of one sort never overlap
    const tiebreak = !info.columns.some((col) => col.name === 'file_row_number');
    const source = `read_parquet(${quoteLiteral(node.artifactPath)}${o.orderBy && tiebreak ? ', file_row_number = true' : ''})`;
    const select = o.orderBy && tiebreak ? 'SELECT * EXCLUDE (file_row_number)' : 'SELECT *';
    const order = o.orderBy
      ? `ORDER BY ${quoteIdent(o.orderBy)} ${o.descending ? 'DESC' : 'ASC'} NULLS LAST${tiebreak ? ', file_row_number' : ''}`
      : '';
    const r = await c.runAndReadAll(
      `${select} FROM ${source} ${order} LIMIT ${limit} OFFSET ${offset}`,
    );
    const rows = r.getRowObjectsJson() as Record<string, unknown>[];
    return { runId, nodeId, columns: info.columns, rows: rows.map((row) => safeIntegers(row, info.columns)), totalRows: info.rows };
  } finally {
    c.closeSync();
  }
}

// source nodes: a data file (CSV, Parquet, JSON, Excel) or a query on a connection,
// copied once into the run's Parquet so every downstream node reads the same snapshot.
import fs from 'node:fs';
import path from 'node:path';
import type { FileFormat } from '../../spec/schema.ts';
import { quoteLiteral, withConnection, writeQueryToParquet } from '../duck.ts';
import { nodeConnection } from './connection.ts';
import { readExcelToCsv } from './excel-source.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

const EXTENSIONS: Record<string, FileFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.xlsx': 'excel',
};

export async function runSource(ctx: NodeContext): Promise<NodeOutcome> {
  const node = ctx.node;
  if (node.kind !== 'source') throw new Error('not a source node');
  if (node.connection) {
    const { runQuerySource } = await import('../../connectors/sources.ts');
    const conn = await nodeConnection(ctx, node.connection, 'connection');
    return runQuerySource(ctx, conn, node.query ?? '');
  }
  const file = path.resolve(ctx.workflow.folder, node.file ?? '');
  if (!fs.existsSync(file)) {
    throw new NodeFailure(
      `source file ${node.file} does not exist (looked at ${file})`,
      undefined,
      'fix the file: path in workflow.yaml (relative paths start at the workflow folder)',
    );
  }
  const format = node.format ?? EXTENSIONS[path.extname(file).toLowerCase()];
  if (!format) {
    throw new NodeFailure(
      `cannot tell the format of ${node.file}`,
      undefined,
      'set format: csv, parquet, json or excel on the node',
    );
  }
  let reader: string;
  let cleanup: (() => void) | undefined;
  switch (format) {
    case 'csv':
      reader = `read_csv(${quoteLiteral(file)}, auto_detect = true, header = true)`;
      break;
    case 'parquet':
      reader = `read_parquet(${quoteLiteral(file)})`;
      break;
    case 'json':
      reader = `read_json_auto(${quoteLiteral(file)})`;
      break;
    case 'excel': {
      const csv = await readExcelToCsv(file, node.file ?? file, node.sheet, `${ctx.outputPath}.xlsx.csv`);
      cleanup = () => fs.rmSync(csv, { force: true });
      reader = `read_csv(${quoteLiteral(csv)}, auto_detect = true, header = true)`;
      break;
    }
  }
  try {
    const out = await withConnection(ctx.duck, new Map(), ctx.signal, (c) =>
      writeQueryToParquet(c, `SELECT * FROM ${reader}`, {}, ctx.outputPath),
    );
    ctx.log('system', `read ${out.table.rows} rows from ${node.file}`);
    return { type: 'table', ...out };
  } catch (e) {
    throw new NodeFailure(`could not read ${node.file} as ${format}: ${(e as Error).message}`, undefined, 'check the file, or set format: on the node');
  } finally {
    cleanup?.();
  }
}

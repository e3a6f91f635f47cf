// source nodes: a data file (CSV, Parquet, JSON, Excel) or a query on a connection,
// copied once into the run's Parquet so every downstream node reads the same snapshot.
// How the file is read (format, null markers, delimiter, column types…) is source-reader.ts.
import fs from 'node:fs';
import path from 'node:path';
import { withConnection, writeQueryToParquet } from '../duck.ts';
import { nodeConnection } from './connection.ts';
import { readExcelToCsv } from './excel-source.ts';
import { formatOf, readerSql, readFailure, readOptionsOf } from './source-reader.ts';
import { NodeFailure, type NodeContext, type NodeOutcome } from './types.ts';

/** The fix of a missing or unreadable file names the form field first, then the YAML. */
export const SOURCE_FILE_FIX = 'choose the file in the "Source file" field (Settings tab), or fix file: in workflow.yaml; relative paths start at the workflow folder';

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
    throw new NodeFailure(`source file ${node.file} does not exist (looked at ${file})`, undefined, SOURCE_FILE_FIX);
  }
  const format = formatOf(file, node.format);
  if (!format) {
    throw new NodeFailure(
      `cannot tell the format of ${node.file}`,
      undefined,
      'choose one in the "Format" field (Settings tab), or set format: csv, parquet, json or excel on the node',
    );
  }
  const options = readOptionsOf(node, format);
  let reader: string;
  let cleanup: (() => void) | undefined;
  if (format === 'excel') {
    const csv = await readExcelToCsv(file, node.file ?? file, node.sheet, `${ctx.outputPath}.xlsx.csv`);
    cleanup = () => fs.rmSync(csv, { force: true });
    reader = readerSql(csv, 'csv', options);
  } else {
    reader = readerSql(file, format, options);
  }
  try {
    const out = await withConnection(ctx.duck, new Map(), ctx.signal, (c) =>
      writeQueryToParquet(c, `SELECT * FROM ${reader}`, {}, ctx.outputPath),
    );
    ctx.log('system', `read ${out.table.rows} rows from ${node.file}`);
    return { type: 'table', ...out };
  } catch (e) {
    const f = readFailure(node.file ?? '', format, (e as Error).message);
    throw new NodeFailure(f.message, f.detail, f.fix);
  } finally {
    cleanup?.();
  }
}

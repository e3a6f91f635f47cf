// Why: a query source may return millions of rows; they must reach the run's Parquet
// without ever sitting in memory together. Rows arrive as text (what every driver can
// give exactly), go into a small DuckDB staging table through the appender, and every
// few hundred thousand rows that table is cast to the real types and written out as one
// Parquet part; at the end the parts are stitched into the node's output in order.
import fs from 'node:fs';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo } from '../../api/types.ts';
import type { TableRef } from '../../exec/kinds/types.ts';
import { quoteIdent, sqlString } from '../sql.ts';

export interface SinkColumn {
  name: string;
  /** the DuckDB type the column gets in the Parquet */
  duckType: string;
  /** a DuckDB expression turning the staged text `q` into duckType (default CAST) */
  cast?: (q: string) => string;
}

export type TextCell = string | null;

const FLUSH_ROWS = 200_000;
const FLUSH_CHARS = 48 * 1024 * 1024;

/** Column names as a Parquet file can hold them: unique and never empty. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const base = raw && raw.trim() ? raw : `column_${i + 1}`;
    let name = base;
    for (let k = 2; seen.has(name.toLowerCase()); k++) name = `${base}_${k}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

export class ParquetSink {
  private appender: DuckDBAppender | undefined;
  private readonly parts: string[] = [];
  private pendingRows = 0;
  private pendingChars = 0;
  rows = 0;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly stage: string,
    private readonly outputPath: string,
    readonly columns: SinkColumn[],
  ) {}

  static async open(duck: DuckDBInstance, outputPath: string, columns: SinkColumn[]): Promise<ParquetSink> {
    const names = uniqueNames(columns.map((c) => c.name));
    const cols = columns.map((c, i) => ({ ...c, name: names[i]! }));
    const conn = await duck.connect();
    const stage = `aq_source_${Math.random().toString(16).slice(2, 10)}`;
    const sink = new ParquetSink(conn, stage, outputPath, cols);
    await sink.newStage();
    return sink;
  }

  private async newStage(): Promise<void> {
    const defs = this.columns.map((_, i) => `c${i} VARCHAR`).join(', ');
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.stage} (${defs || 'c0 VARCHAR'})`);
    this.appender = await this.conn.createAppender(this.stage, 'main', 'temp');
  }

  /** Adds rows (each one text cell per column); writes a part when enough has piled up. */
  async append(batch: TextCell[][]): Promise<void> {
    const a = this.appender!;
    const width = this.columns.length;
    for (const row of batch) {
      for (let i = 0; i < width; i++) {
        const v = row[i];
        if (v === null || v === undefined) a.appendNull();
        else {
          a.appendVarchar(v);
          this.pendingChars += v.length;
        }
      }
      a.endRow();
    }
    this.pendingRows += batch.length;
    this.rows += batch.length;
    if (this.pendingRows >= FLUSH_ROWS || this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    this.appender!.flushSync();
    this.appender!.closeSync();
    this.appender = undefined;
    const part = `${this.outputPath}.part-${String(this.parts.length + 1).padStart(5, '0')}.parquet`;
    const select = this.columns
      .map((c, i) => `${c.cast ? c.cast(`c${i}`) : c.duckType === 'VARCHAR' ? `c${i}` : `CAST(c${i} AS ${c.duckType})`} AS ${quoteIdent(c.name)}`)
      .join(', ');
    await this.conn.run(`COPY (SELECT ${select} FROM ${this.stage}) TO ${sqlString(part)} (FORMAT parquet, COMPRESSION zstd)`);
    this.parts.push(part);
    this.pendingRows = 0;
    this.pendingChars = 0;
    // a fresh table gives its memory back; deleting rows would not
    await this.newStage();
  }

  /** Writes the node's Parquet and describes it. */
  async finish(): Promise<{ table: TableRef; bytes: number }> {
    if (this.pendingRows > 0 || this.parts.length === 0) await this.flush();
    this.appender?.closeSync();
    this.appender = undefined;
    if (this.parts.length === 1) fs.renameSync(this.parts[0]!, this.outputPath);
    else {
      const tmp = `${this.outputPath}.tmp`;
      const list = this.parts.map(sqlString).join(', ');
      await this.conn.run(`COPY (SELECT * FROM read_parquet([${list}])) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      fs.renameSync(tmp, this.outputPath);
      for (const p of this.parts) fs.rmSync(p, { force: true });
    }
    this.parts.length = 0;
    const described = await this.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(this.outputPath)})`);
    const columns: ColumnInfo[] = described.getRowObjects().map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
    this.close();
    return { table: { path: this.outputPath, columns, rows: this.rows }, bytes: fs.statSync(this.outputPath).size };
  }

  /** Drops everything written so far (after a failure or a cancel). */
  discard(): void {
    try {
      this.appender?.closeSync();
    } catch {
      // the appender may already be broken by the failure
    }
    this.appender = undefined;
    for (const p of this.parts) fs.rmSync(p, { force: true });
    fs.rmSync(`${this.outputPath}.tmp`, { force: true });
    this.close();
  }

  /** Closing the connection also drops its temp staging table. */
  private close(): void {
    this.conn.closeSync();
  }
}

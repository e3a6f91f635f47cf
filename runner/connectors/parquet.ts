// Why: every writer reads the run's Parquet the same way: DuckDB in memory, streamed in
// chunks, so a million rows never sit in memory at once, and one place maps its types.
import { existsSync } from 'node:fs';
import { DuckDBBlobValue, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { interruptOnAbort } from '../exec/duck.ts';
import { PublishError } from './types.ts';
import { quoteIdent, sqlString } from './sql.ts';

export type ColumnKind =
  | 'int' | 'bigint' | 'float' | 'decimal' | 'bool' | 'date' | 'time' | 'timestamp' | 'timestamptz'
  | 'text' | 'blob' | 'uuid' | 'interval' | 'json';

export interface Column {
  name: string;
  /** the DuckDB type, as DESCRIBE prints it */
  duckType: string;
  kind: ColumnKind;
  precision?: number;
  scale?: number;
}

const INT = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER']);
const WIDE_INT = new Set(['UBIGINT', 'HUGEINT', 'UHUGEINT']);

export function classify(duckType: string): Pick<Column, 'kind' | 'precision' | 'scale'> {
  const t = duckType.toUpperCase();
  if (INT.has(t)) return { kind: 'int' };
  if (WIDE_INT.has(t)) return { kind: 'bigint', precision: t === 'UBIGINT' ? 20 : 39, scale: 0 };
  if (t === 'FLOAT' || t === 'DOUBLE') return { kind: 'float' };
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return { kind: 'decimal', precision: Number(dec[1]), scale: Number(dec[2]) };
  if (t === 'BOOLEAN') return { kind: 'bool' };
  if (t === 'DATE') return { kind: 'date' };
  if (t === 'TIME' || t === 'TIME_NS') return { kind: 'time' };
  if (t === 'TIMESTAMP WITH TIME ZONE') return { kind: 'timestamptz' };
  if (t.startsWith('TIMESTAMP')) return { kind: 'timestamp' };
  if (t === 'VARCHAR' || t.startsWith('ENUM(')) return { kind: 'text' };
  if (t === 'BLOB') return { kind: 'blob' };
  if (t === 'UUID') return { kind: 'uuid' };
  if (t === 'INTERVAL') return { kind: 'interval' };
  return { kind: 'json' }; // lists, structs, maps, JSON, unions: published as JSON text
}

/** A value as the writers receive it: DuckDB casts everything to one of these first. */
export type Cell = string | number | bigint | boolean | Buffer | null;

export class ParquetSource {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly from: string,
    readonly columns: Column[],
    private readonly stopInterrupting: () => void,
  ) {}

  /** With a signal, a statement running when it aborts (a timeout, a cancel) is interrupted. */
  static async open(parquetPath: string, signal?: AbortSignal): Promise<ParquetSource> {
    if (!existsSync(parquetPath)) throw new PublishError(`the table to publish is missing: ${parquetPath}`, 'run the upstream nodes again');
    const instance = await DuckDBInstance.create(':memory:');
    let stop = () => {};
    try {
      const conn = await instance.connect();
      stop = interruptOnAbort(conn, signal);
      await conn.run("SET TimeZone = 'UTC'");
      const from = `read_parquet(${sqlString(parquetPath)})`;
      const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
      const columns = described.getRowObjects().map((r) => {
        const duckType = String(r['column_type']);
        return { name: String(r['column_name']), duckType, ...classify(duckType) };
      });
      return new ParquetSource(instance, conn, from, columns, stop);
    } catch (e) {
      stop();
      instance.closeSync();
      if (e instanceof PublishError) throw e;
      throw new PublishError(`cannot read the table to publish (${parquetPath}): ${(e as Error).message}`);
    }
  }

  get names(): string[] {
    return this.columns.map((c) => c.name);
  }

  /** `read_parquet('...')`, for writers that let DuckDB do the writing itself */
  get fromClause(): string {
    return this.from;
  }

  async rowCount(): Promise<number> {
    const r = await this.conn.runAndReadAll(`SELECT count(*) FROM ${this.from}`);
    return Number(r.getRows()[0]![0]);
  }

  /** Column names of any query on the reading instance. */
  async describe(select: string): Promise<string[]> {
    const r = await this.conn.runAndReadAll(`DESCRIBE ${select}`);
    return r.getRowObjects().map((row) => String(row['column_name']));
  }

  /** Run plain SQL on the reading instance (e.g. a COPY ... TO for file writers). */
  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  /**
   * The rows, `maxRows` at a time, with each column computed by `expr(column, quotedName)`
   * (a DuckDB expression casting it to what the writer wants).
   */
  async *batches(expr: (c: Column, q: string) => string, maxRows: number, signal?: AbortSignal): AsyncGenerator<Cell[][]> {
    const select = this.columns.map((c) => `${expr(c, quoteIdent(c.name))}`).join(', ');
    const result = await this.conn.stream(`SELECT ${select} FROM ${this.from}`);
    let buffer: Cell[][] = [];
    for (;;) {
      if (signal?.aborted) throw new PublishError('publish cancelled; nothing was changed');
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) {
        buffer.push(row.map((v) => (v instanceof DuckDBBlobValue ? Buffer.from(v.bytes) : (v as Cell))));
      }
      if (buffer.length >= maxRows) {
        yield buffer;
        buffer = [];
      }
    }
    if (buffer.length) yield buffer;
  }

  close(): void {
    this.stopInterrupting();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Open the source, run `fn`, always close. Given the publish request, its signal interrupts the reading. */
export async function withParquet<T>(from: string | { parquetPath: string; signal?: AbortSignal }, fn: (src: ParquetSource) => Promise<T>): Promise<T> {
  const src = typeof from === 'string' ? await ParquetSource.open(from) : await ParquetSource.open(from.parquetPath, from.signal);
  try {
    return await fn(src);
  } finally {
    src.close();
  }
}

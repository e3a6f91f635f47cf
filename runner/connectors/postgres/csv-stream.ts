// Why: the Postgres publish is bound by turning rows into COPY text. DuckDB writes that
// CSV itself (in native code) into a named pipe while Node streams the pipe into COPY FROM
// STDIN, so the two overlap and no row passes through JavaScript values. Where named pipes
// do not exist (Windows) the CSV goes through a temp file instead. Line ends are counted on
// the way for progress; the row count that matters comes from the server's COPY answer.
// DuckDB exports with at most EXPORT_THREADS threads: its CSV writer alone outruns what one
// COPY backend ingests, so more threads only take CPU from Node and (often) the server.
import { spawnSync } from 'node:child_process';
import { childEnv } from '../../secrets/process-secrets.ts';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ParquetSource } from '../parquet.ts';
import { quoteIdent, sqlString } from '../sql.ts';
import { pgTextExpr } from './types.ts';

/** DuckDB threads for the export: leave a core for Node (and a local server); 2 at most. */
const EXPORT_THREADS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

/** CSV rows as COPY (FORMAT csv) reads them: NULL as nothing, an empty string as "". */
function copySql(src: ParquetSource, file: string): string {
  const select = src.columns.map((c) => `${pgTextExpr(c, quoteIdent(c.name))} AS ${quoteIdent(c.name)}`).join(', ');
  return `COPY (SELECT ${select} FROM ${src.fromClause}) TO ${sqlString(file)} (FORMAT csv, HEADER false, NULLSTR '', QUOTE '"', ESCAPE '"')`;
}

/** Counts line ends for progress (a newline inside a value counts too: progress only). */
function rowCounter(onRows: (n: number) => void): Transform {
  let rows = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) rows++;
      onRows(rows);
      done(null, chunk);
    },
  });
}

function makeFifo(file: string): boolean {
  if (process.platform === 'win32') return false;
  return spawnSync('mkfifo', ['-m', '600', file], { stdio: 'ignore', env: childEnv() }).status === 0;
}

/** Streams every row of `src` into `copy` (a COPY … FROM STDIN stream). */
export async function streamParquetAsCsv(src: ParquetSource, copy: Writable, onRows: (n: number) => void, signal?: AbortSignal): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-copy-'));
  const file = path.join(dir, 'rows.csv');
  const counter = rowCounter(onRows);
  try {
    await src.run(`SET threads = ${EXPORT_THREADS}`);
    if (!makeFifo(file)) {
      await src.run(copySql(src, file));
      await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), counter, copy, { signal });
      return;
    }
    // reader first (non-blocking), plus a writer of our own so the reader sees no EOF
    // before DuckDB has opened the pipe; closing ours once DuckDB is done ends the stream
    const reader: Readable = new net.Socket({ fd: fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK), readable: true, writable: false });
    const holder = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const producing = src.run(copySql(src, file)).finally(() => fs.closeSync(holder));
    producing.catch(() => undefined); // awaited below; a failure must not count as unhandled
    try {
      await pipeline(reader, counter, copy, { signal });
    } catch (e) {
      // DuckDB may not have opened the pipe yet: with no reader left, its open() would
      // block for ever (and the publish with it). A reader of our own drops the rest until
      // DuckDB's COPY ends, however far it got.
      const drain = new net.Socket({ fd: fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK), readable: true, writable: false });
      drain.on('error', () => undefined);
      drain.resume();
      reader.destroy();
      await producing.catch(() => undefined);
      drain.destroy();
      throw e;
    }
    await producing; // a DuckDB failure midway fails the publish (the caller rolls back)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

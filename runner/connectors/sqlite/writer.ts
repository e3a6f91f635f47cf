// Why: SQLite file destination. Every mode runs in one transaction (BEGIN IMMEDIATE ..
// COMMIT) so a constraint error, a cancel or kill -9 leaves the database as it was. The
// publishes of one run to one file share that transaction (SQLite has one writer per
// file); each stages inside a savepoint, and the first commit commits them all.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { PublishError, defineWriter, type PublishRequest } from '../types.ts';
import { withParquet, type Column } from '../parquet.ts';
import { existsError, quoteIdent, quoteTable, requireKey, requireTable, stagingName, type TableName } from '../sql.ts';
import { dbFileTarget, prepareDbFile, removeCreated } from '../local-db.ts';
import { SharedTransaction, type Shared, type StagingArea } from '../staging.ts';
import { stagingOf } from '../files/common.ts';

/** Declared SQLite type; it decides the column's affinity (decimals get NUMERIC). */
function sqliteType(c: Column): string {
  switch (c.kind) {
    case 'int': return 'INTEGER';
    case 'bigint': return 'NUMERIC';
    case 'float': return 'REAL';
    case 'decimal': return `NUMERIC(${c.precision},${c.scale})`;
    case 'bool': return 'BOOLEAN';
    case 'date': return 'DATE';
    case 'time': return 'TIME';
    case 'timestamp': return 'TIMESTAMP';
    case 'timestamptz': return 'TIMESTAMPTZ';
    case 'blob': return 'BLOB';
    default: return 'TEXT';
  }
}

/** What to bind: integers as BigInt, floats as numbers, times as ISO text, timestamptz in UTC. */
function bindExpr(c: Column, q: string): string {
  switch (c.kind) {
    case 'int': return `CAST(${q} AS BIGINT)`;
    case 'float': return `CAST(${q} AS DOUBLE)`;
    case 'bool': return `CAST(${q} AS INTEGER)`;
    case 'blob': return q;
    case 'timestamptz': return `CAST(timezone('UTC', ${q}) AS VARCHAR) || '+00:00'`;
    case 'json': return `CAST(to_json(${q}) AS VARCHAR)`;
    default: return `CAST(${q} AS VARCHAR)`;
  }
}

function explain(target: string, e: Error): PublishError {
  const m = e.message;
  if (/ON CONFLICT clause does not match/i.test(m)) {
    return new PublishError(`sqlite ${target}: upsert needs a unique key on the table`, 'publish once with mode replace and a key (which creates it), or create a UNIQUE index on the key columns');
  }
  if (/constraint failed/i.test(m)) return new PublishError(`sqlite ${target}: ${m}; nothing was changed`, 'fix the rows that break the constraint, or use mode replace');
  if (/database is locked|SQLITE_BUSY/i.test(m)) return new PublishError(`sqlite ${target}: the database is locked by another program`, 'close the other program or wait for it, then publish again');
  if (/file is not a database/i.test(m)) return new PublishError(`sqlite ${target}: the file is not a SQLite database`, 'pick another path');
  if (/has no column named/i.test(m)) return new PublishError(`sqlite ${target}: ${m}`, 'use mode replace, or make the columns match the table');
  if (/unknown database/i.test(m)) return new PublishError(`sqlite ${target}: ${m}`, 'drop the schema part of the table name (or use main)');
  return new PublishError(`sqlite ${target}: ${m}`);
}

interface SqliteFile extends Shared {
  db: Database.Database;
  tx: SharedTransaction;
}

/** The run's open transaction on `path`, begun by the first publish of that file. */
function openFile(area: StagingArea, path: string, target: string): Promise<SqliteFile> {
  return area.open(`sqlite:${path}`, async () => {
    const file = await prepareDbFile(path);
    area.ledger.record(path, 'sqlite');
    let db: Database.Database | undefined;
    const close = async (commit: boolean) => {
      try {
        if (commit) db!.exec('COMMIT');
        else if (db?.inTransaction) db.exec('ROLLBACK');
      } finally {
        db?.close();
        if (!commit) await removeCreated(file, ['-journal', '-wal', '-shm']);
        area.ledger.release(path);
      }
    };
    try {
      db = new Database(path);
      db.pragma('busy_timeout = 10000');
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      await close(false);
      throw explain(target, e as Error);
    }
    const tx = new SharedTransaction(async (commit) => {
      try {
        await close(commit);
      } catch (e) {
        throw explain(target, e as Error);
      }
    });
    return { db, tx, end: (commit) => tx.end(commit) };
  });
}

function target(req: PublishRequest): { path: string; name: TableName; schema: string; target: string } {
  const name = requireTable('sqlite', req.destination.table);
  const path = dbFileTarget('sqlite', req);
  const schema = name.schema ?? 'main';
  return { path, name, schema, target: `${path}#${schema}.${name.table}` };
}

export const sqliteWriter = defineWriter({
  type: 'sqlite',
  target: async (req) => target(req).target,
  async stage(req) {
    const { path, name, schema, target: where } = target(req);
    const t = quoteTable({ schema, table: name.table });
    const area = stagingOf(req);
    return area.serial(`sqlite:${path}`, async () => {
      const file = await openFile(area, path, where);
      const conn = file.db;
      const savepoint = quoteIdent(`aq_publish_${randomBytes(4).toString('hex')}`);
      conn.exec(`SAVEPOINT ${savepoint}`);
      try {
        const rows = await withParquet(req.parquetPath, async (src) => {
          const columns = src.columns;
          const names = src.names;
          const key = req.mode === 'upsert' ? requireKey('sqlite', where, req.key, names) : req.key;
          const exists = conn.prepare(`SELECT 1 FROM ${quoteIdent(schema)}.sqlite_master WHERE type IN ('table', 'view') AND name = ?`).get(name.table) !== undefined;
          if (exists && req.mode === 'fail_if_exists') throw existsError('sqlite', where);
          // replace builds a staging table, then drops the old one and renames: one transaction
          const into = req.mode === 'replace' ? { schema, table: stagingName(name.table, 1000) } : { schema, table: name.table };
          if (req.mode === 'replace' || !exists) {
            const defs = columns.map((c) => `${quoteIdent(c.name)} ${sqliteType(c)}`);
            if (key?.length) defs.push(`UNIQUE (${key.map((k) => quoteIdent(k)).join(', ')})`);
            conn.exec(`CREATE TABLE ${quoteTable(into)} (${defs.join(', ')})`);
          }
          const cols = names.map((n) => quoteIdent(n)).join(', ');
          let sql = `INSERT INTO ${quoteTable(into)} (${cols}) VALUES (${names.map(() => '?').join(', ')})`;
          if (req.mode === 'upsert' && exists) {
            const rest = names.filter((c) => !key!.includes(c));
            sql += ` ON CONFLICT (${key!.map((k) => quoteIdent(k)).join(', ')}) ${
              rest.length ? `DO UPDATE SET ${rest.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}` : 'DO NOTHING'
            }`;
          }
          const insert = conn.prepare(sql);
          let written = 0;
          for await (const batch of src.batches(bindExpr, 10_000, req.signal)) {
            for (const row of batch) insert.run(row);
            written += batch.length;
            req.onProgress?.(written);
          }
          if (req.mode === 'replace') {
            if (exists) conn.exec(`DROP TABLE ${t}`);
            conn.exec(`ALTER TABLE ${quoteTable(into)} RENAME TO ${quoteIdent(name.table)}`);
          }
          if (req.signal?.aborted) throw new PublishError(`sqlite ${where}: publish cancelled; nothing was changed`);
          return written;
        });
        conn.exec(`RELEASE ${savepoint}`);
        return {
          rows,
          target: where,
          held: true,
          commit: () => file.end(true),
          abort: async () => {
            await file.end(false);
            return file.tx.settled !== 'committed';
          },
        };
      } catch (e) {
        // undo this publish only: others of the run may have staged into the same transaction
        try {
          conn.exec(`ROLLBACK TO ${savepoint}`);
          conn.exec(`RELEASE ${savepoint}`);
        } catch {
          // the transaction is gone with the error; ending it rolls back the rest
        }
        throw e instanceof PublishError ? e : explain(where, e as Error);
      }
    });
  },
});

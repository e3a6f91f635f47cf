// Why: DuckDB file destination. DuckDB reads the Parquet itself and every mode runs in one
// transaction, so a failure (or kill -9, via its WAL) leaves the database as it was. The
// transaction stays open until commit; publishes of one run to one file share the open
// database (a file opens once per process), each in a transaction of its own.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PublishError, defineWriter, type PublishRequest } from '../types.ts';
import { existsError, quoteIdent, quoteTable, requireKey, requireTable, sqlString } from '../sql.ts';
import { dbFileTarget, prepareDbFile, removeCreated, type DbFile } from '../local-db.ts';
import type { Shared, StagingArea } from '../staging.ts';
import { stagingOf } from '../files/common.ts';
import { interruptOnAbort } from '../../exec/duck.ts';

async function scalar(conn: DuckDBConnection, sql: string): Promise<unknown> {
  const r = await conn.runAndReadAll(sql);
  return r.getRows()[0]?.[0];
}

/** A UNIQUE/PRIMARY KEY constraint on exactly `key`, or a unique index (DuckDB checks its columns). */
async function hasUniqueKey(conn: DuckDBConnection, schema: string, table: string, key: string[]): Promise<boolean> {
  const where = `schema_name = ${sqlString(schema)} AND table_name = ${sqlString(table)}`;
  const cons = await conn.runAndReadAll(`SELECT constraint_column_names FROM duckdb_constraints() WHERE ${where} AND constraint_type IN ('UNIQUE', 'PRIMARY KEY')`);
  const want = [...key].sort().join('\u0000');
  if (cons.getRowsJS().some((r) => [...(r[0] as string[])].sort().join('\u0000') === want)) return true;
  return Number(await scalar(conn, `SELECT count(*) FROM duckdb_indexes() WHERE ${where} AND is_unique`)) > 0;
}

function explain(target: string, e: Error): PublishError {
  const m = e.message;
  if (/Could not set lock|Conflicting lock/i.test(m)) {
    return new PublishError(`duckdb ${target}: the database file is open in another program`, 'close the other program (or its connection) and publish again');
  }
  if (/conflict target|ON CONFLICT/i.test(m)) {
    return new PublishError(`duckdb ${target}: upsert needs a unique key on the table: ${m}`, 'publish once with mode replace and a key (which creates it), or add a UNIQUE/PRIMARY KEY constraint on the key columns');
  }
  if (/Constraint Error/i.test(m)) return new PublishError(`duckdb ${target}: ${m}; nothing was changed`, 'fix the rows that break the constraint, or use mode replace');
  if (/Schema with name .* does not exist/i.test(m)) return new PublishError(`duckdb ${target}: ${m}`, 'create the schema first or publish to main');
  return new PublishError(`duckdb ${target}: ${m}`);
}

/** One open database file, shared by the run's publishes to it; closed when the last is done. */
class DuckFile implements Shared {
  private users = 0;
  private committed = false;
  private closed = false;

  constructor(readonly instance: DuckDBInstance, private readonly file: DbFile) {}

  use(): void {
    this.users++;
  }

  async done(committed: boolean): Promise<void> {
    this.committed ||= committed;
    if (--this.users <= 0) await this.end(this.committed);
  }

  async end(commit: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.instance.closeSync();
    if (!commit && !this.committed) await removeCreated(this.file, ['.wal']);
  }
}

function openFile(area: StagingArea, path: string, target: string): Promise<DuckFile> {
  return area.open(`duckdb:${path}`, async () => {
    const file = await prepareDbFile(path);
    try {
      return new DuckFile(await DuckDBInstance.create(path), file);
    } catch (e) {
      await removeCreated(file, ['.wal']);
      throw explain(target, e as Error);
    }
  });
}

function target(req: PublishRequest) {
  const name = requireTable('duckdb', req.destination.table);
  const path = dbFileTarget('duckdb', req);
  const schema = name.schema ?? 'main';
  return { path, name, schema, target: `${path}#${schema}.${name.table}` };
}

export const duckdbWriter = defineWriter({
  type: 'duckdb',
  target: async (req) => target(req).target,
  async stage(req) {
    const { path, name, schema, target: where } = target(req);
    const t = quoteTable({ schema, table: name.table });
    const from = `read_parquet(${sqlString(req.parquetPath)})`;
    const area = stagingOf(req);
    return area.serial(`duckdb:${path}`, async () => {
      const file = await openFile(area, path, where);
      file.use();
      let conn: DuckDBConnection | undefined;
      let stopInterrupting = () => {};
      try {
        conn = await file.instance.connect();
        const c = conn;
        // a timeout or cancel interrupts the long INSERT ... SELECT while staging (never the COMMIT)
        stopInterrupting = interruptOnAbort(c, req.signal);
        const described = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
        const columns = described.getRowObjects().map((r) => String(r['column_name']));
        const cols = columns.map((col) => quoteIdent(col)).join(', ');
        const key = req.mode === 'upsert' ? requireKey('duckdb', where, req.key, columns) : req.key;
        const rows = Number(await scalar(c, `SELECT count(*) FROM ${from}`));

        await c.run('BEGIN TRANSACTION');
        try {
          const exists =
            Number(await scalar(c, `SELECT count(*) FROM information_schema.tables WHERE table_schema = ${sqlString(schema)} AND table_name = ${sqlString(name.table)}`)) > 0;
          if (exists && req.mode === 'fail_if_exists') throw existsError('duckdb', where);
          const create = async () => {
            await c.run(`CREATE TABLE ${t} AS SELECT * FROM ${from} LIMIT 0`);
            if (key?.length) {
              const idx = quoteIdent(`${name.table}_aq_key`.slice(0, 63));
              await c.run(`CREATE UNIQUE INDEX ${idx} ON ${t} (${key.map((k) => quoteIdent(k)).join(', ')})`);
            }
            await c.run(`INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${from}`);
          };
          if (req.mode === 'replace') {
            if (exists) await c.run(`DROP TABLE ${t}`);
            await create();
          } else if (!exists) {
            await create();
          } else if (req.mode === 'append') {
            await c.run(`INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${from}`);
          } else {
            if (!(await hasUniqueKey(c, schema, name.table, key!))) {
              throw new PublishError(`duckdb ${where}: upsert needs a unique key on (${key!.join(', ')})`, 'publish once with mode replace and a key (which creates it), or add a UNIQUE/PRIMARY KEY constraint on the key columns');
            }
            const rest = columns.filter((col) => !key!.includes(col));
            const action = rest.length ? `DO UPDATE SET ${rest.map((col) => `${quoteIdent(col)} = EXCLUDED.${quoteIdent(col)}`).join(', ')}` : 'DO NOTHING';
            await c.run(`INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${from} ON CONFLICT (${key!.map((k) => quoteIdent(k)).join(', ')}) ${action}`);
          }
          if (req.signal?.aborted) throw new PublishError(`duckdb ${where}: publish cancelled; nothing was changed`);
        } catch (e) {
          stopInterrupting();
          await c.run('ROLLBACK').catch(() => undefined);
          throw e;
        }
        stopInterrupting();
        req.onProgress?.(rows);
        let settled = false;
        const finish = async (commit: boolean): Promise<boolean> => {
          if (settled) return false;
          settled = true;
          try {
            await c.run(commit ? 'COMMIT' : 'ROLLBACK');
          } catch (e) {
            if (commit) {
              await c.run('ROLLBACK').catch(() => undefined);
              throw explain(where, e as Error);
            }
          } finally {
            c.closeSync();
            await file.done(commit);
          }
          return true;
        };
        return { rows, target: where, held: true, commit: async () => void (await finish(true)), abort: () => finish(false) };
      } catch (e) {
        stopInterrupting();
        conn?.closeSync();
        await file.done(false);
        throw e instanceof PublishError ? e : explain(where, e as Error);
      }
    });
  },
});

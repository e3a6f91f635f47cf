// Why: DuckDB file destination. DuckDB reads the Parquet itself and every mode runs in one
// transaction, so a failure (or kill -9, via its WAL) leaves the database as it was.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PublishError, type DestinationWriter, type PublishRequest, type PublishResult } from '../types.ts';
import { existsError, quoteIdent, quoteTable, requireKey, requireTable, sqlString } from '../sql.ts';
import { openDbFile, removeCreated } from '../local-db.ts';
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

export const duckdbWriter: DestinationWriter = {
  type: 'duckdb',
  async publish(req: PublishRequest): Promise<PublishResult> {
    const name = requireTable('duckdb', req.destination.table);
    const file = await openDbFile('duckdb', req);
    const schema = name.schema ?? 'main';
    const target = `${file.path}#${schema}.${name.table}`;
    const t = quoteTable({ schema, table: name.table });
    const from = `read_parquet(${sqlString(req.parquetPath)})`;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file.path);
    } catch (e) {
      await removeCreated(file, ['.wal']);
      throw explain(target, e as Error);
    }
    let ok = false;
    let stopInterrupting = () => {};
    try {
      const conn = await instance.connect();
      // a timeout or cancel interrupts the long INSERT ... SELECT; the transaction then rolls back
      stopInterrupting = interruptOnAbort(conn, req.signal);
      const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
      const columns = described.getRowObjects().map((r) => String(r['column_name']));
      const cols = columns.map((c) => quoteIdent(c)).join(', ');
      const key = req.mode === 'upsert' ? requireKey('duckdb', target, req.key, columns) : req.key;
      const rows = Number(await scalar(conn, `SELECT count(*) FROM ${from}`));

      await conn.run('BEGIN TRANSACTION');
      try {
        const exists =
          Number(await scalar(conn, `SELECT count(*) FROM information_schema.tables WHERE table_schema = ${sqlString(schema)} AND table_name = ${sqlString(name.table)}`)) > 0;
        if (exists && req.mode === 'fail_if_exists') throw existsError('duckdb', target);
        const create = async () => {
          await conn.run(`CREATE TABLE ${t} AS SELECT * FROM ${from} LIMIT 0`);
          if (key?.length) {
            const idx = quoteIdent(`${name.table}_aq_key`.slice(0, 63));
            await conn.run(`CREATE UNIQUE INDEX ${idx} ON ${t} (${key.map((k) => quoteIdent(k)).join(', ')})`);
          }
          await conn.run(`INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${from}`);
        };
        if (req.mode === 'replace') {
          if (exists) await conn.run(`DROP TABLE ${t}`);
          await create();
        } else if (!exists) {
          await create();
        } else if (req.mode === 'append') {
          await conn.run(`INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${from}`);
        } else {
          if (!(await hasUniqueKey(conn, schema, name.table, key!))) {
            throw new PublishError(`duckdb ${target}: upsert needs a unique key on (${key!.join(', ')})`, 'publish once with mode replace and a key (which creates it), or add a UNIQUE/PRIMARY KEY constraint on the key columns');
          }
          const rest = columns.filter((c) => !key!.includes(c));
          const action = rest.length ? `DO UPDATE SET ${rest.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}` : 'DO NOTHING';
          await conn.run(`INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${from} ON CONFLICT (${key!.map((k) => quoteIdent(k)).join(', ')}) ${action}`);
        }
        if (req.signal?.aborted) throw new PublishError(`duckdb ${target}: publish cancelled; nothing was changed`);
        await conn.run('COMMIT');
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      req.onProgress?.(rows);
      ok = true;
      conn.closeSync();
      return { rows, target };
    } catch (e) {
      throw e instanceof PublishError ? e : explain(target, e as Error);
    } finally {
      stopInterrupting();
      instance.closeSync();
      if (!ok) await removeCreated(file, ['.wal']);
    }
  },
};

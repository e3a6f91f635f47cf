// Why: "delete this workflow and its outputs" removes exactly what lineage says the
// workflow published: a file, or a table named by the target string its writer recorded
// (path#schema.table, db/schema.table, project.dataset.table, spreadsheet#tab). Nothing
// else is ever touched, and a target that is already gone counts as done.
import fs from 'node:fs';
import { PublishError, type ConnectionConfig } from './types.ts';
import { quoteIdent, sqlString } from './sql.ts';
import { dropDelivered } from '../deliveries/folder.ts';

export interface DropRequest {
  destination: string;
  target: string;
  connection?: ConnectionConfig;
}

/** `a.b` → ['a', 'b'] at the first dot (schema names rarely hold dots; table names may). */
function splitFirst(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  if (i < 0) throw new PublishError(`cannot read the published target "${s}"`);
  return [s.slice(0, i), s.slice(i + sep.length)];
}

function need(req: DropRequest): ConnectionConfig {
  if (!req.connection) throw new PublishError(`${req.destination} ${req.target}: the connection it was published through is gone`, 'drop it by hand, or add the connection again');
  return req.connection;
}

/** Removes one published target; returns false when it did not exist (any more). */
export async function dropTarget(req: DropRequest): Promise<boolean> {
  switch (req.destination) {
    case 'csv': case 'parquet': case 'json': case 'excel': {
      if (!fs.existsSync(req.target)) return false;
      fs.rmSync(req.target, { force: true });
      return true;
    }
    case 'sqlite': {
      const at = req.target.lastIndexOf('#');
      const [schema, table] = splitFirst(req.target.slice(at + 1), '.');
      const file = req.target.slice(0, at);
      if (!fs.existsSync(file)) return false;
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(file);
      try {
        const found = db.prepare(`SELECT 1 FROM ${quoteIdent(schema)}.sqlite_master WHERE type = 'table' AND name = ?`).get(table);
        db.exec(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(table)}`);
        return found !== undefined;
      } finally {
        db.close();
      }
    }
    case 'duckdb': {
      const at = req.target.lastIndexOf('#');
      const [schema, table] = splitFirst(req.target.slice(at + 1), '.');
      const file = req.target.slice(0, at);
      if (!fs.existsSync(file)) return false;
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const inst = await DuckDBInstance.create(file);
      try {
        const c = await inst.connect();
        const n = Number((await c.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_schema = ${sqlString(schema)} AND table_name = ${sqlString(table)}`)).getRows()[0]?.[0]);
        await c.run(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(table)}`);
        c.closeSync();
        return n > 0;
      } finally {
        inst.closeSync();
      }
    }
    case 'postgres': {
      const [db, rest] = splitFirst(req.target, '/');
      const [schema, table] = splitFirst(rest, '.');
      const { connectPg } = await import('./postgres/client.ts');
      const client = await connectPg({ ...need(req), database: db || need(req).database }, 'aqueduct-drop');
      try {
        const found = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, table]);
        await client.query(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(table)}`);
        return (found.rowCount ?? 0) > 0;
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    case 'mysql': case 'mariadb': {
      const [db, table] = splitFirst(req.target, '/');
      const { connectMysql, endMysql, myQuery } = await import('./mysql/client.ts');
      const conn = await connectMysql(need(req));
      try {
        const found = await myQuery<unknown[]>(conn, 'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, table]);
        await myQuery(conn, `DROP TABLE IF EXISTS ${quoteIdent(db, '`')}.${quoteIdent(table, '`')}`);
        return found.length > 0;
      } finally {
        await endMysql(conn);
      }
    }
    case 'snowflake': {
      const [db, rest] = splitFirst(req.target, '.');
      const [schema, table] = splitFirst(rest, '.');
      const { snowflakeConnect } = await import('./snowflake/client.ts');
      const s = await snowflakeConnect(need(req));
      try {
        const found = await s.exec('SELECT COUNT(*) AS N FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [schema, table]);
        const qualified = `${db && db !== need(req).database ? `${quoteIdent(db)}.` : ''}${quoteIdent(schema)}.${quoteIdent(table)}`;
        await s.exec(`DROP TABLE IF EXISTS ${qualified}`);
        return Number(found[0]?.['N'] ?? 0) > 0;
      } finally {
        await s.close().catch(() => undefined);
      }
    }
    case 'bigquery': {
      const [, rest] = splitFirst(req.target, '.');
      const [dataset, table] = splitFirst(rest, '.');
      const { bigqueryClient } = await import('./bigquery/writer.ts');
      const t = (await bigqueryClient(need(req))).dataset(dataset).table(table);
      const [exists] = await t.exists();
      if (exists) await t.delete({ ignoreNotFound: true });
      return exists;
    }
    case 'google_sheets': {
      const [spreadsheetId, title] = splitFirst(req.target, '#');
      const { sheetsClient } = await import('./google-sheets/writer.ts');
      const api = await sheetsClient(need(req));
      const meta = await api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title)' });
      const sheetId = meta.data.sheets?.find((s) => s.properties?.title === title)?.properties?.sheetId;
      if (sheetId === undefined || sheetId === null) return false;
      // a spreadsheet's tab may hold a user's notes next to it: clear the values, keep the tab
      await api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ updateCells: { range: { sheetId }, fields: 'userEnteredValue' } }] } });
      return true;
    }
    // a report sent to people cannot be taken back; one copied to a folder can be removed
    case 'email': case 'slack':
      return false;
    case 'folder':
      return dropDelivered(req.target);
    default:
      throw new PublishError(`cannot drop targets of type ${req.destination}`);
  }
}

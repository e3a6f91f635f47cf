// Why: "Test connection" must say what is wrong in words a data scientist can act on:
// the host cannot be reached, the password is wrong, the database is missing, or the user
// may not create tables there. Each system's errors map onto those few answers here.
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionConfig } from '../connectors/types.ts';
import { connectMysql, endMysql, myQuery } from '../connectors/mysql/client.ts';
import { connectPg } from '../connectors/postgres/client.ts';
import { probeBigQuery, probeSheets, probeSnowflake } from './probe-cloud.ts';
import { probeSlack, probeSmtp } from './probe-people.ts';
import type { ConnectionProblem, ConnectionTestResult } from './types.ts';

export type Answer = Omit<ConnectionTestResult, 'ms'>;

export const answer = (ok: boolean, message: string, problem?: ConnectionProblem, fix?: string): Answer => ({ ok, message, problem, fix });

const NETWORK = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

/** A network failure, whatever the driver wrapped it in, or undefined. */
export function unreachable(e: unknown, where: string): Answer | undefined {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err.code && NETWORK.has(err.code) ? err.code : err.cause?.code && NETWORK.has(err.cause.code) ? err.cause.code : undefined;
  const timedOut = /timeout|timed out/i.test(err.message ?? '');
  if (!code && !timedOut) return undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return answer(false, `host of ${where} not found`, 'unreachable', 'check the host name (and your network or VPN)');
  const why = code === 'ECONNREFUSED' ? 'connection refused' : timedOut || code === 'ETIMEDOUT' ? 'no answer in time' : code!.toLowerCase();
  return answer(false, `cannot reach ${where} (${why})`, 'unreachable', 'check that the server is running and the host and port are right (and that no firewall is in the way)');
}

async function probePostgres(cfg: ConnectionConfig): Promise<Answer> {
  const where = `${cfg.host ?? 'localhost'}:${cfg.port ?? 5432}`;
  let client;
  try {
    client = await connectPg(cfg, 'aqueduct-test');
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === '28P01') return answer(false, `the server refused the password for user "${cfg.user}"`, 'auth', 'check the user name and password');
    if (err.code === '28000') return answer(false, `the server refused user "${cfg.user}": ${err.message}`, 'auth', 'check the user name, or ask an admin to allow this user to log in from here (pg_hba.conf)');
    if (err.code === '3D000') return answer(false, `database "${cfg.database}" does not exist on ${where}`, 'database', `create it (CREATE DATABASE "${cfg.database}") or fix the database name`);
    return unreachable(e, where) ?? answer(false, `cannot connect to ${where}: ${err.message}`, 'error');
  }
  try {
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;
    const schema = cfg.schema ?? (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
    const r = await client.query<{ usage: boolean; create: boolean }>(
      "SELECT has_schema_privilege(n.oid, 'USAGE') AS usage, has_schema_privilege(n.oid, 'CREATE') AS create FROM pg_namespace n WHERE n.nspname = $1",
      [schema],
    );
    const p = r.rows[0];
    if (!p) return answer(false, `schema "${schema}" does not exist in database "${cfg.database}"`, 'database', `create it (CREATE SCHEMA "${schema}") or fix the connection's schema`);
    if (!p.usage || !p.create) {
      const missing = [!p.usage && 'USAGE', !p.create && 'CREATE'].filter(Boolean).join(', ');
      return answer(false, `user "${cfg.user}" cannot create tables in schema "${schema}" of database "${cfg.database}" (missing ${missing})`, 'privilege',
        `ask an admin to run: GRANT ${missing} ON SCHEMA "${schema}" TO "${cfg.user}"`);
    }
    return answer(true, `connected to PostgreSQL ${version} as ${cfg.user}; can create tables in schema "${schema}"`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeMysql(cfg: ConnectionConfig): Promise<Answer> {
  const where = `${cfg.host ?? 'localhost'}:${cfg.port ?? 3306}`;
  let conn;
  try {
    conn = await connectMysql(cfg);
  } catch (e) {
    const err = e as { code?: string; message: string; sqlMessage?: string };
    if (err.code === 'ER_ACCESS_DENIED_ERROR' || err.code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
      return answer(false, `the server refused the password for user "${cfg.user}"`, 'auth', 'check the user name and password (and the host the user may connect from)');
    }
    if (err.code === 'ER_BAD_DB_ERROR') return answer(false, `database "${cfg.database}" does not exist on ${where}`, 'database', `create it (CREATE DATABASE \`${cfg.database}\`) or fix the database name`);
    if (err.code === 'ER_DBACCESS_DENIED_ERROR') {
      return answer(false, `user "${cfg.user}" may not use database "${cfg.database}"`, 'privilege', `ask an admin to run: GRANT SELECT, CREATE, DROP, INSERT, UPDATE, DELETE, ALTER ON \`${cfg.database}\`.* TO '${cfg.user}'@'%'`);
    }
    return unreachable(e, where) ?? answer(false, `cannot connect to ${where}: ${err.sqlMessage ?? err.message}`, 'error');
  }
  try {
    const [v] = await myQuery<{ v: string }[]>(conn, 'SELECT VERSION() AS v');
    // the only sure way to know CREATE works is to try it, on a name nobody uses
    const probe = `__aq_probe_${Math.random().toString(16).slice(2, 10)}`;
    try {
      await myQuery(conn, `CREATE TABLE \`${probe}\` (x INT)`);
      await myQuery(conn, `DROP TABLE \`${probe}\``);
    } catch (e) {
      const err = e as { code?: string; sqlMessage?: string; message: string };
      if (/ACCESS_DENIED/.test(err.code ?? '')) {
        return answer(false, `user "${cfg.user}" cannot create tables in database "${cfg.database}" (${err.sqlMessage ?? err.message})`, 'privilege',
          `ask an admin to run: GRANT CREATE, DROP, INSERT, UPDATE, DELETE, ALTER ON \`${cfg.database}\`.* TO '${cfg.user}'@'%'`);
      }
      throw e;
    }
    return answer(true, `connected to ${/mariadb/i.test(v?.v ?? '') ? 'MariaDB' : 'MySQL'} ${v?.v} as ${cfg.user}; can create tables in "${cfg.database}"`);
  } finally {
    await endMysql(conn);
  }
}

async function probeFile(cfg: ConnectionConfig): Promise<Answer> {
  const file = typeof cfg['path'] === 'string' ? path.resolve(cfg['path']) : '';
  if (!file) return answer(false, `a ${cfg.type} connection needs the path of its database file`, 'config', 'set path');
  if (!fs.existsSync(file)) {
    const dir = path.dirname(file);
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      return answer(true, `${file} does not exist yet: the first publish creates it`);
    } catch {
      return answer(false, `${file} does not exist and its folder cannot be written`, 'database', 'pick a file in a folder you can write to');
    }
  }
  try {
    if (cfg.type === 'sqlite') {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const n = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type IN ('table', 'view')").get() as { n: number }).n;
        return answer(true, `opened ${file} (${n} tables)`);
      } finally {
        db.close();
      }
    }
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    try {
      const c = await inst.connect();
      const n = Number((await c.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database()")).getRows()[0]?.[0]);
      c.closeSync();
      return answer(true, `opened ${file} (${n} tables)`);
    } finally {
      inst.closeSync();
    }
  } catch (e) {
    const m = (e as Error).message;
    if (/lock/i.test(m)) return answer(false, `${file} is open in another program`, 'error', 'close the other program and test again');
    return answer(false, `cannot open ${file} as a ${cfg.type} database: ${m}`, 'database', 'pick a database file of the right kind');
  }
}

export async function probeConnection(cfg: ConnectionConfig): Promise<ConnectionTestResult> {
  const started = Date.now();
  let result: Answer;
  try {
    switch (cfg.type) {
      case 'postgres': result = await probePostgres(cfg); break;
      case 'mysql': case 'mariadb': result = await probeMysql(cfg); break;
      case 'sqlite': case 'duckdb': result = await probeFile(cfg); break;
      case 'snowflake': result = await probeSnowflake(cfg); break;
      case 'bigquery': result = await probeBigQuery(cfg); break;
      case 'google_sheets': result = await probeSheets(cfg); break;
      case 'smtp': result = await probeSmtp(cfg); break;
      case 'slack': result = await probeSlack(cfg); break;
      default: result = answer(false, `cannot test connections of type ${cfg.type}`, 'config');
    }
  } catch (e) {
    result = answer(false, (e as Error).message, 'error');
  }
  return { ...result, ms: Date.now() - started };
}

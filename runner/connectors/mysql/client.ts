// Why: one way to turn a saved connection into mysql2 settings, shared by query sources,
// browsing, "test connection" and dropping published tables. Every value arrives as text
// (dates too), so nothing is lost to JavaScript numbers or the local time zone.
import type mysql from 'mysql2';
import type { ConnectionConfig } from '../types.ts';

export function mysqlOptions(cfg: ConnectionConfig): mysql.ConnectionOptions {
  return {
    host: cfg.host,
    port: cfg.port === undefined ? undefined : Number(cfg.port),
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    ssl: cfg.ssl ? {} : undefined,
    connectTimeout: 15_000,
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: 'Z',
  };
}

export async function connectMysql(cfg: ConnectionConfig): Promise<mysql.Connection> {
  const { default: m } = await import('mysql2');
  const conn = m.createConnection(mysqlOptions(cfg));
  conn.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve, reject) => conn.query("SET SESSION time_zone = '+00:00'", (err) => (err ? reject(err) : resolve())));
  return conn;
}

/** A promise wrapper for one query on a callback connection. */
export function myQuery<T = unknown>(conn: mysql.Connection, sql: string, values?: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => conn.query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T))));
}

export function endMysql(conn: mysql.Connection): Promise<void> {
  return new Promise((resolve) => conn.end(() => resolve()));
}

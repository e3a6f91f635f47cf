// Why: one way to turn a saved connection into node-postgres settings, shared by query
// sources, browsing, "test connection" and dropping published tables.
import type pg from 'pg';
import type { ConnectionConfig } from '../types.ts';

export function pgClientConfig(cfg: ConnectionConfig, application = 'aqueduct'): pg.ClientConfig {
  const connectionString = typeof cfg['connectionString'] === 'string' && cfg['connectionString'] ? cfg['connectionString'] : undefined;
  return {
    connectionString,
    host: cfg.host,
    port: cfg.port === undefined ? undefined : Number(cfg.port),
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    ssl: cfg.ssl ? { rejectUnauthorized: cfg['sslRejectUnauthorized'] !== false } : undefined,
    application_name: application,
    connectionTimeoutMillis: 15_000,
  };
}

/** A connected client; the caller ends it. Errors from a lost socket surface through queries. */
export async function connectPg(cfg: ConnectionConfig, application?: string): Promise<pg.Client> {
  const { default: pgm } = await import('pg');
  const client = new pgm.Client(pgClientConfig(cfg, application));
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  return client;
}

// Why: one Snowflake session (snowflake-sdk, loaded only when used) with promise-shaped
// statements, from a saved connection: password or key-pair login, and an endpoint that
// can be set (accessUrl) for private links and for the local stand-in of the tests.
import type { Connection, ConnectionOptions } from 'snowflake-sdk';
import { PublishError, type ConnectionConfig } from '../types.ts';

export interface SnowflakeSession {
  exec(sql: string, binds?: (string | null)[][] | (string | number | null)[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function snowflakeOptions(cfg: ConnectionConfig): ConnectionOptions {
  const account = str(cfg['account']);
  if (!account) throw new PublishError('the Snowflake connection has no account', 'set account (e.g. myorg-myaccount) on the connection');
  const privateKey = str(cfg['privateKey']);
  return {
    account,
    username: cfg.user,
    password: privateKey ? undefined : cfg.password,
    authenticator: privateKey ? 'SNOWFLAKE_JWT' : undefined,
    privateKey,
    privateKeyPass: str(cfg['privateKeyPassphrase']),
    warehouse: str(cfg['warehouse']),
    database: cfg.database,
    schema: cfg.schema,
    role: str(cfg['role']),
    accessUrl: str(cfg['accessUrl']),
    application: 'Aqueduct',
    timeout: 60_000,
  } as ConnectionOptions;
}

export async function snowflakeConnect(cfg: ConnectionConfig): Promise<SnowflakeSession> {
  const { default: snowflake } = await import('snowflake-sdk');
  snowflake.configure({ logLevel: 'OFF' });
  const conn: Connection = snowflake.createConnection(snowflakeOptions(cfg));
  // connect(callback) reports every login failure; connectAsync() resolves on some of them
  await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  return {
    exec: (sqlText, binds) =>
      new Promise((resolve, reject) => {
        conn.execute({
          sqlText,
          binds: binds as never,
          complete: (err, _stmt, rows) => (err ? reject(err) : resolve((rows ?? []) as Record<string, unknown>[])),
        });
      }),
    close: () => new Promise((resolve) => conn.destroy(() => resolve())),
  };
}

/** Snowflake's answers mapped to what a user can do about them. */
export function snowflakeError(target: string, e: unknown, cfg: ConnectionConfig): PublishError {
  if (e instanceof PublishError) return e;
  const err = e as { code?: string | number; message?: string };
  const msg = err.message ?? String(e);
  const code = String(err.code ?? '');
  const at = `snowflake ${target}`;
  if (code === '390100' || code === '390144' || /incorrect username or password|JWT token is invalid/i.test(msg)) {
    return new PublishError(`${at}: Snowflake refused the login of user "${cfg.user}" (${msg})`, 'check the user and password (or private key) of the connection');
  }
  if (code === '401001' || /network error|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|could not reach/i.test(msg)) {
    return new PublishError(`${at}: cannot reach Snowflake (${msg})`, 'check the account identifier (or accessUrl) of the connection and your network');
  }
  if (code === '003001' || /insufficient privileges/i.test(msg)) {
    return new PublishError(`${at}: ${msg}`, `grant the role of user "${cfg.user}" USAGE on the database and schema and CREATE TABLE on the schema`);
  }
  if (code === '002003' || /does not exist or not authorized/i.test(msg)) {
    return new PublishError(`${at}: ${msg}`, "fix the connection's database, schema or warehouse (or grant the role access to it)");
  }
  return new PublishError(`${at}: ${msg}; nothing was changed`);
}

// Why: MySQL/MariaDB errors become PublishErrors that name the target and say what to do.
import { PublishError } from '../types.ts';
import { existsError } from '../sql.ts';

interface MyErr extends Error { code?: string; sqlMessage?: string }

export function mysqlError(type: string, target: string, e: unknown, config: { database?: string; host?: string; port?: number; user?: string }): PublishError {
  if (e instanceof PublishError) return e;
  const err = e as MyErr;
  const at = `${type} ${target}`;
  const msg = err.sqlMessage ?? err.message ?? String(e);
  const unchanged = '; nothing was changed';
  switch (err.code) {
    case 'ER_BAD_DB_ERROR': return new PublishError(`${at}: database "${config.database}" does not exist`, `create it or fix the connection's database`);
    case 'ER_ACCESS_DENIED_ERROR': case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new PublishError(`${at}: the server refused user "${config.user}": ${msg}`, 'check the user name and password of the connection');
    case 'ER_DBACCESS_DENIED_ERROR': case 'ER_TABLEACCESS_DENIED_ERROR': case 'ER_SPECIFIC_ACCESS_DENIED_ERROR':
      return new PublishError(`${at}: ${msg}`, `grant user "${config.user}" the rights to create, rename and write tables in that database`);
    case 'ECONNREFUSED': return new PublishError(`${at}: cannot connect to ${config.host}:${config.port}`, "start the server, or fix the connection's host and port");
    case 'ENOTFOUND': case 'EAI_AGAIN': return new PublishError(`${at}: host "${config.host}" not found`, "fix the connection's host");
    case 'ER_DUP_ENTRY': return new PublishError(`${at}: ${msg}${unchanged}`, 'remove the duplicate rows, or use mode upsert');
    case 'ER_BAD_NULL_ERROR': return new PublishError(`${at}: ${msg}${unchanged}`, 'fill the missing values, or use mode replace');
    case 'ER_BAD_FIELD_ERROR': return new PublishError(`${at}: ${msg}${unchanged}`, 'make the columns match the existing table, or use mode replace');
    case 'ER_TABLE_EXISTS_ERROR': return existsError(type, target);
    case 'ER_NET_PACKET_TOO_LARGE': return new PublishError(`${at}: a batch of rows is larger than the server allows${unchanged}`, 'raise max_allowed_packet on the server');
    case 'ER_TRUNCATED_WRONG_VALUE': case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD': case 'ER_WARN_DATA_OUT_OF_RANGE': case 'ER_DATA_TOO_LONG': case 'WARN_DATA_TRUNCATED':
      return new PublishError(`${at}: a value does not fit the table's column: ${msg}${unchanged}`, 'make the column types match, or use mode replace');
    case 'PROTOCOL_CONNECTION_LOST': case 'ECONNRESET': case 'EPIPE': case 'ER_SERVER_SHUTDOWN': case 'ER_CONNECTION_KILLED': case 'ER_QUERY_INTERRUPTED':
      return new PublishError(`${at}: the connection was lost (${msg})${unchanged}`, 'publish again when the server is reachable');
  }
  return new PublishError(`${at}: ${msg}`);
}

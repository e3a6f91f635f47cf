// Why: Postgres errors become PublishErrors that name the target and say what to do.
import { PublishError } from '../types.ts';

interface PgErr extends Error { code?: string; detail?: string; column?: string }

export function pgError(target: string, e: unknown, config: { database?: string; host?: string; port?: number; user?: string }): PublishError {
  if (e instanceof PublishError) return e;
  const err = e as PgErr;
  const at = `postgres ${target}`;
  const unchanged = '; nothing was changed';
  const detail = err.detail ? ` (${err.detail})` : '';
  switch (err.code) {
    case '3D000': return new PublishError(`${at}: database "${config.database}" does not exist`, `create it or fix the connection's database`);
    case '28P01': case '28000': return new PublishError(`${at}: the server refused user "${config.user}": ${err.message}`, 'check the user name and password of the connection');
    case 'ECONNREFUSED': return new PublishError(`${at}: cannot connect to ${config.host}:${config.port}`, 'start the server, or fix the connection\'s host and port');
    case 'ENOTFOUND': case 'EAI_AGAIN': return new PublishError(`${at}: host "${config.host}" not found`, 'fix the connection\'s host');
    case '3F000': return new PublishError(`${at}: ${err.message}`, 'create the schema, or fix the schema part of the table name');
    case '42501': return new PublishError(`${at}: ${err.message}`, `grant user "${config.user}" the rights to create and write tables in that schema`);
    case '23505': return new PublishError(`${at}: duplicate key${detail}${unchanged}`, 'remove the duplicate rows, or use mode upsert');
    case '23502': return new PublishError(`${at}: ${err.message}${unchanged}`, 'fill the missing values, or use mode replace');
    case '23503': case '23514': return new PublishError(`${at}: ${err.message}${detail}${unchanged}`, 'fix the rows that break the constraint');
    case '42703': return new PublishError(`${at}: ${err.message}${unchanged}`, 'make the columns match the existing table, or use mode replace');
    case '42P10': return new PublishError(`${at}: upsert needs a unique key on the table${unchanged}`, 'publish once with mode replace and a key (which creates it), or add a UNIQUE constraint on the key columns');
    case '21000': return new PublishError(`${at}: the published rows repeat a key${unchanged}`, 'make the key unique in the published table');
    case '22P02': case '22003': case '22007': case '22008': case '42804':
      return new PublishError(`${at}: a value does not fit the table's column: ${err.message}${unchanged}`, 'make the column types match, or use mode replace');
    case '2BP01': return new PublishError(`${at}: ${err.message}${detail}${unchanged}`, 'drop the dependent views first, or use mode append');
    case '57P01': case '57P02': case '57P03': case 'ECONNRESET': case 'EPIPE':
      return new PublishError(`${at}: the connection was lost (${err.message})${unchanged}`, 'publish again when the server is reachable');
  }
  if (/Connection terminated|connection.*(closed|lost|ended)/i.test(err.message ?? '')) {
    return new PublishError(`${at}: the connection was lost (${err.message})${unchanged}`, 'publish again when the server is reachable');
  }
  return new PublishError(`${at}: ${err.message ?? String(e)}`);
}

// Why: identifiers from user input (table, schema, column names) must never become SQL;
// every writer parses and quotes them here, by its system's quoting rule.
import { randomBytes } from 'node:crypto';
import { PublishError, type ConnectionConfig, type PublishRequest } from './types.ts';

export interface TableName {
  schema?: string;
  table: string;
}

/**
 * `table`, `schema.table`, or quoted parts (`"my.schema"."t"`). A part that does not start
 * with a double quote is taken literally up to the next dot, so `x"; drop table t; --` is
 * simply a (strange) table name.
 */
export function parseTableName(input: string): TableName {
  const parts: string[] = [];
  let i = 0;
  while (i <= input.length) {
    if (input[i] === '"') {
      let part = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new PublishError(`table name ${input} has an unclosed quote`, 'close the quote or remove it');
        if (input[i] === '"') {
          if (input[i + 1] === '"') { part += '"'; i += 2; continue; }
          i++;
          break;
        }
        part += input[i++];
      }
      parts.push(part);
      if (i < input.length && input[i] !== '.') throw new PublishError(`table name ${input} is not valid after a quoted part`, 'write it as schema.table');
      i++;
    } else {
      const dot = input.indexOf('.', i);
      const end = dot === -1 ? input.length : dot;
      parts.push(input.slice(i, end));
      i = end + 1;
    }
  }
  if (parts.length > 2 || parts.some((p) => p.length === 0)) {
    throw new PublishError(`table name "${input}" is not valid`, 'write it as table or schema.table (quote a part that contains a dot)');
  }
  return parts.length === 2 ? { schema: parts[0]!, table: parts[1]! } : { table: parts[0]! };
}

/** Quote an identifier with `q`, doubling `q` inside; NUL can never be part of a name. */
export function quoteIdent(name: string, q: '"' | '`' = '"'): string {
  if (name.includes('\u0000')) throw new PublishError(`the name ${JSON.stringify(name)} contains a NUL character`, 'rename the column or table');
  return q + name.split(q).join(q + q) + q;
}

export function quoteTable(t: TableName, q: '"' | '`' = '"'): string {
  return t.schema === undefined ? quoteIdent(t.table, q) : `${quoteIdent(t.schema, q)}.${quoteIdent(t.table, q)}`;
}

/** A SQL string literal ('...' with quotes doubled). */
export function sqlString(s: string): string {
  return `'${s.split("'").join("''")}'`;
}

/** A unique, recognisable staging table name next to `table`, within `maxLen` characters. */
export function stagingName(table: string, maxLen: number): string {
  const suffix = `__aq_staging_${randomBytes(4).toString('hex')}`;
  let base = table;
  while (Buffer.byteLength(base + suffix) > maxLen) base = base.slice(0, -1);
  return base + suffix;
}

export function requireTable(type: string, table: string | undefined): TableName {
  if (!table) throw new PublishError(`${type} destination has no table`, 'set destination.table to the table to write');
  return parseTableName(table);
}

/** The saved connection a database destination writes through; `label` names the system for the fix. */
export function requireConnection(type: string, label: string, req: PublishRequest): ConnectionConfig {
  if (req.connection) return req.connection;
  const what = req.destination.table ? `${type} destination ${req.destination.table}` : `${type} destination`;
  throw new PublishError(`${what} has no connection`, `set destination.connection to a saved ${label} connection`);
}

export function requireKey(type: string, target: string, key: string[] | undefined, columns: string[]): string[] {
  if (!key || key.length === 0) throw new PublishError(`${type} ${target}: upsert needs a key`, 'set key to the column(s) that identify a row');
  const missing = key.filter((k) => !columns.includes(k));
  if (missing.length) {
    throw new PublishError(`${type} ${target}: key column(s) ${missing.join(', ')} are not in the published table`, `pick key columns from: ${columns.join(', ')}`);
  }
  return key;
}

export function existsError(type: string, target: string): PublishError {
  return new PublishError(`${type} ${target} already exists (mode fail_if_exists)`, 'change the mode to replace or append, or remove the target');
}

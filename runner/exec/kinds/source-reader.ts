// How a source's file is read: the format (from the extension unless set) and DuckDB's
// reader with the node's options. Defaults follow pandas' read_csv, which is what a data
// scientist's notebook did before: the same null markers ("NA", "N/A", "NULL", "" …), so
// a numeric column with gaps reads as numbers, not text. The bundle runtime builds the
// same SQL from the same options (resources/runtime/aqueduct_runtime/reader.py).
import path from 'node:path';
import type { ColumnType, FileFormat, NodeSpec } from '../../spec/schema.ts';
import { quoteIdent, quoteLiteral } from '../duck.ts';

/** pandas.read_csv's default na_values (pandas 2.x/3.x, `keep_default_na=True`). */
export const PANDAS_NULL_VALUES: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
];

export const DUCK_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

const EXTENSIONS: Record<string, FileFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.xlsx': 'excel',
};

/** The options of a source as the reader takes them (camelCase, as in a bundle's manifest). */
export interface ReadOptions {
  nullValues?: string[];
  delimiter?: string;
  header?: boolean;
  encoding?: string;
  skipRows?: number;
  columnTypes?: Record<string, ColumnType>;
}

type SourceSpec = Extract<NodeSpec, { kind: 'source' }>;

export function formatOf(file: string, format?: FileFormat): FileFormat | undefined {
  return format ?? EXTENSIONS[path.extname(file).toLowerCase()];
}

/** The options that apply to `format`: an Excel sheet arrives as CSV we wrote (comma, UTF-8). */
export function readOptionsOf(node: SourceSpec, format: FileFormat): ReadOptions {
  const o: ReadOptions = { columnTypes: node.column_types };
  if (format === 'csv' || format === 'excel') Object.assign(o, { nullValues: node.null_values, header: node.header, skipRows: node.skip_rows });
  if (format === 'csv') Object.assign(o, { delimiter: node.delimiter, encoding: node.encoding });
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ReadOptions;
}

const list = (xs: readonly string[]) => `[${xs.map(quoteLiteral).join(', ')}]`;

/**
 * A FROM-clause item reading `file`. CSV (and Excel, converted to CSV first) is read with
 * the options; column types of other formats are applied by casting after the read.
 */
export function readerSql(file: string, format: 'csv' | 'parquet' | 'json', o: ReadOptions = {}): string {
  const types = Object.entries(o.columnTypes ?? {});
  if (format === 'csv') {
    const args = [quoteLiteral(file), 'auto_detect = true', `header = ${o.header === false ? 'false' : 'true'}`, `nullstr = ${list(o.nullValues ?? PANDAS_NULL_VALUES)}`];
    if (o.delimiter !== undefined) args.push(`delim = ${quoteLiteral(o.delimiter)}`);
    if (o.skipRows) args.push(`skip = ${Math.floor(o.skipRows)}`);
    if (o.encoding && o.encoding !== 'utf-8') args.push(`encoding = ${quoteLiteral(o.encoding)}`);
    if (types.length) args.push(`types = {${types.map(([c, t]) => `${quoteLiteral(c)}: ${quoteLiteral(DUCK_TYPES[t])}`).join(', ')}}`);
    return `read_csv(${args.join(', ')})`;
  }
  const base = format === 'parquet' ? `read_parquet(${quoteLiteral(file)})` : `read_json_auto(${quoteLiteral(file)})`;
  if (!types.length) return base;
  const casts = types.map(([c, t]) => `CAST(${quoteIdent(c)} AS ${DUCK_TYPES[t]}) AS ${quoteIdent(c)}`).join(', ');
  return `(SELECT * REPLACE (${casts}) FROM ${base})`;
}

/** DuckDB's complaint about a read, retold with the form fields that can fix it. */
export function readFailure(shown: string, format: string, message: string): { message: string; fix: string; detail?: string } {
  const first = message.split('\n')[0] ?? message;
  const detail = first === message.trim() ? undefined : message;
  const missing = /COLUMN_TYPES error: Columns with names: (.*) do not exist/i.exec(message) ?? /Referenced column (\S+) not found/i.exec(message);
  if (missing) {
    return {
      message: `could not read ${shown}: a column type is set for ${missing[1]}, which the file does not have`,
      fix: 'fix the column name in the "Column types" field (Settings tab), or column_types: in workflow.yaml',
    };
  }
  if (/Conversion Error|Could not convert/i.test(message)) {
    return {
      message: `could not read ${shown} as ${format}: ${first}`,
      fix: 'change that column in the "Column types" field, or add the value to "Null markers" (Settings tab)',
      detail,
    };
  }
  return {
    message: `could not read ${shown} as ${format}: ${first}`,
    fix: 'check the file and the "Format", "Delimiter" and "Encoding" fields (Settings tab), or format: in workflow.yaml',
    detail,
  };
}

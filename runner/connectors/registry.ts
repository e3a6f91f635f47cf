// Why: the one place that maps a destination type to its writer; the engine asks here.
// Writers with a driver or a workbook library behind them (Excel, SQLite, PostgreSQL,
// MySQL/MariaDB and the cloud ones) load it on first use, so the app and the CLI start
// without them.
import { PublishError, type DestinationWriter } from './types.ts';
import { canonicalDestinationType } from './destination-types.ts';
import { csvWriter } from './files/csv.ts';
import { parquetWriter } from './files/parquet.ts';
import { jsonWriter } from './files/json.ts';
import { duckdbWriter } from './duckdb/writer.ts';

function lazy(type: string, load: () => Promise<DestinationWriter>): DestinationWriter {
  return {
    type,
    target: async (req) => (await load()).target(req),
    stage: async (req) => (await load()).stage(req),
    publish: async (req) => (await load()).publish(req),
  };
}

const WRITERS: readonly DestinationWriter[] = [
  csvWriter, parquetWriter, jsonWriter,
  lazy('excel', async () => (await import('./files/excel.ts')).excelWriter),
  duckdbWriter,
  lazy('sqlite', async () => (await import('./sqlite/writer.ts')).sqliteWriter),
  lazy('postgres', async () => (await import('./postgres/writer.ts')).postgresWriter),
  lazy('mysql', async () => (await import('./mysql/writer.ts')).mysqlWriter),
  lazy('mariadb', async () => (await import('./mysql/writer.ts')).mariadbWriter),
  lazy('snowflake', async () => (await import('./snowflake/writer.ts')).snowflakeWriter),
  lazy('bigquery', async () => (await import('./bigquery/writer.ts')).bigqueryWriter),
  lazy('google_sheets', async () => (await import('./google-sheets/writer.ts')).googleSheetsWriter),
];

export const DESTINATION_TYPES: string[] = WRITERS.map((w) => w.type);

export function getDestinationWriter(type: string): DestinationWriter {
  const canonical = canonicalDestinationType(type);
  const found = WRITERS.find((w) => w.type === canonical);
  if (!found) {
    throw new PublishError(`unknown destination type "${type}"`, `use one of: ${DESTINATION_TYPES.join(', ')}`);
  }
  return found;
}

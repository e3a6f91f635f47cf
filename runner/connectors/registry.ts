// Why: the one place that maps a destination type to its writer; the engine asks here.
// Cloud writers (Snowflake, BigQuery, Google Sheets) load their SDKs on first publish,
// so the app starts without them.
import { PublishError, type DestinationWriter } from './types.ts';
import { canonicalDestinationType } from './destination-types.ts';
import { csvWriter } from './files/csv.ts';
import { parquetWriter } from './files/parquet.ts';
import { jsonWriter } from './files/json.ts';
import { excelWriter } from './files/excel.ts';
import { duckdbWriter } from './duckdb/writer.ts';
import { sqliteWriter } from './sqlite/writer.ts';
import { postgresWriter } from './postgres/writer.ts';
import { mariadbWriter, mysqlWriter } from './mysql/writer.ts';

function lazy(type: string, load: () => Promise<DestinationWriter>): DestinationWriter {
  return {
    type,
    target: async (req) => (await load()).target(req),
    stage: async (req) => (await load()).stage(req),
    publish: async (req) => (await load()).publish(req),
  };
}

const WRITERS: readonly DestinationWriter[] = [
  csvWriter, parquetWriter, jsonWriter, excelWriter, duckdbWriter, sqliteWriter, postgresWriter, mysqlWriter, mariadbWriter,
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

// How a published target is named on screen: the destination's own words (a table in a
// database, a file, a sheet's tab) and the connection it went through.
import type { RouterOutputs } from '../../client/index.ts';

export type PublishedTarget = RouterOutputs['lineage']['forWorkflow'][number];
export type Publication = RouterOutputs['lineage']['forRun'][number];
export type DropResult = RouterOutputs['lineage']['deleteWorkflow']['dropped'][number];

const DESTINATIONS: Record<string, string> = {
  postgres: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB', sqlite: 'SQLite', duckdb: 'DuckDB', snowflake: 'Snowflake',
  bigquery: 'BigQuery', google_sheets: 'Google Sheets', csv: 'CSV file', parquet: 'Parquet file', json: 'JSON file', excel: 'Excel file',
  email: 'Report by email', slack: 'Report on Slack', folder: 'Report to a folder',
};

/** Destinations that deliver a report to people: they have no rows. */
export const DELIVERIES = new Set(['email', 'slack', 'folder']);

export function destinationLabel(destination: string, connection?: string | null): string {
  const kind = DESTINATIONS[destination] ?? destination;
  return connection ? `${kind} · ${connection}` : kind;
}

/** "fail_if_exists" → "fail if exists": the mode as words. */
export function modeLabel(mode: string): string {
  return mode.replaceAll('_', ' ');
}

// Why: the destination types by name, and the other spellings users write for them, in
// one light module: the spec validator needs them without loading any writer or driver.

/** Other spellings users write for the same systems. */
const ALIASES: Record<string, string> = {
  xlsx: 'excel', jsonl: 'json', ndjson: 'json', postgresql: 'postgres', sqlite3: 'sqlite',
  gsheets: 'google_sheets', sheets: 'google_sheets', 'google-sheets': 'google_sheets',
};

/** Destinations that are a file on this machine, named by destination.path. */
export const FILE_DESTINATIONS: ReadonlySet<string> = new Set(['csv', 'parquet', 'json', 'excel', 'sqlite', 'duckdb']);

export function canonicalDestinationType(type: string): string {
  const wanted = type.trim().toLowerCase();
  return ALIASES[wanted] ?? wanted;
}

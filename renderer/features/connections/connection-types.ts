// The records of the Connections screen, named once from the API's own types, and the
// words each kind of "test connection" answer is shown with.
import type { RouterOutputs } from '../../client/index.ts';

export type ConnectionInfo = RouterOutputs['connections']['list'][number];
export type ConnectionTypeSpec = RouterOutputs['connections']['types'][number];
export type ConnectionDetail = RouterOutputs['connections']['get'];
export type TestAnswer = RouterOutputs['connections']['test'];
export type ConnectionUsage = ConnectionDetail['usages'][number];

/** A heading per failure kind, so the user sees at once which part to fix. */
export const PROBLEM_TITLE: Record<string, string> = {
  unreachable: 'Server unreachable',
  auth: 'Wrong user or password',
  database: 'Database not found',
  privilege: 'Missing privilege',
  config: 'Setting missing',
  error: 'Could not connect',
};

/** Types whose tables the app can list and preview. */
export const BROWSABLE = new Set(['postgres', 'mysql', 'mariadb', 'sqlite', 'duckdb']);

/** "host:port/database" or the file: where a connection points, in one line. */
export function whereTo(c: { type: string; config: Record<string, string | number | boolean> }): string {
  const k = c.config;
  if (k['path']) return String(k['path']);
  if (k['host']) return `${String(k['host'])}${k['port'] ? `:${String(k['port'])}` : ''}${k['database'] ? `/${String(k['database'])}` : ''}`;
  if (k['account']) return `${String(k['account'])}${k['database'] ? ` · ${String(k['database'])}` : ''}`;
  if (k['projectId']) return `${String(k['projectId'])}${k['dataset'] ? `.${String(k['dataset'])}` : ''}`;
  if (k['spreadsheetId']) return String(k['spreadsheetId']);
  if (c.type === 'slack') return k['apiUrl'] ? String(k['apiUrl']) : 'slack.com';
  return 'connection URL';
}

// Why: what each kind of connection holds, which of its fields are secrets, and what the
// service hands out. The UI builds its forms from CONNECTION_TYPES; the service seals
// exactly the fields marked secret and never returns them. Fields marked `endpoint` say
// which server the secrets go to: a saved secret is never sent after one of them changed.
export type FieldKind = 'string' | 'number' | 'boolean' | 'secret';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  default?: string | number | boolean;
  help?: string;
  /** names the server the secrets are sent to: changing it means typing the secrets again */
  endpoint?: boolean;
}

export interface ConnectionTypeSpec {
  type: string;
  label: string;
  fields: FieldSpec[];
  /** can a workflow read from it with a query source */
  queryable: boolean;
}

const f = (name: string, label: string, kind: FieldKind = 'string', extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, label, kind, ...extra });

const server = (port: number): FieldSpec[] => [
  f('host', 'Host', 'string', { required: true, default: 'localhost', endpoint: true }),
  f('port', 'Port', 'number', { default: port, endpoint: true }),
  f('database', 'Database', 'string', { required: true }),
  f('user', 'User', 'string', { required: true }),
  f('password', 'Password', 'secret'),
  f('ssl', 'Use TLS', 'boolean', { default: false }),
];

const google: FieldSpec[] = [
  f('credentials', 'Service-account key (JSON)', 'secret', { help: 'the JSON key file of a service account' }),
  f('accessToken', 'Access token', 'secret', { help: 'instead of a key: an OAuth access token (e.g. gcloud auth print-access-token)' }),
];

export const CONNECTION_TYPES: readonly ConnectionTypeSpec[] = [
  {
    type: 'postgres', label: 'PostgreSQL', queryable: true,
    fields: [...server(5432), f('schema', 'Schema', 'string', { help: 'default schema for tables without one' }), f('sslRejectUnauthorized', 'Verify the server certificate', 'boolean', { default: true }), f('connectionString', 'Connection URL', 'secret', { help: 'instead of the fields above: postgres://user:password@host/db' })],
  },
  { type: 'mysql', label: 'MySQL', queryable: true, fields: server(3306) },
  { type: 'mariadb', label: 'MariaDB', queryable: true, fields: server(3306) },
  { type: 'sqlite', label: 'SQLite file', queryable: true, fields: [f('path', 'Database file', 'string', { required: true })] },
  { type: 'duckdb', label: 'DuckDB file', queryable: true, fields: [f('path', 'Database file', 'string', { required: true })] },
  {
    type: 'snowflake', label: 'Snowflake', queryable: false,
    fields: [
      f('account', 'Account identifier', 'string', { required: true, help: 'e.g. myorg-myaccount', endpoint: true }),
      f('user', 'User', 'string', { required: true }),
      f('password', 'Password', 'secret'),
      f('privateKey', 'Private key (PEM), for key-pair authentication', 'secret'),
      f('privateKeyPassphrase', 'Private key passphrase', 'secret'),
      f('warehouse', 'Warehouse'), f('database', 'Database', 'string', { required: true }), f('schema', 'Schema', 'string', { default: 'PUBLIC' }), f('role', 'Role'),
      f('accessUrl', 'Endpoint URL', 'string', { help: 'default https://<account>.snowflakecomputing.com (set it for private links)', endpoint: true }),
    ],
  },
  {
    type: 'bigquery', label: 'Google BigQuery', queryable: false,
    fields: [f('projectId', 'Project', 'string', { required: true }), f('dataset', 'Dataset', 'string', { required: true }), f('location', 'Location', 'string', { help: 'e.g. US, EU' }), ...google, f('apiEndpoint', 'API endpoint', 'string', { help: 'default https://bigquery.googleapis.com', endpoint: true })],
  },
  {
    type: 'google_sheets', label: 'Google Sheets', queryable: false,
    fields: [f('spreadsheetId', 'Spreadsheet ID or URL', 'string', { help: 'default spreadsheet for publish nodes' }), ...google, f('rootUrl', 'API root URL', 'string', { help: 'default https://sheets.googleapis.com/', endpoint: true })],
  },
  // people, not tables: reports are delivered through these (destination types email and slack)
  {
    type: 'smtp', label: 'Email (SMTP)', queryable: false,
    fields: [
      f('host', 'SMTP server', 'string', { required: true, help: 'e.g. smtp.example.com', endpoint: true }),
      f('port', 'Port', 'number', { default: 587, help: '587 (STARTTLS) or 465 (TLS)', endpoint: true }),
      f('secure', 'TLS from the start (port 465)', 'boolean', { default: false }),
      f('user', 'User'),
      f('password', 'Password', 'secret'),
      f('from', 'From', 'string', { required: true, help: 'e.g. "Aqueduct <reports@example.com>"' }),
      f('rejectUnauthorized', 'Verify the server certificate', 'boolean', { default: true }),
      f('allowPlainAuth', 'Allow a login without TLS (a server on this machine only)', 'boolean', { default: false }),
    ],
  },
  {
    type: 'slack', label: 'Slack (bot)', queryable: false,
    fields: [
      f('token', 'Bot token', 'secret', { required: true, help: 'xoxb-… of a Slack app with chat:write and files:write' }),
      f('apiUrl', 'API URL', 'string', { help: 'default https://slack.com/api/', endpoint: true }),
    ],
  },
];

const ALIASES: Record<string, string> = { postgresql: 'postgres', pg: 'postgres', sqlite3: 'sqlite', gsheets: 'google_sheets', sheets: 'google_sheets', 'google-sheets': 'google_sheets' };

export function connectionType(type: string): ConnectionTypeSpec | undefined {
  const t = type.trim().toLowerCase();
  return CONNECTION_TYPES.find((c) => c.type === (ALIASES[t] ?? t));
}

export function secretFields(type: string): string[] {
  return connectionType(type)?.fields.filter((x) => x.kind === 'secret').map((x) => x.name) ?? [];
}

/** `password` → `hasPassword`: the flag `list`/`get` show in place of a secret. */
export function secretFlag(field: string): `has${string}` {
  return `has${field[0]!.toUpperCase()}${field.slice(1)}`;
}

/** A saved connection as the UI and CLI see it: settings and flags, never a secret. */
export interface ConnectionInfo {
  id: string;
  name: string;
  type: string;
  /** every non-secret setting */
  config: Record<string, string | number | boolean>;
  /** `hasPassword: true`, `hasCredentials: false`, … one per secret field of the type */
  secrets: Record<`has${string}`, boolean>;
  createdAt: number;
  updatedAt: number;
  lastTest?: { at: number; ok: boolean; message: string };
}

/** What create/update accept: the settings and secrets flat, as a form sends them. */
export interface ConnectionInput {
  name: string;
  type: string;
  [field: string]: unknown;
}

export type ConnectionProblem = 'unreachable' | 'auth' | 'database' | 'privilege' | 'config' | 'error';

export interface ConnectionTestResult {
  ok: boolean;
  /** which kind of failure, so the UI can point at the field to fix */
  problem?: ConnectionProblem;
  message: string;
  fix?: string;
  ms: number;
}

export interface ConnectionUsage {
  workflowId: string;
  workflowName: string;
  folder: string;
  nodes: string[];
}

export class ConnectionError extends Error {
  constructor(message: string, readonly fix?: string, readonly usages?: ConnectionUsage[]) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** A name that no saved connection has: node kinds retell it naming their field. */
export class ConnectionMissingError extends ConnectionError {
  constructor(readonly connectionName: string) {
    super(`connection "${connectionName}" is not defined`, 'add it under Connections (or with aqueduct connections add)');
    this.name = 'ConnectionMissingError';
  }
}

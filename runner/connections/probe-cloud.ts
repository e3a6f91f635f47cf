// Why: "Test connection" for the cloud destinations: one cheap authenticated call each
// (Snowflake login + SELECT, BigQuery dataset lookup, Sheets spreadsheet lookup), with
// their failures sorted into the same few answers as the databases'.
import type { ConnectionConfig } from '../connectors/types.ts';
import { googleStatus, serviceAccountOf } from '../connectors/google-auth.ts';
import type { Answer } from './probe.ts';

const ok = (message: string): Answer => ({ ok: true, message });
const bad = (problem: Answer['problem'], message: string, fix?: string): Answer => ({ ok: false, problem, message, fix });

function network(e: unknown, what: string, setting: string): Answer | undefined {
  const m = (e as Error).message ?? '';
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|network error|could not reach/i.test(m)) {
    return bad('unreachable', `cannot reach ${what} (${m})`, `check your network, and ${setting} of the connection`);
  }
  return undefined;
}

export async function probeSnowflake(cfg: ConnectionConfig): Promise<Answer> {
  const { snowflakeConnect } = await import('../connectors/snowflake/client.ts');
  let s;
  try {
    s = await snowflakeConnect(cfg);
  } catch (e) {
    const err = e as { code?: string | number; message?: string };
    const code = String(err.code ?? '');
    if (code === '390100' || code === '390144' || /incorrect username or password|JWT token is invalid/i.test(err.message ?? '')) {
      return bad('auth', `Snowflake refused the login of user "${cfg.user}"`, 'check the user and password (or private key)');
    }
    if (/does not exist or not authorized/i.test(err.message ?? '')) return bad('database', err.message ?? '', "fix the connection's database, schema or warehouse");
    return network(e, 'Snowflake', 'the account identifier (or accessUrl)') ?? bad('error', err.message ?? String(e));
  }
  try {
    const rows = await s.exec('SELECT CURRENT_VERSION() AS V, CURRENT_ROLE() AS R');
    return ok(`connected to Snowflake ${String(rows[0]?.['V'] ?? '')} as ${cfg.user} (role ${String(rows[0]?.['R'] ?? '?')})`);
  } catch (e) {
    return bad('error', (e as Error).message);
  } finally {
    await s.close().catch(() => undefined);
  }
}

export async function probeBigQuery(cfg: ConnectionConfig): Promise<Answer> {
  const { bigqueryClient } = await import('../connectors/bigquery/writer.ts');
  const dataset = typeof cfg['dataset'] === 'string' ? cfg['dataset'] : '';
  try {
    const bq = await bigqueryClient(cfg);
    if (!dataset) return bad('config', 'the BigQuery connection has no dataset', 'set dataset on the connection');
    const [meta] = await bq.dataset(dataset).getMetadata();
    return ok(`found dataset ${String(cfg['projectId'])}.${dataset}${meta.location ? ` (${String(meta.location)})` : ''}`);
  } catch (e) {
    const status = googleStatus(e);
    const who = safeEmail(cfg);
    if (status === 401) return bad('auth', 'Google refused the credentials', 'check the service-account key (is it still active?)');
    if (status === 403) return bad('privilege', `${who} may not read dataset ${dataset}`, `grant ${who} the BigQuery Data Editor role on the dataset and Job User on the project`);
    if (status === 404) return bad('database', `dataset ${String(cfg['projectId'])}.${dataset} does not exist`, 'create the dataset, or fix the project and dataset names');
    return network(e, 'the BigQuery API', 'apiEndpoint') ?? bad('error', (e as Error).message, (e as { fix?: string }).fix);
  }
}

export async function probeSheets(cfg: ConnectionConfig): Promise<Answer> {
  const { sheetsClient, spreadsheetIdOf } = await import('../connectors/google-sheets/writer.ts');
  const raw = typeof cfg['spreadsheetId'] === 'string' ? cfg['spreadsheetId'] : '';
  try {
    const api = await sheetsClient(cfg);
    if (!raw) return ok('credentials loaded; set a spreadsheet on the connection or on each publish node');
    const r = await api.spreadsheets.get({ spreadsheetId: spreadsheetIdOf(raw), fields: 'properties.title' });
    return ok(`found spreadsheet "${r.data.properties?.title ?? spreadsheetIdOf(raw)}"`);
  } catch (e) {
    const status = googleStatus(e);
    const who = safeEmail(cfg);
    if (status === 401) return bad('auth', 'Google refused the credentials', 'check the service-account key (is it still active?)');
    if (status === 403) return bad('privilege', `${who} may not open the spreadsheet`, `share the spreadsheet with ${who} as Editor`);
    if (status === 404) return bad('database', 'spreadsheet not found', `check the spreadsheet id, and share it with ${who}`);
    return network(e, 'the Sheets API', 'rootUrl') ?? bad('error', (e as Error).message, (e as { fix?: string }).fix);
  }
}

function safeEmail(cfg: ConnectionConfig): string {
  try {
    return serviceAccountOf(cfg)?.client_email ?? 'the account';
  } catch {
    return 'the account';
  }
}

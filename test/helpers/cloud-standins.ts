// Why: Snowflake, BigQuery and Google Sheets cannot be reached from the test machines, so
// the tests point the official SDKs at local HTTP servers that speak the documented
// request/response shapes of the calls we make (login + query-request for Snowflake;
// datasets, tables, multipart load jobs and queries for BigQuery v2; spreadsheets.get,
// values.get and batchUpdate for Sheets v4). Data lives in an in-memory DuckDB (or an
// in-memory grid), so a test can check what arrived. Google auth is checked for real:
// the bearer token must be a JWT signed by the service account's key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface StandIn {
  url: string;
  requests: { method: string; path: string; body: string }[];
  stop(): Promise<void>;
}

interface Reply { status?: number; json?: unknown; headers?: Record<string, string> }
type Handler = (req: http.IncomingMessage, url: URL, body: Buffer) => Promise<Reply>;

async function serve(handler: Handler): Promise<Omit<StandIn, 'requests'> & { requests: StandIn['requests'] }> {
  const requests: StandIn['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      const url = new URL(req.url ?? '/', 'http://standin');
      requests.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), body: body.toString('utf8').slice(0, 20_000) });
      handler(req, url, body)
        .catch((e: Error): Reply => ({ status: 500, json: { error: { code: 500, message: `stand-in failed: ${e.message}` } } }))
        .then((r: Reply) => {
          res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
          res.end(r.json === undefined ? '' : JSON.stringify(r.json));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

const rows = async (c: DuckDBConnection, sql: string) => (await c.runAndReadAll(sql)).getRowsJS();

/** A service account for the Google stand-ins: a fresh RSA key and its JSON key file. */
export function makeServiceAccount(email = 'publisher@aq-test.iam.gserviceaccount.com') {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const json = { type: 'service_account', project_id: 'aq-test', private_key_id: 'k1', private_key: privateKey, client_email: email, token_uri: 'https://oauth2.googleapis.com/token' };
  return { email, publicKey, json: JSON.stringify(json) };
}

/** Verifies `Authorization: Bearer <self-signed JWT>`; returns an error response or undefined. */
function checkGoogleAuth(req: http.IncomingMessage, publicKey: string, email: string, scope: string) {
  const deny = (message: string) => ({ status: 401, json: { error: { code: 401, message, status: 'UNAUTHENTICATED' } } });
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return deny('Request is missing required authentication credential.');
  const [h, p, s] = token.split('.');
  if (!h || !p || !s || !crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) return deny('Invalid JWT Signature.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: string; scope?: string; exp?: number };
  if (claims.iss !== email || !(claims.scope ?? '').split(' ').includes(scope)) return deny('Invalid JWT claims.');
  return undefined;
}

// ---------------------------------------------------------------- Snowflake (REST the SDK speaks)

export async function startSnowflakeStandIn(o: { user: string; password: string }) {
  const duck = await DuckDBInstance.create(':memory:');
  const admin = await duck.connect();
  await admin.run(`SET TimeZone = 'UTC'; CREATE SCHEMA "PUBLIC"; CREATE MACRO current_version() AS '9.0.0-standin'; CREATE MACRO current_role() AS 'PUBLISHER'`);
  const sessions = new Map<string, DuckDBConnection>();
  const toDuck = (sql: string) => sql
    .replace(/NUMBER\((\d+),(\d+)\)/g, 'DECIMAL($1,$2)').replace(/TIMESTAMP_NTZ/g, 'TIMESTAMP').replace(/TIMESTAMP_TZ/g, 'TIMESTAMPTZ')
    .replace(/\bBINARY\b/g, 'BLOB').replace(/\bFLOAT\b/g, 'DOUBLE').replace(/CREATE TEMPORARY TABLE/g, 'CREATE TABLE')
    .replace(/^ALTER TABLE (\S+) RENAME TO "[^"]+"\.("[^"]+")$/, 'ALTER TABLE $1 RENAME TO $2');
  const fail = (code: string, message: string) => ({ json: { success: false, code, message, data: { sqlState: '42000', queryId: 'q-err' } } });
  const srv = await serve(async (req, url, body) => {
    const json = body.length ? (JSON.parse(body.toString()) as Record<string, unknown>) : {};
    if (url.pathname === '/session/v1/login-request') {
      const data = json['data'] as { LOGIN_NAME?: string; PASSWORD?: string };
      if (data.LOGIN_NAME !== o.user || data.PASSWORD !== o.password) return { json: { success: false, code: '390100', message: 'Incorrect username or password was specified.', data: null } };
      const token = crypto.randomUUID();
      sessions.set(token, await duck.connect());
      return { json: { success: true, data: { token, masterToken: `m-${token}`, sessionId: sessions.size, validityInSeconds: 3600, masterValidityInSeconds: 14400, parameters: [], sessionInfo: { databaseName: 'ANALYTICS', schemaName: 'PUBLIC', warehouseName: 'WH', roleName: 'PUBLISHER' } } } };
    }
    const token = /Snowflake Token="([^"]+)"/.exec(req.headers.authorization ?? '')?.[1];
    const c = token ? sessions.get(token) : undefined;
    if (url.pathname === '/telemetry/send' || url.pathname.startsWith('/session/heartbeat')) return { json: { success: true, data: {} } };
    if (url.pathname === '/session' && url.searchParams.get('delete') === 'true') {
      if (token) sessions.get(token)?.closeSync();
      if (token) sessions.delete(token);
      return { json: { success: true, data: {} } };
    }
    if (url.pathname !== '/queries/v1/query-request') return { status: 404, json: { success: false, message: `stand-in does not implement ${url.pathname}` } };
    if (!c) return { json: { success: false, code: '390112', message: 'Your session has expired. Please login again.' } };
    const sql = String(json['sqlText']);
    const bindings = (json['bindings'] ?? {}) as Record<string, { value: string | null | (string | null)[] }>;
    const cols = Object.keys(bindings).sort((a, b) => Number(a) - Number(b)).map((k) => bindings[k]!.value);
    try {
      const swap = /^ALTER TABLE (\S+)\.(\S+) SWAP WITH \S+\.(\S+)$/.exec(sql);
      if (swap) {
        const [, s, a, b] = swap;
        for (const [from, to] of [[a, '"__swap"'], [b, a], ['"__swap"', b]]) await c.run(`ALTER TABLE ${s}.${from} RENAME TO ${to}`);
        return { json: { success: true, data: { rowtype: [{ name: 'status', type: 'text' }], rowset: [['Statement executed successfully.']], total: 1, returned: 1, queryId: 'q', statementTypeId: 24576 } } };
      }
      const prepared = await c.prepare(toDuck(sql));
      let inserted = 0;
      if (cols.length && Array.isArray(cols[0])) {
        for (let r = 0; r < (cols[0] as unknown[]).length; r++) {
          prepared.bind(cols.map((col) => (col as (string | null)[])[r] ?? null));
          await prepared.run();
          inserted++;
        }
        return { json: { success: true, data: { rowtype: [{ name: 'number of rows inserted', type: 'fixed', scale: 0, precision: 38 }], rowset: [[String(inserted)]], total: 1, returned: 1, queryId: 'q', statementTypeId: 12544 } } };
      }
      if (cols.length) prepared.bind(cols as (string | null)[]);
      const result = await prepared.runAndReadAll();
      const types = result.columnTypes().map((t) => t.toString());
      const rowtype = result.columnNames().map((name, i) => (/INT|DECIMAL/.test(types[i]!) ? { name, type: 'fixed', scale: 0, precision: 38, nullable: true } : { name, type: 'text', length: 16777216, nullable: true }));
      const rowset = result.getRowsJS().map((r) => r.map((v) => (v === null ? null : String(v))));
      return { json: { success: true, data: { parameters: [], rowtype, rowset, total: rowset.length, returned: rowset.length, queryId: 'q', statementTypeId: 4096 } } };
    } catch (e) {
      const m = (e as Error).message;
      return fail(/does not exist/i.test(m) ? '002003' : '001003', m);
    }
  });
  return { ...srv, query: (sql: string) => rows(admin, sql), stop: async () => { await srv.stop(); duck.closeSync(); } };
}

// ---------------------------------------------------------------- BigQuery (REST v2)

export async function startBigQueryStandIn(o: { projectId: string; datasets: string[]; email: string; publicKey: string }) {
  const duck = await DuckDBInstance.create(':memory:');
  const c = await duck.connect();
  await c.run("SET TimeZone = 'UTC'");
  for (const d of o.datasets) await c.run(`CREATE SCHEMA "${d}"`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aq-bq-'));
  const jobs = new Map<string, Record<string, unknown>>();
  const notFound = (what: string) => ({ status: 404, json: { error: { code: 404, message: `Not found: ${what}`, status: 'NOT_FOUND', errors: [{ reason: 'notFound', message: `Not found: ${what}` }] } } });
  const exists = async (d: string, t: string) => Number((await rows(c, `SELECT count(*) FROM information_schema.tables WHERE table_schema = '${d}' AND table_name = '${t}'`))[0]![0]) > 0;
  const ref = (projectId: string, jobId: string) => ({ projectId, jobId, location: 'US' });
  const done = (projectId: string, jobId: string, extra: Record<string, unknown> = {}) => ({ kind: 'bigquery#job', id: `${projectId}:US.${jobId}`, jobReference: ref(projectId, jobId), status: { state: 'DONE' }, ...extra });
  const runSql = (sql: string) => c.run(sql.replace(/`[^`.]+\.([^`.]+)\.([^`]+)`/g, '"$1"."$2"').replace(/`([^`]+)`/g, '"$1"'));

  const srv = await serve(async (req, url, body) => {
    const denied = checkGoogleAuth(req, o.publicKey, o.email, 'https://www.googleapis.com/auth/bigquery');
    if (denied) return denied;
    const p = decodeURIComponent(url.pathname);
    let m: RegExpExecArray | null;
    if ((m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(p))) {
      return o.datasets.includes(m[2]!) ? { json: { kind: 'bigquery#dataset', id: `${m[1]}:${m[2]}`, datasetReference: { projectId: m[1], datasetId: m[2] }, location: 'US' } } : notFound(`Dataset ${m[1]}:${m[2]}`);
    }
    if ((m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(p))) {
      const [, pr, d, t] = m as unknown as [string, string, string, string];
      if (!(await exists(d, t))) return notFound(`Table ${pr}:${d}.${t}`);
      if (req.method === 'DELETE') {
        await c.run(`DROP TABLE "${d}"."${t}"`);
        return { status: 204 };
      }
      const fields = (await rows(c, `DESCRIBE "${d}"."${t}"`)).map((r) => ({ name: String(r[0]), type: String(r[1]) }));
      return { json: { kind: 'bigquery#table', tableReference: { projectId: pr, datasetId: d, tableId: t }, schema: { fields }, numRows: String((await rows(c, `SELECT count(*) FROM "${d}"."${t}"`))[0]![0]) } };
    }
    if ((m = /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(p)) && url.searchParams.get('uploadType') === 'multipart') {
      const boundary = /boundary=([^;]+)/.exec(req.headers['content-type'] ?? '')?.[1];
      const raw = body.toString('latin1');
      const parts = raw.split(`--${boundary}`).slice(1, -1).map((part) => part.slice(part.indexOf('\r\n\r\n') + 4, -2));
      const job = JSON.parse(parts[0]!) as { configuration: { load: { destinationTable: { datasetId: string; tableId: string }; sourceFormat: string; writeDisposition: string } }; jobReference: { jobId: string } };
      const load = job.configuration.load;
      const { datasetId: d, tableId: t } = load.destinationTable;
      const file = path.join(dir, `${job.jobReference.jobId}.parquet`);
      fs.writeFileSync(file, Buffer.from(parts[1]!, 'latin1'));
      let errorResult: { reason: string; message: string } | undefined;
      if (!o.datasets.includes(d)) return notFound(`Dataset ${m[1]}:${d}`);
      if (load.sourceFormat !== 'PARQUET') errorResult = { reason: 'invalid', message: `stand-in loads PARQUET only, not ${load.sourceFormat}` };
      else if (!(await exists(d, t))) await c.run(`CREATE TABLE "${d}"."${t}" AS SELECT * FROM read_parquet('${file}')`);
      else if (load.writeDisposition === 'WRITE_TRUNCATE') await c.run(`CREATE OR REPLACE TABLE "${d}"."${t}" AS SELECT * FROM read_parquet('${file}')`);
      else if (load.writeDisposition === 'WRITE_APPEND') await c.run(`INSERT INTO "${d}"."${t}" BY NAME SELECT * FROM read_parquet('${file}')`);
      else if (Number((await rows(c, `SELECT count(*) FROM "${d}"."${t}"`))[0]![0]) > 0) errorResult = { reason: 'duplicate', message: `Already Exists: Table ${m[1]}:${d}.${t}` };
      else await c.run(`INSERT INTO "${d}"."${t}" BY NAME SELECT * FROM read_parquet('${file}')`);
      const resource = done(m[1]!, job.jobReference.jobId, { configuration: job.configuration, status: { state: 'DONE', ...(errorResult ? { errorResult, errors: [errorResult] } : {}) } });
      jobs.set(job.jobReference.jobId, resource);
      return { json: resource };
    }
    if ((m = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(p))) return jobs.has(m[2]!) ? { json: jobs.get(m[2]!) } : notFound(`Job ${m[1]}:${m[2]}`);
    if ((m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(p)) && req.method === 'POST') {
      const q = JSON.parse(body.toString()) as { query: string };
      const jobId = `q_${crypto.randomUUID()}`;
      await runSql(q.query);
      jobs.set(jobId, done(m[1]!, jobId));
      return { json: { kind: 'bigquery#queryResponse', jobReference: ref(m[1]!, jobId), jobComplete: true, totalRows: '0', schema: { fields: [] }, rows: [] } };
    }
    if ((m = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(p)) && req.method === 'POST') {
      const job = JSON.parse(body.toString()) as { configuration: { query?: { query: string } }; jobReference?: { jobId: string } };
      const jobId = job.jobReference?.jobId ?? `q_${crypto.randomUUID()}`;
      if (job.configuration.query) await runSql(job.configuration.query.query);
      jobs.set(jobId, done(m[1]!, jobId, { configuration: job.configuration }));
      return { json: jobs.get(jobId) };
    }
    if ((m = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(p))) {
      return { json: { kind: 'bigquery#getQueryResultsResponse', jobReference: ref(m[1]!, m[2]!), jobComplete: true, totalRows: '0', schema: { fields: [] }, rows: [] } };
    }
    return { status: 404, json: { error: { code: 404, message: `stand-in does not implement ${req.method} ${p}` } } };
  });
  return { ...srv, query: (sql: string) => rows(c, sql), stop: async () => { await srv.stop(); duck.closeSync(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

// ---------------------------------------------------------------- Google Sheets (REST v4)

interface Cell { userEnteredValue?: { numberValue?: number; stringValue?: string; boolValue?: boolean } }
interface Tab { sheetId: number; title: string; rowCount: number; columnCount: number; cells: Cell[][] }

export async function startSheetsStandIn(o: { email: string; publicKey: string; spreadsheets: Record<string, { title: string; sharedWith: string[]; tabs: string[] }> }) {
  const books = new Map(Object.entries(o.spreadsheets).map(([id, b]) => [id, { ...b, tabs: b.tabs.map((title, i): Tab => ({ sheetId: i, title, rowCount: 1000, columnCount: 26, cells: [] })) }]));
  const text = (c: Cell | undefined) => { const v = c?.userEnteredValue; return v === undefined ? '' : v.stringValue ?? (v.boolValue !== undefined ? String(v.boolValue).toUpperCase() : String(v.numberValue)); };
  const values = (t: Tab) => { const out = t.cells.map((r) => r.map(text)); while (out.length && out[out.length - 1]!.every((v) => v === '')) out.pop(); return out.map((r) => { while (r.length && r[r.length - 1] === '') r.pop(); return r; }); };
  const bad = (message: string) => { throw Object.assign(new Error(message), { status: 400 }); };
  function apply(tabs: Tab[], r: Record<string, Record<string, unknown>>) {
    const byId = (id: unknown) => tabs.find((t) => t.sheetId === id) ?? bad(`No grid with id: ${String(id)}`);
    if (r['addSheet']) {
      const p = r['addSheet']['properties'] as { sheetId: number; title: string; gridProperties?: { rowCount?: number; columnCount?: number } };
      if (tabs.some((t) => t.title === p.title || t.sheetId === p.sheetId)) bad(`A sheet with the name "${p.title}" already exists.`);
      tabs.push({ sheetId: p.sheetId, title: p.title, rowCount: p.gridProperties?.rowCount ?? 1000, columnCount: p.gridProperties?.columnCount ?? 26, cells: [] });
    } else if (r['updateSheetProperties']) {
      const p = r['updateSheetProperties']['properties'] as { sheetId: number; gridProperties: { rowCount: number; columnCount: number } };
      Object.assign(byId(p.sheetId), p.gridProperties);
    } else if (r['updateCells']) {
      const u = r['updateCells'] as { range?: { sheetId: number }; start?: { sheetId: number; rowIndex: number; columnIndex: number }; rows?: { values: Cell[] }[] };
      const t = byId(u.range?.sheetId ?? u.start?.sheetId);
      if (u.range) { t.cells = []; return; }
      const rowsIn = u.rows ?? [];
      if (u.start!.rowIndex + rowsIn.length > t.rowCount || rowsIn.some((x) => u.start!.columnIndex + x.values.length > t.columnCount)) bad(`Range exceeds grid limits. Max rows: ${t.rowCount}, max columns: ${t.columnCount}`);
      rowsIn.forEach((x, i) => { t.cells[u.start!.rowIndex + i] = x.values.map((v) => ({ ...v })); });
    } else if (r['appendCells']) {
      const a = r['appendCells'] as { sheetId: number; rows: { values: Cell[] }[] };
      const t = byId(a.sheetId);
      const last = values(t).length;
      a.rows.forEach((x, i) => { t.cells[last + i] = x.values; });
      t.rowCount = Math.max(t.rowCount, last + a.rows.length);
    } else bad(`stand-in does not implement request ${Object.keys(r).join(',')}`);
  }
  const srv = await serve(async (req, url, body) => {
    const denied = checkGoogleAuth(req, o.publicKey, o.email, 'https://www.googleapis.com/auth/spreadsheets');
    if (denied) return denied;
    const m = /^\/v4\/spreadsheets\/([^/:]+)(:batchUpdate|\/values\/(.+))?$/.exec(decodeURIComponent(url.pathname));
    if (!m) return { status: 404, json: { error: { code: 404, message: `stand-in does not implement ${url.pathname}` } } };
    const book = books.get(m[1]!);
    if (!book) return { status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } };
    if (!book.sharedWith.includes(o.email)) return { status: 403, json: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } } };
    if (m[2] === ':batchUpdate') {
      const copy: Tab[] = structuredClone(book.tabs);
      try {
        for (const r of (JSON.parse(body.toString()) as { requests: Record<string, Record<string, unknown>>[] }).requests) apply(copy, r);
      } catch (e) {
        return { status: 400, json: { error: { code: 400, message: `Invalid requests: ${(e as Error).message}`, status: 'INVALID_ARGUMENT' } } };
      }
      book.tabs = copy; // all or nothing, as Sheets applies a batchUpdate
      return { json: { spreadsheetId: m[1], replies: [] } };
    }
    if (m[3]) {
      const title = /^'?(.*?)'?(![A-Z0-9:]+)?$/.exec(m[3])![1]!.replaceAll("''", "'");
      const tab = book.tabs.find((t) => t.title === title);
      if (!tab) return { status: 400, json: { error: { code: 400, message: `Unable to parse range: ${m[3]}` } } };
      return { json: { range: m[3], majorDimension: 'ROWS', values: values(tab) } };
    }
    return { json: { spreadsheetId: m[1], properties: { title: book.title }, sheets: book.tabs.map((t, index) => ({ properties: { sheetId: t.sheetId, title: t.title, index, gridProperties: { rowCount: t.rowCount, columnCount: t.columnCount } } })) } };
  });
  return { ...srv, values: (id: string, title: string) => { const t = books.get(id)?.tabs.find((x) => x.title === title); return t ? values(t) : undefined; } };
}

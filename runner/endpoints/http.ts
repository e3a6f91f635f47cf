// GET /api/v1/outputs/<workflow>/<output> and /api/v1/openapi.json: the served outputs,
// read-only, for anyone holding an endpoint key (never the admin token, which this
// handler does not know). Answers are JSON, CSV or Parquet (?format= or Accept), paged,
// filtered by column, with an ETag so an unchanged answer costs a 304. Every error is
// JSON {"error": "<sentence>"}: 401 without a valid key, 403 for a key of another
// endpoint, 404 for an output that is not served, 400 for a bad filter.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnInfo } from '../api/types.ts';
import { describeParquet } from '../exec/duck.ts';
import type { Db } from '../store/db.ts';
import { Exposure, type OutputVersion, type ServedWorkflow } from './exposure.ts';
import { EndpointKeys, type VerifiedKey } from './keys.ts';
import { openApi, type DescribedOutput } from './openapi.ts';
import { BadQueryError, ConnectionPool, parseQuery, queryJson, queryToFile, type Format } from './query.ts';

export const ENDPOINTS_PREFIX = '/api/v1/';
const OUTPUT_PATH = /^\/api\/v1\/outputs\/([^/]{1,200})\/([^/]{1,200})$/;
const TYPES: Record<Format, string> = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8', parquet: 'application/vnd.apache.parquet' };
const SAFE_TYPE = /^[A-Z][A-Z0-9_ ,()]*$/;

export interface EndpointDeps {
  db: Db;
  duck: DuckDBInstance;
  runsDir: string;
}

export class EndpointsHandler {
  readonly keys: EndpointKeys;
  readonly exposure: Exposure;
  private readonly columnCache = new Map<string, ColumnInfo[]>();
  private readonly pool: ConnectionPool;

  constructor(private readonly deps: EndpointDeps) {
    this.keys = new EndpointKeys(deps.db);
    this.exposure = new Exposure(deps.db, deps.runsDir);
    this.pool = new ConnectionPool(deps.duck);
  }

  /** Closes the DuckDB connections it keeps (before the engine closes its database). */
  close(): void {
    this.pool.close();
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, headers: Record<string, string> = {}): Promise<void> {
    const send = (status: number, error: string, extra: Record<string, string> = {}): void =>
      void res.writeHead(status, { ...headers, ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify({ error }));
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, `${req.method} is not allowed: the endpoints are read-only (GET)`, { Allow: 'GET, HEAD' });
      const key = this.authenticate(req);
      if (typeof key === 'string') return send(401, key, { 'WWW-Authenticate': 'Bearer realm="aqueduct outputs"' });
      if (url.pathname === '/api/v1/openapi.json') return this.describe(req, res, key, headers);
      const m = OUTPUT_PATH.exec(url.pathname);
      if (!m) return send(404, `no such endpoint: ${url.pathname}; outputs are at /api/v1/outputs/<workflow>/<output>`);
      const [wRef, output] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
      const w = this.exposure.find(wRef);
      if (w === 'ambiguous') return send(404, `two workflows are named "${wRef}"; use the workflow's id in the URL`);
      if (!w || !this.exposure.outputs(w).includes(output)) return send(404, `no output "${output}" is served for workflow "${wRef}"`);
      if (key.workflowId !== w.id || (key.output && key.output !== output)) return send(403, `this key reads ${key.output ?? 'the outputs'} of another endpoint, not ${w.slug}/${output}`);
      const version = this.exposure.latest(w.id, output);
      if (!version) return send(404, `output "${output}" of workflow "${wRef}" has no published version yet: run the workflow`);
      const format = formatOf(url, req);
      if (typeof format !== 'string') return send(400, `format "${format.bad}" is not served; ask for json, csv or parquet`);
      const columns = await this.columnsOf(version);
      let query;
      try {
        query = parseQuery(url.searchParams, columns, format);
      } catch (e) {
        if (e instanceof BadQueryError) return send(400, e.message);
        throw e;
      }
      const etag = `"${crypto.createHash('sha256').update(JSON.stringify([version.runId, output, format, query])).digest('base64url').slice(0, 27)}"`;
      const common = { ...headers, ETag: etag, 'Cache-Control': 'private, no-cache', 'X-Aqueduct-Run': version.runId };
      if (matches(req.headers['if-none-match'], etag)) return void res.writeHead(304, common).end();
      try {
        if (format === 'json') return await this.sendJson(req, res, url, w, output, version, columns, query, common);
        const file = await queryToFile(this.pool, version.file, columns, query, format);
        try {
          const size = fs.statSync(file).size;
          res.writeHead(200, { ...common, 'Content-Type': TYPES[format], 'Content-Length': String(size), 'Content-Disposition': `attachment; filename="${output}.${format}"` });
          if (req.method === 'HEAD') return void res.end();
          await new Promise<void>((resolve) => fs.createReadStream(file).on('error', () => (res.destroy(), resolve())).on('end', resolve).pipe(res));
        } finally {
          fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
      } catch (e) {
        if (e instanceof BadQueryError) return send(400, e.message);
        throw e;
      }
    } catch (e) {
      console.error('output endpoint failed:', e);
      if (!res.headersSent) send(500, 'the output could not be read; the app\'s log has the details');
      else res.destroy();
    }
  }

  /** The key's scope, or the sentence a 401 says. */
  private authenticate(req: IncomingMessage): VerifiedKey | string {
    const auth = req.headers.authorization;
    const given = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'].trim() : undefined;
    if (!given) return 'an endpoint key is required: send it as "Authorization: Bearer <key>" (make one under Endpoints, or with aqueduct endpoints keys create)';
    const key = this.keys.verify(given);
    if (!key) return given.startsWith('aqk_') ? 'this endpoint key is not valid (revoked, or mistyped)' : 'that is not an endpoint key (they start with aqk_; the app\'s admin token does not open endpoints)';
    return key;
  }

  private async describe(req: IncomingMessage, res: ServerResponse, key: VerifiedKey, headers: Record<string, string>): Promise<void> {
    const outputs: DescribedOutput[] = [];
    for (const w of this.exposure.workflows().filter((x) => x.id === key.workflowId)) {
      for (const output of this.exposure.outputs(w)) {
        if (key.output && key.output !== output) continue;
        const v = this.exposure.latest(w.id, output);
        outputs.push({ workflow: w.name, slug: w.slug, output, columns: v ? await this.columnsOf(v) : [] });
      }
    }
    const body = JSON.stringify(openApi(outputs, `http://${req.headers.host ?? 'localhost'}`), null, 2);
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
  }

  private async sendJson(req: IncomingMessage, res: ServerResponse, url: URL, w: ServedWorkflow, output: string, v: OutputVersion, columns: ColumnInfo[], query: ReturnType<typeof parseQuery>, common: Record<string, string>) {
    const page = await queryJson(this.pool, v.file, columns, query);
    const limit = query.limit ?? page.rows.length;
    const nextOffset = query.offset + page.rows.length;
    let next: string | null = null;
    if (page.rows.length > 0 && nextOffset < page.total) {
      const p = new URLSearchParams(url.searchParams);
      p.set('offset', String(nextOffset));
      next = `${url.pathname}?${p.toString()}`;
    }
    const body = JSON.stringify({ workflow: w.slug, output, run: { id: v.runId, finishedAt: v.finishedAt }, columns: page.columns, rows: page.rows, total: page.total, limit, offset: query.offset, next });
    res.writeHead(200, { ...common, 'Content-Type': TYPES.json, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** The file's own columns (a record synced from elsewhere is not trusted to say them). */
  private async columnsOf(v: OutputVersion): Promise<ColumnInfo[]> {
    let cols = this.columnCache.get(v.file);
    if (!cols) {
      cols = (await this.pool.with((c) => describeParquet(c.connection, v.file))).columns.filter((x) => SAFE_TYPE.test(x.type));
      if (this.columnCache.size > 500) this.columnCache.clear();
      this.columnCache.set(v.file, cols);
    }
    return cols;
  }
}

function formatOf(url: URL, req: IncomingMessage): Format | { bad: string } {
  const asked = url.searchParams.get('format');
  if (asked !== null) return asked === 'json' || asked === 'csv' || asked === 'parquet' ? asked : { bad: asked };
  const accept = req.headers.accept ?? '';
  if (/text\/csv/.test(accept)) return 'csv';
  if (/parquet/.test(accept)) return 'parquet';
  return 'json';
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}` || t.trim() === '*');
}

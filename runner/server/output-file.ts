// GET /api/runs/<run>/outputs/<node>.parquet: a node's table as the Parquet file its run
// wrote, streamed as is (the Python client reads it straight into pandas). The ids are
// checked by shape before they reach the store, and the file must lie in the app's runs
// folder: run records synced from remote engines are untrusted, so a path they carry
// never makes this endpoint read elsewhere.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../engine.ts';
import { realFileInside } from '../spec/contained-path.ts';
import { NODE_ID } from '../spec/schema.ts';

const OUTPUT_PATH = /^\/api\/runs\/([A-Za-z0-9-]{1,64})\/outputs\/([^/]{1,200})\.parquet$/;

export function isApiFilePath(pathname: string): boolean {
  return pathname.startsWith('/api/');
}

function sendJson(res: ServerResponse, status: number, body: Record<string, string>, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

export function serveApiFile(req: IncomingMessage, res: ServerResponse, url: URL, engine: Engine, headers: Record<string, string>): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
  const m = OUTPUT_PATH.exec(url.pathname);
  if (!m) return sendJson(res, 404, { error: `no such endpoint: ${url.pathname}`, fix: 'ask for /api/runs/<run id>/outputs/<node id>.parquet' }, headers);
  const [, runRef, nodeId] = m as unknown as [string, string, string];
  if (!NODE_ID.test(nodeId)) return sendJson(res, 400, { error: `"${nodeId}" is not a node id`, fix: 'node ids are lower_snake_case' }, headers);
  const runId = engine.store.resolveRunId(runRef);
  if (!runId) return sendJson(res, 404, { error: `no run ${runRef}`, fix: 'list the runs to find its id' }, headers);
  const node = engine.store.getNodeRun(runId, nodeId);
  if (!node) return sendJson(res, 404, { error: `run ${runId.slice(0, 8)} has no node "${nodeId}"`, fix: 'check the node id in the workflow' }, headers);
  const file = node.artifactPath ? realFileInside(engine.paths.runs, node.artifactPath) : undefined;
  if (!file) {
    const why = node.status === 'succeeded' ? 'it gives no table (checks, metrics and publishes give none)' : `its status is ${node.status}`;
    return sendJson(res, 404, { error: `node "${nodeId}" of run ${runId.slice(0, 8)} has no output: ${why}`, fix: 'ask for a source, sql or python node of a finished run' }, headers);
  }
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return sendJson(res, 410, { error: `the output of node "${nodeId}" of run ${runId.slice(0, 8)} was deleted (retention)`, fix: 'run the workflow again' }, headers);
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'application/vnd.apache.parquet',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${nodeId}.parquet"`,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') return void res.end();
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

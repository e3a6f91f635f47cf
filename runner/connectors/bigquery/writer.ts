// Why: BigQuery destination (@google-cloud/bigquery, loaded only when used). The run's
// Parquet is uploaded as one load job, and a load job is atomic: replace is
// WRITE_TRUNCATE, append WRITE_APPEND, fail_if_exists WRITE_EMPTY after a check; upsert
// loads a staging table and MERGEs it in one statement. A load job cannot be held back,
// so staging only checks and prepares (the Parquet to upload, the target's state) and
// commit runs the job. The endpoint is configurable (apiEndpoint) for private endpoints
// and for the local stand-in the tests use.
import fs from 'node:fs';
import type { BigQuery, Table } from '@google-cloud/bigquery';
import { PublishError, defineWriter, type ConnectionConfig, type PublishRequest, type StagedPublish } from '../types.ts';
import { withParquet, type Column } from '../parquet.ts';
import { existsError, quoteIdent, requireKey, requireTable, sqlString, stagingName, requireConnection } from '../sql.ts';
import { googleAuth, googleStatus } from '../google-auth.ts';

export const BIGQUERY_SCOPE = 'https://www.googleapis.com/auth/bigquery';

export async function bigqueryClient(cfg: ConnectionConfig): Promise<BigQuery> {
  const { BigQuery: Client } = await import('@google-cloud/bigquery');
  const projectId = typeof cfg['projectId'] === 'string' ? cfg['projectId'] : undefined;
  if (!projectId) throw new PublishError('the BigQuery connection has no project', 'set projectId on the connection');
  return new Client({
    projectId,
    location: typeof cfg['location'] === 'string' ? cfg['location'] : undefined,
    apiEndpoint: typeof cfg['apiEndpoint'] === 'string' && cfg['apiEndpoint'] ? cfg['apiEndpoint'] : undefined,
    authClient: await googleAuth(cfg, BIGQUERY_SCOPE),
    retryOptions: { maxRetries: 2 },
  });
}

export const bqIdent = (name: string) => '`' + name.replace(/[`\\]/g, '\\$&') + '`';

/** Types BigQuery cannot load from Parquet become text or NUMERIC first. */
function bqExpr(c: Column): string | undefined {
  const q = quoteIdent(c.name);
  switch (c.kind) {
    case 'uuid': case 'interval': return `CAST(${q} AS VARCHAR) AS ${q}`;
    case 'json': return `CAST(to_json(${q}) AS VARCHAR) AS ${q}`;
    case 'bigint': return `CAST(${q} AS DECIMAL(38,0)) AS ${q}`;
    case 'time': return `CAST(${q} AS TIME) AS ${q}`;
    default: return undefined;
  }
}

export function bqError(target: string, e: unknown): PublishError {
  if (e instanceof PublishError) return e;
  const status = googleStatus(e);
  const msg = (e as Error).message ?? String(e);
  const at = `bigquery ${target}`;
  if (status === 401) return new PublishError(`${at}: the credentials were refused (${msg})`, 'check the service-account key of the connection');
  if (status === 403) return new PublishError(`${at}: permission denied (${msg})`, 'grant the service account the BigQuery Data Editor and Job User roles on the dataset/project');
  if (status === 404) return new PublishError(`${at}: not found (${msg})`, "create the dataset, or fix the connection's project and dataset");
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN/.test(msg)) return new PublishError(`${at}: cannot reach the BigQuery API (${msg})`, 'check your network, or the apiEndpoint of the connection');
  return new PublishError(`${at}: ${msg}; nothing was changed`);
}

async function load(table: Table, file: string, writeDisposition: string): Promise<void> {
  await table.load(file, { sourceFormat: 'PARQUET', writeDisposition, createDisposition: 'CREATE_IF_NEEDED', parquetOptions: { enableListInference: true } });
}

function where(req: PublishRequest) {
  const cfg = requireConnection('bigquery', 'BigQuery', req);
  const name = requireTable('bigquery', req.destination.table);
  const datasetId = name.schema ?? (typeof cfg['dataset'] === 'string' ? cfg['dataset'] : undefined);
  if (!datasetId) throw new PublishError(`bigquery destination ${name.table}: no dataset`, "set the connection's dataset, or write the table as dataset.table");
  return { cfg, name, datasetId, target: `${String(cfg['projectId'] ?? '')}.${datasetId}.${name.table}` };
}

export const bigqueryWriter = defineWriter({
  type: 'bigquery',
  target: async (req) => where(req).target,
  async stage(req: PublishRequest): Promise<StagedPublish> {
    const { cfg, name, datasetId, target } = where(req);
    let cleanup: string | undefined;
    const removeUpload = () => {
      if (cleanup) fs.rmSync(cleanup, { force: true });
    };
    try {
      const bq = await bigqueryClient(cfg);
      const dataset = bq.dataset(datasetId);
      const table = dataset.table(name.table);
      const { file, rows, names } = await withParquet(req.parquetPath, async (src) => {
        const exprs = src.columns.map(bqExpr);
        let path = req.parquetPath;
        if (exprs.some(Boolean)) {
          path = cleanup = `${req.parquetPath}.bigquery.parquet`;
          const select = src.columns.map((c, i) => exprs[i] ?? quoteIdent(c.name)).join(', ');
          await src.run(`COPY (SELECT ${select} FROM ${src.fromClause}) TO ${sqlString(path)} (FORMAT parquet)`);
        }
        return { file: path, rows: await src.rowCount(), names: src.names };
      });
      const key = req.mode === 'upsert' ? requireKey('bigquery', target, req.key, names) : req.key;
      const [exists] = await table.exists();
      if (exists && req.mode === 'fail_if_exists') throw existsError('bigquery', target);
      if (req.signal?.aborted) throw new PublishError(`bigquery ${target}: publish cancelled; nothing was changed`);
      const write = async () => {
        if (req.mode === 'upsert' && exists) {
          const stage = dataset.table(stagingName(name.table, 1024));
          await load(stage, file, 'WRITE_TRUNCATE');
          try {
            const full = (t: string) => bqIdent(`${String(cfg['projectId'])}.${datasetId}.${t}`);
            const rest = names.filter((n) => !key!.includes(n));
            const merge = `MERGE INTO ${full(name.table)} T USING ${full(stage.id!)} S ON ${key!.map((k) => `T.${bqIdent(k)} = S.${bqIdent(k)}`).join(' AND ')}` +
              (rest.length ? ` WHEN MATCHED THEN UPDATE SET ${rest.map((c) => `${bqIdent(c)} = S.${bqIdent(c)}`).join(', ')}` : '') +
              ` WHEN NOT MATCHED THEN INSERT (${names.map(bqIdent).join(', ')}) VALUES (${names.map((c) => `S.${bqIdent(c)}`).join(', ')})`;
            await bq.query({ query: merge });
          } finally {
            await stage.delete({ ignoreNotFound: true }).catch(() => undefined);
          }
        } else {
          const disposition = req.mode === 'replace' ? 'WRITE_TRUNCATE' : req.mode === 'fail_if_exists' ? 'WRITE_EMPTY' : 'WRITE_APPEND';
          await load(table, file, disposition);
        }
        req.onProgress?.(rows);
      };
      let settled = false;
      return {
        rows,
        target,
        held: false,
        async commit() {
          if (settled) return;
          settled = true;
          try {
            await write();
          } catch (e) {
            throw bqError(target, e);
          } finally {
            removeUpload();
          }
        },
        async abort() {
          if (settled) return false;
          settled = true;
          removeUpload();
          return true;
        },
      };
    } catch (e) {
      removeUpload();
      throw bqError(target, e);
    }
  },
});

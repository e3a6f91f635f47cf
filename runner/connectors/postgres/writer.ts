// Why: Postgres destination. Rows stream from the Parquet (DuckDB writes them as CSV) through
// COPY into a staging or the new table, and the whole publish is one transaction: a
// constraint error, a dropped connection or kill -9 leaves the target as it was. Staging
// does all the work and leaves the transaction open; commit is its COMMIT.
import type { Socket } from 'node:net';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PublishError, defineWriter, type ConnectionConfig, type PublishRequest, type StagedPublish } from '../types.ts';
import { withParquet, type ParquetSource } from '../parquet.ts';
import { existsError, quoteIdent, quoteTable, requireKey, requireTable, stagingName, type TableName, requireConnection } from '../sql.ts';
import { pgType } from './types.ts';
import { streamParquetAsCsv } from './csv-stream.ts';
import { pgError } from './errors.ts';

/** how often (in rows) progress is reported */
const PROGRESS_ROWS = 10_000;

function fit(name: string, max = 63): string {
  while (Buffer.byteLength(name) > max) name = name.slice(0, -1);
  return name;
}

function clientFor(cfg: ConnectionConfig): pg.Client {
  const connectionString = typeof cfg['connectionString'] === 'string' ? cfg['connectionString'] : undefined;
  return new pg.Client({
    connectionString,
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    ssl: cfg.ssl ? { rejectUnauthorized: cfg['sslRejectUnauthorized'] !== false } : undefined,
    application_name: 'aqueduct-publish',
    connectionTimeoutMillis: 15_000,
  });
}

/** COPY every row of `src` into `table` (DuckDB writes the CSV, see csv-stream.ts); returns the number of rows. */
async function copyRows(client: pg.Client, table: string, src: ParquetSource, req: PublishRequest): Promise<number> {
  const cols = src.names.map((n) => quoteIdent(n)).join(', ');
  const copy = client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN WITH (FORMAT csv)`));
  const expected = await src.rowCount();
  let reported = 0;
  await streamParquetAsCsv(src, copy, (n) => {
    if (n - reported >= PROGRESS_ROWS && n < expected) {
      reported = n;
      req.onProgress?.(n);
    }
  }, req.signal);
  if (copy.rowCount !== expected) {
    throw new PublishError(`postgres ${table}: ${copy.rowCount} of ${expected} rows arrived; nothing was changed`, 'publish again');
  }
  req.onProgress?.(expected);
  return expected;
}

/** The target as far as it is known without connecting: db/schema.table (schema when named). */
function plainTarget(req: PublishRequest): string {
  const cfg = requireConnection('postgres', 'Postgres', req);
  const name = requireTable('postgres', req.destination.table);
  return `${cfg.database ?? ''}/${name.schema ?? cfg.schema ?? 'public'}.${name.table}`;
}

export const postgresWriter = defineWriter({
  type: 'postgres',
  target: async (req) => plainTarget(req),
  async stage(req: PublishRequest): Promise<StagedPublish> {
    const cfg = requireConnection('postgres', 'Postgres', req);
    const name = requireTable('postgres', req.destination.table);
    let target = `${cfg.database ?? ''}/${name.schema ? `${name.schema}.` : ''}${name.table}`;
    const client = clientFor(cfg);
    client.on('error', () => undefined); // a lost connection surfaces through the running query
    const onAbort = () => (client as unknown as { connection?: { stream?: Socket } }).connection?.stream?.destroy(new Error('publish cancelled'));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    let open = false;
    /** the replace's last step (drop the old table, rename the staging one), run at commit */
    let swap: (() => Promise<void>) | undefined;
    try {
      await client.connect();
      const schema = name.schema ?? cfg.schema ?? (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
      target = `${cfg.database ?? (client as unknown as { database?: string }).database ?? ''}/${schema}.${name.table}`;
      const t: TableName = { schema, table: name.table };
      const rows = await withParquet(req.parquetPath, async (src) => {
        const names = src.names;
        const key = req.mode === 'upsert' ? requireKey('postgres', target, req.key, names) : req.key;
        const keyList = key?.map((k) => quoteIdent(k)).join(', ');
        const defs = src.columns.map((c) => `${quoteIdent(c.name)} ${pgType(c)}`).join(', ');

        await client.query('BEGIN');
        open = true;
        const ns = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
        if (!ns.rowCount) throw new PublishError(`postgres ${target}: schema "${schema}" does not exist`, `create it (CREATE SCHEMA) or fix the schema part of the table name`);
        const rel = await client.query('SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2', [schema, name.table]);
        const exists = (rel.rowCount ?? 0) > 0;
        if (exists && req.mode === 'fail_if_exists') throw existsError('postgres', target);

        let written: number;
        if (req.mode === 'replace') {
          // fill a staging table now; commit drops the old table and renames it, in this same
          // transaction, so readers of the old table are not locked out while others stage
          const stage: TableName = { schema, table: stagingName(name.table, 63) };
          const constraint = key?.length ? `, CONSTRAINT ${quoteIdent(fit(`${stage.table}_key`))} UNIQUE (${keyList})` : '';
          await client.query(`CREATE TABLE ${quoteTable(stage)} (${defs}${constraint})`);
          written = await copyRows(client, quoteTable(stage), src, req);
          swap = async () => {
            if (exists) await client.query(`DROP TABLE ${quoteTable(t)}`);
            await client.query(`ALTER TABLE ${quoteTable(stage)} RENAME TO ${quoteIdent(name.table)}`);
            const finalKey = fit(`${name.table}_key`);
            const taken = await client.query('SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2', [schema, finalKey]);
            if (key?.length && !taken.rowCount) {
              await client.query(`ALTER TABLE ${quoteTable(t)} RENAME CONSTRAINT ${quoteIdent(fit(`${stage.table}_key`))} TO ${quoteIdent(finalKey)}`);
            }
          };
        } else if (!exists) {
          const constraint = key?.length ? `, UNIQUE (${keyList})` : '';
          await client.query(`CREATE TABLE ${quoteTable(t)} (${defs}${constraint})`);
          written = await copyRows(client, quoteTable(t), src, req);
        } else if (req.mode === 'append') {
          written = await copyRows(client, quoteTable(t), src, req);
        } else {
          const stage = quoteIdent(stagingName(name.table, 63));
          await client.query(`CREATE TEMP TABLE ${stage} (${defs}) ON COMMIT DROP`);
          written = await copyRows(client, stage, src, req);
          const cols = names.map((n) => quoteIdent(n)).join(', ');
          const rest = names.filter((c) => !key!.includes(c));
          const action = rest.length ? `DO UPDATE SET ${rest.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}` : 'DO NOTHING';
          await client.query(`INSERT INTO ${quoteTable(t)} (${cols}) SELECT ${cols} FROM ${stage} ON CONFLICT (${keyList}) ${action}`);
        }
        if (req.signal?.aborted) throw new PublishError(`postgres ${target}: publish cancelled; nothing was changed`);
        return written;
      });
      req.signal?.removeEventListener('abort', onAbort);
      const where = target;
      let settled = false;
      const finish = async (commit: boolean): Promise<boolean> => {
        if (settled) return false;
        settled = true;
        try {
          if (commit) await swap?.();
          await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        } catch (e) {
          if (commit) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw pgError(where, e, { database: cfg.database, host: cfg.host, port: cfg.port, user: cfg.user });
          }
        } finally {
          await client.end().catch(() => undefined);
        }
        return true;
      };
      return { rows, target, held: true, commit: async () => void (await finish(true)), abort: () => finish(false) };
    } catch (e) {
      req.signal?.removeEventListener('abort', onAbort);
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
      if (req.signal?.aborted && !(e instanceof PublishError)) throw new PublishError(`postgres ${target}: publish cancelled; nothing was changed`);
      throw pgError(target, e, { database: cfg.database, host: cfg.host, port: cfg.port, user: cfg.user });
    }
  },
});

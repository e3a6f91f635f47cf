// Why: Snowflake destination. Rows go in as batched INSERTs with array binds (kept under
// the driver's stage-binding threshold, so no cloud-storage upload is involved). replace
// and new tables fill a staging table, then ALTER TABLE … SWAP WITH / RENAME make it
// appear in one step; append runs in one transaction; upsert MERGEs from a temp table.
// Staging fills the tables (and runs the MERGE or the inserts in an open transaction);
// commit is the SWAP/RENAME or the COMMIT. Plain names are upper-cased, as Snowflake does
// with unquoted identifiers.
import { PublishError, defineWriter, type PublishRequest, type StagedPublish } from '../types.ts';
import { withParquet, type Column, type ParquetSource } from '../parquet.ts';
import { existsError, quoteIdent, requireKey, requireTable, stagingName, requireConnection } from '../sql.ts';
import { snowflakeConnect, snowflakeError, type SnowflakeSession } from './client.ts';

/** Values per INSERT: below the driver's arrayBindingThreshold (65280). */
const BIND_VALUES = 60_000;

/** Snowflake's rule for unquoted names: they are stored upper-case. */
export function sfName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toUpperCase() : name;
}
const q = (name: string) => quoteIdent(sfName(name));

export function sfType(c: Column): string {
  switch (c.kind) {
    case 'int': case 'bigint': return 'NUMBER(38,0)';
    case 'float': return 'FLOAT';
    case 'decimal': return `NUMBER(${Math.min(c.precision ?? 38, 38)},${c.scale ?? 0})`;
    case 'bool': return 'BOOLEAN';
    case 'date': return 'DATE';
    case 'time': return 'TIME';
    case 'timestamp': return 'TIMESTAMP_NTZ';
    case 'timestamptz': return 'TIMESTAMP_TZ';
    case 'blob': return 'BINARY';
    default: return 'VARCHAR';
  }
}

/** Every value travels as text Snowflake parses back exactly (ISO times, hex binary). */
function sfExpr(c: Column, col: string): string {
  switch (c.kind) {
    case 'timestamptz': return `strftime(timezone('UTC', ${col}), '%Y-%m-%dT%H:%M:%S.%f') || '+00:00'`;
    case 'timestamp': return `strftime(${col}, '%Y-%m-%dT%H:%M:%S.%f')`;
    case 'blob': return `hex(${col})`;
    case 'json': return `CAST(to_json(${col}) AS VARCHAR)`;
    default: return `CAST(${col} AS VARCHAR)`;
  }
}

async function insertRows(s: SnowflakeSession, table: string, src: ParquetSource, req: PublishRequest): Promise<number> {
  const cols = src.names.map(q).join(', ');
  const sql = `INSERT INTO ${table} (${cols}) VALUES (${src.names.map(() => '?').join(', ')})`;
  const perBatch = Math.max(1, Math.floor(BIND_VALUES / Math.max(1, src.names.length)));
  let written = 0;
  for await (const batch of src.batches(sfExpr, perBatch, req.signal)) {
    await s.exec(sql, batch as (string | null)[][]);
    written += batch.length;
    req.onProgress?.(written);
  }
  return written;
}

function where(req: PublishRequest) {
  const cfg = requireConnection('snowflake', 'Snowflake', req);
  const name = requireTable('snowflake', req.destination.table);
  const schema = sfName(name.schema ?? cfg.schema ?? 'PUBLIC');
  const table = sfName(name.table);
  return { cfg, schema, table, target: `${cfg.database ?? ''}.${schema}.${table}` };
}

export const snowflakeWriter = defineWriter({
  type: 'snowflake',
  target: async (req) => where(req).target,
  async stage(req: PublishRequest): Promise<StagedPublish> {
    const { cfg, schema, table, target } = where(req);
    const t = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    let s: SnowflakeSession | undefined;
    let staging: string | undefined;
    let inTransaction = false;
    try {
      s = await snowflakeConnect(cfg);
      const session = s;
      const { rows, finish } = await withParquet(req.parquetPath, async (src) => {
        const key = req.mode === 'upsert' ? requireKey('snowflake', target, req.key, src.names) : req.key;
        const found = await session.exec('SELECT COUNT(*) AS N FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [schema, table]);
        const exists = Number(found[0]?.['N'] ?? 0) > 0;
        if (exists && req.mode === 'fail_if_exists') throw existsError('snowflake', target);
        const defs = src.columns.map((c) => `${q(c.name)} ${sfType(c)}`).join(', ');
        const cancelled = () => {
          if (req.signal?.aborted) throw new PublishError(`snowflake ${target}: publish cancelled; nothing was changed`);
        };

        if (req.mode === 'replace' || !exists) {
          const stage = `${quoteIdent(schema)}.${quoteIdent(stagingName(table, 255).toUpperCase())}`;
          staging = stage;
          await session.exec(`CREATE TABLE ${stage} (${defs})`);
          const written = await insertRows(session, stage, src, req);
          cancelled();
          const done = async (commit: boolean) => {
            if (commit && exists) {
              await session.exec(`ALTER TABLE ${t} SWAP WITH ${stage}`); // the old rows now sit in the staging name
            } else if (commit) {
              await session.exec(`ALTER TABLE ${stage} RENAME TO ${t}`);
              staging = undefined;
              return;
            }
            await session.exec(`DROP TABLE IF EXISTS ${stage}`);
            staging = undefined;
          };
          return { rows: written, finish: done };
        }
        if (req.mode === 'append') {
          await session.exec('BEGIN');
          inTransaction = true;
          const written = await insertRows(session, t, src, req);
          cancelled();
          return { rows: written, finish: async (commit: boolean) => void (await session.exec(commit ? 'COMMIT' : 'ROLLBACK')) };
        }
        // upsert: a temp table (gone with the session) merged in one statement, committed at commit
        const temp = `${quoteIdent(schema)}.${quoteIdent(stagingName(table, 255).toUpperCase())}`;
        await session.exec(`CREATE TEMPORARY TABLE ${temp} (${defs})`);
        const written = await insertRows(session, temp, src, req);
        const rest = src.names.filter((n) => !key!.includes(n));
        const on = key!.map((k) => `T.${q(k)} = S.${q(k)}`).join(' AND ');
        await session.exec('BEGIN');
        inTransaction = true;
        await session.exec(
          `MERGE INTO ${t} T USING ${temp} S ON ${on}` +
            (rest.length ? ` WHEN MATCHED THEN UPDATE SET ${rest.map((c) => `${q(c)} = S.${q(c)}`).join(', ')}` : '') +
            ` WHEN NOT MATCHED THEN INSERT (${src.names.map(q).join(', ')}) VALUES (${src.names.map((c) => `S.${q(c)}`).join(', ')})`,
        );
        cancelled();
        return { rows: written, finish: async (commit: boolean) => void (await session.exec(commit ? 'COMMIT' : 'ROLLBACK')) };
      });
      let settled = false;
      const settle = async (commit: boolean): Promise<boolean> => {
        if (settled) return false;
        settled = true;
        try {
          await finish(commit);
        } catch (e) {
          if (commit) {
            if (staging) await session.exec(`DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
            throw snowflakeError(target, e, cfg);
          }
        } finally {
          await session.close().catch(() => undefined);
        }
        return true;
      };
      return { rows, target, held: true, commit: async () => void (await settle(true)), abort: () => settle(false) };
    } catch (e) {
      if (inTransaction && s) await s.exec('ROLLBACK').catch(() => undefined);
      if (staging && s) await s.exec(`DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
      await s?.close().catch(() => undefined);
      throw snowflakeError(target, e, cfg);
    }
  },
});

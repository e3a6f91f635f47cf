// Why: MySQL/MariaDB destination (mysql2). New tables are filled under a staging name and
// appear by RENAME TABLE (atomic, also for the replace swap); append and upsert insert in
// batches inside one InnoDB transaction, so a failure leaves the target as it was. Staging
// fills the staging table (or leaves the transaction open); commit is the RENAME (or COMMIT).
import mysql from 'mysql2/promise';
import { PublishError, defineWriter, type DestinationWriter, type PublishRequest, type StagedPublish } from '../types.ts';
import { withParquet, type ParquetSource } from '../parquet.ts';
import { existsError, quoteIdent, requireKey, requireTable, stagingName, requireConnection } from '../sql.ts';
import { mysqlType, mysqlValueExpr } from './types.ts';
import { mysqlError } from './errors.ts';

const BATCH_ROWS = 2000;
const q = (name: string) => quoteIdent(name, '`');

async function insertRows(conn: mysql.Connection, table: string, src: ParquetSource, req: PublishRequest, suffix = ''): Promise<number> {
  const cols = src.names.map(q).join(', ');
  let written = 0;
  for await (const batch of src.batches(mysqlValueExpr, BATCH_ROWS, req.signal)) {
    await conn.query(`INSERT INTO ${table} (${cols}) VALUES ?${suffix}`, [batch]);
    written += batch.length;
    req.onProgress?.(written);
  }
  return written;
}

async function hasUniqueKey(conn: mysql.Connection, db: string, table: string, key: string[]): Promise<boolean> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    'SELECT INDEX_NAME AS name, COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0',
    [db, table],
  );
  const byIndex = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = byIndex.get(String(r['name'])) ?? new Set<string>();
    set.add(String(r['col']).toLowerCase());
    byIndex.set(String(r['name']), set);
  }
  const want = new Set(key.map((k) => k.toLowerCase()));
  return [...byIndex.values()].some((s) => s.size === want.size && [...want].every((k) => s.has(k)));
}

function where(type: 'mysql' | 'mariadb', req: PublishRequest) {
  const cfg = requireConnection(type, type === 'mysql' ? 'MySQL' : 'MariaDB', req);
  const name = requireTable(type, req.destination.table);
  const db = name.schema ?? cfg.database;
  if (!db) throw new PublishError(`${type} destination ${name.table}: no database`, "set the connection's database, or write the table as database.table");
  return { cfg, name, db, target: `${db}/${name.table}` };
}

function writer(type: 'mysql' | 'mariadb'): DestinationWriter {
  return defineWriter({
    type,
    target: async (req) => where(type, req).target,
    async stage(req: PublishRequest): Promise<StagedPublish> {
      const { cfg, name, db, target } = where(type, req);
      const t = `${q(db)}.${q(name.table)}`;
      const info = { database: db, host: cfg.host, port: cfg.port, user: cfg.user };
      let conn: mysql.Connection | undefined;
      let staging: string | undefined;
      let inTransaction = false;
      const onAbort = () => conn?.destroy();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      /** commit or discard what staging prepared; false when already done */
      let finish: ((commit: boolean) => Promise<void>) | undefined;
      try {
        conn = await mysql.createConnection({
          host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: cfg.database,
          ssl: cfg.ssl ? {} : undefined, connectTimeout: 15_000, multipleStatements: false,
          supportBigNumbers: true, bigNumberStrings: true, dateStrings: true,
        });
        conn.on('error', () => undefined); // a lost connection surfaces through the running query
        const c = conn;
        await c.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
        await c.query("SET SESSION time_zone = '+00:00'");
        const rows = await withParquet(req.parquetPath, async (src) => {
          const names = src.names;
          const key = req.mode === 'upsert' ? requireKey(type, target, req.key, names) : req.key;
          const [found] = await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, name.table]);
          const exists = found.length > 0;
          if (exists && req.mode === 'fail_if_exists') throw existsError(type, target);

          if (req.mode === 'replace' || !exists) {
            // fill a staging table; commit makes it appear (or swaps it in) with one RENAME TABLE
            const stagingTable = stagingName(name.table, 64);
            staging = stagingTable;
            const s = `${q(db)}.${q(stagingTable)}`;
            const defs = src.columns.map((col) => `${q(col.name)} ${mysqlType(col, key?.includes(col.name) ?? false)}`);
            if (key?.length) defs.push(`UNIQUE KEY (${key.map(q).join(', ')})`);
            await c.query(`CREATE TABLE ${s} (${defs.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
            await c.beginTransaction();
            const written = await insertRows(c, s, src, req);
            await c.commit();
            if (req.signal?.aborted) throw new PublishError(`${type} ${target}: publish cancelled; nothing was changed`);
            finish = async (commit) => {
              if (!commit) {
                await c.query(`DROP TABLE IF EXISTS ${s}`);
                return;
              }
              if (exists) {
                const old = stagingTable.replace('__aq_staging_', '__aq_old_');
                await c.query(`RENAME TABLE ${t} TO ${q(db)}.${q(old)}, ${s} TO ${t}`);
                staging = undefined;
                await c.query(`DROP TABLE ${q(db)}.${q(old)}`);
              } else {
                await c.query(`RENAME TABLE ${s} TO ${t}`);
                staging = undefined;
              }
            };
            return written;
          }

          let suffix = '';
          if (req.mode === 'upsert') {
            if (!(await hasUniqueKey(c, db, name.table, key!))) {
              throw new PublishError(`${type} ${target}: upsert needs a unique key on (${key!.join(', ')})`, 'publish once with mode replace and a key (which creates it), or add a UNIQUE index on the key columns');
            }
            const rest = names.filter((n) => !key!.includes(n));
            const sets = (rest.length ? rest : [key![0]!]).map((n) => `${q(n)} = VALUES(${q(n)})`);
            suffix = ` ON DUPLICATE KEY UPDATE ${sets.join(', ')}`;
          }
          await c.beginTransaction();
          inTransaction = true;
          const written = await insertRows(c, t, src, req, suffix);
          if (req.signal?.aborted) throw new PublishError(`${type} ${target}: publish cancelled; nothing was changed`);
          finish = async (commit) => {
            if (commit) await c.commit();
            else await c.rollback();
          };
          return written;
        });
        req.signal?.removeEventListener('abort', onAbort);
        const end = finish!;
        let settled = false;
        const settle = async (commit: boolean): Promise<boolean> => {
          if (settled) return false;
          settled = true;
          try {
            await end(commit);
          } catch (e) {
            if (commit) {
              if (staging) await c.query(`DROP TABLE IF EXISTS ${q(db)}.${q(staging)}`).catch(() => undefined);
              throw mysqlError(type, target, e, info);
            }
          } finally {
            await c.end().catch(() => undefined);
          }
          return true;
        };
        return { rows, target, held: true, commit: async () => void (await settle(true)), abort: () => settle(false) };
      } catch (e) {
        req.signal?.removeEventListener('abort', onAbort);
        if (inTransaction && conn) await conn.rollback().catch(() => undefined);
        if (staging && conn) await conn.query(`DROP TABLE IF EXISTS ${q(db)}.${q(staging)}`).catch(() => undefined);
        await conn?.end().catch(() => undefined);
        if (req.signal?.aborted && !(e instanceof PublishError)) throw new PublishError(`${type} ${target}: publish cancelled; nothing was changed`);
        throw mysqlError(type, target, e, info);
      }
    },
  });
}

export const mysqlWriter = writer('mysql');
export const mariadbWriter = writer('mariadb');

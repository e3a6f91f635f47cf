// Why: Parquet destination. DuckDB writes it; append rewrites old rows plus new ones into
// a temp file (Parquet cannot be appended in place), then renames over the old file.
import type { DestinationWriter, PublishRequest, PublishResult } from '../types.ts';
import { withParquet } from '../parquet.ts';
import { quoteIdent, sqlString } from '../sql.ts';
import { atomicWrite, checkExisting, fileTarget, sameColumns } from './common.ts';

export const parquetWriter: DestinationWriter = {
  type: 'parquet',
  async publish(req: PublishRequest): Promise<PublishResult> {
    const target = fileTarget('parquet', req);
    const append = checkExisting('parquet', target, req) && req.mode === 'append';
    return withParquet(req, async (src) => {
      const rows = await src.rowCount();
      let select = `SELECT * FROM ${src.fromClause}`;
      if (append) {
        const old = await src.describe(`SELECT * FROM read_parquet(${sqlString(target)})`);
        sameColumns('parquet', target, old, src.names);
        const cols = src.names.map((n) => quoteIdent(n)).join(', ');
        select = `SELECT ${cols} FROM read_parquet(${sqlString(target)}) UNION ALL SELECT ${cols} FROM ${src.fromClause}`;
      }
      await atomicWrite('parquet', target, (tmp) => src.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet)`), req.signal);
      req.onProgress?.(rows);
      return { rows, target };
    });
  },
};

// Why: Parquet destination. DuckDB writes it; append rewrites old rows plus new ones into
// a staged temp file (Parquet cannot be appended in place), renamed over the old at commit.
import { defineWriter } from '../types.ts';
import { withParquet } from '../parquet.ts';
import { quoteIdent, sqlString } from '../sql.ts';
import { checkExisting, currentVersion, fileTarget, sameColumns, stageFile, stagingOf } from './common.ts';

export const parquetWriter = defineWriter({
  type: 'parquet',
  target: async (req) => fileTarget('parquet', req),
  async stage(req) {
    const target = fileTarget('parquet', req);
    const area = stagingOf(req);
    return area.serial(target, async () => {
      const base = currentVersion(area, target);
      const append = checkExisting('parquet', target, base, req) && req.mode === 'append';
      return withParquet(req, async (src) => {
        const rows = await src.rowCount();
        let select = `SELECT * FROM ${src.fromClause}`;
        if (append) {
          const old = await src.describe(`SELECT * FROM read_parquet(${sqlString(base!)})`);
          sameColumns('parquet', target, old, src.names);
          const cols = src.names.map((n) => quoteIdent(n)).join(', ');
          select = `SELECT ${cols} FROM read_parquet(${sqlString(base!)}) UNION ALL SELECT ${cols} FROM ${src.fromClause}`;
        }
        const staged = await stageFile('parquet', target, area, rows, (tmp) => src.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet)`), req.signal);
        req.onProgress?.(rows);
        return staged;
      });
    });
  },
});

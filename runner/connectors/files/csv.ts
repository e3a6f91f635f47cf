// Why: CSV destination. DuckDB writes the rows; append copies the old file and adds rows
// without a header, all into a staged temp file so a failure leaves the old file as it was.
import { appendFile, copyFile, open, rm } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { defineWriter } from '../types.ts';
import { withParquet } from '../parquet.ts';
import { sqlString } from '../sql.ts';
import { checkExisting, currentVersion, fileTarget, sameColumns, stageFile, stagingOf } from './common.ts';

async function endsWithNewline(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(1);
    await fh.read(buf, 0, 1, size - 1);
    return buf[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

export const csvWriter = defineWriter({
  type: 'csv',
  target: async (req) => fileTarget('csv', req),
  async stage(req) {
    const target = fileTarget('csv', req);
    const area = stagingOf(req);
    return area.serial(target, async () => {
      const base = currentVersion(area, target);
      const append = checkExisting('csv', target, base, req) && req.mode === 'append';
      return withParquet(req, async (src) => {
        const rows = await src.rowCount();
        if (append) {
          const old = await src.describe(`SELECT * FROM read_csv(${sqlString(base!)}, header = true, all_varchar = true)`);
          sameColumns('csv', target, old, src.names);
        }
        const staged = await stageFile('csv', target, area, rows, async (tmp) => {
          if (!append) {
            await src.run(`COPY (SELECT * FROM ${src.fromClause}) TO ${sqlString(tmp)} (FORMAT csv, HEADER true)`);
            return;
          }
          const part = `${tmp}.part`;
          try {
            await src.run(`COPY (SELECT * FROM ${src.fromClause}) TO ${sqlString(part)} (FORMAT csv, HEADER false)`);
            await copyFile(base!, tmp);
            if (!(await endsWithNewline(tmp))) await appendFile(tmp, '\n');
            await pipeline(createReadStream(part), createWriteStream(tmp, { flags: 'a' }));
          } finally {
            await rm(part, { force: true });
          }
        }, req.signal);
        req.onProgress?.(rows);
        return staged;
      });
    });
  },
});

// Why: JSON destination: a JSON array (.json) or one object per line (.jsonl/.ndjson).
// Append keeps the old file's bytes and adds the new records, in a staged temp file.
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, open, rm, truncate } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PublishError, defineWriter } from '../types.ts';
import { withParquet } from '../parquet.ts';
import { sqlString } from '../sql.ts';
import { checkExisting, currentVersion, fileTarget, stageFile, stagingOf } from './common.ts';

const isLines = (path: string) => /\.(jsonl|ndjson)$/i.test(path);

/** Where the closing `]` of a JSON array file sits, and whether the array is empty. */
async function arrayEnd(path: string, target: string): Promise<{ close: number; empty: boolean }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 1 << 16);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    const tail = buf.toString('latin1');
    const close = tail.search(/\]\s*$/);
    if (close === -1) throw new PublishError(`json ${target}: cannot append, the file is not a JSON array`, 'use mode replace, or name the file .jsonl for one record per line');
    const before = tail.slice(0, close).trimEnd();
    return { close: size - len + close, empty: before.endsWith('[') };
  } finally {
    await fh.close();
  }
}

async function endsWithNewline(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

export const jsonWriter = defineWriter({
  type: 'json',
  target: async (req) => fileTarget('json', req),
  async stage(req) {
    const target = fileTarget('json', req);
    const area = stagingOf(req);
    const lines = isLines(req.destination.path ?? target);
    return area.serial(target, async () => {
      const base = currentVersion(area, target);
      const append = checkExisting('json', target, base, req) && req.mode === 'append';
      return withParquet(req, async (src) => {
        const rows = await src.rowCount();
        const copy = (to: string, array: boolean) =>
          src.run(`COPY (SELECT * FROM ${src.fromClause}) TO ${sqlString(to)} (FORMAT json, ARRAY ${array})`);
        const staged = await stageFile('json', target, area, rows, async (tmp) => {
          if (!append) return copy(tmp, !lines);
          const part = `${tmp}.part`;
          try {
            await copy(part, false);
            if (lines) {
              await copyFile(base!, tmp);
              const out = createWriteStream(tmp, { flags: 'a' });
              if (!(await endsWithNewline(tmp))) out.write('\n');
              await pipeline(createReadStream(part), out);
              return;
            }
            const { close, empty } = await arrayEnd(base!, target);
            await copyFile(base!, tmp);
            await truncate(tmp, close);
            const out = createWriteStream(tmp, { flags: 'a' });
            let first = empty;
            async function* records() {
              for await (const line of createInterface({ input: createReadStream(part), crlfDelay: Infinity })) {
                if (!line) continue;
                yield (first ? '\n' : ',\n') + line;
                first = false;
              }
              yield '\n]\n';
            }
            await pipeline(records, out);
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

// The diff of two outputs without a key: each side's rows counted per distinct row, the
// counts joined on every compared column (nulls match nulls), and the rows whose count
// differs reported with both counts. Rows that differ in any value are different rows.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DiffRow, MultisetDiff } from '../../api/monitor-types.ts';
import { exactNumber } from './keyed-diff.ts';
import { matchable, type ComparedColumn } from './diff-sql.ts';

type Json = Record<string, unknown>;

export async function multisetDiff(c: DuckDBConnection, cols: ComparedColumn[], sample: number): Promise<MultisetDiff> {
  const V = (i: number) => `__v${i}`;
  const grouped = (side: 'A' | 'B', alias: string) =>
    `SELECT ${cols.map((col, i) => `${matchable(alias, col)} AS ${V(i)}`).join(', ')}, count(*) AS __n FROM ${side} ${alias} GROUP BY ALL`;
  const on = cols.map((_, i) => `x.${V(i)} IS NOT DISTINCT FROM y.${V(i)}`).join(' AND ') || 'true';
  await c.run(`CREATE OR REPLACE TEMP TABLE __m AS SELECT ${cols.map((_, i) => `coalesce(x.${V(i)}, y.${V(i)}) AS ${V(i)}`).join(', ')},
    coalesce(x.__n, 0) AS na, coalesce(y.__n, 0) AS nb
    FROM (${grouped('A', 'a')}) x FULL OUTER JOIN (${grouped('B', 'b')}) y ON ${on} WHERE coalesce(x.__n, 0) <> coalesce(y.__n, 0)`);
  const sum = (await c.runAndReadAll(`SELECT coalesce(sum(greatest(na - nb, 0)), 0) AS a, coalesce(sum(greatest(nb - na, 0)), 0) AS b, count(*) AS d FROM __m`)).getRowObjectsJson()[0] as Json;
  const order = cols.map((_, i) => `${V(i)} NULLS FIRST`).join(', ');
  const rows = (await c.runAndReadAll(`SELECT * FROM __m ORDER BY ${order} LIMIT ${sample}`)).getRowObjectsJson() as Json[];
  return {
    mode: 'multiset',
    onlyInA: Number(sum.a),
    onlyInB: Number(sum.b),
    distinctRows: Number(sum.d),
    sample: rows.map((r) => ({
      row: Object.fromEntries(cols.map((col, i) => [col.name, exactNumber(r[V(i)] ?? null, col)])) as DiffRow,
      countA: Number(r.na),
      countB: Number(r.nb),
    })),
  };
}


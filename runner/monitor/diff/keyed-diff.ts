// The diff of two outputs matched on key columns, in DuckDB over the two Parquet files:
// keys that occur more than once on either side are counted and left out; one full outer
// join on the rest marks each row added, removed, changed (with which columns) or the same,
// and is kept (keys and flags only) to count and to pick the first changed rows by key,
// whose whole rows are then read from both files to show side by side.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DiffRow, KeyedDiff } from '../../api/monitor-types.ts';
import type { ColumnInfo } from '../../api/types.ts';
import { safeIntegers } from '../../exec/preview.ts';
import { isNumericType } from '../profile/compute-profile.ts';
import { changedExpr, matchable, type ComparedColumn } from './diff-sql.ts';

type Json = Record<string, unknown>;

async function all(c: DuckDBConnection, sql: string): Promise<Json[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as Json[];
}

export interface KeyedInput {
  /** views A and B over the two files */
  key: ComparedColumn[];
  values: ComparedColumn[];
  columnsA: ColumnInfo[];
  columnsB: ColumnInfo[];
  tolerance?: number;
  sample: number;
}

const K = (i: number) => `__k${i}`;
const C = (i: number) => `__c${i}`;

export async function keyedDiff(c: DuckDBConnection, o: KeyedInput): Promise<KeyedDiff> {
  const keyOn = (x: string, y: string) => o.key.map((k) => `${matchable(x, k)} IS NOT DISTINCT FROM ${matchable(y, k)}`).join(' AND ');
  const keyOf = (alias: string) => o.key.map((k, i) => `${matchable(alias, k)} AS ${K(i)}`).join(', ');
  const keyCols = o.key.map((_, i) => K(i)).join(', ');

  // keys on more than one row of a side
  await c.run(`CREATE OR REPLACE TEMP TABLE __dup_a AS SELECT ${keyOf('a')}, count(*) AS n FROM A a GROUP BY ALL HAVING count(*) > 1`);
  await c.run(`CREATE OR REPLACE TEMP TABLE __dup_b AS SELECT ${keyOf('b')}, count(*) AS n FROM B b GROUP BY ALL HAVING count(*) > 1`);
  const dup = (await all(c, `SELECT (SELECT count(*) FROM __dup_a) AS ka, (SELECT coalesce(sum(n), 0) FROM __dup_a) AS ra,
    (SELECT count(*) FROM __dup_b) AS kb, (SELECT coalesce(sum(n), 0) FROM __dup_b) AS rb`))[0]!;
  const hasDups = Number(dup.ka) + Number(dup.kb) > 0;
  let dupSample: KeyedDiff['duplicates']['sample'] = [];
  if (hasDups) {
    const on = o.key.map((_, i) => `x.${K(i)} IS NOT DISTINCT FROM y.${K(i)}`).join(' AND ');
    await c.run(`CREATE OR REPLACE TEMP TABLE __dups AS SELECT ${o.key.map((_, i) => `coalesce(x.${K(i)}, y.${K(i)}) AS ${K(i)}`).join(', ')},
      coalesce(x.n, 0) AS na, coalesce(y.n, 0) AS nb FROM __dup_a x FULL JOIN __dup_b y ON ${on}`);
    dupSample = (await all(c, `SELECT * FROM __dups ORDER BY ${keyCols} LIMIT ${o.sample}`)).map((r) => ({
      key: keyRow(r, o.key),
      countA: Number(r.na),
      countB: Number(r.nb),
    }));
  }
  const notDup = (alias: string) => (hasDups ? ` WHERE NOT EXISTS (SELECT 1 FROM __dups d WHERE ${o.key.map((k, i) => `${matchable(alias, k)} IS NOT DISTINCT FROM d.${K(i)}`).join(' AND ')})` : '');
  await c.run(`CREATE OR REPLACE TEMP VIEW A1 AS SELECT * FROM A a${notDup('a')}`);
  await c.run(`CREATE OR REPLACE TEMP VIEW B1 AS SELECT * FROM B b${notDup('b')}`);

  const flags = o.values.map((v, i) => `${changedExpr(v, o.tolerance)} AS ${C(i)}`);
  await c.run(`CREATE OR REPLACE TEMP TABLE __d AS SELECT ${o.key.map((k, i) => `coalesce(${matchable('a', k)}, ${matchable('b', k)}) AS ${K(i)}`).join(', ')},
    a.__in IS NOT NULL AS in_a, b.__in IS NOT NULL AS in_b${flags.length ? ', ' + flags.join(', ') : ''}
    FROM (SELECT *, true AS __in FROM A1) a FULL OUTER JOIN (SELECT *, true AS __in FROM B1) b ON ${keyOn('a', 'b')}`);
  const anyChange = o.values.length ? o.values.map((_, i) => C(i)).join(' OR ') : 'false';
  const counts = (await all(c, `SELECT count(*) FILTER (in_b AND NOT in_a) AS added, count(*) FILTER (in_a AND NOT in_b) AS removed,
    count(*) FILTER (in_a AND in_b AND (${anyChange})) AS changed, count(*) FILTER (in_a AND in_b AND NOT (${anyChange})) AS same
    ${o.values.map((_, i) => `, count(*) FILTER (in_a AND in_b AND ${C(i)}) AS n${i}`).join('')} FROM __d`))[0]!;

  const pick = (where: string) => `SELECT * FROM __d WHERE ${where} ORDER BY ${keyCols} NULLS FIRST LIMIT ${o.sample}`;
  await c.run(`CREATE OR REPLACE TEMP TABLE __s AS
    SELECT 'changed' AS kind, * FROM (${pick(`in_a AND in_b AND (${anyChange})`)})
    UNION ALL BY NAME SELECT 'added' AS kind, * FROM (${pick('in_b AND NOT in_a')})
    UNION ALL BY NAME SELECT 'removed' AS kind, * FROM (${pick('in_a AND NOT in_b')})`);
  const sideRows = async (side: 'A1' | 'B1', alias: string, kinds: string) =>
    all(c, `SELECT ${o.key.map((_, i) => `s.${K(i)}`).join(', ')}, ${alias}.* FROM __s s JOIN ${side} ${alias}
      ON ${o.key.map((k, i) => `${matchable(alias, k)} IS NOT DISTINCT FROM s.${K(i)}`).join(' AND ')} WHERE s.kind IN (${kinds})`);
  const rowsA = await sideRows('A1', 'a', `'changed', 'removed'`);
  const rowsB = await sideRows('B1', 'b', `'changed', 'added'`);
  const keyText = (r: Json) => JSON.stringify(o.key.map((_, i) => r[K(i)]));
  const byKey = (rows: Json[], cols: ColumnInfo[]) => new Map(rows.map((r) => [keyText(r), sideRow(r, cols)]));
  const a = byKey(rowsA, o.columnsA);
  const b = byKey(rowsB, o.columnsB);
  const sample = await all(c, `SELECT * FROM __s ORDER BY ${keyCols} NULLS FIRST`);
  const of = (kind: string) => sample.filter((r) => r.kind === kind);
  return {
    mode: 'key',
    key: o.key.map((k) => k.name),
    added: Number(counts.added),
    removed: Number(counts.removed),
    changed: Number(counts.changed),
    unchanged: Number(counts.same),
    columnChanges: o.values.map((v, i) => ({ column: v.name, changed: Number(counts[`n${i}`]) })),
    duplicates: { keysA: Number(dup.ka), rowsA: Number(dup.ra), keysB: Number(dup.kb), rowsB: Number(dup.rb), sample: dupSample },
    changedSample: of('changed').map((r) => ({
      key: keyRow(r, o.key),
      a: a.get(keyText(r)) ?? {},
      b: b.get(keyText(r)) ?? {},
      changed: o.values.filter((_, i) => r[C(i)] === true).map((v) => v.name),
    })),
    addedSample: of('added').map((r) => b.get(keyText(r)) ?? keyRow(r, o.key)),
    removedSample: of('removed').map((r) => a.get(keyText(r)) ?? keyRow(r, o.key)),
  };
}

function keyRow(r: Json, key: ComparedColumn[]): DiffRow {
  return Object.fromEntries(key.map((k, i) => [k.name, exactNumber(r[K(i)] ?? null, k)]));
}

/** DuckDB's JSON gives 64-bit integers as text: a number where it is exact. */
export function exactNumber(v: unknown, c: ComparedColumn): unknown {
  return typeof v === 'string' && isNumericType(c.typeA) && isNumericType(c.typeB) && /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
}

/** A side's row (without the key copies the query put first), 64-bit integers as numbers where exact. */
function sideRow(r: Json, cols: ColumnInfo[]): DiffRow {
  const out: Json = {};
  for (const col of cols) out[col.name] = r[col.name] ?? null;
  return safeIntegers(out, cols) as DiffRow;
}

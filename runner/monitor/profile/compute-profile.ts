// A column profile of one Parquet file, computed right after the file is written and
// cheaply enough to run on every output of every run. Row and null counts, minimum and
// maximum come from the file's own row-group statistics (free: no data is read). Means,
// standard deviations, distinct counts, top values and histograms come from one copy of
// the table held in memory: the whole table when it is small, a Bernoulli sample of about
// SAMPLE_ROWS rows (each row kept with the same chance, so means are unbiased even on
// sorted data) when it is large. The profile starts as its node finishes and runs beside
// the nodes downstream, so a run hardly waits for it (test/bench/profile.bench.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnProfile, ProfileValue, TableProfile } from '../../api/monitor-types.ts';
import { quoteIdent, quoteLiteral } from '../../exec/duck.ts';

/** Tables above this many rows are profiled on a sample of about this size. */
export const SAMPLE_ROWS = 20_000;
const TOP_VALUES = 5;
const BINS = 16;
/** Longest text kept for a minimum, maximum or top value. */
const MAX_TEXT = 200;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
const TEMPORAL = /^(DATE|TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE)$/;
const NESTED = /\[|\]|^(STRUCT|MAP|UNION)\(/;
const WIDE_INTEGER = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/;

export const isNumericType = (t: string) => NUMERIC.test(t);
export const isTemporalType = (t: string) => TEMPORAL.test(t);

/** A column's values as a DOUBLE for means and histograms (times as epoch milliseconds). */
function asNumber(col: string, type: string): string | undefined {
  if (NUMERIC.test(type)) return `CAST(${col} AS DOUBLE)`;
  if (type === 'DATE') return `CAST(epoch_ms(CAST(${col} AS TIMESTAMP)) AS DOUBLE)`;
  if (TEMPORAL.test(type)) return `CAST(epoch_ms(${col}) AS DOUBLE)`;
  return undefined;
}

type Json = Record<string, unknown>;

async function all(c: DuckDBConnection, sql: string): Promise<Json[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as Json[];
}

function clip(v: ProfileValue): ProfileValue {
  return typeof v === 'string' && v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
}

/** DuckDB's to_json text of a value as a profile value (wide integers beyond 2^53 stay text). */
function fromJson(text: unknown, type: string): ProfileValue | undefined {
  if (text === null || text === undefined) return undefined;
  const s = String(text);
  if (WIDE_INTEGER.test(type) && /^-?\d+$/.test(s) && !Number.isSafeInteger(Number(s))) return s;
  try {
    return clip(JSON.parse(s) as ProfileValue);
  } catch {
    return clip(s);
  }
}

const num = (v: unknown): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));

interface Column {
  name: string;
  type: string;
  /** histogram bounds (as numbers) from the file's statistics */
  lo?: number;
  hi?: number;
}

export async function profileParquet(c: DuckDBConnection, file: string): Promise<Omit<TableProfile, 'runId' | 'nodeId'>> {
  const lit = quoteLiteral(file);
  const columns: Column[] = (await all(c, `DESCRIBE SELECT * FROM read_parquet(${lit})`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const rows = Number((await all(c, `SELECT coalesce(sum(num_rows), 0)::BIGINT AS n FROM parquet_file_metadata(${lit})`))[0]?.n ?? 0);
  const profiles: ColumnProfile[] = columns.map((col) => ({ name: col.name, type: col.type, rows, nulls: 0 }));
  if (rows === 0 || columns.length === 0) return { rows, columns: profiles };
  const known = await fromStatistics(c, lit, columns, profiles, rows);

  // the table, or a sample of it, in memory
  const sampled = rows > SAMPLE_ROWS;
  const pct = Math.min(100, (100 * SAMPLE_ROWS) / rows);
  const S = '__profile_sample';
  await c.run(`CREATE OR REPLACE TEMP TABLE ${S} AS SELECT * FROM read_parquet(${lit})${sampled ? ` USING SAMPLE ${pct.toFixed(6)} PERCENT (bernoulli)` : ''}`);
  try {
    const aggs: string[] = ['count(*) AS n'];
    columns.forEach((col, i) => {
      const q = quoteIdent(col.name);
      aggs.push(`count(${q}) AS nn${i}`);
      const v = asNumber(q, col.type);
      if (v && NUMERIC.test(col.type)) aggs.push(`avg(${v}) FILTER (isfinite(${v})) AS mean${i}`, `stddev_samp(${v}) FILTER (isfinite(${v})) AS sd${i}`);
      if (v && col.lo !== undefined && col.hi !== undefined) {
        const bin = col.hi > col.lo ? `least(greatest(floor((${v} - ${col.lo}) / ${col.hi - col.lo} * ${BINS}), 0), ${BINS - 1})` : '0';
        aggs.push(`to_json(histogram(CAST(${bin} AS INTEGER)) FILTER (isfinite(${v})))::VARCHAR AS h${i}`);
      }
      if (!known.has(col.name) && !NESTED.test(col.type)) aggs.push(`to_json(min(${q}))::VARCHAR AS lo${i}`, `to_json(max(${q}))::VARCHAR AS hi${i}`);
    });
    const a = (await all(c, `SELECT ${aggs.join(', ')} FROM ${S}`))[0]!;
    const sampleRows = Number(a.n);
    const scale = sampled && sampleRows > 0 ? rows / sampleRows : 1;
    columns.forEach((col, i) => {
      const p = profiles[i]!;
      if (p.nulls < 0) p.nulls = Math.round((sampleRows - Number(a[`nn${i}`])) * scale);
      p.mean = num(a[`mean${i}`]);
      p.stddev = num(a[`sd${i}`]);
      if (!known.has(col.name)) {
        p.min = fromJson(a[`lo${i}`], col.type);
        p.max = fromJson(a[`hi${i}`], col.type);
      }
      const h = a[`h${i}`];
      if (h !== undefined && h !== null && col.lo !== undefined && col.hi !== undefined) {
        const counts = new Array<number>(col.hi > col.lo ? BINS : 1).fill(0);
        for (const [b, n] of Object.entries(JSON.parse(String(h)) as Record<string, number>)) counts[Number(b)] = Math.round(Number(n) * scale);
        p.histogram = { min: col.lo, max: col.hi, counts };
      }
    });
    if (sampleRows > 0) await frequencies(c, S, columns, profiles, sampled, scale, rows);
    return { rows, sampleRows: sampled ? sampleRows : undefined, columns: profiles };
  } finally {
    await c.run(`DROP TABLE IF EXISTS ${S}`);
  }
}

/**
 * Nulls, minimum and maximum of flat columns from the row-group statistics, read once;
 * returns the columns whose minimum and maximum came from there. Nulls the statistics
 * do not give are marked -1, to be counted on the sample.
 */
async function fromStatistics(c: DuckDBConnection, lit: string, columns: Column[], profiles: ColumnProfile[], rows: number): Promise<Set<string>> {
  const known = new Set<string>();
  for (const p of profiles) p.nulls = -1;
  const flat = columns.map((col, i) => ({ col, i })).filter(({ col }) => !NESTED.test(col.type));
  if (!flat.length) return known;
  const parts = flat.map(({ col, i }) => {
    const lo = `min(TRY_CAST(stats_min_value AS ${col.type}))`;
    const hi = `max(TRY_CAST(stats_max_value AS ${col.type}))`;
    const n = (x: string) => asNumber(x, col.type) ?? 'NULL';
    return `SELECT ${i} AS i, sum(stats_null_count)::BIGINT AS nulls, count(*) FILTER (stats_null_count IS NULL) AS no_nulls,
      count(*) FILTER (stats_min_value IS NULL AND coalesce(stats_null_count, 0) < row_group_num_rows) AS no_minmax,
      to_json(${lo})::VARCHAR AS lo, to_json(${hi})::VARCHAR AS hi, ${n(lo)} AS lo_num, ${n(hi)} AS hi_num
      FROM m WHERE path_in_schema = ${quoteLiteral(col.name)}`;
  });
  const rowsOut = await all(c, `WITH m AS MATERIALIZED (SELECT * FROM parquet_metadata(${lit}))\n${parts.join('\nUNION ALL\n')}`);
  for (const r of rowsOut) {
    const i = Number(r.i);
    const col = columns[i]!;
    const p = profiles[i]!;
    if (Number(r.no_nulls) === 0 && r.nulls !== null) p.nulls = Number(r.nulls);
    if (Number(r.no_minmax) === 0 && (r.lo !== null || p.nulls === rows)) {
      p.min = fromJson(r.lo, col.type);
      p.max = fromJson(r.hi, col.type);
      known.add(col.name);
      const lo = num(r.lo_num);
      const hi = num(r.hi_num);
      if (lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi)) Object.assign(col, { lo, hi });
    }
  }
  return known;
}

/** Distinct counts and the most frequent values (ties: the smaller value first), one grouping per column. */
async function frequencies(c: DuckDBConnection, S: string, columns: Column[], profiles: ColumnProfile[], sampled: boolean, scale: number, rows: number) {
  const parts = columns.flatMap((col, i) => {
    if (NESTED.test(col.type)) return [];
    const q = quoteIdent(col.name);
    // counts are at most SAMPLE_ROWS, so n·1e6 − rank orders by count, then by value
    return [`SELECT ${i} AS i, count(*) AS d, count(*) FILTER (n = 1) AS f1, coalesce(sum(n), 0) AS nn,
      to_json(max_by([to_json(v)::VARCHAR, n::VARCHAR], n * 1e6 - r, ${TOP_VALUES}))::VARCHAR AS top
      FROM (SELECT v, n, row_number() OVER (ORDER BY v) AS r FROM (SELECT ${q} AS v, count(*) AS n FROM ${S} WHERE ${q} IS NOT NULL GROUP BY 1))`];
  });
  if (!parts.length) return;
  for (const r of await all(c, parts.join('\nUNION ALL\n'))) {
    const i = Number(r.i);
    const p = profiles[i]!;
    const type = columns[i]!.type;
    p.distinct = sampled ? estimateDistinct(Number(r.d), Number(r.f1), Number(r.nn), rows - p.nulls) : Number(r.d);
    const top = JSON.parse(String(r.top ?? 'null')) as [string, string][] | null;
    // every value once: no value is more frequent than another, so there are no top values
    p.top = Number(r.d) === Number(r.nn) && Number(r.nn) > 1 ? [] : (top ?? []).map(([v, count]) => ({ value: fromJson(v, type) ?? null, count: Math.round(Number(count) * scale) }));
  }
}

/**
 * Distinct values of the whole column from a sample: when every sampled value differs, the
 * column looks like a key (as many as its non-null rows); otherwise the GEE estimator
 * (Charikar et al.), sqrt(N/n)·f1 + the values seen more than once, within what is possible.
 */
export function estimateDistinct(sampleDistinct: number, seenOnce: number, sampleNonNull: number, nonNull: number): number {
  if (sampleNonNull === 0) return 0;
  if (sampleDistinct === sampleNonNull) return nonNull;
  const gee = Math.sqrt(nonNull / sampleNonNull) * seenOnce + (sampleDistinct - seenOnce);
  return Math.round(Math.min(nonNull, Math.max(sampleDistinct, gee)));
}

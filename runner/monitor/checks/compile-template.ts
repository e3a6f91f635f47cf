// Checks without code compile to one DuckDB query over the check's input that answers
// one row: `passed` and, when it failed, `message`, a sentence saying what failed with
// the offending values (at most 10, in a fixed order). History the verdict compares with
// (row counts, means or null rates of earlier runs, the last run's columns) is written
// into the query as values; parameters stay `$name` and are bound when it runs. The query
// is all there is to a template check: the local runner runs it, and the bundle ships it
// as the node's SQL, so both give the same verdict and the same sentence.
import type { ColumnInfo } from '../../api/types.ts';
import { quoteIdent, quoteLiteral } from '../../exec/duck.ts';
import type { CheckTemplate } from '../../spec/monitor-schema.ts';
import { PARAM_REF } from '../../spec/monitor-schema.ts';
import type { RunHistory } from '../history.ts';

/** What a template's verdict compares with, gathered before compiling (plain values). */
export interface TemplateHistory {
  /** row_count: earlier row counts; drift: earlier means or null rates (newest first) */
  values?: number[];
  /** schema_unchanged: the columns in the last run */
  columns?: ColumnInfo[];
}

export const SHOWN = 10;

export function templateHistory(t: CheckTemplate, input: string, h: RunHistory): TemplateHistory {
  switch (t.type) {
    case 'row_count':
      return { values: h.rowCounts(input, t.runs) };
    case 'drift':
      return {
        values: h.columnStats(input, t.column, t.runs).flatMap((s) => (t.measure === 'mean' ? (s.mean === undefined ? [] : [s.mean]) : [s.nullRate])),
      };
    case 'schema_unchanged':
      return { columns: h.lastColumns(input) };
    default:
      return {};
  }
}

const lit = (v: string | number | boolean) => (typeof v === 'string' ? quoteLiteral(v) : String(v));
/** A bound: a number literal, or the parameter as DuckDB binds it ($name). */
const bound = (v: number | string) => (typeof v === 'number' ? String(v) : `$${PARAM_REF.exec(v)![1]}`);
/** A number written into the query so both runtimes print it alike. */
const num = (x: number) => (Number.isFinite(x) ? `${x}::DOUBLE` : 'NULL::DOUBLE');
/** Shown values: JSON (text quoted), cut at 200 characters. */
const shown = (expr: string) => `left(to_json(${expr})::VARCHAR, 200)`;
/** ", and 12 more" after the shown ones when there are more. */
const more = (n: string) => `CASE WHEN ${n} > ${SHOWN} THEN format(', and {} more', ${n} - ${SHOWN}) ELSE '' END`;

function verdict(passed: string, message: string): string {
  return `SELECT ${passed} AS passed, CASE WHEN ${passed} THEN NULL ELSE ${message} END AS message`;
}

export function compileTemplate(t: CheckTemplate, input: string, h: TemplateHistory = {}): string {
  const T = quoteIdent(input);
  const name = quoteLiteral(input);
  switch (t.type) {
    case 'not_null': {
      const cols = t.columns.map(quoteIdent);
      const words = quoteLiteral(t.columns.join(' or '));
      return `WITH bad AS (SELECT * FROM ${T} b WHERE ${cols.map((c) => `${c} IS NULL`).join(' OR ')}),
s AS (SELECT count(*) AS n FROM bad),
ex AS (SELECT string_agg(r, '; ' ORDER BY r) AS ex FROM (SELECT ${shown('b')} AS r FROM bad b ORDER BY r LIMIT ${SHOWN}))
${verdict('n = 0', `format('{} {} of {} {} a null in {}: {}{}', n, CASE WHEN n = 1 THEN 'row' ELSE 'rows' END, ${name}, CASE WHEN n = 1 THEN 'has' ELSE 'have' END, ${words}, ex, ${more('n')})`)} FROM s, ex`;
    }
    case 'unique': {
      const cols = t.columns.map(quoteIdent);
      const struct = `struct_pack(${t.columns.map((c) => `${quoteIdent(c)} := ${quoteIdent(c)}`).join(', ')})`;
      return `WITH g AS (SELECT ${cols.join(', ')}, count(*) AS n FROM ${T} WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY ALL HAVING count(*) > 1),
s AS (SELECT count(*) AS k, coalesce(sum(n), 0) AS r FROM g),
ex AS (SELECT string_agg(x, ', ' ORDER BY n DESC, x) AS ex FROM (SELECT format('{} ({} rows)', ${shown(struct)}, n) AS x, n FROM g ORDER BY n DESC, x LIMIT ${SHOWN}))
${verdict('k = 0', `format('{} {} of ({}) {} more than once in {}, in {} rows: {}{}', k, CASE WHEN k = 1 THEN 'value' ELSE 'values' END, ${quoteLiteral(t.columns.join(', '))}, CASE WHEN k = 1 THEN 'occurs' ELSE 'occur' END, ${name}, r, ex, ${more('k')})`)} FROM s, ex`;
    }
    case 'accepted_values': {
      const c = quoteIdent(t.column);
      const list = quoteLiteral(`[${t.values.map((v) => (typeof v === 'string' ? v : String(v))).join(', ')}]`);
      return `WITH bad AS (SELECT ${c} AS v, count(*) AS n FROM ${T} WHERE ${c} IS NOT NULL AND ${c} NOT IN (${t.values.map(lit).join(', ')}) GROUP BY ALL),
s AS (SELECT coalesce(sum(n), 0) AS n, count(*) AS k FROM bad),
ex AS (SELECT string_agg(x, ', ' ORDER BY n DESC, x) AS ex FROM (SELECT format('{} ({} {})', ${shown('v')}, n, CASE WHEN n = 1 THEN 'row' ELSE 'rows' END) AS x, n FROM bad ORDER BY n DESC, x LIMIT ${SHOWN}))
${verdict('n = 0', `format('{} {} of {}.{} {} values not in {}: {}{}', n, CASE WHEN n = 1 THEN 'row' ELSE 'rows' END, ${name}, ${quoteLiteral(t.column)}, CASE WHEN n = 1 THEN 'holds' ELSE 'hold' END, ${list}, ex, ${more('k')})`)} FROM s, ex`;
    }
    case 'range': {
      const c = quoteIdent(t.column);
      const lo = t.min === undefined ? undefined : bound(t.min);
      const hi = t.max === undefined ? undefined : bound(t.max);
      const outside = [lo && `${c} < ${lo}`, hi && `${c} > ${hi}`].filter(Boolean).join(' OR ') || 'false';
      const g = (x: string) => `format('{:.6g}', CAST(${x} AS DOUBLE))`;
      const where = lo && hi ? `format('outside {} … {}', ${g(lo)}, ${g(hi)})` : lo ? `format('below {}', ${g(lo)})` : hi ? `format('above {}', ${g(hi)})` : `''`;
      return `WITH bad AS (SELECT ${c} AS v FROM ${T} WHERE ${outside}),
s AS (SELECT count(*) AS n, count(DISTINCT v) AS k FROM bad),
ex AS (SELECT string_agg(x, ', ' ORDER BY v) AS ex FROM (SELECT DISTINCT v, ${shown('v')} AS x FROM bad ORDER BY v LIMIT ${SHOWN}))
${verdict('n = 0', `format('{} {} of {}.{} {} {}: {}{}', n, CASE WHEN n = 1 THEN 'row' ELSE 'rows' END, ${name}, ${quoteLiteral(t.column)}, CASE WHEN n = 1 THEN 'is' ELSE 'are' END, ${where}, ex, ${more('k')})`)} FROM s, ex`;
    }
    case 'regex': {
      const c = quoteIdent(t.column);
      return `WITH bad AS (SELECT CAST(${c} AS VARCHAR) AS v FROM ${T} WHERE ${c} IS NOT NULL AND NOT regexp_full_match(CAST(${c} AS VARCHAR), ${quoteLiteral(t.pattern)})),
s AS (SELECT count(*) AS n, count(DISTINCT v) AS k FROM bad),
ex AS (SELECT string_agg(x, ', ' ORDER BY v) AS ex FROM (SELECT DISTINCT v, ${shown('v')} AS x FROM bad ORDER BY v LIMIT ${SHOWN}))
${verdict('n = 0', `format('{} {} of {}.{} {} not match {}: {}{}', n, CASE WHEN n = 1 THEN 'row' ELSE 'rows' END, ${name}, ${quoteLiteral(t.column)}, CASE WHEN n = 1 THEN 'does' ELSE 'do' END, ${quoteLiteral(t.pattern)}, ex, ${more('k')})`)} FROM s, ex`;
    }
    case 'row_count': {
      const past = h.values ?? [];
      if (past.length === 0) return `SELECT true AS passed, NULL::VARCHAR AS message FROM (SELECT count(*) FROM ${T})`;
      const mean = past.reduce((a, b) => a + b, 0) / past.length;
      const runs = `${past.length} ${past.length === 1 ? 'run' : 'runs'}`;
      const m = num(mean);
      const changed = mean === 0 ? `format('{} has {} rows; its last ${runs} had none', ${name}, n)`
        : `format('{} has {} rows, {}% {} the mean {} of its last ${runs} (allowed: ${t.max_change_percent}%)', ${name}, n, format('{:.1f}', abs(n - ${m}) / ${m} * 100), CASE WHEN n > ${m} THEN 'above' ELSE 'below' END, format('{:.6g}', ${m}))`;
      const ok = mean === 0 ? 'n = 0' : `abs(n - ${m}) <= ${m} * ${t.max_change_percent} / 100`;
      return `WITH s AS (SELECT count(*) AS n FROM ${T})\n${verdict(ok, changed)} FROM s`;
    }
    case 'drift': {
      const past = h.values ?? [];
      const c = quoteIdent(t.column);
      const measured = t.measure === 'mean' ? `avg(CAST(${c} AS DOUBLE)) FILTER (isfinite(CAST(${c} AS DOUBLE)))` : `CASE WHEN count(*) = 0 THEN 0 ELSE count(*) FILTER (${c} IS NULL) / count(*) END`;
      const what = quoteLiteral(`${t.measure === 'mean' ? 'mean' : 'null rate'} of ${input}.${t.column}`);
      const show = (x: string) => (t.measure === 'mean' ? `format('{:.6g}', ${x})` : `format('{:.1f}%', 100 * ${x})`);
      if (past.length < 2) return `SELECT true AS passed, NULL::VARCHAR AS message FROM (SELECT ${measured} FROM ${T})`;
      const mean = past.reduce((a, b) => a + b, 0) / past.length;
      const sd = Math.sqrt(past.reduce((a, b) => a + (b - mean) ** 2, 0) / (past.length - 1));
      const runs = `${past.length} runs`;
      if (sd === 0) {
        return `WITH s AS (SELECT ${measured} AS v FROM ${T})
${verdict(`v IS NOT DISTINCT FROM ${num(mean)}`, `format('{} is {}, but it was {} in each of the last ${runs}', ${what}, coalesce(${show('v')}, 'null'), ${show(num(mean))})`)} FROM s`;
      }
      const z = `((v - ${num(mean)}) / ${num(sd)})`;
      return `WITH s AS (SELECT ${measured} AS v FROM ${T})
${verdict(`v IS NULL OR abs(${z}) <= ${t.max_z}`, `format('{} is {}, {} standard deviations {} its mean {} over the last ${runs} (allowed: ${t.max_z})', ${what}, ${show('v')}, format('{:.1f}', abs(${z})), CASE WHEN ${z} > 0 THEN 'above' ELSE 'below' END, ${show(num(mean))})`)} FROM s`;
    }
    case 'freshness': {
      const c = quoteIdent(t.column);
      const seconds = Math.round(t.max_age_hours * 3600);
      return `WITH s AS (SELECT max(${c}) AS newest FROM ${T})
${verdict(`newest IS NOT NULL AND CAST(newest AS TIMESTAMPTZ) >= CAST($run_time AS TIMESTAMPTZ) - INTERVAL (${seconds}) SECOND`,
  `CASE WHEN newest IS NULL THEN format('{}.{} has no values, so nothing in it is fresh', ${name}, ${quoteLiteral(t.column)})
    ELSE format('the newest {}.{} is {}, more than ${t.max_age_hours} hours before the run', ${name}, ${quoteLiteral(t.column)}, CAST(newest AS VARCHAR)) END`)} FROM s`;
    }
    case 'schema_unchanged': {
      const prev = h.columns;
      const cur = `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = ${name}`;
      if (!prev?.length) return `SELECT true AS passed, NULL::VARCHAR AS message FROM (${cur})`;
      const values = prev.map((col) => `(${quoteLiteral(col.name)}, ${quoteLiteral(col.type)})`).join(', ');
      return `WITH cur AS (${cur}), prev AS (SELECT * FROM (VALUES ${values}) v(name, type)),
ch AS (SELECT 1 AS g, '+ ' || name || ' ' || type AS x FROM cur WHERE name NOT IN (SELECT name FROM prev)
  UNION ALL SELECT 2, '− ' || name || ' ' || type FROM prev WHERE name NOT IN (SELECT name FROM cur)
  UNION ALL SELECT 3, c.name || ': ' || p.type || ' → ' || c.type FROM cur c JOIN prev p USING (name) WHERE c.type <> p.type),
s AS (SELECT count(*) AS n, string_agg(x, ', ' ORDER BY g, x) AS ex FROM ch)
${verdict('n = 0', `format('the columns of {} changed since the last run: {}', ${name}, ex)`)} FROM s`;
    }
  }
}

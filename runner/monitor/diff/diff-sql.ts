// SQL pieces both diff modes share: how a column of run A is compared with the same
// column of run B when their types agree, when both are numbers (optionally within a
// tolerance), and when a type changed (compared as text).
import type { ColumnInfo } from '../../api/types.ts';
import { quoteIdent } from '../../exec/duck.ts';
import { isNumericType } from '../profile/compute-profile.ts';

export interface ComparedColumn {
  name: string;
  typeA: string;
  typeB: string;
}

export function comparedColumns(a: ColumnInfo[], b: ColumnInfo[]): ComparedColumn[] {
  const inB = new Map(b.map((c) => [c.name, c.type]));
  return a.filter((c) => inB.has(c.name)).map((c) => ({ name: c.name, typeA: c.type, typeB: inB.get(c.name)! }));
}

const bothNumeric = (c: ComparedColumn) => isNumericType(c.typeA) && isNumericType(c.typeB);

/** The column as both sides can be matched on: as is, or as text when the types disagree. */
export function matchable(alias: string, c: ComparedColumn): string {
  const q = `${alias}.${quoteIdent(c.name)}`;
  return c.typeA === c.typeB || bothNumeric(c) ? q : `CAST(${q} AS VARCHAR)`;
}

/** True when the value changed from a to b (nulls equal each other; numbers within the tolerance equal). */
export function changedExpr(c: ComparedColumn, tolerance?: number): string {
  const a = `a.${quoteIdent(c.name)}`;
  const b = `b.${quoteIdent(c.name)}`;
  if (tolerance !== undefined && tolerance > 0 && bothNumeric(c)) {
    return `(CASE WHEN ${a} IS NULL AND ${b} IS NULL THEN false WHEN ${a} IS NULL OR ${b} IS NULL THEN true
      WHEN CAST(${a} AS DOUBLE) = CAST(${b} AS DOUBLE) THEN false ELSE NOT (abs(CAST(${a} AS DOUBLE) - CAST(${b} AS DOUBLE)) <= ${tolerance}) END)`;
  }
  return `(${matchable('a', c)} IS DISTINCT FROM ${matchable('b', c)})`;
}

// Why: workflow parameters appear in a source query as `$name`, the way they do in SQL
// nodes. Each database has its own placeholder ($1 in Postgres, ? in MySQL and SQLite),
// so we rewrite `$name` into that placeholder and hand the value to the driver: a value
// never becomes SQL text. Strings, quoted names, comments and Postgres dollar-quoted
// bodies are skipped, so `'$x'` or `-- $x` stay as they are.
import type { ParamValue } from '../api/types.ts';

export type PlaceholderStyle = 'numbered' | 'question';

export interface BoundQuery {
  sql: string;
  values: ParamValue[];
  /** the parameter names used, in order of first use */
  names: string[];
}

export class QueryParamError extends Error {
  constructor(message: string, readonly fix: string) {
    super(message);
    this.name = 'QueryParamError';
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'positional' }
  | { kind: 'question' };

/**
 * Splits a query into plain text and the placeholders in it, skipping strings, quoted
 * names, comments and dollar-quoted bodies (the one lexer for every `$name` rule).
 */
function* lexQuery(query: string, style: PlaceholderStyle): Generator<Piece> {
  let i = 0;
  const n = query.length;
  const text = (end: number): Piece => {
    const piece: Piece = { kind: 'text', text: query.slice(i, end) };
    i = end;
    return piece;
  };
  while (i < n) {
    const ch = query[i]!;
    const next = query[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      // a quoted string or name; a doubled quote stays inside, backslash escapes for MySQL
      const escapes = style === 'question' ? ch !== '`' : ch === "'" && /[eE]/.test(query[i - 1] ?? '') && !IDENT.test(query[i - 2] ?? '');
      let j = i + 1;
      while (j < n) {
        if (query[j] === '\\' && escapes) { j += 2; continue; }
        if (query[j] === ch) {
          if (query[j + 1] === ch) { j += 2; continue; }
          break;
        }
        j++;
      }
      yield text(Math.min(j + 1, n));
    } else if (ch === '-' && next === '-') {
      const end = query.indexOf('\n', i);
      yield text(end === -1 ? n : end);
    } else if (ch === '/' && next === '*') {
      const end = query.indexOf('*/', i + 2);
      yield text(end === -1 ? n : end + 2);
    } else if (ch === '$' && next !== undefined && IDENT_START.test(next)) {
      let j = i + 1;
      while (j < n && IDENT.test(query[j]!)) j++;
      if (query[j] === '$' && style === 'numbered') {
        // a dollar-quoted body: $tag$ ... $tag$
        const tag = query.slice(i, j + 1);
        const end = query.indexOf(tag, j + 1);
        yield text(end === -1 ? n : end + tag.length);
        continue;
      }
      yield { kind: 'param', name: query.slice(i + 1, j) };
      i = j;
    } else if (ch === '$' && next === '$' && style === 'numbered') {
      const end = query.indexOf('$$', i + 2);
      yield text(end === -1 ? n : end + 2);
    } else if (ch === '$' && next !== undefined && /[0-9]/.test(next)) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(query[j]!)) j++;
      i = j;
      yield { kind: 'positional' };
    } else if (ch === '?' && style === 'question') {
      i++;
      yield { kind: 'question' };
    } else {
      let j = i + 1;
      while (j < n && !"'\"`-/$?".includes(query[j]!)) j++;
      yield text(j);
    }
  }
}

/** The `$name` parameters a query (DuckDB's dialect) uses, in order of first use. */
export function queryParamNames(query: string): string[] {
  const names: string[] = [];
  for (const p of lexQuery(query, 'numbered')) if (p.kind === 'param' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/** Rewrites `$name` placeholders; `$1`-style placeholders are refused (use names). */
export function bindQueryParams(query: string, params: Record<string, ParamValue>, style: PlaceholderStyle): BoundQuery {
  const values: ParamValue[] = [];
  const names: string[] = [];
  const numberOf = new Map<string, number>();
  let out = '';
  for (const p of lexQuery(query, style)) {
    if (p.kind === 'text') {
      out += p.text;
    } else if (p.kind === 'positional') {
      throw new QueryParamError('positional placeholders like $1 are not used in source queries', 'refer to workflow parameters by name, e.g. $since');
    } else if (p.kind === 'question') {
      throw new QueryParamError('a ? placeholder in a source query has no value', 'refer to workflow parameters by name, e.g. $since');
    } else if (!(p.name in params)) {
      const declared = Object.keys(params);
      throw new QueryParamError(`$${p.name} is not a parameter of this workflow; declared: ${declared.join(', ') || 'none'}`,
        `declare ${p.name} under parameters: in workflow.yaml, or fix the name in the query`);
    } else if (style === 'numbered') {
      let k = numberOf.get(p.name);
      if (k === undefined) {
        values.push(params[p.name] ?? null);
        k = values.length;
        numberOf.set(p.name, k);
        names.push(p.name);
      }
      out += `$${k}`;
    } else {
      values.push(params[p.name] ?? null);
      if (!names.includes(p.name)) names.push(p.name);
      out += '?';
    }
  }
  return { sql: out, values, names };
}

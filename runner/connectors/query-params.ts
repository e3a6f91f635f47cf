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

/** Rewrites `$name` placeholders; `$1`-style placeholders are refused (use names). */
export function bindQueryParams(query: string, params: Record<string, ParamValue>, style: PlaceholderStyle): BoundQuery {
  const values: ParamValue[] = [];
  const names: string[] = [];
  const numberOf = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = query.length;
  const copyUntil = (end: number) => {
    out += query.slice(i, end);
    i = end;
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
      copyUntil(Math.min(j + 1, n));
    } else if (ch === '-' && next === '-') {
      const end = query.indexOf('\n', i);
      copyUntil(end === -1 ? n : end);
    } else if (ch === '/' && next === '*') {
      const end = query.indexOf('*/', i + 2);
      copyUntil(end === -1 ? n : end + 2);
    } else if (ch === '$' && next !== undefined && IDENT_START.test(next)) {
      let j = i + 1;
      while (j < n && IDENT.test(query[j]!)) j++;
      const name = query.slice(i + 1, j);
      if (query[j] === '$' && style === 'numbered') {
        // a Postgres dollar-quoted body: $tag$ ... $tag$
        const tag = query.slice(i, j + 1);
        const end = query.indexOf(tag, j + 1);
        copyUntil(end === -1 ? n : end + tag.length);
        continue;
      }
      if (!(name in params)) {
        const declared = Object.keys(params);
        throw new QueryParamError(`$${name} is not a parameter of this workflow; declared: ${declared.join(', ') || 'none'}`,
          `declare ${name} under parameters: in workflow.yaml, or fix the name in the query`);
      }
      if (style === 'numbered') {
        let k = numberOf.get(name);
        if (k === undefined) {
          values.push(params[name] ?? null);
          k = values.length;
          numberOf.set(name, k);
          names.push(name);
        }
        out += `$${k}`;
      } else {
        values.push(params[name] ?? null);
        if (!names.includes(name)) names.push(name);
        out += '?';
      }
      i = j;
    } else if (ch === '$' && next === '$' && style === 'numbered') {
      const end = query.indexOf('$$', i + 2);
      copyUntil(end === -1 ? n : end + 2);
    } else if (ch === '$' && next !== undefined && /[0-9]/.test(next)) {
      throw new QueryParamError('positional placeholders like $1 are not used in source queries', 'refer to workflow parameters by name, e.g. $since');
    } else if (ch === '?' && style === 'question') {
      throw new QueryParamError('a ? placeholder in a source query has no value', 'refer to workflow parameters by name, e.g. $since');
    } else {
      out += ch;
      i++;
    }
  }
  return { sql: out, values, names };
}

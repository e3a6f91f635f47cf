import { describe, expect, it } from 'vitest';
import { bindQueryParams } from './query-params.ts';

describe('bindQueryParams', () => {
  const params = { since: '2024-01-01', n: 5, name: "O'Brien; drop table x" };

  it('numbers each name once for Postgres and keeps casts', () => {
    const r = bindQueryParams('SELECT * FROM t WHERE d >= $since::date AND k < $n OR d2 >= $since', params, 'numbered');
    expect(r.sql).toBe('SELECT * FROM t WHERE d >= $1::date AND k < $2 OR d2 >= $1');
    expect(r.values).toEqual(['2024-01-01', 5]);
    expect(r.names).toEqual(['since', 'n']);
  });

  it('uses one ? per use for MySQL and SQLite', () => {
    const r = bindQueryParams('SELECT $n, $name, $n', params, 'question');
    expect(r.sql).toBe('SELECT ?, ?, ?');
    expect(r.values).toEqual([5, "O'Brien; drop table x", 5]);
  });

  it('leaves strings, quoted names, comments and dollar quotes alone', () => {
    const q = `SELECT '$n', "$n", E'it\\'s $n', $n -- $n\n/* $n */ , $$ $n $$, $fn$ $n $fn$`;
    const r = bindQueryParams(q, params, 'numbered');
    expect(r.sql).toBe(`SELECT '$n', "$n", E'it\\'s $n', $1 -- $n\n/* $n */ , $$ $n $$, $fn$ $n $fn$`);
    expect(r.values).toEqual([5]);
    expect(bindQueryParams("SELECT 'a\\'$n', `$n`, $n", params, 'question').sql).toBe("SELECT 'a\\'$n', `$n`, ?");
  });

  it('refuses unknown names and positional placeholders', () => {
    expect(() => bindQueryParams('SELECT $nope', params, 'numbered')).toThrow(/\$nope is not a parameter.*declared: since, n, name/);
    expect(() => bindQueryParams('SELECT $1', params, 'numbered')).toThrow(/positional/);
    expect(() => bindQueryParams('SELECT ?', params, 'question')).toThrow(/no value/);
    expect(bindQueryParams("SELECT data ? 'k' FROM t", params, 'numbered').sql).toBe("SELECT data ? 'k' FROM t");
  });
});

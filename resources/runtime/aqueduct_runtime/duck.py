"""DuckDB plumbing for the SQL-speaking node kinds, mirroring runner/exec/duck.ts: every
upstream table is a view named by its node id over its Parquet file, parameters are bound
by name ($name, only those the query mentions), and results are written once as Parquet
(zstd) through a temp file."""
import math
import os
import re

import duckdb

from .values import bind_value, plain


class MissingParameter(Exception):
    pass


def quote_ident(name):
    return '"%s"' % name.replace('"', '""')


def quote_literal(s):
    return "'%s'" % str(s).replace("'", "''")


def connect(inputs=None):
    """A fresh in-memory connection with the inputs ({node id: parquet path}) as views."""
    con = duckdb.connect(":memory:")
    for name, path in (inputs or {}).items():
        con.execute("CREATE TEMP VIEW %s AS SELECT * FROM read_parquet(%s)" % (quote_ident(name), quote_literal(path)))
    return con


def clean_sql(sql):
    """Strips trailing semicolons and line comments so the query can be wrapped in COPY (...)."""
    s = sql.strip()
    while True:
        before = s
        s = re.sub(r";\s*$", "", s)
        s = re.sub(r"\n\s*--[^\n]*$", "", s).strip()
        if s == before:
            return s


def bound_params(con, sql, params):
    """The parameters the query mentions, with their values; an undeclared one is an error."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error:
        return {}  # the query itself is broken: running it reports the real error
    names = set()
    for st in statements:
        names |= set(getattr(st, "named_parameters", set()) or set())
    values = {}
    for name in sorted(names):
        if name not in params:
            declared = ", ".join(params) or "none"
            raise MissingParameter("$%s is not a parameter of this workflow; declared: %s" % (name, declared))
        values[name] = bind_value(params[name])
    return values


def _execute(con, sql, values):
    return con.execute(sql, values) if values else con.execute(sql)


def describe_parquet(con, path):
    rows = con.execute("DESCRIBE SELECT * FROM read_parquet(%s)" % quote_literal(path)).fetchall()
    columns = [{"name": r[0], "type": r[1]} for r in rows]
    n = con.execute("SELECT sum(num_rows)::BIGINT FROM parquet_file_metadata(%s)" % quote_literal(path)).fetchone()[0]
    return columns, int(n or 0)


def write_query_to_parquet(con, query, params, output_path):
    """Runs the query and writes its result as the node's Parquet output: (columns, rows, bytes)."""
    sql = clean_sql(query)
    values = bound_params(con, sql, params)
    columns = None
    try:
        rel = con.sql(sql, params=values) if values else con.sql(sql)
        columns = [{"name": n, "type": str(t)} for n, t in zip(rel.columns, rel.types)]
    except TypeError:
        columns = None  # an old duckdb without params= on sql(): read them back from the file
    tmp = output_path + ".tmp"
    parent = os.path.dirname(output_path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    copy = "COPY (%s\n) TO %s (FORMAT parquet, COMPRESSION zstd)" % (sql, quote_literal(tmp))
    result = _execute(con, copy, values).fetchone()
    rows = int(result[0]) if result and result[0] is not None else 0
    os.replace(tmp, output_path)
    if columns is None:
        columns, _ = describe_parquet(con, output_path)
    return columns, rows, os.path.getsize(output_path)


# result types the Node client's JSON rows give as numbers; all others it gives as text
JSON_NUMBER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT", "UINTEGER", "FLOAT", "DOUBLE"}


def query_scalar(con, query, params):
    """(empty, value, more_rows, columns): the first value of the first row, as the Node
    client's JSON rows give it (booleans and small numbers as such, BIGINT, DECIMAL, dates
    and the like as text), whether a second row follows (read no further) and the column count."""
    sql = clean_sql(query)
    values = bound_params(con, sql, params)
    rel = con.sql(sql, params=values) if values else con.sql(sql)
    if rel is None:
        return True, None, False, 0
    # DuckDB 2 relations keep no result between calls (no fetchone()/fetchmany());
    # limit(2).fetchall() runs the query once on every version, and a second row shows
    # the result was not one row
    columns = len(rel.columns)
    rows = rel.limit(2).fetchall() if columns else []
    if not rows:
        return True, None, False, columns
    more = len(rows) > 1
    value, type_name = rows[0][0], str(rel.types[0]).upper()
    if value is None or type_name == "BOOLEAN" or isinstance(value, (list, dict)):
        return False, plain(value), more, columns
    if type_name in JSON_NUMBER_TYPES:
        if isinstance(value, float) and not math.isfinite(value):
            return False, "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity", more, columns
        return False, value, more, columns
    text = "SELECT CAST(%s AS VARCHAR) FROM (%s\n) LIMIT 1" % (quote_ident(rel.columns[0]), sql)
    return False, _execute(con, text, values).fetchone()[0], more, columns

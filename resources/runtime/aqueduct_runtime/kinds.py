"""The node kinds, each with the local runner's semantics and messages (runner/exec/kinds):
source reads a file with DuckDB's readers, sql runs DuckDB over the upstream views, python
runs run(**inputs, **params) through the same worker code as the desktop app, check wants
a boolean, metric a number inside its bounds. Kinds never decide ordering or skipping."""
import math
import os

import duckdb

from . import duck
from .python_node import call_python
from .values import js_json, js_number

EXTENSIONS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".xlsx": "excel",
}


class NodeFailure(Exception):
    """A failure with what the user needs: message, detail (traceback, SQL error) and fix."""

    def __init__(self, message, detail=None, fix=None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.fix = fix

    def to_error(self):
        e = {"message": self.message}
        if self.detail is not None:
            e["detail"] = self.detail
        if self.fix is not None:
            e["fix"] = self.fix
        return e


def run_source(ctx):
    node = ctx.node
    if node.get("connection"):
        raise NodeFailure("source %s reads connection %s, which this runtime cannot query" % (node["id"], node["connection"]))
    file = ctx.bundle.data_path(node.get("file") or "")
    if not os.path.exists(file):
        raise NodeFailure(
            "source file %s does not exist (looked at %s)" % (node.get("originalFile") or node.get("file"), file), None,
            "fix the file: path in workflow.yaml (relative paths start at the workflow folder)")
    fmt = node.get("format") or EXTENSIONS.get(os.path.splitext(file)[1].lower())
    shown = node.get("originalFile") or node.get("file")
    if not fmt:
        raise NodeFailure("cannot tell the format of %s" % shown, None, "set format: csv, parquet, json or excel on the node")
    lit = duck.quote_literal(file)
    readers = {
        "csv": "read_csv(%s, auto_detect = true, header = true)" % lit,
        "parquet": "read_parquet(%s)" % lit,
        "json": "read_json_auto(%s)" % lit,
    }
    if fmt not in readers:
        raise NodeFailure("cannot read %s as %s in this runtime" % (shown, fmt), None, "export again: the app converts Excel sheets to CSV")
    con = duck.connect()
    try:
        columns, rows, size = duck.write_query_to_parquet(con, "SELECT * FROM " + readers[fmt], {}, ctx.output_path)
    except duckdb.Error as e:
        raise NodeFailure("could not read %s as %s: %s" % (shown, node.get("originalFormat") or fmt, e), None,
                          "check the file, or set format: on the node")
    finally:
        con.close()
    ctx.log("system", "read %d rows from %s" % (rows, shown))
    return {"type": "table", "path": ctx.output_path, "columns": columns, "rows": rows, "bytes": size}


def sql_failure(ctx, e):
    if isinstance(e, NodeFailure):
        return e
    msg = str(e)
    tables = list(ctx.inputs)
    fix = None
    import re

    if re.search(r"Table with name .* does not exist", msg, re.I):
        fix = ("this node can read the tables %s; add the table's node to inputs:" % ", ".join(tables)) if tables \
            else "this node has no inputs: add the upstream node ids under inputs:"
    elif "not a parameter of this workflow" in msg:
        fix = "declare it under parameters: in workflow.yaml"
    elif re.search(r"INTERRUPT", msg, re.I):
        return NodeFailure("query interrupted")
    return NodeFailure("SQL error in %s: %s" % (ctx.node.get("codeFile"), msg.split("\n")[0]), msg, fix)


def run_sql(ctx):
    code = ctx.code
    if not code.strip():
        raise NodeFailure("%s is empty" % ctx.node.get("codeFile"), None, "write a SELECT query")
    con = duck.connect(ctx.inputs)
    try:
        columns, rows, size = duck.write_query_to_parquet(con, code, ctx.params, ctx.output_path)
    except (duckdb.Error, duck.MissingParameter) as e:
        raise sql_failure(ctx, e)
    finally:
        con.close()
    return {"type": "table", "path": ctx.output_path, "columns": columns, "rows": rows, "bytes": size}


def run_python(ctx):
    r = call_python(ctx)
    if r["kind"] != "table":
        v = r.get("value")
        what = "None" if v is None else "boolean" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) else "string"
        raise NodeFailure(
            "run() in %s returned a %s, but a python node must return a pandas DataFrame" % (ctx.node.get("codeFile"), what),
            None, "return a DataFrame, or make this node a metric or check")
    return {"type": "table", "path": ctx.output_path, "columns": r["columns"], "rows": r["rows"],
            "bytes": os.path.getsize(ctx.output_path)}


EXAMPLE = {"check": "SELECT count(*) = 0 FROM …", "metric": "SELECT avg(x) FROM …"}
NON_FINITE = ("NaN", "Infinity", "-Infinity")


def _scalar(ctx, kind):
    """The node's one value (runner/exec/kinds/check-metric.ts scalarOf)."""
    if ctx.node.get("language") == "python":
        r = call_python(ctx)
        if r["kind"] == "table":
            raise NodeFailure("run() in %s returned a table, but a %s must return a single %s"
                              % (ctx.node.get("codeFile"), kind, "True/False" if kind == "check" else "number"))
        return r.get("nonFinite") or r.get("value")
    what = "a boolean" if kind == "check" else "a number"
    con = duck.connect(ctx.inputs)
    try:
        empty, value, more, columns = duck.query_scalar(con, ctx.code, ctx.params)
    except (duckdb.Error, duck.MissingParameter) as e:
        raise sql_failure(ctx, e)
    finally:
        con.close()
    if empty:
        raise NodeFailure("%s returned no rows" % ctx.node.get("codeFile"), None, "return one row with %s" % what)
    if more or columns > 1:
        shape = " and ".join(p for p in ("more than one row" if more else "", "%d columns" % columns if columns > 1 else "") if p)
        raise NodeFailure("%s returned %s; a %s must return one row with one column" % (ctx.node.get("codeFile"), shape, kind),
                          None, "return one row with %s, e.g. %s" % (what, EXAMPLE[kind]))
    return value


def run_check(ctx):
    v = _scalar(ctx, "check")
    if not isinstance(v, bool):
        raise NodeFailure("check %s gave %s, not true/false" % (ctx.node["id"], js_json(v)), None,
                          "make the query return a boolean, e.g. SELECT count(*) = 0 FROM ...")
    return {"type": "check", "passed": v, "value": v, "message": None if v else "check %s is false" % ctx.node["id"]}


def _to_number(raw):
    if isinstance(raw, bool) or raw is None:
        return math.nan
    if isinstance(raw, (int, float)):
        return raw
    if isinstance(raw, str) and raw.strip() != "":
        try:
            return float(raw)
        except ValueError:
            return math.nan
    return math.nan


def run_metric(ctx):
    node = ctx.node
    raw = _scalar(ctx, "metric")
    value = _to_number(raw)
    if raw is None or not math.isfinite(value):
        # SQL NULL and Python None, NaN and infinities fail alike: a metric is one finite number
        shown = "no value (null)" if raw is None else raw if raw in NON_FINITE else js_json(raw)
        raise NodeFailure("metric %s gave %s, not a number" % (node["id"], shown), None,
                          "return one finite number, e.g. coalesce(avg(x), 0) in SQL or a default in Python")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        value = int(value)
    bounds = node.get("bounds") or {}
    lower, upper = bounds.get("lower"), bounds.get("upper")
    message = None
    if lower is not None and value < lower:
        message = "metric %s = %s is below its lower bound %s" % (node["id"], js_number(value), js_number(lower))
    elif upper is not None and value > upper:
        message = "metric %s = %s is above its upper bound %s" % (node["id"], js_number(value), js_number(upper))
    return {"type": "metric", "value": value, "passed": message is None, "message": message}


def run_publish(ctx):
    from .publish import publish

    return publish(ctx)


KINDS = {"source": run_source, "sql": run_sql, "python": run_python, "check": run_check,
         "metric": run_metric, "publish": run_publish}


def run_node_kind(ctx):
    return KINDS[ctx.node["kind"]](ctx)

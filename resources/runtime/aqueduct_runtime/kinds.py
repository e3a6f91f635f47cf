"""The node kinds, each with the local runner's semantics and messages (runner/exec/kinds):
source reads a file with DuckDB's readers, sql runs DuckDB over the upstream views, python
runs run(**inputs, **params) through the same worker code as the desktop app, check wants
a boolean, metric a number inside its bounds. Kinds never decide ordering or skipping."""
import math
import os
import re

import duckdb

from . import duck
from .python_node import call_python
from .reader import read_failure, reader_sql
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


SOURCE_FILE_FIX = ('choose the file in the "Source file" field (Settings tab), or fix file: in workflow.yaml; '
                   'relative paths start at the workflow folder')


def run_source(ctx):
    node = ctx.node
    if node.get("connection"):
        raise NodeFailure("source %s reads connection %s, which this runtime cannot query" % (node["id"], node["connection"]))
    file = ctx.bundle.data_path(node.get("file") or "")
    if not os.path.exists(file):
        raise NodeFailure(
            "source file %s does not exist (looked at %s)" % (node.get("originalFile") or node.get("file"), file), None,
            SOURCE_FILE_FIX)
    fmt = node.get("format") or EXTENSIONS.get(os.path.splitext(file)[1].lower())
    shown = node.get("originalFile") or node.get("file")
    if not fmt:
        raise NodeFailure("cannot tell the format of %s" % shown, None,
                          'choose one in the "Format" field (Settings tab), or set format: csv, parquet, json or excel on the node')
    if fmt not in ("csv", "parquet", "json"):
        raise NodeFailure("cannot read %s as %s in this runtime" % (shown, fmt), None, "export again: the app converts Excel sheets to CSV")
    con = duck.connect()
    try:
        columns, rows, size = duck.write_query_to_parquet(con, "SELECT * FROM " + reader_sql(file, fmt, node.get("read")), {}, ctx.output_path)
    except duckdb.Error as e:
        message, fix, detail = read_failure(shown, node.get("originalFormat") or fmt, str(e))
        raise NodeFailure(message, detail, fix)
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


def _template_check(ctx):
    """A check made from a template: the query compiled at export (runner/monitor/checks/
    compile-template.ts) answers passed and the sentence saying what failed."""
    template = ctx.node["template"]
    node_id = ctx.node["id"]
    if not ctx.inputs:
        raise NodeFailure("check %s has no input table to check" % node_id, None, "give the check one input: the table it checks")
    name, path = next(iter(ctx.inputs.items()))
    con = duck.connect(ctx.inputs)
    try:
        columns, _ = duck.describe_parquet(con, path)
        names = [c["name"] for c in columns]
        refs = [(c, "template.columns[%d]" % i) for i, c in enumerate(template.get("columns") or [])]
        if template.get("column") is not None:
            refs.append((template["column"], "template.column"))
        for column, field in refs:
            if column not in names:
                raise NodeFailure('%s of check %s: column "%s" is not in its input %s' % (field, node_id, column, name), None,
                                  "use one of %s's columns: %s" % (name, ", ".join(names)))
        problem = _template_type_problem(template, columns)
        if problem:
            raise NodeFailure("template.column of check %s: %s" % (node_id, problem[0]), None, problem[1])
        sql = duck.clean_sql(ctx.code)
        values = duck.bound_params(con, sql, ctx.params)
        row = (con.execute(sql, values) if values else con.execute(sql)).fetchone()
    except (duckdb.Error, duck.MissingParameter) as e:
        raise sql_failure(ctx, e)
    finally:
        con.close()
    passed = bool(row and row[0] is True)
    message = None if passed else (row[1] if row and row[1] is not None else "check %s failed" % node_id)
    return {"type": "check", "passed": passed, "value": passed, "message": message}


NUMERIC = re.compile(r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$")
TIME = re.compile(r"^(DATE|TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE)$")


def _template_type_problem(t, columns):
    """(message, fix) when a range or a mean is asked of a non-numeric column, or freshness of a non-time one."""
    kind = t["type"]
    needs = "numbers" if kind == "range" or (kind == "drift" and t.get("measure", "mean") == "mean") else "a date or time" if kind == "freshness" else None
    if not needs or "column" not in t:
        return None
    col_type = next((c["type"] for c in columns if c["name"] == t["column"]), "")
    if (NUMERIC if needs == "numbers" else TIME).match(col_type):
        return None
    fix = "pick a numeric column, or cast it in an upstream SQL node" if needs == "numbers" else \
        "pick a DATE or TIMESTAMP column, or cast it in an upstream SQL node"
    return 'column "%s" is %s; a %s check needs a column of %s' % (t["column"], col_type, kind, needs), fix


def run_check(ctx):
    if ctx.node.get("template"):
        return _template_check(ctx)
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
    bounds = _band(node, "bounds", ctx.params)
    warn = _band(node, "warnBounds", ctx.params)
    message, warning_only = _judge(node["id"], value, bounds, warn)
    plain = (lambda b: {"lower": b["lower"], "upper": b["upper"]} if b else None)
    return {"type": "metric", "value": value, "passed": message is None, "message": message, "warningOnly": warning_only,
            "bounds": plain(bounds), "warnBounds": plain(warn)}


def _bound(v, params, node_id, field):
    """A bound in this run: a number, or a parameter's value ($name); None when absent."""
    if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return v
    value = params.get(v[1:]) if isinstance(v, str) and v.startswith("$") else None
    if value is None:
        return None
    n = _to_number(value)
    if not math.isfinite(n):
        raise NodeFailure("metric %s: %s %s is %s in this run, not a number" % (node_id, field, v, js_json(value)), None,
                          "give the parameter a number, or make the bound a number")
    return n


def _band(node, key, params):
    """The band as the local runner resolves it (runner/monitor/metric-bands.ts); learned bounds come baked in."""
    b = node.get(key)
    if not b:
        return None
    field = "bounds" if key == "bounds" else "warn_bounds"
    lower = _bound(b.get("lower"), params, node["id"], field + ".lower")
    upper = _bound(b.get("upper"), params, node["id"], field + ".upper")
    if lower is None and upper is None:
        return None
    return {"lower": lower, "upper": upper, "learnedFrom": b.get("learnedFrom")}


def _judge(node_id, value, bounds, warn):
    """(message, warning_only) by the local rule: outside bounds first, then outside the warning band."""
    def learned(b):
        return " (learned from the last %d runs)" % b["learnedFrom"] if b.get("learnedFrom") else ""

    v = js_number(value)
    for b, what, only in ((bounds, "", False), (warn, " warning", True)):
        if not b:
            continue
        if b["lower"] is not None and value < b["lower"]:
            return "metric %s = %s is below its lower%s bound %s%s" % (node_id, v, what, js_number(b["lower"]), learned(b)), only
        if b["upper"] is not None and value > b["upper"]:
            return "metric %s = %s is above its upper%s bound %s%s" % (node_id, v, what, js_number(b["upper"]), learned(b)), only
    return None, False


def run_publish(ctx):
    from .publish import publish

    return publish(ctx)


KINDS = {"source": run_source, "sql": run_sql, "python": run_python, "check": run_check,
         "metric": run_metric, "publish": run_publish}


def run_node_kind(ctx):
    return KINDS[ctx.node["kind"]](ctx)

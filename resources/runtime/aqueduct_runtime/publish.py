"""Publishing from the runtime, with the local writers' rules (runner/connectors): files
(csv, parquet, json) are written to a temp file in the target's folder and renamed over
it, so a failure leaves the old file; databases (duckdb, sqlite, postgres: publish_db)
change in one transaction. Modes replace, append, upsert (databases), fail_if_exists."""
import os
import re
import secrets
import shutil

import duckdb

from .duck import quote_ident, quote_literal

ALIASES = {"jsonl": "json", "ndjson": "json", "postgresql": "postgres", "sqlite3": "sqlite", "xlsx": "excel"}
FILE_TYPES = ("csv", "parquet", "json")
DB_TYPES = ("duckdb", "sqlite", "postgres")
SUPPORTED = FILE_TYPES + DB_TYPES


class PublishError(Exception):
    def __init__(self, message, fix=None):
        super().__init__(message)
        self.message, self.fix = message, fix


def canonical_type(t):
    t = (t or "").strip().lower()
    return ALIASES.get(t, t)


def exists_error(type_name, target):
    return PublishError("%s %s already exists (mode fail_if_exists)" % (type_name, target),
                        "change the mode to replace or append, or remove the target")


def reader():
    """An in-memory DuckDB that reads the published Parquet (times in UTC, like the app)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
    except duckdb.Error:
        pass
    return con


def columns_of(con, select):
    return [r[0] for r in con.execute("DESCRIBE " + select).fetchall()]


def same_columns(type_name, target, existing, incoming):
    if list(existing) != list(incoming):
        raise PublishError("%s %s: cannot append, its columns (%s) differ from the published table's (%s)"
                           % (type_name, target, ", ".join(existing), ", ".join(incoming)),
                           "use mode replace, or make the columns match")


def file_target(type_name, req):
    p = req["destination"].get("path")
    if not p:
        raise PublishError("%s destination has no path" % type_name, "set destination.path to the file to write")
    target = p if os.path.isabs(p) else os.path.normpath(os.path.join(req["outputDir"], p))
    if req["mode"] == "upsert":
        raise PublishError("%s %s: upsert needs a database destination" % (type_name, target),
                           "use mode replace or append, or publish to a database")
    if os.path.isdir(target):
        raise PublishError("%s %s is a folder" % (type_name, target), "set destination.path to a file name")
    return target


def check_existing(type_name, target, req):
    exists = os.path.exists(target)
    if exists and req["mode"] == "fail_if_exists":
        raise exists_error(type_name, target)
    return exists and os.path.getsize(target) > 0


def atomic_write(type_name, target, fill):
    folder = os.path.dirname(target) or "."
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise PublishError("%s %s: cannot create folder %s: %s" % (type_name, target, folder, e), "check the path and its permissions")
    tmp = os.path.join(folder, ".%s.aq-%s.tmp" % (os.path.basename(target), secrets.token_hex(4)))
    try:
        fill(tmp)
        with open(tmp, "r+b") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except PublishError:
        _rm(tmp)
        raise
    except (OSError, duckdb.Error) as e:
        _rm(tmp)
        raise PublishError("%s %s: %s" % (type_name, target, e))


def _rm(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _ends_with_newline(path):
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def publish_csv(req, con, src):
    target = file_target("csv", req)
    append = check_existing("csv", target, req) and req["mode"] == "append"
    names = columns_of(con, "SELECT * FROM " + src)
    if append:
        same_columns("csv", target, columns_of(con, "SELECT * FROM read_csv(%s, header = true, all_varchar = true)" % quote_literal(target)), names)

    def fill(tmp):
        if not append:
            con.execute("COPY (SELECT * FROM %s) TO %s (FORMAT csv, HEADER true)" % (src, quote_literal(tmp)))
            return
        part = tmp + ".part"
        try:
            con.execute("COPY (SELECT * FROM %s) TO %s (FORMAT csv, HEADER false)" % (src, quote_literal(part)))
            shutil.copyfile(target, tmp)
            with open(tmp, "ab") as out, open(part, "rb") as new:
                if not _ends_with_newline(target):
                    out.write(b"\n")
                shutil.copyfileobj(new, out)
        finally:
            _rm(part)

    atomic_write("csv", target, fill)
    return target


def publish_parquet(req, con, src):
    target = file_target("parquet", req)
    append = check_existing("parquet", target, req) and req["mode"] == "append"
    select = "SELECT * FROM " + src
    if append:
        names = columns_of(con, select)
        same_columns("parquet", target, columns_of(con, "SELECT * FROM read_parquet(%s)" % quote_literal(target)), names)
        cols = ", ".join(quote_ident(n) for n in names)
        select = "SELECT %s FROM read_parquet(%s) UNION ALL SELECT %s FROM %s" % (cols, quote_literal(target), cols, src)
    atomic_write("parquet", target, lambda tmp: con.execute("COPY (%s) TO %s (FORMAT parquet)" % (select, quote_literal(tmp))))
    return target


def publish_json(req, con, src):
    target = file_target("json", req)
    append = check_existing("json", target, req) and req["mode"] == "append"
    lines = bool(re.search(r"\.(jsonl|ndjson)$", target, re.I))

    def copy(to, array):
        con.execute("COPY (SELECT * FROM %s) TO %s (FORMAT json, ARRAY %s)" % (src, quote_literal(to), "true" if array else "false"))

    def fill(tmp):
        if not append:
            return copy(tmp, not lines)
        part = tmp + ".part"
        try:
            copy(part, False)
            shutil.copyfile(target, tmp)
            if lines:
                with open(tmp, "ab") as out, open(part, "rb") as new:
                    if not _ends_with_newline(target):
                        out.write(b"\n")
                    shutil.copyfileobj(new, out)
                return
            with open(tmp, "rb+") as out:
                data = out.read()
                close = data.rstrip().rfind(b"]")
                if close < 0 or data.rstrip()[-1:] != b"]":
                    raise PublishError("json %s: cannot append, the file is not a JSON array" % target,
                                       "use mode replace, or name the file .jsonl for one record per line")
                first = data[:close].rstrip().endswith(b"[")
                out.seek(close)
                out.truncate()
                with open(part, "rb") as new:
                    for line in new.read().decode("utf-8").splitlines():
                        if not line:
                            continue
                        out.write(((("\n" if first else ",\n") + line).encode("utf-8")))
                        first = False
                out.write(b"\n]\n")
        finally:
            _rm(part)

    atomic_write("json", target, fill)
    return target


def publish(ctx):
    """Publishes the node's one input table; returns the kind outcome ('published')."""
    from .kinds import NodeFailure
    from . import publish_db

    node = ctx.node
    dest = node["destination"]
    type_name = canonical_type(dest.get("type"))
    path = next(iter(ctx.inputs.values()), None) if node.get("inputs") else None
    if not path:
        raise NodeFailure("publish node has no input table")
    req = {"destination": dest, "mode": node.get("mode") or "replace", "key": node.get("key"),
           "outputDir": ctx.bundle.output_dir, "parquetPath": path,
           "onProgress": lambda n: ctx.log("system", "%d rows written" % n)}
    try:
        if type_name in DB_TYPES:
            rows, target = publish_db.publish(type_name, req, ctx.connection(dest.get("connection")))
        elif type_name in FILE_TYPES:
            con = reader()
            try:
                src = "read_parquet(%s)" % quote_literal(path)
                rows = int(con.execute("SELECT count(*) FROM " + src).fetchone()[0])
                target = {"csv": publish_csv, "parquet": publish_parquet, "json": publish_json}[type_name](req, con, src)
                req["onProgress"](rows)
            finally:
                con.close()
        else:
            raise PublishError('destination type "%s" is not supported by the portable runtime' % dest.get("type"),
                               "use one of: %s" % ", ".join(SUPPORTED))
    except PublishError as e:
        raise NodeFailure(e.message, None, e.fix)
    ctx.log("system", "published %d rows to %s (%s)" % (rows, target, req["mode"]))
    return {"type": "published", "destination": dest.get("type"), "target": target, "rows": rows,
            "connection": dest.get("connection"), "mode": req["mode"]}

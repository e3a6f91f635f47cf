"""Database destinations of the runtime: a DuckDB file, a SQLite file, and PostgreSQL
(publish_pg.py). Each publish is one transaction and
follows the app's writers (runner/connectors/{duckdb,sqlite,postgres}/writer.ts): replace
through a staging table, append, upsert on a unique key, fail_if_exists."""
import os
import secrets
import sqlite3

import duckdb

from .columns import describe, sqlite_bind_expr, sqlite_type
from .duck import quote_ident, quote_literal
from .publish import PublishError, exists_error, reader

BATCH = 10000


def parse_table_name(text):
    """`table`, `schema.table`, or quoted parts, as runner/connectors/sql.ts parses them."""
    parts, i = [], 0
    while i <= len(text):
        if i < len(text) and text[i] == '"':
            part, i = "", i + 1
            while True:
                if i >= len(text):
                    raise PublishError("table name %s has an unclosed quote" % text, "close the quote or remove it")
                if text[i] == '"':
                    if text[i + 1:i + 2] == '"':
                        part, i = part + '"', i + 2
                        continue
                    i += 1
                    break
                part, i = part + text[i], i + 1
            parts.append(part)
            if i < len(text) and text[i] != ".":
                raise PublishError("table name %s is not valid after a quoted part" % text, "write it as schema.table")
            i += 1
        else:
            dot = text.find(".", i)
            end = len(text) if dot == -1 else dot
            parts.append(text[i:end])
            i = end + 1
    if len(parts) > 2 or any(not p for p in parts):
        raise PublishError('table name "%s" is not valid' % text, "write it as table or schema.table (quote a part that contains a dot)")
    return (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])


def require_table(type_name, table):
    if not table:
        raise PublishError("%s destination has no table" % type_name, "set destination.table to the table to write")
    return parse_table_name(table)


def require_key(type_name, target, key, columns):
    if not key:
        raise PublishError("%s %s: upsert needs a key" % (type_name, target), "set key to the column(s) that identify a row")
    missing = [k for k in key if k not in columns]
    if missing:
        raise PublishError("%s %s: key column(s) %s are not in the published table" % (type_name, target, ", ".join(missing)),
                           "pick key columns from: %s" % ", ".join(columns))
    return key


def staging_name(table, max_len):
    suffix = "__aq_staging_" + secrets.token_hex(4)
    base = table
    while len((base + suffix).encode()) > max_len:
        base = base[:-1]
    return base + suffix


def qt(schema, table):
    return quote_ident(table) if schema is None else "%s.%s" % (quote_ident(schema), quote_ident(table))


def db_file(type_name, req):
    p = req["destination"].get("path")
    if not p:
        raise PublishError("%s destination has no path" % type_name, "set destination.path to the %s database file" % type_name)
    path = p if os.path.isabs(p) else os.path.normpath(os.path.join(req["outputDir"], p))
    created = not os.path.exists(path)
    if created:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    return path, created


def remove_created(path, created, sidecars):
    if created:
        for suffix in [""] + sidecars:
            try:
                os.remove(path + suffix)
            except OSError:
                pass


def upsert_action(columns, key, excluded):
    rest = [c for c in columns if c not in key]
    if not rest:
        return "DO NOTHING"
    return "DO UPDATE SET " + ", ".join("%s = %s.%s" % (quote_ident(c), excluded, quote_ident(c)) for c in rest)


def publish_duckdb(req):
    schema, table = require_table("duckdb", req["destination"].get("table"))
    path, created = db_file("duckdb", req)
    schema = schema or "main"
    target = "%s#%s.%s" % (path, schema, table)
    t, src, mode = qt(schema, table), "read_parquet(%s)" % quote_literal(req["parquetPath"]), req["mode"]
    ok = False
    try:
        con = duckdb.connect(path)
    except duckdb.Error as e:
        remove_created(path, created, [".wal"])
        raise PublishError("duckdb %s: %s" % (target, e))
    try:
        columns = [r[0] for r in con.execute("DESCRIBE SELECT * FROM " + src).fetchall()]
        cols = ", ".join(quote_ident(c) for c in columns)
        key = require_key("duckdb", target, req.get("key"), columns) if mode == "upsert" else req.get("key")
        rows = int(con.execute("SELECT count(*) FROM " + src).fetchone()[0])
        con.execute("BEGIN TRANSACTION")
        try:
            exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                                 [schema, table]).fetchone()[0] > 0
            if exists and mode == "fail_if_exists":
                raise exists_error("duckdb", target)

            def create():
                con.execute("CREATE TABLE %s AS SELECT * FROM %s LIMIT 0" % (t, src))
                if key:
                    idx = quote_ident(("%s_aq_key" % table)[:63])
                    con.execute("CREATE UNIQUE INDEX %s ON %s (%s)" % (idx, t, ", ".join(quote_ident(k) for k in key)))
                con.execute("INSERT INTO %s (%s) SELECT %s FROM %s" % (t, cols, cols, src))

            if mode == "replace":
                if exists:
                    con.execute("DROP TABLE " + t)
                create()
            elif not exists:
                create()
            elif mode == "append":
                con.execute("INSERT INTO %s (%s) SELECT %s FROM %s" % (t, cols, cols, src))
            else:
                keys = ", ".join(quote_ident(k) for k in key)
                con.execute("INSERT INTO %s (%s) SELECT %s FROM %s ON CONFLICT (%s) %s"
                            % (t, cols, cols, src, keys, upsert_action(columns, key, "EXCLUDED")))
            con.execute("COMMIT")
            req["onProgress"](rows)
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise
        ok = True
        return rows, target
    except duckdb.Error as e:
        raise PublishError("duckdb %s: %s" % (target, e))
    finally:
        con.close()
        if not ok:
            remove_created(path, created, [".wal"])


def _batches(con, columns, expr, src):
    select = ", ".join(expr(c, quote_ident(c["name"])) for c in columns)
    cur = con.execute("SELECT %s FROM %s" % (select, src))
    while True:
        chunk = cur.fetchmany(BATCH)
        if not chunk:
            return
        yield chunk


def publish_sqlite(req):
    schema, table = require_table("sqlite", req["destination"].get("table"))
    path, created = db_file("sqlite", req)
    schema = schema or "main"
    target = "%s#%s.%s" % (path, schema, table)
    mode, ok = req["mode"], False
    src = "read_parquet(%s)" % quote_literal(req["parquetPath"])
    rcon = reader()
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        columns = describe(rcon, src)
        names = [c["name"] for c in columns]
        key = require_key("sqlite", target, req.get("key"), names) if mode == "upsert" else req.get("key")
        db.execute("BEGIN IMMEDIATE")
        try:
            exists = db.execute("SELECT 1 FROM %s.sqlite_master WHERE type IN ('table', 'view') AND name = ?"
                                % quote_ident(schema), [table]).fetchone() is not None
            if exists and mode == "fail_if_exists":
                raise exists_error("sqlite", target)
            into = (schema, staging_name(table, 1000)) if mode == "replace" else (schema, table)
            if mode == "replace" or not exists:
                defs = ["%s %s" % (quote_ident(c["name"]), sqlite_type(c)) for c in columns]
                if key:
                    defs.append("UNIQUE (%s)" % ", ".join(quote_ident(k) for k in key))
                db.execute("CREATE TABLE %s (%s)" % (qt(*into), ", ".join(defs)))
            sql = "INSERT INTO %s (%s) VALUES (%s)" % (qt(*into), ", ".join(quote_ident(n) for n in names), ", ".join("?" for _ in names))
            if mode == "upsert" and exists:
                sql += " ON CONFLICT (%s) %s" % (", ".join(quote_ident(k) for k in key), upsert_action(names, key, "excluded"))
            written = 0
            for chunk in _batches(rcon, columns, sqlite_bind_expr, src):
                db.executemany(sql, chunk)
                written += len(chunk)
                req["onProgress"](written)
            if mode == "replace":
                if exists:
                    db.execute("DROP TABLE " + qt(schema, table))
                db.execute("ALTER TABLE %s RENAME TO %s" % (qt(*into), quote_ident(table)))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        ok = True
        return written, target
    except sqlite3.Error as e:
        raise PublishError("sqlite %s: %s" % (target, e))
    finally:
        db.close()
        rcon.close()
        if not ok:
            remove_created(path, created, ["-journal", "-wal", "-shm"])


def publish(type_name, req, connection):
    if type_name == "duckdb":
        return publish_duckdb(req)
    if type_name == "sqlite":
        return publish_sqlite(req)
    from .publish_pg import publish_postgres

    return publish_postgres(req, connection)

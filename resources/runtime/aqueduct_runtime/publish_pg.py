"""PostgreSQL publishing from the runtime: psycopg 3 (or psycopg2) streams the rows with
COPY (CSV text computed by DuckDB, as the app's writer does) into a staging or new table,
all in one transaction, so a failure leaves the target as it was."""
import io

from .columns import describe, pg_text_expr, pg_type
from .duck import quote_ident, quote_literal
from .publish import PublishError, exists_error, reader
from .publish_db import _batches, qt, require_key, require_table, staging_name, upsert_action


def _fit(name, limit=63):
    while len(name.encode()) > limit:
        name = name[:-1]
    return name


def _pg_connect(cfg):
    params = {k: cfg[k] for k in ("host", "port", "user", "password") if cfg.get(k) not in (None, "")}
    if cfg.get("database"):
        params["dbname"] = cfg["database"]
    if cfg.get("ssl"):
        params["sslmode"] = "require"
    params["application_name"] = "aqueduct-runtime-publish"
    try:
        import psycopg

        return psycopg.connect(**params), 3
    except ImportError:
        try:
            import psycopg2
        except ImportError:
            raise PublishError("postgres: neither psycopg nor psycopg2 is installed", "pip install 'psycopg[binary]'")
        return psycopg2.connect(**params), 2


def _pg_copy(conn, version, table, names, lines):
    sql = "COPY %s (%s) FROM STDIN WITH (FORMAT csv)" % (table, ", ".join(quote_ident(n) for n in names))
    cur = conn.cursor()
    if version == 3:
        with cur.copy(sql) as copy:
            for text in lines:
                copy.write(text)
    else:
        cur.copy_expert(sql, io.StringIO("".join(lines)))


def _csv_lines(rcon, columns, src, on_progress):
    written = 0
    for chunk in _batches(rcon, columns, pg_text_expr, src):
        buf = io.StringIO()
        for row in chunk:
            buf.write(",".join("" if v is None else '"%s"' % str(v).replace('"', '""') for v in row) + "\n")
        yield buf.getvalue()
        written += len(chunk)
        on_progress(written)


def publish_postgres(req, cfg):
    schema, table = require_table("postgres", req["destination"].get("table"))
    if not cfg:
        raise PublishError("postgres destination %s has no connection" % req["destination"].get("table"),
                           "set destination.connection, and give the runtime its settings (AQUEDUCT_CONNECTION_<NAME>)")
    mode = req["mode"]
    src = "read_parquet(%s)" % quote_literal(req["parquetPath"])
    conn, version = _pg_connect(cfg)
    rcon = reader()
    try:
        cur = conn.cursor()
        if not schema:
            schema = cfg.get("schema")
        if not schema:
            cur.execute("SELECT current_schema()")
            schema = cur.fetchone()[0] or "public"
        cur.execute("SELECT current_database()")
        target = "%s/%s.%s" % (cfg.get("database") or cur.fetchone()[0], schema, table)
        columns = describe(rcon, src)
        names = [c["name"] for c in columns]
        key = require_key("postgres", target, req.get("key"), names) if mode == "upsert" else req.get("key")
        defs = ", ".join("%s %s" % (quote_ident(c["name"]), pg_type(c)) for c in columns)
        keys = ", ".join(quote_ident(k) for k in key or [])
        cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        if cur.fetchone() is None:
            raise PublishError('postgres %s: schema "%s" does not exist' % (target, schema), "create it (CREATE SCHEMA) or fix the schema part of the table name")
        cur.execute("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s", [schema, table])
        exists = cur.fetchone() is not None
        if exists and mode == "fail_if_exists":
            raise exists_error("postgres", target)
        t = qt(schema, table)
        if mode == "replace":
            stage_table = staging_name(table, 63)
            stage = qt(schema, stage_table)
            constraint = ", CONSTRAINT %s UNIQUE (%s)" % (quote_ident(_fit(stage_table + "_key")), keys) if key else ""
            cur.execute("CREATE TABLE %s (%s%s)" % (stage, defs, constraint))
            _pg_copy(conn, version, stage, names, _csv_lines(rcon, columns, src, req["onProgress"]))
            if exists:
                cur.execute("DROP TABLE " + t)
            cur.execute("ALTER TABLE %s RENAME TO %s" % (stage, quote_ident(table)))
            final_key = _fit(table + "_key")
            cur.execute("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s", [schema, final_key])
            if key and cur.fetchone() is None:
                cur.execute("ALTER TABLE %s RENAME CONSTRAINT %s TO %s" % (t, quote_ident(_fit(stage_table + "_key")), quote_ident(final_key)))
        elif not exists:
            cur.execute("CREATE TABLE %s (%s%s)" % (t, defs, ", UNIQUE (%s)" % keys if key else ""))
            _pg_copy(conn, version, t, names, _csv_lines(rcon, columns, src, req["onProgress"]))
        elif mode == "append":
            _pg_copy(conn, version, t, names, _csv_lines(rcon, columns, src, req["onProgress"]))
        else:
            stage = quote_ident(staging_name(table, 63))
            cur.execute("CREATE TEMP TABLE %s (%s) ON COMMIT DROP" % (stage, defs))
            _pg_copy(conn, version, stage, names, _csv_lines(rcon, columns, src, req["onProgress"]))
            cols = ", ".join(quote_ident(n) for n in names)
            cur.execute("INSERT INTO %s (%s) SELECT %s FROM %s ON CONFLICT (%s) %s" % (t, cols, cols, stage, keys, upsert_action(names, key, "EXCLUDED")))
        rows = int(rcon.execute("SELECT count(*) FROM " + src).fetchone()[0])
        conn.commit()
        return rows, target
    except PublishError:
        conn.rollback()
        raise
    except Exception as e:  # psycopg's errors carry the server's message
        conn.rollback()
        raise PublishError("postgres %s.%s: %s" % (schema, table, str(e).strip()))
    finally:
        conn.close()
        rcon.close()

"""How a DuckDB column type maps to what database writers create and bind, the same
classification as runner/connectors/parquet.ts (classify) and its writers' type maps."""
import re

INT = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
WIDE_INT = {"UBIGINT", "HUGEINT", "UHUGEINT"}


def classify(duck_type):
    t = duck_type.upper()
    if t in INT:
        return {"kind": "int"}
    if t in WIDE_INT:
        return {"kind": "bigint", "precision": 20 if t == "UBIGINT" else 39, "scale": 0}
    if t in ("FLOAT", "DOUBLE"):
        return {"kind": "float"}
    m = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", t)
    if m:
        return {"kind": "decimal", "precision": int(m.group(1)), "scale": int(m.group(2))}
    if t == "BOOLEAN":
        return {"kind": "bool"}
    if t == "DATE":
        return {"kind": "date"}
    if t in ("TIME", "TIME_NS"):
        return {"kind": "time"}
    if t == "TIMESTAMP WITH TIME ZONE":
        return {"kind": "timestamptz"}
    if t.startswith("TIMESTAMP"):
        return {"kind": "timestamp"}
    if t == "VARCHAR" or t.startswith("ENUM("):
        return {"kind": "text"}
    if t == "BLOB":
        return {"kind": "blob"}
    if t == "UUID":
        return {"kind": "uuid"}
    if t == "INTERVAL":
        return {"kind": "interval"}
    return {"kind": "json"}


def describe(con, src):
    """[{name, duckType, kind, precision?, scale?}] of `SELECT * FROM src`."""
    out = []
    for r in con.execute("DESCRIBE SELECT * FROM " + src).fetchall():
        c = {"name": r[0], "duckType": r[1]}
        c.update(classify(r[1]))
        out.append(c)
    return out


def sqlite_type(c):
    k = c["kind"]
    return {"int": "INTEGER", "bigint": "NUMERIC", "float": "REAL", "bool": "BOOLEAN", "date": "DATE", "time": "TIME",
            "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMPTZ", "blob": "BLOB"}.get(k) or (
        "NUMERIC(%d,%d)" % (c["precision"], c["scale"]) if k == "decimal" else "TEXT")


def sqlite_bind_expr(c, q):
    k = c["kind"]
    if k == "int":
        return "CAST(%s AS BIGINT)" % q
    if k == "float":
        return "CAST(%s AS DOUBLE)" % q
    if k == "bool":
        return "CAST(%s AS INTEGER)" % q
    if k == "blob":
        return q
    if k == "timestamptz":
        return "CAST(timezone('UTC', %s) AS VARCHAR) || '+00:00'" % q
    if k == "json":
        return "CAST(to_json(%s) AS VARCHAR)" % q
    return "CAST(%s AS VARCHAR)" % q


def pg_type(c):
    k = c["kind"]
    if k == "bigint":
        return "NUMERIC(%d,0)" % c["precision"]
    if k == "decimal":
        return "NUMERIC(%d,%d)" % (c["precision"], c["scale"])
    return {"int": "BIGINT", "float": "DOUBLE PRECISION", "bool": "BOOLEAN", "date": "DATE", "time": "TIME",
            "timestamp": "TIMESTAMP", "timestamptz": "TIMESTAMPTZ", "blob": "BYTEA", "uuid": "UUID",
            "interval": "INTERVAL", "json": "JSONB"}.get(k, "TEXT")


def pg_text_expr(c, q):
    if c["kind"] == "blob":
        return "'\\x' || lower(hex(%s))" % q
    if c["kind"] == "json":
        return "CAST(to_json(%s) AS VARCHAR)" % q
    return "CAST(%s AS VARCHAR)" % q

"""How a source's file is read, mirroring runner/exec/kinds/source-reader.ts: DuckDB's
reader with the node's options (null markers, delimiter, header, encoding, skipped lines,
column types), defaults as pandas' read_csv. The same options give the same SQL, so the
local runner and this runtime read a file identically."""
import re

from .duck import quote_ident, quote_literal

PANDAS_NULL_VALUES = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
]

DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN",
              "date": "DATE", "timestamp": "TIMESTAMP"}


def _list(xs):
    return "[%s]" % ", ".join(quote_literal(x) for x in xs)


def reader_sql(file, fmt, o=None):
    """A FROM-clause item reading `file` (fmt csv, parquet or json) with the options `o`."""
    o = o or {}
    types = list((o.get("columnTypes") or {}).items())
    if fmt == "csv":
        nulls = o.get("nullValues")
        args = [quote_literal(file), "auto_detect = true", "header = %s" % ("false" if o.get("header") is False else "true"),
                "nullstr = %s" % _list(PANDAS_NULL_VALUES if nulls is None else nulls)]
        if o.get("delimiter") is not None:
            args.append("delim = %s" % quote_literal(o["delimiter"]))
        if o.get("skipRows"):
            args.append("skip = %d" % int(o["skipRows"]))
        if o.get("encoding") and o["encoding"] != "utf-8":
            args.append("encoding = %s" % quote_literal(o["encoding"]))
        if types:
            args.append("types = {%s}" % ", ".join("%s: %s" % (quote_literal(c), quote_literal(DUCK_TYPES[t])) for c, t in types))
        return "read_csv(%s)" % ", ".join(args)
    base = "read_parquet(%s)" % quote_literal(file) if fmt == "parquet" else "read_json_auto(%s)" % quote_literal(file)
    if not types:
        return base
    casts = ", ".join("CAST(%s AS %s) AS %s" % (quote_ident(c), DUCK_TYPES[t], quote_ident(c)) for c, t in types)
    return "(SELECT * REPLACE (%s) FROM %s)" % (casts, base)


def read_failure(shown, fmt, message):
    """(message, fix, detail): DuckDB's complaint retold with the form fields that can fix it."""
    first = message.split("\n")[0]
    detail = None if first == message.strip() else message
    missing = re.search(r"COLUMN_TYPES error: Columns with names: (.*) do not exist", message, re.I) or \
        re.search(r"Referenced column (\S+) not found", message, re.I)
    if missing:
        return ("could not read %s: a column type is set for %s, which the file does not have" % (shown, missing.group(1)),
                'fix the column name in the "Column types" field (Settings tab), or column_types: in workflow.yaml', None)
    if re.search(r"Conversion Error|Could not convert", message, re.I):
        return ("could not read %s as %s: %s" % (shown, fmt, first),
                'change that column in the "Column types" field, or add the value to "Null markers" (Settings tab)', detail)
    return ("could not read %s as %s: %s" % (shown, fmt, first),
            'check the file and the "Format", "Delimiter" and "Encoding" fields (Settings tab), or format: in workflow.yaml', detail)
